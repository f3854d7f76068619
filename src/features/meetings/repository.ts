// SQL for meetings, their occurrences and participants. Instants travel as epoch milliseconds.
// The held time itself is in `holds` (features/availability/holds.ts), keyed by occurrence id.
import type { Queryable } from '../../db';
import { epochMs, fromEpochMs } from '../../db/sql';

export type MeetingStatus = 'confirmed' | 'cancelled';
export type ParticipantStatus = 'accepted' | 'declined' | 'invited';

export interface MeetingRow {
  id: string;
  organizer_id: string;
  title: string;
  description: string;
  timezone: string;
  recurrence: string | null;
  start: number;
  end: number;
  status: MeetingStatus;
  sequence: number;
  created_at: Date;
  updated_at: Date;
}

export interface OccurrenceRow {
  id: string;
  meeting_id: string;
  number: number;
  start: number;
  end: number;
  status: MeetingStatus;
}

export interface ParticipantRow {
  meeting_id: string;
  position: number;
  user_id: string | null;
  username: string | null;
  email: string;
  status: ParticipantStatus;
}

const ms = (column: string, as: string) => `${epochMs(column)} AS "${as}"`;
const ts = (param: number) => fromEpochMs(`$${param}`);

const MEETING_COLUMNS = `m.id, m.organizer_id, m.title, m.description, m.timezone, m.recurrence,
  ${ms('m.start_at', 'start')}, ${ms('m.end_at', 'end')}, m.status, m.sequence, m.created_at, m.updated_at`;
const OCCURRENCE_COLUMNS = `o.id, o.meeting_id, o.number, ${ms('o.start_at', 'start')}, ${ms('o.end_at', 'end')}, o.status`;

