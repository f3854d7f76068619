// Expands a host's weekly hours and per-date overrides, written in the host's own zone, into concrete instants.
// Uses the wall-clock semantics documented in calendar.ts, so DST days get exactly the local hours the rules name.
import type { Interval } from './intervals';
import { normalize, clip } from './intervals';
import type { Weekday } from './calendar';
import { WEEKDAYS, dateToDays, formatWallTime, parseWallTime, weekdayOf } from './calendar';
import { DAY_MS, MINUTE_MS, naiveRangeToInstants, segmentIndex, zoneTable } from './zone-offsets';

export interface WallInterval {
  start: string;
  end: string;
}
export type WeeklyHours = Partial<Record<Weekday, WallInterval[]>>;
export interface DateOverride {
  date: string;
  intervals: WallInterval[];
}
export interface ScheduleRules {
  timeZone: string;
  weekly: WeeklyHours;
  overrides: DateOverride[];
}

function parseOrThrow(s: string): number {
  const m = parseWallTime(s, { allow24: true });
  // Input is validated upstream; a bad value here is a programming error, and guessing would silently misbook.
  if (m === null) throw new RangeError(`invalid wall time: ${JSON.stringify(s)}`);
  return m;
}

/** 'HH:MM' pairs -> minutes-of-day, normalized (empty and reversed intervals vanish, touching ones merge). */
export function toMinuteIntervals(xs: readonly WallInterval[]): Interval[] {
  return normalize(xs.map((x) => ({ start: parseOrThrow(x.start), end: parseOrThrow(x.end) })));
}

/** Minutes-of-day -> 'HH:MM' pairs, one per input interval, in input order (1440 prints as '24:00'). */
export function toWallIntervals(minutes: readonly Interval[]): WallInterval[] {
  return minutes.map((x) => ({ start: formatWallTime(x.start), end: formatWallTime(x.end) }));
}

// If several overrides name the same date the last one wins, like repeated keys in an object literal.
function overrideFor(rules: ScheduleRules, date: string): DateOverride | undefined {
  for (let i = rules.overrides.length - 1; i >= 0; i--)
    if (rules.overrides[i]!.date === date) return rules.overrides[i];
  return undefined;
}

/** The day's hours in minutes: the date's override when there is one (even if empty), else the weekday's hours. */
export function wallIntervalsForDate(rules: ScheduleRules, date: string): Interval[] {
  const o = overrideFor(rules, date);
  if (o !== undefined) return toMinuteIntervals(o.intervals);
  return toMinuteIntervals(rules.weekly[weekdayOf(date)] ?? []);
}

/**
 * Instants inside `window` at which the schedule is available. Every local date (in the schedule's zone) that some
 * instant of the window falls on is expanded, so windows drawn in another zone's days are handled exactly.
 */
export function availableIntervals(rules: ScheduleRules, window: Interval): Interval[] {
  if (!(window.end > window.start)) return [];
  const t = zoneTable(rules.timeZone, window.start - 3 * DAY_MS, window.end + 3 * DAY_MS);

  // Exact range of local dates seen during the window: per offset segment the local time is a shifted copy.
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let i = segmentIndex(t, window.start); i < t.offs.length && t.bounds[i]! < window.end; i++) {
    const lo = Math.max(t.bounds[i]!, window.start) + t.offs[i]!;
    const hi = Math.min(t.bounds[i + 1]!, window.end) + t.offs[i]!;
    firstDay = Math.min(firstDay, Math.floor(lo / DAY_MS));
    lastDay = Math.max(lastDay, Math.ceil(hi / DAY_MS) - 1);
  }

  const weekly = new Map<Weekday, Interval[]>();
  for (const d of WEEKDAYS) weekly.set(d, toMinuteIntervals(rules.weekly[d] ?? []));
  const overrides = new Map<number, Interval[]>();
  for (const o of rules.overrides) {
    const n = dateToDays(o.date);
    if (n >= firstDay && n <= lastDay) overrides.set(n, toMinuteIntervals(o.intervals));
  }

  const out: Interval[] = [];
  for (let n = firstDay; n <= lastDay; n++) {
    const minutes = overrides.get(n) ?? weekly.get(WEEKDAYS[(((n + 3) % 7) + 7) % 7]!)!;
    const day = n * DAY_MS;
    for (const m of minutes) naiveRangeToInstants(t, day + m.start * MINUTE_MS, day + m.end * MINUTE_MS, out);
  }
  return clip(out, window);
}

/**
 * The inverse of expansion for one date: the wall-clock minutes of `date` in `timeZone` shown at
 * some instant of `intervals` (minutes-of-day, normalized; an instant in a repeated fall-back
 * hour makes that wall time count). Exact across offset changes: each constant-offset piece
 * maps to wall time by its own offset.
 */
export function wallMinutesOn(intervals: readonly Interval[], date: string, timeZone: string): Interval[] {
  const dayNaive = dateToDays(date) * DAY_MS;
  const from = dayNaive - 2 * DAY_MS;
  const to = dayNaive + 3 * DAY_MS;
  const t = zoneTable(timeZone, from, to);
  const out: Interval[] = [];
  for (const iv of intervals) {
    if (iv.end <= from || iv.start >= to) continue;
    for (let i = segmentIndex(t, Math.max(iv.start, from)); i < t.offs.length && t.bounds[i]! < iv.end; i++) {
      const s = Math.max(iv.start, t.bounds[i]!) + t.offs[i]! - dayNaive;
      const e = Math.min(iv.end, t.bounds[i + 1]!) + t.offs[i]! - dayNaive;
      const lo = Math.max(0, s);
      const hi = Math.min(DAY_MS, e);
      if (hi > lo) out.push({ start: Math.floor(lo / MINUTE_MS), end: Math.ceil(hi / MINUTE_MS) });
    }
  }
  return normalize(out);
}
