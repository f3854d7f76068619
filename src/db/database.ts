// The one database interface the features use, whichever store is behind it:
// embedded PGlite or a PostgreSQL pool. Both speak the same SQL dialect.

export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /**
   * A read for hot paths that may be answered from this process's memory. Any write empties
   * the cache: on the embedded store every write is this process's own; on PostgreSQL writes
   * announce themselves to every process (NOTIFY), and nothing is cached while that channel
   * is down. Entries live at most a second (for predicates on now()). The rows may be shared
   * between callers: treat them as read-only.
   */
  cachedQuery<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * A write to the outbound queues (webhook deliveries, e-mail) that no cached read depends
   * on: unlike query(), it does not empty the read caches (nor, on PostgreSQL, every process's).
   * For any other table this would serve stale reads; use query().
   */
  queueQuery<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs fn inside one transaction on one connection; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs fn on one dedicated connection outside any transaction (migrations, advisory locks). */
  session<T>(fn: (conn: Queryable & { exec(sql: string): Promise<void> }) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** SQLSTATE codes the features turn into answers. */
export const SqlState = {
  uniqueViolation: '23505',
  exclusionViolation: '23P01',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

export function sqlState(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/** The constraint a violation names, when the driver reports it. */
export function violatedConstraint(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'constraint' in error && typeof error.constraint === 'string') {
    return error.constraint;
  }
  return undefined;
}

/** A hot-path read: from the store's read cache when `q` is the store itself, else a plain query (in a transaction). */
export function hotRead<T>(q: Queryable, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const store = q as Partial<Database>;
  return typeof store.cachedQuery === 'function' ? store.cachedQuery<T>(sql, params) : q.query<T>(sql, params);
}

const derived = new WeakMap<object, unknown>();

/**
 * fn(rows), remembered for as long as the read cache hands out this same rows array (rows
 * read outside the cache are fresh arrays, so nothing is shared). The value is shared
 * between requests: it must be read-only, and callers must not change it.
 */
export function derivedFrom<R, T>(rows: readonly R[], fn: (rows: readonly R[]) => T): T {
  if (derived.has(rows)) return derived.get(rows) as T;
  const value = fn(rows);
  derived.set(rows, value);
  return value;
}

/** The queue writes of a store as a Queryable, for repositories of the outbound queues. */
export function queueWriter(db: Database): Queryable {
  return { query: (sql, params) => db.queueQuery(sql, params) };
}
