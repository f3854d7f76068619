// SQL for schedules and their date overrides.
import type { Queryable } from '../../db';
import { hotRead } from '../../db/database';
import type { DateOverride, ScheduleRules, WallInterval, WeeklyHours } from '../../domain/schedule';
import { userRowsByCreation } from '../../db/sql';

export interface ScheduleRow {
  id: string;
  user_id: string;
  name: string;
  timezone: string;
  weekly: WeeklyHours;
  is_default: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface OverrideRow {
  schedule_id: string;
  date: string;
  intervals: WallInterval[];
}

const COLUMNS = 'id, user_id, name, timezone, weekly, is_default, created_at, updated_at';

export const WORKING_HOURS: WeeklyHours = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, [{ start: '09:00', end: '17:00' }]]),
);

export async function insertSchedule(
  q: Queryable,
  s: { userId: string; name: string; timezone: string; weekly: WeeklyHours; isDefault: boolean },
): Promise<ScheduleRow> {
  const [row] = await q.query<ScheduleRow>(
    `INSERT INTO schedules (user_id, name, timezone, weekly, is_default) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [s.userId, s.name, s.timezone, JSON.stringify(s.weekly), s.isDefault],
  );
  return row;
}

/** Every new account starts with Mon–Fri 09:00–17:00 in its own zone, as its default. */
export async function createDefaultSchedule(
  q: Queryable,
  user: { id: string; timezone: string },
): Promise<ScheduleRow> {
  return insertSchedule(q, {
    userId: user.id,
    name: 'Working hours',
    timezone: user.timezone,
    weekly: WORKING_HOURS,
    isDefault: true,
  });
}

export async function findSchedule(q: Queryable, id: string, forUpdate = false): Promise<ScheduleRow | undefined> {
  const [row] = await q.query<ScheduleRow>(
    `SELECT ${COLUMNS} FROM schedules WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return row;
}

export async function defaultScheduleOf(
  q: Queryable,
  userId: string,
  forUpdate = false,
): Promise<ScheduleRow | undefined> {
  const [row] = await q.query<ScheduleRow>(
    `SELECT ${COLUMNS} FROM schedules WHERE user_id = $1 AND is_default${forUpdate ? ' FOR UPDATE' : ''}`,
    [userId],
  );
  return row;
}

export function listSchedules(q: Queryable, userId: string, after: [string, string] | undefined, limit: number) {
  return userRowsByCreation<ScheduleRow>(q, 'schedules', COLUMNS, userId, after, limit);
}

export async function updateSchedule(
  q: Queryable,
  id: string,
  changes: Partial<{ name: string; timezone: string; weekly: WeeklyHours; is_default: boolean }>,
): Promise<ScheduleRow> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`);
  const [row] = await q.query<ScheduleRow>(
    `UPDATE schedules SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, ...entries.map(([column, v]) => (column === 'weekly' ? JSON.stringify(v) : v))],
  );
  return row;
}

/** Serialises a user's changes of which schedule is the default (one at a time per user). */
export async function lockOwner(q: Queryable, userId: string): Promise<void> {
  await q.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
}

export async function clearDefault(q: Queryable, userId: string): Promise<void> {
  await q.query('UPDATE schedules SET is_default = false, updated_at = now() WHERE user_id = $1 AND is_default', [
    userId,
  ]);
}

export async function deleteSchedule(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM schedules WHERE id = $1', [id]);
}

/** Overrides of these schedules, optionally only those between two dates (inclusive). */
export async function overridesOf(
  q: Queryable,
  scheduleIds: readonly string[],
  range?: { from: string; to: string },
): Promise<OverrideRow[]> {
  return q.query<OverrideRow>(
    `SELECT schedule_id, to_char(date, 'YYYY-MM-DD') AS date, intervals FROM schedule_overrides
      WHERE schedule_id = ANY($1::uuid[]) AND ($2::date IS NULL OR date BETWEEN $2::date AND $3::date)
      ORDER BY date`,
    [scheduleIds, range?.from ?? null, range?.to ?? null],
  );
}

export async function replaceOverrides(
  q: Queryable,
  scheduleId: string,
  overrides: readonly { date: string; intervals: WallInterval[] }[],
) {
  await q.query('DELETE FROM schedule_overrides WHERE schedule_id = $1', [scheduleId]);
  await upsertOverrides(q, scheduleId, overrides);
}

export async function upsertOverrides(
  q: Queryable,
  scheduleId: string,
  overrides: readonly { date: string; intervals: WallInterval[] }[],
) {
  if (overrides.length === 0) return;
  await q.query(
    `INSERT INTO schedule_overrides (schedule_id, date, intervals)
     SELECT $1, (o->>'date')::date, o->'intervals' FROM jsonb_array_elements($2::jsonb) AS o
     ON CONFLICT (schedule_id, date) DO UPDATE SET intervals = EXCLUDED.intervals`,
    [scheduleId, JSON.stringify(overrides)],
  );
}

type RulesRow = { id: string; user_id: string; timezone: string; weekly: WeeklyHours; overrides: DateOverride[] };

/** One query: schedules with their overrides (of `range` only, if given) as JSON. */
async function loadRules(q: Queryable, where: string, params: unknown[], range?: { from: string; to: string }) {
  return hotRead<RulesRow>(
    q,
    `SELECT s.id, s.user_id, s.timezone, s.weekly,
            COALESCE((SELECT json_agg(json_build_object('date', to_char(o.date, 'YYYY-MM-DD'), 'intervals', o.intervals))
                        FROM schedule_overrides o
                       WHERE o.schedule_id = s.id AND ($2::date IS NULL OR o.date BETWEEN $2::date AND $3::date)),
                     '[]'::json) AS overrides
       FROM schedules s WHERE ${where}`,
    [params[0], range?.from ?? null, range?.to ?? null],
  );
}

const toRules = (row: RulesRow): ScheduleRules => ({
  timeZone: row.timezone,
  weekly: row.weekly,
  overrides: row.overrides,
});

/**
 * The rules of these schedules in the domain's shape, keyed by schedule id. With `range`,
 * only the overrides of those dates are loaded (all an expansion over them needs).
 */
export async function rulesForSchedules(
  q: Queryable,
  scheduleIds: readonly string[],
  range?: { from: string; to: string },
): Promise<Map<string, { userId: string; rules: ScheduleRules }>> {
  if (scheduleIds.length === 0) return new Map();
  const rows = await loadRules(q, 's.id = ANY($1::uuid[])', [scheduleIds], range);
  return new Map(rows.map((row) => [row.id, { userId: row.user_id, rules: toRules(row) }]));
}

/** The default schedule's rules of each user (users without one are left out). */
export async function defaultRulesOf(
  q: Queryable,
  userIds: readonly string[],
  range?: { from: string; to: string },
): Promise<Map<string, ScheduleRules>> {
  if (userIds.length === 0) return new Map();
  const rows = await loadRules(q, 's.user_id = ANY($1::uuid[]) AND s.is_default', [userIds], range);
  return new Map(rows.map((row) => [row.user_id, toRules(row)]));
}
