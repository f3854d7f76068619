// SQL for event types, their hosts and their schedules.
import type { Queryable } from '../../db';
import { hotRead } from '../../db/database';
import type { DateRange, Question } from './schemas';

export type Kind = 'one_on_one' | 'group' | 'collective' | 'round_robin';

export interface HostRef {
  user_id: string;
  username: string;
  last_booked_at: string | null;
  /** The host agreed to host this event type (the owner always has). */
  accepted: boolean;
}

export interface EventTypeRow {
  id: string;
  owner_id: string;
  owner_username: string;
  owner_name: string;
  owner_timezone: string;
  slug: string;
  title: string;
  description: string;
  kind: Kind;
  seats: number;
  durations: number[];
  slot_interval: number | null;
  date_range: DateRange;
  /** Start instants in epoch ms, or null. */
  fixed_slots: number[] | null;
  single_use: boolean;
  used_at: Date | null;
  buffer_before: number;
  buffer_after: number;
  min_notice: number;
  max_per_day: number | null;
  location: string | null;
  questions: Question[];
  active: boolean;
  created_at: Date;
  updated_at: Date;
  /** created_at at full precision, for cursors. */
  created_key: string;
  hosts: HostRef[];
  schedules: { schedule_id: string; expires_on: string | null }[];
}

/** What an event type is made of, as the service validated it. */
export interface EventTypeData {
  slug: string;
  title: string;
  description: string;
  kind: Kind;
  seats: number;
  durations: number[];
  slot_interval: number | null;
  date_range: DateRange;
  fixed_slots: number[] | null;
  single_use: boolean;
  buffer_before: number;
  buffer_after: number;
  min_notice: number;
  max_per_day: number | null;
  location: string | null;
  questions: Question[];
  active: boolean;
}

const SELECT = `
SELECT e.id, e.owner_id, u.username AS owner_username, u.name AS owner_name, u.timezone AS owner_timezone, e.slug, e.title, e.description,
       e.kind, e.seats, e.durations, e.slot_interval, e.date_range, e.fixed_slots, e.single_use, e.used_at,
       e.buffer_before, e.buffer_after, e.min_notice, e.max_per_day, e.location, e.questions, e.active,
       e.created_at, e.updated_at, e.created_at::text AS created_key,
       COALESCE((SELECT json_agg(json_build_object('user_id', h.user_id, 'username', hu.username,
                                                   'last_booked_at', h.last_booked_at,
                                                   'accepted', h.accepted_at IS NOT NULL) ORDER BY h.position)
                   FROM event_type_hosts h JOIN users hu ON hu.id = h.user_id
                  WHERE h.event_type_id = e.id), '[]'::json) AS hosts,
       COALESCE((SELECT json_agg(json_build_object('schedule_id', s.schedule_id,
                                                   'expires_on', to_char(s.expires_on, 'YYYY-MM-DD')) ORDER BY s.position)
                   FROM event_type_schedules s WHERE s.event_type_id = e.id), '[]'::json) AS schedules
  FROM event_types e JOIN users u ON u.id = e.owner_id`;

const COLUMNS = [
  'slug',
  'title',
  'description',
  'kind',
  'seats',
  'durations',
  'slot_interval',
  'date_range',
  'fixed_slots',
  'single_use',
  'buffer_before',
  'buffer_after',
  'min_notice',
  'max_per_day',
  'location',
  'questions',
  'active',
] as const;
const JSON_COLUMNS = new Set(['date_range', 'fixed_slots', 'questions']);

function values(data: EventTypeData): unknown[] {
  return COLUMNS.map((c) => {
    const v = data[c];
    return JSON_COLUMNS.has(c) && v !== null ? JSON.stringify(v) : v;
  });
}

export async function insertEventType(q: Queryable, ownerId: string, data: EventTypeData): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO event_types (owner_id, ${COLUMNS.join(', ')})
     VALUES ($1, ${COLUMNS.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
    [ownerId, ...values(data)],
  );
  return row.id;
}

