// SQL for bookings, their hosts (with the hold each one owns) and the shared holds of group slots.
import type { Queryable } from '../../db';
import { hotRead } from '../../db/database';
import { epochMs, fromEpochMs } from '../../db/sql';
import type { Interval } from '../../domain/intervals';

export interface BookingRow {
  id: string;
  event_type_id: string | null;
  event_type_slug: string | null;
  owner_id: string;
  owner_username: string;
  owner_name: string;
  owner_email: string;
  title: string;
  status: 'confirmed' | 'cancelled';
  start: number;
  end: number;
  invitee_name: string;
  invitee_email: string;
  invitee_timezone: string;
  guests: string[];
  answers: Record<string, unknown>;
  location: string | null;
  sequence: number;
  cancel_reason: string | null;
  cancelled_by: 'host' | 'invitee' | null;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
  hosts: { user_id: string; username: string; hold_id: string | null }[];
}

const ms = epochMs;
const ts = fromEpochMs;

const SELECT = `
SELECT b.id, b.event_type_id, e.slug AS event_type_slug, b.owner_id, o.username AS owner_username, o.name AS owner_name, o.email AS owner_email, b.title, b.status,
       ${ms('b.start_at')} AS start, ${ms('b.end_at')} AS "end",
       b.invitee_name, b.invitee_email, b.invitee_timezone, b.guests, b.answers, b.location, b.sequence,
       b.cancel_reason, b.cancelled_by, b.cancelled_at, b.created_at, b.updated_at,
       COALESCE((SELECT json_agg(json_build_object('user_id', bh.user_id, 'username', hu.username, 'hold_id', bh.hold_id)
                                 ORDER BY hu.username)
                   FROM booking_hosts bh JOIN users hu ON hu.id = bh.user_id WHERE bh.booking_id = b.id), '[]'::json) AS hosts
  FROM bookings b JOIN users o ON o.id = b.owner_id LEFT JOIN event_types e ON e.id = b.event_type_id`;

export interface NewBooking {
  eventTypeId: string;
  ownerId: string;
  title: string;
  start: number;
  end: number;
  invitee: { name: string; email: string; timezone: string };
  guests: string[];
  answers: Record<string, unknown>;
  location: string | null;
  tokenHash: string;
  at: Date;
}

export async function insertBooking(tx: Queryable, b: NewBooking): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO bookings (event_type_id, owner_id, title, status, start_at, end_at, invitee_name, invitee_email,
                           invitee_timezone, guests, answers, location, token_hash, created_at, updated_at)
     VALUES ($1, $2, $3, 'confirmed', ${ts('$4')}, ${ts('$5')}, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
    [
      b.eventTypeId,
      b.ownerId,
      b.title,
      b.start,
      b.end,
      b.invitee.name,
      b.invitee.email,
      b.invitee.timezone,
      JSON.stringify(b.guests),
      JSON.stringify(b.answers),
      b.location,
      b.tokenHash,
      b.at,
    ],
  );
  return row.id;
}

export async function addBookingHost(tx: Queryable, bookingId: string, userId: string, holdId: string): Promise<void> {
  await tx.query('INSERT INTO booking_hosts (booking_id, user_id, hold_id) VALUES ($1, $2, $3)', [
    bookingId,
    userId,
    holdId,
  ]);
}

export async function removeBookingHosts(tx: Queryable, bookingId: string): Promise<void> {
  await tx.query('DELETE FROM booking_hosts WHERE booking_id = $1', [bookingId]);
}

export async function findBooking(q: Queryable, id: string, forUpdate = false): Promise<BookingRow | undefined> {
  if (forUpdate) await q.query('SELECT id FROM bookings WHERE id = $1 FOR UPDATE', [id]);
  const [row] = await q.query<BookingRow>(`${SELECT} WHERE b.id = $1`, [id]);
  return row;
}

export async function findBookingByTokenHash(q: Queryable, tokenHash: string): Promise<BookingRow | undefined> {
  const [row] = await q.query<BookingRow>(`${SELECT} WHERE b.token_hash = $1`, [tokenHash]);
  return row;
}

export interface BookingFilter {
  userId: string;
  from: number | null;
  to: number | null;
  status: 'confirmed' | 'cancelled' | null;
  eventTypeId: string | null;
  after: [number, string] | null;
  limit: number;
}

