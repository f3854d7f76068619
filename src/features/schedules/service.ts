// Schedule use cases: CRUD of a user's own schedules, one of which is the default.
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import { sqlState, SqlState } from '../../db/database';
import { isTimeZone } from '../../domain/calendar';
import type { Principal } from '../../http/auth';
import { AppError, notFound, validationError, type FieldError } from '../../http/errors';
import { decodeCursor, paginate } from '../../http/pagination';
import * as repo from './repository';
import { checkOverrides, checkWeekly } from './rules';
import type { ScheduleBody, SchedulePatch } from './schemas';

async function view(q: Queryable, row: repo.ScheduleRow) {
  const overrides = await repo.overridesOf(q, [row.id]);
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    weekly: row.weekly,
    overrides: overrides.map((o) => ({ date: o.date, intervals: o.intervals })),
    is_default: row.is_default,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function checkBody(input: SchedulePatch) {
  const errors: FieldError[] = [];
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) {
    errors.push({ field: 'timezone', message: 'is not an IANA time zone name' });
  }
  const weekly = input.weekly ? checkWeekly(input.weekly, errors) : undefined;
  const overrides = input.overrides ? checkOverrides(input.overrides, 'overrides', errors) : undefined;
  if (errors.length) throw validationError(errors);
  return { weekly, overrides };
}

/** A schedule of the principal's, locked for change; another user's is "not found". */
async function ownSchedule(q: Queryable, principal: Principal, id: string, forUpdate = false) {
  const row = await repo.findSchedule(q, id, forUpdate);
  if (!row || row.user_id !== principal.userId) throw notFound('Schedule');
  return row;
}

export async function createSchedule(ctx: AppContext, principal: Principal, input: ScheduleBody) {
  const { weekly, overrides } = checkBody(input);
  return ctx.db.transaction(async (tx) => {
    await repo.lockOwner(tx, principal.userId);
    const makeDefault = input.is_default === true || !(await repo.defaultScheduleOf(tx, principal.userId, true));
    if (makeDefault) await repo.clearDefault(tx, principal.userId);
    const row = await repo.insertSchedule(tx, {
      userId: principal.userId,
      name: input.name,
      timezone: input.timezone,
      weekly: weekly ?? {},
      isDefault: makeDefault,
    });
    await repo.upsertOverrides(tx, row.id, overrides ?? []);
    return view(tx, row);
  });
}

export async function getSchedule(ctx: AppContext, principal: Principal, id: string) {
  return view(ctx.db, await ownSchedule(ctx.db, principal, id));
}

export async function listSchedules(ctx: AppContext, principal: Principal, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 20;
  const after = query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [string, string]) : undefined;
  const rows = await repo.listSchedules(ctx.db, principal.userId, after, limit);
  const page = paginate(
    rows,
    limit,
    (r) => [r.created_at_key, r.id],
    (r) => r,
  );
  return { data: await Promise.all(page.data.map((r) => view(ctx.db, r))), next_cursor: page.next_cursor };
}

/** PATCH changes the fields given; PUT (replace) also resets what is left out. */
export async function updateSchedule(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: SchedulePatch,
  mode: 'patch' | 'replace',
) {
  const { weekly, overrides } = checkBody(input);
  return ctx.db.transaction(async (tx) => {
    await repo.lockOwner(tx, principal.userId);
    const current = await ownSchedule(tx, principal, id, true);
    if (input.is_default === false && current.is_default) {
      throw new AppError('schedule_in_use', 'Make another schedule the default instead of unsetting this one');
    }
    if (input.is_default === true && !current.is_default) await repo.clearDefault(tx, principal.userId);
    const row = await repo.updateSchedule(tx, id, {
      name: input.name,
      timezone: input.timezone,
      weekly: mode === 'replace' ? (weekly ?? {}) : weekly,
      is_default: input.is_default === true ? true : undefined,
    });
    if (mode === 'replace' || overrides) await repo.replaceOverrides(tx, id, overrides ?? []);
    return view(tx, row);
  });
}

export async function deleteSchedule(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await repo.lockOwner(tx, principal.userId);
    const current = await ownSchedule(tx, principal, id, true);
    if (current.is_default) {
      throw new AppError(
        'schedule_in_use',
        'The default schedule cannot be deleted; make another one the default first',
      );
    }
    await tx.query('SAVEPOINT del');
    try {
      await repo.deleteSchedule(tx, id);
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT del');
      const state = sqlState(error);
      // 23503 (foreign key) or 23001 (restrict): an event type still offers this schedule.
      if (state === SqlState.foreignKeyViolation || state === '23001') {
        throw new AppError('schedule_in_use', 'An event type uses this schedule');
      }
      throw error;
    }
  });
}
