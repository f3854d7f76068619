// The PostgreSQL store: a connection pool that any number of stateless processes may share.
// Hot reads are cached per process and kept coherent across processes: every write announces
// itself with NOTIFY (inside its transaction, so it is heard only once committed), and every
// process LISTENs and empties its cache on hearing one. While the listening connection is
// down, nothing is cached.
import pg from 'pg';
import type { Database, Queryable } from './database';
import { isPlainRead, ReadCache } from './read-cache';

const CHANNEL = 'slotwise_writes';
const ANNOUNCE = `SELECT pg_notify('${CHANNEL}', '')`;

/** Keeps one LISTEN connection open (reconnecting), and says whether the cache may be used. */
function listenForWrites(connectionString: string, cache: ReadCache) {
  let client: pg.Client | null = null;
  let listening = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString });
    c.on('notification', () => cache.invalidate());
    const lost = () => {
      if (client !== c) return;
      listening = false;
      client = null;
      cache.invalidate();
      c.end().catch(() => {});
      if (!stopped) retry = setTimeout(connect, 1000);
    };
    c.on('error', lost);
    c.on('end', lost);
    try {
      client = c;
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      cache.invalidate(); // writes may have happened while we were not listening
      listening = true;
    } catch {
      lost();
    }
  };

  return {
    start: connect,
    get listening() {
      return listening;
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      listening = false;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

export async function openPostgres(connectionString: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: poolSize, options: '-c TimeZone=UTC' });
  // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  await pool.query('SELECT 1');
  const cache = new ReadCache();
  const listener = listenForWrites(connectionString, cache);
  await listener.start();
  let closed = false;

  const onClient = (client: pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const r = await client.query(sql, params as unknown[]);
      return r.rows as T[];
    },
  });

  /** Runs fn in a transaction that announces itself to every process when it commits. */
  async function transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(onClient(client));
      await client.query(ANNOUNCE);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
      cache.invalidate();
    }
  }

  return {
    kind: 'postgres',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      if (isPlainRead(sql)) {
        const result = await pool.query(sql, params as unknown[]);
        return result.rows as T[];
      }
      return transaction((tx) => tx.query<T>(sql, params));
    },
    async queueQuery<T>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query(sql, params as unknown[])).rows as T[];
    },
    async cachedQuery<T>(sql: string, params: readonly unknown[] = []) {
      const load = async () => (await pool.query(sql, params as unknown[])).rows as T[];
      return listener.listening ? cache.read<T>(sql, params, load) : load();
    },
    transaction,
    async session(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          ...onClient(client),
          async exec(sql: string) {
            await client.query(sql);
          },
        });
      } finally {
        client.release();
        await pool.query(ANNOUNCE).catch(() => {});
        cache.invalidate();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await listener.stop();
      await pool.end();
    },
  };
}
