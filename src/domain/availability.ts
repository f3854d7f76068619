// Turns schedule instants and busy time into free time, per-day views in the viewer's zone, and group overlap.
// An instant's day is the date its viewer-zone wall clock shows (calendar.ts semantics), so days may be 23 or 25 hours.
import type { Interval } from './intervals';
import { dropShorterThan, firstEndingAfter, intersectAll, normalizedForReading, subtract } from './intervals';
import { dateToDays, daysToDate } from './calendar';
import { DAY_MS, MAX_OFFSET_MS, naiveRangeToInstants, zoneTable } from './zone-offsets';

export interface DayIntervals {
  date: string;
  intervals: Interval[];
}

/** available − busy, with nothing before `notBefore` (typically now + minimum notice). */
export function freeIntervals(opts: {
  available: readonly Interval[];
  busy: readonly Interval[];
  notBefore?: number;
}): Interval[] {
  const free = subtract(opts.available, opts.busy);
  const nb = opts.notBefore;
  if (nb === undefined) return free;
  const out: Interval[] = [];
  for (const x of free) {
    if (x.end <= nb) continue;
    out.push(x.start < nb ? { start: nb, end: x.end } : x);
  }
  return out;
}

/**
 * One entry per date from `from` to `to` inclusive, each holding the parts of `intervals` whose wall clock in
 * `timeZone` shows that date (so pieces are cut at local midnights). Parts outside those dates are dropped.
 */
export function splitByDays(
  intervals: readonly Interval[],
  from: string,
  to: string,
  timeZone: string,
): DayIntervals[] {
  const xs = normalizedForReading(intervals);
  const a = dateToDays(from);
  const b = dateToDays(to);
  const result: DayIntervals[] = [];
  if (b < a) return result;
  const t = zoneTable(timeZone, a * DAY_MS - 2 * MAX_OFFSET_MS, (b + 1) * DAY_MS + 2 * MAX_OFFSET_MS);
  const day: Interval[] = [];
  for (let n = a; n <= b; n++) {
    day.length = 0;
    naiveRangeToInstants(t, n * DAY_MS, (n + 1) * DAY_MS, day);
    const pieces: Interval[] = [];
    for (const d of day) {
      for (let i = firstEndingAfter(xs, d.start); i < xs.length && xs[i]!.start < d.end; i++) {
        const x = xs[i]!;
        pieces.push({ start: Math.max(x.start, d.start), end: Math.min(x.end, d.end) });
      }
    }
    result.push({ date: daysToDate(n), intervals: pieces });
  }
  return result;
}

/** Time free for every user at once, keeping only stretches at least `minDuration` ms long. */
export function commonFreeTime(perUser: readonly (readonly Interval[])[], minDuration = 0): Interval[] {
  const common = intersectAll(perUser);
  return minDuration > 0 ? dropShorterThan(common, minDuration) : common;
}
