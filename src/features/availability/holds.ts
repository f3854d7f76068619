// Time held by users (bookings and meetings): the one table whose exclusion constraint
// guarantees that two holds of one user never overlap. Every writer goes through here.
import type { Queryable } from '../../db';
import { derivedFrom, hotRead, sqlState, SqlState } from '../../db/database';
import { epochMs, msRange } from '../../db/sql';
import type { Interval } from '../../domain/intervals';

export type HoldSource = 'booking' | 'meeting';

export interface HoldRow {
  id: string;
  user_id: string;
  start: number;
  end: number;
  source: HoldSource;
  source_id: string | null;
  capacity: number;
  seats_taken: number;
}

/** Thrown when a hold would overlap another of the same user (SQLSTATE 23P01). */
export class HoldConflictError extends Error {
  constructor(
    readonly userId: string,
    readonly interval: Interval,
  ) {
    super('The time is already held');
  }
}

// Hot reads: built once, so the read cache's key is the same string every time.
const HOLDS_OVERLAPPING = `SELECT json_agg(json_build_array(id, user_id, source, source_id, capacity, seats_taken,
                                      ${epochMs('lower(during)')}, ${epochMs('upper(during)')})
                     ORDER BY lower(during)) AS holds
       FROM holds
      WHERE user_id = ANY($1::uuid[]) AND during && ${msRange('$2', '$3')}`;
// Held time and the busy time of linked calendars together: one cached read on the hot path.
const BUSY_BY_USER = `SELECT user_id,
            array_agg(${epochMs('lower(during)')} ORDER BY lower(during)) AS starts,
            array_agg(${epochMs('upper(during)')} ORDER BY lower(during)) AS ends
       FROM (SELECT user_id, during FROM holds
              WHERE user_id = ANY($1::uuid[]) AND during && ${msRange('$2', '$3')}
             UNION ALL
             SELECT user_id, during FROM calendar_busy
              WHERE user_id = ANY($1::uuid[]) AND during && ${msRange('$2', '$3')}) AS busy
      GROUP BY user_id`;

/**
 * Holds of these users overlapping the window, soonest first. One aggregated row (the
 * embedded store pays per returned row) read through the store's read cache when not in a
 * transaction: this is on the path of every slots query.
 */
export async function holdsOverlapping(q: Queryable, userIds: readonly string[], window: Interval): Promise<HoldRow[]> {
  if (userIds.length === 0) return [];
  const [row] = await hotRead<{
    holds: [string, string, string, string | null, number, number, number, number][] | null;
  }>(q, HOLDS_OVERLAPPING, [userIds, window.start, window.end]);
  return (row?.holds ?? []).map(([id, user_id, source, source_id, capacity, seats_taken, start, end]) => ({
    id,
    user_id,
    source: source as HoldSource,
    source_id,
    capacity,
    seats_taken,
    start: Math.round(start),
    end: Math.round(end),
  }));
}

/**
 * Busy time per user within the window (every user asked gets an entry), soonest first: what
 * they hold (bookings, meetings) and what their linked calendars say (those may overlap).
 * Aggregated into one row per user: the embedded store pays per row returned, and this is
 * the hot path. The lists are shared with other readers of the same cached rows, so they
 * are frozen.
 */
export async function busyByUser(
  q: Queryable,
  userIds: readonly string[],
  window: Interval,
): Promise<ReadonlyMap<string, readonly Interval[]>> {
  if (userIds.length === 0) return new Map();
  const rows = await hotRead<{ user_id: string; starts: number[]; ends: number[] }>(q, BUSY_BY_USER, [
    userIds,
    window.start,
    window.end,
  ]);
  return derivedFrom(rows, () => {
    const byUser = new Map<string, readonly Interval[]>(userIds.map((id) => [id, Object.freeze([])]));
    for (const row of rows) {
      if (!byUser.has(row.user_id)) continue;
      const list: Interval[] = [];
      for (let i = 0; i < row.starts.length; i++)
        list.push(Object.freeze({ start: Number(row.starts[i]), end: Number(row.ends[i]) }));
      byUser.set(row.user_id, Object.freeze(list));
    }
    return byUser;
  });
}

/**
 * Holds [start, end) for a user. Must run inside a transaction when it is one of several
 * holds that stand or fall together. An overlap with another hold of the user becomes a
 * HoldConflictError; the caller answers 409. Runs in a savepoint so the transaction
 * stays usable after a conflict.
 */
export async function insertHold(
  tx: Queryable,
  hold: {
    userId: string;
    interval: Interval;
    source: HoldSource;
    sourceId?: string | null;
    capacity?: number;
    seatsTaken?: number;
  },
): Promise<string> {
  // Writers of one user's holds queue here, until the holder's transaction ends. Without it,
  // concurrent inserts that conflict in the exclusion constraint wait for each other's
  // uncommitted rows and deadlock in chains (one victim per deadlock_timeout): 20 invitees
  // racing for one round-robin slot took up to a minute and could all lose the second host.
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [hold.userId]);
  await tx.query('SAVEPOINT hold');
  try {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO holds (user_id, during, source, source_id, capacity, seats_taken)
       VALUES ($1, ${msRange('$2', '$3')}, $4, $5, $6, $7)
       RETURNING id`,
      [
        hold.userId,
        hold.interval.start,
        hold.interval.end,
        hold.source,
        hold.sourceId ?? null,
        hold.capacity ?? 1,
        hold.seatsTaken ?? 1,
      ],
    );
    await tx.query('RELEASE SAVEPOINT hold');
    return row.id;
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT hold');
    if (sqlState(error) === SqlState.exclusionViolation) throw new HoldConflictError(hold.userId, hold.interval);
    throw error;
  }
}

/** Takes one seat of a shared hold if one is left; false when it is full. Atomic. */
export async function takeSeat(tx: Queryable, holdId: string): Promise<boolean> {
  const rows = await tx.query(
    'UPDATE holds SET seats_taken = seats_taken + 1 WHERE id = $1 AND seats_taken < capacity RETURNING id',
    [holdId],
  );
  return rows.length > 0;
}

/** Gives back one seat; the hold disappears with its last seat. */
export async function releaseSeat(tx: Queryable, holdId: string): Promise<void> {
  await tx.query('UPDATE holds SET seats_taken = seats_taken - 1 WHERE id = $1', [holdId]);
  await tx.query('DELETE FROM holds WHERE id = $1 AND seats_taken <= 0', [holdId]);
}

export async function deleteHolds(tx: Queryable, source: HoldSource, sourceId: string): Promise<void> {
  await tx.query('DELETE FROM holds WHERE source = $1 AND source_id = $2', [source, sourceId]);
}

export async function deleteHold(tx: Queryable, holdId: string): Promise<void> {
  await tx.query('DELETE FROM holds WHERE id = $1', [holdId]);
}
