// Linked calendars and the busy time read from them.
import type { Queryable } from '../../db';
import { derivedFrom, hotRead } from '../../db/database';
import { epochMs, msRange, userRowsByCreation } from '../../db/sql';
import type { Interval } from '../../domain/intervals';

export interface CalendarRow {
  id: string;
  user_id: string;
  provider: 'ics' | 'caldav' | 'google';
  name: string;
  url: string;
  /** CalDAV account (stored as given: the server needs it on every read). */
  username: string | null;
  password: string | null;
  /** Google: the refresh token, sealed under SECRET_KEY; and the calendar's id there. */
  sealed_token: string | null;
  external_id: string | null;
  busy_hash: string | null;
  busy_count: number;
  write_bookings: boolean;
  synced_at: Date | null;
  sync_error: string | null;
  next_sync_at: Date;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, user_id, provider, name, url, username, password, sealed_token, external_id, busy_hash, busy_count, write_bookings, synced_at, sync_error, next_sync_at, created_at, updated_at';

export async function insertCalendar(
  q: Queryable,
  c: {
    userId: string;
    provider: CalendarRow['provider'];
    name: string;
    url: string;
    username: string | null;
    password: string | null;
    sealedToken?: string | null;
    externalId?: string | null;
    nextSyncAt: Date;
    at: Date;
  },
): Promise<CalendarRow> {
  const [row] = await q.query<CalendarRow>(
    `INSERT INTO calendars (user_id, provider, name, url, username, password, sealed_token, external_id, next_sync_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING ${COLUMNS}`,
    [
      c.userId,
      c.provider,
      c.name,
      c.url,
      c.username,
      c.password,
      c.sealedToken ?? null,
      c.externalId ?? null,
      c.nextSyncAt,
      c.at,
    ],
  );
  return row!;
}

export async function findCalendar(q: Queryable, id: string, forUpdate = false): Promise<CalendarRow | undefined> {
  const [row] = await q.query<CalendarRow>(
    `SELECT ${COLUMNS} FROM calendars WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return row;
}

export function listCalendars(q: Queryable, userId: string, after: [string, string] | undefined, limit: number) {
  return userRowsByCreation<CalendarRow>(q, 'calendars', COLUMNS, userId, after, limit);
}

export async function countCalendars(q: Queryable, userId: string): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM calendars WHERE user_id = $1', [userId]);
  return row?.n ?? 0;
}

/** Renames and/or (un)chooses the calendar bookings are written into (one per user: choosing it unchooses the others). */
export async function updateCalendar(
  tx: Queryable,
  userId: string,
  id: string,
  changes: { name?: string; writeBookings?: boolean },
  at: Date,
): Promise<CalendarRow | undefined> {
  if (changes.writeBookings === true)
    await tx.query('UPDATE calendars SET write_bookings = false WHERE user_id = $1 AND write_bookings AND id <> $2', [
      userId,
      id,
    ]);
  const [row] = await tx.query<CalendarRow>(
    `UPDATE calendars SET name = COALESCE($3, name), write_bookings = COALESCE($4, write_bookings), updated_at = $5
      WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
    [id, userId, changes.name ?? null, changes.writeBookings ?? null, at],
  );
  return row;
}

export async function deleteCalendar(q: Queryable, userId: string, id: string): Promise<boolean> {
  return (await q.query('DELETE FROM calendars WHERE id = $1 AND user_id = $2 RETURNING id', [id, userId])).length > 0;
}

/** Replaces the calendar's busy time (in the caller's transaction: readers see the old or the new, whole). */
export async function replaceBusy(
  tx: Queryable,
  calendar: CalendarRow,
  busy: readonly Interval[],
  hash: string,
): Promise<void> {
  await tx.query('DELETE FROM calendar_busy WHERE calendar_id = $1', [calendar.id]);
  if (busy.length > 0) {
    await tx.query(
      `INSERT INTO calendar_busy (calendar_id, user_id, during)
       SELECT $1, $2, ${msRange('s', 'e')} FROM unnest($3::float8[], $4::float8[]) AS t(s, e)`,
      [calendar.id, calendar.user_id, busy.map((b) => b.start), busy.map((b) => b.end)],
    );
  }
  await tx.query('UPDATE calendars SET busy_hash = $2, busy_count = $3 WHERE id = $1', [
    calendar.id,
    hash,
    busy.length,
  ]);
}

/** Records a read's outcome: when it worked, synced_at; when not, the error (the busy time last read stays). */
export async function recordSync(
  q: Queryable,
  id: string,
  outcome: { at: Date; error: string | null; nextSyncAt: Date; lease?: string },
): Promise<void> {
  await q.query(
    `UPDATE calendars SET sync_error = $2, synced_at = CASE WHEN $2::text IS NULL THEN $3::timestamptz ELSE synced_at END,
            next_sync_at = $4, lease = NULL
      WHERE id = $1 AND ($5::uuid IS NULL OR lease = $5::uuid)`,
    [id, outcome.error, outcome.at, outcome.nextSyncAt, outcome.lease ?? null],
  );
}

export async function anyDue(q: Queryable, now: Date): Promise<boolean> {
  const [row] = await q.query<{ due: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM calendars WHERE next_sync_at <= $1) AS due',
    [now],
  );
  return row?.due === true;
}

/** Claims up to `limit` calendars due for a refresh, leased until `leaseUntil` (SKIP LOCKED, like the other queues). */
export async function claimDue(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<(CalendarRow & { lease: string })[]> {
  return q.query<CalendarRow & { lease: string }>(
    `WITH due AS (
       SELECT id FROM calendars WHERE next_sync_at <= $1 ORDER BY next_sync_at LIMIT $3 FOR UPDATE SKIP LOCKED
     )
     UPDATE calendars c SET next_sync_at = $2, lease = gen_random_uuid() FROM due WHERE c.id = due.id
     RETURNING ${COLUMNS.split(', ')
       .map((col) => `c.${col}`)
       .join(', ')}, c.lease`,
    [now, leaseUntil, limit],
  );
}

const BUSY_BY_USER = `SELECT user_id,
            array_agg(${epochMs('lower(during)')} ORDER BY lower(during)) AS starts,
            array_agg(${epochMs('upper(during)')} ORDER BY lower(during)) AS ends
       FROM calendar_busy
      WHERE user_id = ANY($1::uuid[]) AND during && ${msRange('$2', '$3')}
      GROUP BY user_id`;

/** Busy time from linked calendars per user within the window (frozen, shared: see holds' busyByUser). */
export async function calendarBusyByUser(
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
    const byUser = new Map<string, readonly Interval[]>();
    for (const row of rows) {
      byUser.set(
        row.user_id,
        Object.freeze(row.starts.map((s, i) => Object.freeze({ start: Number(s), end: Number(row.ends[i]) }))),
      );
    }
    return byUser;
  });
}
