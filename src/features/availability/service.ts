// Free time: each user's default schedule (weekly hours and overrides) minus the time they
// hold (bookings and meetings) minus the past; shown per day in any zone, and intersected
// across users for the overlap query.
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import { commonFreeTime, freeIntervals } from '../../domain/availability';
import type { Interval } from '../../domain/intervals';
import { availableIntervals } from '../../domain/schedule';
import type { Principal } from '../../http/auth';
import { AppError, invalidField, notFound } from '../../http/errors';
import { findUserByUsername, findUsersByUsernames } from '../accounts/repository';
import { defaultRulesOf } from '../schedules/repository';
import { daysJson } from './days-json';
import { busyByUser } from './holds';
import { overrideRange, parseDateWindow } from './window';

/** Each user's default schedule as instants within the window (nothing subtracted). */
export async function availabilityOfUsers(
  ctx: AppContext,
  userIds: readonly string[],
  window: Interval,
  q: Queryable = ctx.db,
): Promise<Map<string, Interval[]>> {
  const rules = await defaultRulesOf(q, userIds, overrideRange(window));
  return new Map(
    userIds.map((id) => {
      const r = rules.get(id);
      return [id, r ? availableIntervals(r, window) : []];
    }),
  );
}

/** Each user's free time within the window: available − held − busy in linked calendars − past. */
export async function freeTimeOfUsers(
  ctx: AppContext,
  userIds: readonly string[],
  window: Interval,
  q: Queryable = ctx.db,
): Promise<Map<string, Interval[]>> {
  const [available, busy] = await Promise.all([
    availabilityOfUsers(ctx, userIds, window, q),
    busyByUser(q, userIds, window),
  ]);
  const now = ctx.now();
  return new Map(
    userIds.map((id) => [id, freeIntervals({ available: available.get(id)!, busy: busy.get(id)!, notBefore: now })]),
  );
}

export interface WindowQuery {
  from?: string;
  to?: string;
  timezone?: string;
}

/** Free time of a user (yourself, or anyone by username: free/busy only, never what is booked), as DaysReply JSON text. */
export async function showAvailability(
  ctx: AppContext,
  principal: Principal,
  username: string | null,
  query: WindowQuery,
) {
  let userId = principal.userId;
  if (username !== null && username !== principal.username) {
    const user = await findUserByUsername(ctx.db, username);
    if (!user) throw notFound('User');
    userId = user.id;
  }
  const { from, to, timezone, window } = parseDateWindow(query, principal.timezone, ctx.now());
  const free = await freeTimeOfUsers(ctx, [userId], window);
  return daysJson(free.get(userId)!, from, to, timezone);
}

export const MAX_OVERLAP_USERS = 50;

/** When every named user is free (2..50 users), pieces shorter than min_duration minutes left out; DaysReply JSON text. */
export async function overlap(
  ctx: AppContext,
  principal: Principal,
  query: WindowQuery & { users?: string; min_duration?: number },
) {
  const names = [
    ...new Set(
      (query.users ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length < 2) throw invalidField('users', 'name at least two users, comma-separated');
  if (names.length > MAX_OVERLAP_USERS) throw invalidField('users', `name at most ${MAX_OVERLAP_USERS} users`);
  const { from, to, timezone, window } = parseDateWindow(query, principal.timezone, ctx.now());
  const users = await findUsersByUsernames(ctx.db, names);
  const missing = names.filter((n) => !users.some((u) => u.username === n));
  if (missing.length) throw new AppError('not_found', `Unknown user: ${missing.join(', ')}`, { users: missing });
  const free = await freeTimeOfUsers(
    ctx,
    users.map((u) => u.id),
    window,
  );
  const common = commonFreeTime([...free.values()], (query.min_duration ?? 0) * 60_000);
  return daysJson(common, from, to, timezone);
}
