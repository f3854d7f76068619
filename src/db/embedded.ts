// The embedded store: PGlite (PostgreSQL in WebAssembly) in DATA_DIR, or in memory for tests.
// It is a single connection, so statements and transactions are serialised through one mutex,
// and the directory is locked against a second process.
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { Database, Queryable } from './database';
import { lockDataDir } from './dir-lock';
import { Mutex } from './mutex';
import { isPlainRead, ReadCache } from './read-cache';

/** Opens the embedded database; `dataDir` undefined means in memory (tests). */
export async function openEmbedded(dataDir?: string): Promise<Database> {
  const release = dataDir ? await lockDataDir(dataDir) : () => {};
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir ? path.join(dataDir, 'pglite') : undefined, { extensions: { btree_gist } });
    await pg.exec("SET TIME ZONE 'UTC'");
  } catch (error) {
    release();
    throw error;
  }
  const mutex = new Mutex();
  const cache = new ReadCache();
  const raw: Queryable = {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await pg.query<T>(sql, params as unknown[]);
      return result.rows;
    },
  };
  let closed = false;

  return {
    kind: 'embedded',
    query: (sql, params) =>
      mutex.run(async () => {
        if (!isPlainRead(sql)) cache.invalidate();
        try {
          return await raw.query(sql, params);
        } finally {
          if (!isPlainRead(sql)) cache.invalidate();
        }
      }),
    queueQuery: <T>(sql: string, params: readonly unknown[] = []) => mutex.run(() => raw.query<T>(sql, params)),
    cachedQuery: <T>(sql: string, params: readonly unknown[] = []) =>
      cache.read<T>(sql, params, () => mutex.run(() => raw.query<T>(sql, params))),
    transaction: (fn) =>
      mutex.run(async () => {
        cache.invalidate();
        await pg.exec('BEGIN');
        try {
          const result = await fn(raw);
          await pg.exec('COMMIT');
          return result;
        } catch (error) {
          await pg.exec('ROLLBACK');
          throw error;
        } finally {
          cache.invalidate();
        }
      }),
    session: (fn) =>
      mutex.run(async () => {
        cache.invalidate();
        try {
          return await fn({ ...raw, exec: async (sql) => void (await pg.exec(sql)) });
        } finally {
          cache.invalidate();
        }
      }),
    ping: () => mutex.run(async () => void (await pg.query('SELECT 1'))),
    async close() {
      if (closed) return;
      closed = true;
      await mutex.run(() => pg.close());
      release();
    },
  };
}