export async function insertMeeting(
  q: Queryable,
  m: {
    organizerId: string;
    title: string;
    description: string;
    timezone: string;
    recurrence: string | null;
    start: number;
    end: number;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO meetings (organizer_id, title, description, timezone, recurrence, start_at, end_at, status)
     VALUES ($1, $2, $3, $4, $5, ${ts(6)}, ${ts(7)}, 'confirmed') RETURNING id`,
    [m.organizerId, m.title, m.description, m.timezone, m.recurrence, m.start, m.end],
  );
  return row.id;
}

export async function findMeeting(q: Queryable, id: string): Promise<MeetingRow | undefined> {
  const [row] = await q.query<MeetingRow>(`SELECT ${MEETING_COLUMNS} FROM meetings m WHERE m.id = $1`, [id]);
  return row;
}

/**
 * Changes a meeting if it is still at the version the change was planned on (sequence), and
 * counts the change; false when someone changed it meanwhile. Locks the row until commit.
 */
export async function updateMeeting(
  q: Queryable,
  id: string,
  seenSequence: number,
  changes: Partial<{
    title: string;
    description: string;
    timezone: string;
    recurrence: string | null;
    start: number;
    end: number;
    status: MeetingStatus;
  }>,
): Promise<boolean> {
  const sets: string[] = [];
  const params: unknown[] = [id, seenSequence];
  const column: Record<string, string> = { start: 'start_at', end: 'end_at' };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    params.push(value);
    sets.push(
      key === 'start' || key === 'end' ? `${column[key]} = ${ts(params.length)}` : `${key} = $${params.length}`,
    );
  }
  const rows = await q.query(
    `UPDATE meetings SET ${[...sets, 'sequence = sequence + 1', 'updated_at = now()'].join(', ')}
      WHERE id = $1 AND sequence = $2 RETURNING id`,
    params,
  );
  return rows.length > 0;
}

export async function insertOccurrences(
  q: Queryable,
  meetingId: string,
  occurrences: readonly { number: number; start: number; end: number }[],
): Promise<OccurrenceRow[]> {
  return q.query<OccurrenceRow>(
    `INSERT INTO meeting_occurrences AS o (meeting_id, number, start_at, end_at, status)
     SELECT $1, n, ${fromEpochMs('s')}, ${fromEpochMs('e')}, 'confirmed'
       FROM unnest($2::int[], $3::float8[], $4::float8[]) AS t(n, s, e)
     RETURNING ${OCCURRENCE_COLUMNS}`,
    [meetingId, occurrences.map((o) => o.number), occurrences.map((o) => o.start), occurrences.map((o) => o.end)],
  );
}

export async function deleteOccurrences(q: Queryable, meetingId: string): Promise<void> {
  await q.query('DELETE FROM meeting_occurrences WHERE meeting_id = $1', [meetingId]);
}

export async function occurrencesOf(q: Queryable, meetingIds: readonly string[]): Promise<OccurrenceRow[]> {
  if (meetingIds.length === 0) return [];
  return q.query<OccurrenceRow>(
    `SELECT ${OCCURRENCE_COLUMNS} FROM meeting_occurrences o WHERE o.meeting_id = ANY($1::uuid[]) ORDER BY o.meeting_id, o.number`,
    [meetingIds],
  );
}

export async function moveOccurrence(q: Queryable, id: string, start: number, end: number): Promise<void> {
  await q.query(`UPDATE meeting_occurrences SET start_at = ${ts(2)}, end_at = ${ts(3)} WHERE id = $1`, [
    id,
    start,
    end,
  ]);
}

export async function setOccurrenceStatus(q: Queryable, ids: readonly string[], status: MeetingStatus): Promise<void> {
  await q.query('UPDATE meeting_occurrences SET status = $2 WHERE id = ANY($1::uuid[])', [ids, status]);
}

export async function insertParticipants(
  q: Queryable,
  meetingId: string,
  participants: readonly { userId: string | null; email: string; status: ParticipantStatus }[],
): Promise<void> {
  await q.query(
    `INSERT INTO meeting_participants (meeting_id, position, user_id, email, status)
     SELECT $1, (ordinality - 1)::int, u, e, s FROM unnest($2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS t(u, e, s)`,
    [meetingId, participants.map((p) => p.userId), participants.map((p) => p.email), participants.map((p) => p.status)],
  );
}

export async function deleteParticipants(q: Queryable, meetingId: string): Promise<void> {
  await q.query('DELETE FROM meeting_participants WHERE meeting_id = $1', [meetingId]);
}

export async function setParticipantStatus(
  q: Queryable,
  meetingId: string,
  userId: string,
  status: ParticipantStatus,
): Promise<void> {
  await q.query('UPDATE meeting_participants SET status = $3 WHERE meeting_id = $1 AND user_id = $2', [
    meetingId,
    userId,
    status,
  ]);
}

/** Participants in their order, with the username of those who are users. */
export async function participantsOf(q: Queryable, meetingIds: readonly string[]): Promise<ParticipantRow[]> {
  if (meetingIds.length === 0) return [];
  return q.query<ParticipantRow>(
    `SELECT p.meeting_id, p.position, p.user_id, u.username, COALESCE(u.email, p.email) AS email, p.status
       FROM meeting_participants p LEFT JOIN users u ON u.id = p.user_id
      WHERE p.meeting_id = ANY($1::uuid[]) ORDER BY p.meeting_id, p.position`,
    [meetingIds],
  );
}

/** Ids of the holds this meeting's occurrences have, optionally only one user's. */
export async function meetingHoldIds(q: Queryable, meetingId: string, userId?: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT h.id FROM holds h JOIN meeting_occurrences o ON h.source = 'meeting' AND h.source_id = o.id
      WHERE o.meeting_id = $1 AND ($2::uuid IS NULL OR h.user_id = $2)`,
    [meetingId, userId ?? null],
  );
  return rows.map((r) => r.id);
}

/**
 * Meetings the user takes part in (as organiser or participant, declined included), ordered by
 * (start, id) after the cursor, that have an occurrence overlapping [from, to). limit+1 rows.
 */
export async function listMeetingsOf(
  q: Queryable,
  userId: string,
  f: { from: number; to: number | null; status: MeetingStatus | null; after: [number, string] | null; limit: number },
): Promise<MeetingRow[]> {
  return q.query<MeetingRow>(
    `SELECT ${MEETING_COLUMNS} FROM meetings m
      WHERE EXISTS (SELECT 1 FROM meeting_participants p WHERE p.meeting_id = m.id AND p.user_id = $1)
        AND ($2::text IS NULL OR m.status = $2)
        AND EXISTS (SELECT 1 FROM meeting_occurrences o WHERE o.meeting_id = m.id
                     AND o.end_at > ${ts(3)} AND ($4::float8 IS NULL OR o.start_at < ${ts(4)}))
        AND ($5::float8 IS NULL OR (m.start_at, m.id) > (${ts(5)}, $6::uuid))
      ORDER BY m.start_at, m.id
      LIMIT $7`,
    [userId, f.status, f.from, f.to, f.after?.[0] ?? null, f.after?.[1] ?? null, f.limit + 1],
  );
}

/** One meeting occurrence as it appears among a participant's bookings. */
export interface MeetingBookingRow {
  kind: 'meeting';
  /** The occurrence's id (unique across meetings). */
  id: string;
  meeting_id: string;
  occurrence: number;
  title: string;
  description: string;
  start: number;
  end: number;
  /** confirmed only while the meeting and the occurrence are confirmed and the user has not declined. */
  status: MeetingStatus;
  organizer_id: string;
  organizer_username: string;
  timezone: string;
}

/**
 * Every meeting occurrence of a user (organiser or participant) overlapping [from, to) (epoch ms,
 * either optional), soonest first, for the merged view of GET /api/v1/bookings.
 */
export async function meetingBookingsOf(
  q: Queryable,
  userId: string,
  filter: {
    /** Occurrences starting at or after this instant (ms). */
    from?: number;
    /** Occurrences starting before this instant (ms). */
    to?: number;
    status?: MeetingStatus;
    /** Keyset: only rows after this (start, occurrence id). */
    after?: [number, string];
    limit?: number;
  } = {},
): Promise<MeetingBookingRow[]> {
  return q.query<MeetingBookingRow>(
    `SELECT * FROM (
       SELECT 'meeting' AS kind, o.id, m.id AS meeting_id, o.number AS occurrence, m.title, m.description,
              ${ms('o.start_at', 'start')}, ${ms('o.end_at', 'end')},
              CASE WHEN m.status = 'confirmed' AND o.status = 'confirmed' AND p.status <> 'declined'
                   THEN 'confirmed' ELSE 'cancelled' END AS status,
              m.organizer_id, u.username AS organizer_username, m.timezone, o.start_at AS start_at
         FROM meeting_participants p
         JOIN meetings m ON m.id = p.meeting_id
         JOIN meeting_occurrences o ON o.meeting_id = m.id
         JOIN users u ON u.id = m.organizer_id
        WHERE p.user_id = $1
          AND ($2::float8 IS NULL OR o.start_at >= ${ts(2)})
          AND ($3::float8 IS NULL OR o.start_at < ${ts(3)})
          AND ($5::float8 IS NULL OR (o.start_at, o.id) > (${ts(5)}, $6::uuid))
     ) t
     WHERE ($4::text IS NULL OR t.status = $4)
     ORDER BY t.start_at, t.id
     LIMIT $7`,
    [
      userId,
      filter.from ?? null,
      filter.to ?? null,
      filter.status ?? null,
      filter.after?.[0] ?? null,
      filter.after?.[1] ?? null,
      filter.limit ?? null,
    ],
  );
}

/** The meeting and occurrence number behind meeting holds (whose source_id is an occurrence id). */
export async function meetingsOfOccurrences(
  q: Queryable,
  occurrenceIds: readonly string[],
): Promise<Map<string, { meeting_id: string; number: number }>> {
  if (occurrenceIds.length === 0) return new Map();
  const rows = await q.query<{ id: string; meeting_id: string; number: number }>(
    'SELECT id, meeting_id, number FROM meeting_occurrences WHERE id = ANY($1::uuid[])',
    [occurrenceIds],
  );
  return new Map(rows.map((r) => [r.id, { meeting_id: r.meeting_id, number: r.number }]));
}
