// Date-level editing (what small clients do): every edit lands as overrides on the user's
// default schedule, so there is one model. An edit is computed on instants over the
// schedule-zone dates it touches, then written back as those dates' wall-clock hours.
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import {
  addDays,
  dayWindow,
  daysBetween,
  formatInstant,
  isDate,
  localDateOf,
  parseInstant,
  parseWallTime,
  datesInRange,
  wallToInstants,
} from '../../domain/calendar';
import { clip, covers, subtract, union, type Interval } from '../../domain/intervals';
import {
  availableIntervals,
  toWallIntervals,
  wallMinutesOn,
  type ScheduleRules,
  type WallInterval,
} from '../../domain/schedule';
import type { Principal } from '../../http/auth';
import { AppError, invalidField, validationError, type FieldError } from '../../http/errors';
import {
  createDefaultSchedule,
  defaultScheduleOf,
  lockOwner,
  rulesForSchedules,
  upsertOverrides,
} from '../schedules/repository';
import { checkDayIntervals } from '../schedules/rules';
import { bookingsOfHolds } from '../bookings/repository';
import { meetingsOfOccurrences } from '../meetings/repository';
import { holdsOverlapping, type HoldRow } from './holds';
import { MAX_WINDOW_DAYS } from './window';
import { askedTimeZone } from '../../http/time-zone-param';

const sameWall = (a: readonly WallInterval[], b: readonly WallInterval[]) => JSON.stringify(a) === JSON.stringify(b);

interface Edit {
  /** Instants the edit may change. */
  reach: Interval;
  /** Availability after the edit, given the availability before (over the dates touched). */
  apply(current: Interval[], tx: Queryable): Promise<Interval[]> | Interval[];
}

/** Runs an edit on the default schedule in one transaction; answers the given dates in `timeZone`. */
async function editAvailability(
  ctx: AppContext,
  principal: Principal,
  edit: Edit,
  answerDates: string[],
  timeZone: string,
) {
  return ctx.db.transaction(async (tx) => {
    // The same lock a change of default schedule takes: the default cannot move under this edit.
    await lockOwner(tx, principal.userId);
    const schedule =
      (await defaultScheduleOf(tx, principal.userId, true)) ??
      (await createDefaultSchedule(tx, { id: principal.userId, timezone: principal.timezone }));
    const zone = schedule.timezone;
    const first = localDateOf(edit.reach.start, zone);
    const last = localDateOf(edit.reach.end - 1, zone);
    const answerWindow = dayWindow(answerDates[0], answerDates[answerDates.length - 1], timeZone);
    const loadFrom = addDays(localDateOf(Math.min(edit.reach.start, answerWindow.start), zone), -1);
    const loadTo = addDays(localDateOf(Math.max(edit.reach.end, answerWindow.end), zone), 1);
    const rules: ScheduleRules = (await rulesForSchedules(tx, [schedule.id], { from: loadFrom, to: loadTo })).get(
      schedule.id,
    )!.rules;
    const touched = dayWindow(first, last, zone);
    const before = availableIntervals(rules, touched);
    const after = clip(await edit.apply(before, tx), touched);

    // Written back as wall-clock hours: what was, minus the wall time of what the edit
    // removed, plus that of what it added. On a fall-back day a removed instant in the
    // repeated hour takes that wall time away (both passes): a block never silently vanishes.
    const removed = subtract(before, after);
    const added = subtract(after, before);
    const changed: { date: string; intervals: WallInterval[] }[] = [];
    for (const date of datesInRange(first, last)) {
      const wasMinutes = wallMinutesOn(before, date, zone);
      const nowMinutes = union(
        subtract(wasMinutes, wallMinutesOn(removed, date, zone)),
        wallMinutesOn(added, date, zone),
      );
      const was = toWallIntervals(wasMinutes);
      const now = toWallIntervals(nowMinutes);
      if (!sameWall(was, now)) changed.push({ date, intervals: now });
    }
    await upsertOverrides(tx, schedule.id, changed);
    const updated: ScheduleRules = { ...rules, overrides: [...rules.overrides, ...changed] };
    const shown = availableIntervals(updated, answerWindow);
    return {
      dates: answerDates.map((date) => ({ date, intervals: toWallIntervals(wallMinutesOn(shown, date, timeZone)) })),
    };
  });
}

export interface DatesBody {
  timezone?: string;
  dates: { date: string; intervals: WallInterval[] }[];
}

/** PUT /me/availability/dates: the given dates get exactly the given intervals ([] = unavailable). */
export async function setDates(ctx: AppContext, principal: Principal, body: DatesBody) {
  const zone = askedTimeZone(body.timezone, principal.timezone);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const wanted = body.dates.map((d, i) => {
    if (!isDate(d.date)) errors.push({ field: `dates[${i}].date`, message: 'must be a real date YYYY-MM-DD' });
    else if (seen.has(d.date)) errors.push({ field: `dates[${i}].date`, message: 'appears twice' });
    seen.add(d.date);
    return { date: d.date, intervals: checkDayIntervals(d.intervals, `dates[${i}].intervals`, errors) };
  });
  if (errors.length) throw validationError(errors);
  const dates = wanted.map((d) => d.date).sort();
  if (daysBetween(dates[0], dates[dates.length - 1]) + 1 > 366) throw invalidField('dates', 'must lie within one year');
  const windows = wanted.map((d) => dayWindow(d.date, d.date, zone));
  const reach = { start: Math.min(...windows.map((w) => w.start)), end: Math.max(...windows.map((w) => w.end)) };
  return editAvailability(
    ctx,
    principal,
    {
      reach,
      apply: (current) =>
        wanted.reduce((acc, d, i) => {
          const fresh = d.intervals.flatMap((iv) =>
            wallToInstants(d.date, parseWallTime(iv.start)!, parseWallTime(iv.end, { allow24: true })!, zone),
          );
          return union(subtract(acc, [windows[i]]), fresh);
        }, current),
    },
    dates,
    zone,
  );
}