/** Bookings the user owns or hosts, by start then id, limit+1 rows. */
export async function listBookings(q: Queryable, f: BookingFilter): Promise<BookingRow[]> {
  return q.query<BookingRow>(
    `${SELECT}
      WHERE (b.owner_id = $1 OR EXISTS (SELECT 1 FROM booking_hosts x WHERE x.booking_id = b.id AND x.user_id = $1))
        AND ($2::float8 IS NULL OR b.start_at >= ${ts('$2')})
        AND ($3::float8 IS NULL OR b.start_at < ${ts('$3')})
        AND ($4::text IS NULL OR b.status = $4)
        AND ($5::uuid IS NULL OR b.event_type_id = $5)
        AND ($6::float8 IS NULL OR (b.start_at, b.id) > (${ts('$6')}, $7::uuid))
      ORDER BY b.start_at, b.id LIMIT $8`,
    [f.userId, f.from, f.to, f.status, f.eventTypeId, f.after?.[0] ?? null, f.after?.[1] ?? null, f.limit + 1],
  );
}

export async function markCancelled(
  tx: Queryable,
  id: string,
  by: 'host' | 'invitee',
  reason: string | null,
  at: Date,
): Promise<void> {
  await tx.query(
    `UPDATE bookings SET status = 'cancelled', cancelled_by = $2, cancel_reason = $3, cancelled_at = $4,
            sequence = sequence + 1, updated_at = $4 WHERE id = $1`,
    [id, by, reason, at],
  );
  await tx.query('UPDATE booking_hosts SET hold_id = NULL WHERE booking_id = $1', [id]);
}

export async function moveBooking(tx: Queryable, id: string, to: Interval, at: Date): Promise<void> {
  await tx.query(
    `UPDATE bookings SET start_at = ${ts('$2')}, end_at = ${ts('$3')}, sequence = sequence + 1, updated_at = $4 WHERE id = $1`,
    [id, to.start, to.end, at],
  );
}

/** Start instants of the event type's confirmed bookings in the window, but one booking. */
export async function confirmedStarts(
  q: Queryable,
  eventTypeId: string,
  window: Interval,
  exceptBooking: string | null,
): Promise<number[]> {
  const rows = await hotRead<{ start: number }>(
    q,
    `SELECT ${ms('start_at')} AS start FROM bookings
      WHERE event_type_id = $1 AND status = 'confirmed' AND start_at >= ${ts('$2')} AND start_at < ${ts('$3')}
        AND ($4::uuid IS NULL OR id <> $4)`,
    [eventTypeId, window.start, window.end, exceptBooking],
  );
  return rows.map((r) => r.start);
}

export interface GroupSlotRow {
  start: number;
  end: number;
  hold_id: string;
  capacity: number;
  seats_taken: number;
}

/** The occupied slots of a group event type overlapping the window, with their seats. */
export async function groupSlots(q: Queryable, eventTypeId: string, window: Interval): Promise<GroupSlotRow[]> {
  return hotRead<GroupSlotRow>(
    q,
    `SELECT ${ms('g.start_at')} AS start, ${ms('g.end_at')} AS "end", g.hold_id, h.capacity, h.seats_taken
       FROM group_slots g JOIN holds h ON h.id = g.hold_id
      WHERE g.event_type_id = $1 AND g.start_at < ${ts('$3')} AND g.end_at > ${ts('$2')}`,
    [eventTypeId, window.start, window.end],
  );
}

export async function findGroupSlot(q: Queryable, eventTypeId: string, slot: Interval): Promise<string | undefined> {
  const [row] = await q.query<{ hold_id: string }>(
    `SELECT hold_id FROM group_slots WHERE event_type_id = $1 AND start_at = ${ts('$2')} AND end_at = ${ts('$3')}`,
    [eventTypeId, slot.start, slot.end],
  );
  return row?.hold_id;
}

export async function insertGroupSlot(
  tx: Queryable,
  eventTypeId: string,
  slot: Interval,
  holdId: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO group_slots (event_type_id, start_at, end_at, hold_id) VALUES ($1, ${ts('$2')}, ${ts('$3')}, $4)`,
    [eventTypeId, slot.start, slot.end, holdId],
  );
}

/** The confirmed bookings behind these holds (to name them, with their own times, not the buffered hold). */
export async function bookingsOfHolds(
  q: Queryable,
  holdIds: readonly string[],
): Promise<Map<string, { id: string; start: number; end: number }>> {
  if (holdIds.length === 0) return new Map();
  const rows = await q.query<{ hold_id: string; id: string; start: number; end: number }>(
    `SELECT bh.hold_id, b.id, ${ms('b.start_at')} AS start, ${ms('b.end_at')} AS "end"
       FROM booking_hosts bh JOIN bookings b ON b.id = bh.booking_id
      WHERE bh.hold_id = ANY($1::uuid[]) AND b.status = 'confirmed'`,
    [holdIds],
  );
  return new Map(rows.map((r) => [r.hold_id, { id: r.id, start: r.start, end: r.end }]));
}
