// SQL shared by the repositories: instants travel between the app and the database as epoch
// milliseconds (what the domain computes with), stored as timestamptz; and the one page query
// of a user's own rows.
import type { Queryable } from './database';

/** A timestamptz expression read as epoch milliseconds (float8: exact for whole milliseconds). */
export const epochMs = (expression: string): string => `(extract(epoch FROM ${expression}) * 1000)::float8`;

/** An epoch-milliseconds expression (a parameter such as `$2`) as timestamptz. */
export const fromEpochMs = (expression: string): string => `to_timestamp(${expression}::float8 / 1000.0)`;

/** The half-open range [start, end) of two epoch-milliseconds expressions. */
export const msRange = (start: string, end: string): string =>
  `tstzrange(${fromEpochMs(start)}, ${fromEpochMs(end)}, '[)')`;

/**
 * A page of a user's rows of `table` (which has user_id, created_at and id), oldest first,
 * after the (created_at, id) of the previous page's last row: limit + 1 rows, each with
 * created_at_key, the full-precision timestamp (a JS Date keeps only milliseconds).
 */
export function userRowsByCreation<T>(
  q: Queryable,
  table: string,
  columns: string,
  userId: string,
  after: [string, string] | undefined,
  limit: number,
): Promise<(T & { created_at_key: string })[]> {
  return q.query<T & { created_at_key: string }>(
    `SELECT ${columns}, created_at::text AS created_at_key FROM ${table}
      WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
      ORDER BY created_at, id LIMIT $4`,
    [userId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
}