export interface RangeBody {
  start: string;
  end: string;
  date?: string;
  timezone?: string;
}

/** A range given as two instants, or as a date with HH:MM times in a zone; as instants. */
function rangeOf(principal: Principal, body: RangeBody): { pieces: Interval[]; zone: string } {
  const zone = askedTimeZone(body.timezone, principal.timezone);
  let pieces: Interval[];
  if (body.date !== undefined) {
    if (!isDate(body.date)) throw invalidField('date', 'must be a real date YYYY-MM-DD');
    const start = parseWallTime(body.start);
    const end = parseWallTime(body.end, { allow24: true });
    const errors: FieldError[] = [];
    if (start === null)
      errors.push({ field: 'start', message: 'must be a time HH:MM (with date) from 00:00 to 23:59' });
    if (end === null) errors.push({ field: 'end', message: 'must be a time HH:MM (with date) from 00:00 to 24:00' });
    if (errors.length) throw validationError(errors);
    if (end! <= start!) throw invalidField('end', 'must be after start');
    pieces = wallToInstants(body.date, start!, end!, zone);
    if (pieces.length === 0)
      throw invalidField('start', 'that time does not exist on that date (a DST change skips it)');
  } else {
    const start = parseInstant(body.start);
    const end = parseInstant(body.end);
    const errors: FieldError[] = [];
    if (start === null)
      errors.push({
        field: 'start',
        message: 'must be an RFC 3339 instant with an offset (or send date with HH:MM times)',
      });
    if (end === null)
      errors.push({
        field: 'end',
        message: 'must be an RFC 3339 instant with an offset (or send date with HH:MM times)',
      });
    if (errors.length) throw validationError(errors);
    if (end! <= start!) throw invalidField('end', 'must be after start');
    if (end! - start! > MAX_WINDOW_DAYS * 86_400_000)
      throw invalidField('end', `the range is at most ${MAX_WINDOW_DAYS} days`);
    pieces = [{ start: start!, end: end! }];
  }
  return { pieces, zone };
}

function reachOf(pieces: Interval[]): Interval {
  return { start: pieces[0].start, end: pieces[pieces.length - 1].end };
}

function datesTouched(pieces: Interval[], zone: string): string[] {
  return datesInRange(localDateOf(pieces[0].start, zone), localDateOf(pieces[pieces.length - 1].end - 1, zone));
}

/** POST /me/availability/intervals: adds a range; merging; a range already covered is a 409. */
export async function addInterval(ctx: AppContext, principal: Principal, body: RangeBody) {
  const { pieces, zone } = rangeOf(principal, body);
  return editAvailability(
    ctx,
    principal,
    {
      reach: reachOf(pieces),
      apply: (current) => {
        if (pieces.every((p) => covers(current, p))) {
          throw new AppError('already_available', 'You are already available for all of that time');
        }
        return union(current, pieces);
      },
    },
    datesTouched(pieces, zone),
    zone,
  );
}

/** What is booked behind holds: bookings (their own times, without buffers) and meetings. */
async function nameHolds(q: Queryable, holds: readonly HoldRow[]) {
  const [bookings, meetings] = await Promise.all([
    bookingsOfHolds(
      q,
      holds.filter((h) => h.source === 'booking').map((h) => h.id),
    ),
    meetingsOfOccurrences(
      q,
      holds.filter((h) => h.source === 'meeting' && h.source_id).map((h) => h.source_id!),
    ),
  ]);
  return holds.map((h) => {
    const booking = bookings.get(h.id);
    const meeting = h.source_id ? meetings.get(h.source_id) : undefined;
    const named = booking ?? { id: meeting?.meeting_id ?? h.source_id ?? h.id, start: h.start, end: h.end };
    return {
      id: named.id,
      kind: h.source,
      ...(meeting ? { occurrence: meeting.number } : {}),
      start: named.start,
      end: named.end,
    };
  });
}

/** POST /me/availability/blocks: removes a range; a confirmed booking or meeting in it is a 409 naming it. */
export async function blockRange(ctx: AppContext, principal: Principal, body: RangeBody) {
  const { pieces, zone } = rangeOf(principal, body);
  return editAvailability(
    ctx,
    principal,
    {
      reach: reachOf(pieces),
      apply: async (current, tx) => {
        const holds = await holdsOverlapping(tx, [principal.userId], reachOf(pieces));
        // What is booked inside the range, by its own time: a buffer reaching into it is no conflict.
        const inTheWay = (await nameHolds(tx, holds)).filter((b) =>
          pieces.some((p) => b.start < p.end && p.start < b.end),
        );
        if (inTheWay.length) {
          throw new AppError('booking_in_the_way', 'Cancel or move what is booked in that time first', {
            bookings: inTheWay.map(({ start, end, ...rest }) => ({
              ...rest,
              start: formatInstant(start, zone),
              end: formatInstant(end, zone),
            })),
          });
        }
        return subtract(current, pieces);
      },
    },
    datesTouched(pieces, zone),
    zone,
  );
}
