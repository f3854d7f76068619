// Civil dates ('YYYY-MM-DD'), wall times ('HH:MM'), IANA zones and epoch-ms instants, without the process's local zone.
// Wall-clock semantics: an instant belongs to a wall-clock interval [start, end) on date D in zone Z exactly when the
// wall clock in Z at that instant shows date D and a time t with start <= t < end (end may be 24:00 = 1440).
// So skipped (spring-forward) wall times contribute nothing, repeated (fall-back) wall times count every time they occur,
// 09:00-17:00 stays 09:00-17:00 local whatever the offset, and 00:00-24:00 is the whole local day (23, 24, 25, 23.5 h...).
import { Temporal } from 'temporal-polyfill';
import type { Interval } from './intervals';
import {
  DAY_MS,
  MAX_OFFSET_MS,
  MINUTE_MS,
  firstInstantAtOrAfterNaive,
  naiveRangeToInstants,
  offsetAt,
  segmentIndex,
  zoneTable,
} from './zone-offsets';

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
export const WEEKDAYS: readonly Weekday[] = Object.freeze([
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const);

// ---- civil dates (proleptic Gregorian, pure arithmetic: no Date object, so no local-zone leaks) ----

// Howard Hinnant's days_from_civil / civil_from_days; day 0 is 1970-01-01.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(n: number): [number, number, number] {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Structural check only (any 4-digit year): date arithmetic near the 1900..2200 edges must not throw.
function parseDateParts(s: string): [number, number, number] | null {
  const m = DATE_RE.exec(s);
  if (m === null) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return [y, mo, d];
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' string; throws RangeError on a malformed or impossible date. */
export function dateToDays(s: string): number {
  const p = parseDateParts(s);
  if (p === null) throw new RangeError(`invalid date: ${JSON.stringify(s)}`);
  return daysFromCivil(p[0], p[1], p[2]);
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad4 = (n: number): string => String(n).padStart(4, '0');

export function daysToDate(n: number): string {
  let date = dateStrings.get(n);
  if (date === undefined) {
    const [y, m, d] = civilFromDays(n);
    date = `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
    if (dateStrings.size >= 100_000) dateStrings.clear();
    dateStrings.set(n, date);
  }
  return date;
}
// Answers write the same few hundred dates over and over; strings are immutable, so they can be shared.
const dateStrings = new Map<number, string>();

export function isDate(s: string): boolean {
  const p = parseDateParts(s);
  return p !== null && p[0] >= 1900 && p[0] <= 2200;
}

export function addDays(date: string, n: number): string {
  return daysToDate(dateToDays(date) + n);
}

export function compareDates(a: string, b: string): number {
  return Math.sign(dateToDays(a) - dateToDays(b));
}

export function daysBetween(from: string, to: string): number {
  return dateToDays(to) - dateToDays(from);
}

/** Every date from `from` to `to` inclusive; [] when to < from. */
export function datesInRange(from: string, to: string): string[] {
  const a = dateToDays(from);
  const b = dateToDays(to);
  const out: string[] = [];
  for (let n = a; n <= b; n++) out.push(daysToDate(n));
  return out;
}

export function weekdayOf(date: string): Weekday {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  return WEEKDAYS[(((dateToDays(date) + 3) % 7) + 7) % 7]!;
}

// ---- wall times ----

const WALL_RE = /^(\d{2}):(\d{2})$/;

export function parseWallTime(s: string, opts?: { allow24?: boolean }): number | null {
  const m = WALL_RE.exec(s);
  if (m === null) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0 && opts?.allow24 === true) return 1440;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

export function formatWallTime(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
    throw new RangeError(`wall time out of range: ${minutes}`);
  }
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

// ---- zones ----

const zoneValidity = new Map<string, boolean>();

/**
 * True for an IANA zone name Temporal knows, spelled exactly as IANA does (aliases such as 'Asia/Calcutta'
 * and 'EST' included). Offsets ('+05:00') and wrongly-cased names ('utc') are rejected so stored names are canonical.
 */
export function isTimeZone(name: string): boolean {
  const known = zoneValidity.get(name);
  if (known !== undefined) return known;
  let ok = false;
  if (/^[A-Za-z]/.test(name)) {
    try {
      ok = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name).timeZoneId === name;
    } catch {
      ok = false;
    }
  }
  // Only remember answers for plausible names, so junk input cannot grow the map without bound.
  if (ok || zoneValidity.size < 1024) zoneValidity.set(name, ok);
  return ok;
}

// ---- instants ----

const INSTANT_RE =
  /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** RFC 3339 timestamp with a mandatory offset -> epoch ms (fraction truncated to ms); null when malformed. */
export function parseInstant(s: string): number | null {
  const m = INSTANT_RE.exec(s);
  if (m === null || !isDate(m[1]!)) return null;
  const h = Number(m[2]);
  const min = Number(m[3]);
  const sec = m[4] === undefined ? 0 : Number(m[4]);
  if (h > 23 || min > 59 || sec > 59) return null;
  const ms = m[5] === undefined ? 0 : Number(m[5].slice(0, 3).padEnd(3, '0'));
  let offset = 0;
  if (m[6] === undefined) {
    const oh = Number(m[8]);
    const om = Number(m[9]);
    if (oh > 23 || om > 59) return null;
    offset = (m[7] === '-' ? -1 : 1) * (oh * 60 + om) * MINUTE_MS;
  }
  const naive = dateToDays(m[1]!) * DAY_MS + ((h * 60 + min) * 60 + sec) * 1000 + ms;
  return naive - offset;
}

/**
 * 'YYYY-MM-DDTHH:MM:SS±HH:MM' in the zone's offset at that instant, floored to the second; 'Z' only for 'UTC'/'Etc/UTC'.
 * Historical offsets with seconds (LMT) cannot be written as ±HH:MM, so the offset is rounded to the minute and the
 * wall fields use that same rounded offset: the string always denotes exactly the (floored) instant.
 */
export function formatInstant(ms: number, timeZone: string): string {
  if (shared === null || shared.timeZone !== timeZone) shared = new InstantFormatter(timeZone);
  return shared.format(ms);
}
let shared: InstantFormatter | null = null;

// "HH:MM:00" for every minute of a day: nearly every instant an answer shows is on a whole minute.
const WHOLE_MINUTES: readonly string[] = Array.from(
  { length: 1440 },
  (_, m) => `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:00`,
);

/**
 * formatInstant for many instants of one zone: answers show hundreds of them, mostly in one offset segment and a
 * few dates, so the current segment's offset suffix and the current date's prefix are remembered, not looked up.
 */
export class InstantFormatter {
  readonly timeZone: string;
  /** After locate(ms): 'YYYY-MM-DDT' of the instant's local date. */
  prefix = '';
  /** After locate(ms): its offset, '±HH:MM' (or 'Z' in UTC). */
  suffix = 'Z';
  private segFrom = 1;
  private segTo = 0;
  private offMs = 0;
  private day = NaN;

  constructor(timeZone: string) {
    this.timeZone = timeZone;
    if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
      this.segFrom = -Infinity;
      this.segTo = Infinity;
    }
  }

  format(ms: number): string {
    const s = this.locate(ms);
    const m = Math.floor(s / 60);
    const ss = s - m * 60;
    const time = ss === 0 ? WHOLE_MINUTES[m]! : WHOLE_MINUTES[m]!.slice(0, 6) + pad2(ss);
    return this.prefix + time + this.suffix;
  }

  /** Sets prefix and suffix for the instant `ms` (floored to the second) and answers its second of the local day. */
  locate(ms: number): number {
    const sec = Math.floor(ms / 1000) * 1000;
    if (!(sec >= this.segFrom && sec < this.segTo)) this.seek(sec);
    const local = sec + this.offMs;
    const days = Math.floor(local / DAY_MS);
    if (days !== this.day) {
      this.day = days;
      this.prefix = `${daysToDate(days)}T`;
    }
    return (local - days * DAY_MS) / 1000;
  }

  private seek(ms: number): void {
    const t = zoneTable(this.timeZone, ms, ms + 1);
    const i = segmentIndex(t, ms);
    this.segFrom = t.bounds[i]!;
    this.segTo = t.bounds[i + 1]!;
    const offMin = Math.round(t.offs[i]! / MINUTE_MS);
    this.offMs = offMin * MINUTE_MS;
    const a = Math.abs(offMin);
    this.suffix = `${offMin < 0 ? '-' : '+'}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
  }
}

export function instantToWall(ms: number, timeZone: string): { date: string; minutes: number } {
  const local = ms + offsetAt(timeZone, ms);
  const days = Math.floor(local / DAY_MS);
  return { date: daysToDate(days), minutes: Math.floor((local - days * DAY_MS) / MINUTE_MS) };
}

export function localDateOf(ms: number, timeZone: string): string {
  return daysToDate(Math.floor((ms + offsetAt(timeZone, ms)) / DAY_MS));
}

/**
 * The first instant at which the wall clock in `timeZone` reads `date` 00:00 or later. When midnight is skipped this is
 * the first instant of the day (e.g. 01:00); when the whole date is skipped (Pacific/Apia 2011-12-30) it is the instant
 * the clock jumps past it, which equals startOfDay of the next date.
 */
export function startOfDay(date: string, timeZone: string): number {
  return instantOfWallClock(dateToDays(date) * DAY_MS, timeZone);
}

/**
 * The instant at which the wall clock in `timeZone` reads `naive` (a wall-clock time written as
 * if it were UTC epoch ms). In a fold (fall back) the earlier of the two. In a gap (spring
 * forward): with 'clamp' (schedules) the first instant after it; with 'shift' (iCalendar)
 * shifted forward by the gap's length.
 */
export function instantOfWallClock(naive: number, timeZone: string, gap: 'clamp' | 'shift' = 'clamp'): number {
  const t = zoneTable(timeZone, naive - 2 * MAX_OFFSET_MS, naive + 2 * MAX_OFFSET_MS);
  const at = firstInstantAtOrAfterNaive(t, naive);
  if (gap === 'clamp') return at;
  // 'shift' (RFC 5545 §3.3.5): a time in a gap is read with the offset from before the gap, so
  // it lands as far past the gap's end as it was past its start (02:30 -> 03:30 when 02:00 -> 03:00).
  const offset = t.offs[segmentIndex(t, at)]!;
  if (at + offset === naive) return at;
  return naive - t.offs[segmentIndex(t, at - 1)]!;
}

/** [startOfDay(from), startOfDay(to + 1 day)); an empty interval at startOfDay(from) when to < from. */
export function dayWindow(from: string, to: string, timeZone: string): Interval {
  const start = startOfDay(from, timeZone);
  const end = startOfDay(addDays(to, 1), timeZone);
  return { start, end: Math.max(end, start) };
}

/**
 * Instants whose wall clock in `timeZone` shows `date` at a time in [startMin, endMin): sorted, merged.
 * Minutes outside 0..1440 are clamped, because a time on `date` cannot lie outside its day.
 */
export function wallToInstants(date: string, startMin: number, endMin: number, timeZone: string): Interval[] {
  const out: Interval[] = [];
  const s = Math.max(0, startMin);
  const e = Math.min(1440, endMin);
  if (!(e > s)) return out;
  const day = dateToDays(date) * DAY_MS;
  const ws = day + s * MINUTE_MS;
  const we = day + e * MINUTE_MS;
  const t = zoneTable(timeZone, ws - 2 * MAX_OFFSET_MS, we + 2 * MAX_OFFSET_MS);
  naiveRangeToInstants(t, ws, we, out);
  return out;
}