export async function updateEventType(q: Queryable, id: string, data: EventTypeData): Promise<void> {
  await q.query(
    `UPDATE event_types SET ${COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
    [id, ...values(data)],
  );
}

/**
 * Sets the hosts. Hosts staying on keep their round-robin history and their consent; a new
 * host other than the owner starts pending (accepted_at NULL) until they accept.
 */
export async function replaceHosts(
  q: Queryable,
  id: string,
  ownerId: string,
  userIds: readonly string[],
  at: Date,
): Promise<void> {
  await q.query('DELETE FROM event_type_hosts WHERE event_type_id = $1 AND NOT (user_id = ANY($2::uuid[]))', [
    id,
    userIds,
  ]);
  await q.query(
    `INSERT INTO event_type_hosts (event_type_id, user_id, position, accepted_at)
     SELECT $1, u, p::int - 1, CASE WHEN u = $3::uuid THEN $4::timestamptz END
       FROM unnest($2::uuid[]) WITH ORDINALITY AS x(u, p)
     ON CONFLICT (event_type_id, user_id) DO UPDATE SET position = EXCLUDED.position`,
    [id, userIds, ownerId, at],
  );
}

/** Records a host's consent (kept from the first time); false when they are not a host of it. */
export async function acceptHosting(q: Queryable, id: string, userId: string, at: Date): Promise<boolean> {
  const rows = await q.query(
    'UPDATE event_type_hosts SET accepted_at = COALESCE(accepted_at, $3) WHERE event_type_id = $1 AND user_id = $2 RETURNING user_id',
    [id, userId, at],
  );
  return rows.length > 0;
}

/** Takes a host off the event type; false when they were not a host of it. */
export async function removeHost(q: Queryable, id: string, userId: string): Promise<boolean> {
  const rows = await q.query(
    'DELETE FROM event_type_hosts WHERE event_type_id = $1 AND user_id = $2 RETURNING user_id',
    [id, userId],
  );
  return rows.length > 0;
}

export async function replaceSchedules(
  q: Queryable,
  id: string,
  schedules: readonly { schedule_id: string; expires_on: string | null }[],
): Promise<void> {
  await q.query('DELETE FROM event_type_schedules WHERE event_type_id = $1', [id]);
  if (schedules.length === 0) return;
  await q.query(
    `INSERT INTO event_type_schedules (event_type_id, schedule_id, position, expires_on)
     SELECT $1, (s->>'schedule_id')::uuid, p::int - 1, (s->>'expires_on')::date
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(s, p)`,
    [id, JSON.stringify(schedules)],
  );
}

export async function findEventType(q: Queryable, id: string): Promise<EventTypeRow | undefined> {
  const [row] = await hotRead<EventTypeRow>(q, `${SELECT} WHERE e.id = $1`, [id]);
  return row;
}

export async function findEventTypeBySlug(
  q: Queryable,
  username: string,
  slug: string,
): Promise<EventTypeRow | undefined> {
  const [row] = await hotRead<EventTypeRow>(q, `${SELECT} WHERE u.username = $1 AND e.slug = $2`, [username, slug]);
  return row;
}

/**
 * Which event types a list shows the user: their own, those whose hosting they have not yet
 * answered (`pending`), or those of others they host (`accepted`).
 */
export type ListScope = 'own' | 'pending' | 'accepted';

const SCOPE_FILTER: Record<ListScope, string> = {
  own: 'e.owner_id = $1',
  pending: `EXISTS (SELECT 1 FROM event_type_hosts x WHERE x.event_type_id = e.id AND x.user_id = $1 AND x.accepted_at IS NULL)`,
  accepted: `e.owner_id <> $1
             AND EXISTS (SELECT 1 FROM event_type_hosts x WHERE x.event_type_id = e.id AND x.user_id = $1 AND x.accepted_at IS NOT NULL)`,
};

/** Event types in creation order after the cursor, limit+1 rows. */
export async function listEventTypes(
  q: Queryable,
  userId: string,
  scope: ListScope,
  after: [string, string] | undefined,
  limit: number,
) {
  return q.query<EventTypeRow>(
    `${SELECT} WHERE ${SCOPE_FILTER[scope]} AND ($2::timestamptz IS NULL OR (e.created_at, e.id) > ($2::timestamptz, $3::uuid))
      ORDER BY e.created_at, e.id LIMIT $4`,
    [userId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
}

export async function deleteEventType(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM event_types WHERE id = $1', [id]);
}

/** Locks the event type's row until the transaction ends (serialises its per-day limit). */
export async function lockEventType(tx: Queryable, id: string): Promise<void> {
  await tx.query('SELECT id FROM event_types WHERE id = $1 FOR UPDATE', [id]);
}

/**
 * Makes bookings of the event type that take this lock wait for each other, without blocking
 * (or deadlocking with) rows that merely refer to the event type, as a new booking does.
 */
export async function lockEventTypeBookings(tx: Queryable, id: string): Promise<void> {
  await tx.query('SELECT id FROM event_types WHERE id = $1 FOR NO KEY UPDATE', [id]);
}

/** Marks a single-use link used; false when another booking already used it. Atomic. */
export async function useUp(tx: Queryable, id: string, at: Date): Promise<boolean> {
  const rows = await tx.query('UPDATE event_types SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id', [
    id,
    at,
  ]);
  return rows.length > 0;
}

export async function touchHost(tx: Queryable, eventTypeId: string, userId: string, at: Date): Promise<void> {
  await tx.query('UPDATE event_type_hosts SET last_booked_at = $3 WHERE event_type_id = $1 AND user_id = $2', [
    eventTypeId,
    userId,
    at,
  ]);
}

export async function usersByUsername(q: Queryable, usernames: readonly string[]) {
  return q.query<{ id: string; username: string }>('SELECT id, username FROM users WHERE username = ANY($1::text[])', [
    usernames,
  ]);
}

export async function schedulesOwnedBy(q: Queryable, ownerId: string, ids: readonly string[]): Promise<Set<string>> {
  const rows = await q.query<{ id: string }>('SELECT id FROM schedules WHERE user_id = $1 AND id = ANY($2::uuid[])', [
    ownerId,
    ids,
  ]);
  return new Set(rows.map((r) => r.id));
}
