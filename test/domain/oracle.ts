/**
 * Brute-force reference implementation ("oracle") of the scheduling time logic.
 *
 * Written independently of src/domain: it uses nothing but Intl.DateTimeFormat for
 * zone conversion and works at MINUTE resolution. A time set is a bitmap over the
 * minutes of a window (minute m stands for the instant range [m*60000, (m+1)*60000)).
 * Every question ("is this instant available?", "which local date is this instant
 * on?") is answered minute by minute from the wall clock Intl shows at that minute
 * (see wallOfMinute for the one, checked, speed-up; setOracleMode('exact') disables it).
 *
 * It is deliberately simple and slow. It is exact for inputs whose endpoints are
 * whole minutes and for zones whose UTC offsets are whole minutes (all current
 * IANA zones). Inputs that are not minute-aligned throw.
 */

export interface Interval {
  start: number;
  end: number;
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface WallInterval {
  start: string;
  end: string;
}

export interface ScheduleRules {
  timeZone: string;
  weekly: Partial<Record<Weekday, WallInterval[]>>;
  overrides: { date: string; intervals: WallInterval[] }[];
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// Sunday-first, matching Date#getUTCDay().
export const WEEKDAYS_BY_UTC_DAY: Weekday[] = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];

// ---------------------------------------------------------------------------
// Calendar arithmetic on plain dates (no zones involved: proleptic Gregorian)
// ---------------------------------------------------------------------------

/** 'YYYY-MM-DD' -> days since 1970-01-01. */
export function dateToDayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`oracle: bad date ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY;
}

/** days since 1970-01-01 -> 'YYYY-MM-DD'. */
export function dayNumberToDate(n: number): string {
  return new Date(n * DAY).toISOString().slice(0, 10);
}

export function oAddDays(date: string, n: number): string {
  return dayNumberToDate(dateToDayNumber(date) + n);
}

export function oDatesInRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dateToDayNumber(from); d <= dateToDayNumber(to); d++) out.push(dayNumberToDate(d));
  return out;
}

export function oWeekdayOf(date: string): Weekday {
  return WEEKDAYS_BY_UTC_DAY[new Date(dateToDayNumber(date) * DAY).getUTCDay()]!;
}

/** 'HH:MM' -> minutes after midnight; '24:00' -> 1440. */
export function wallTimeToMinutes(s: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) throw new Error(`oracle: bad wall time ${s}`);
  const v = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) > 59 || v > 1440) throw new Error(`oracle: bad wall time ${s}`);
  return v;
}

export function minutesToWallTime(v: number): string {
  return `${String(Math.floor(v / 60)).padStart(2, '0')}:${String(v % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------
// Zone conversion: Intl only
// ---------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface WallClock {
  /** 'YYYY-MM-DD' */
  date: string;
  /** minutes after local midnight, 0..1439 */
  minutes: number;
  /** seconds within the minute, 0..59 */
  seconds: number;
}

/** The wall clock shown in zone `tz` at instant `ms` (straight from Intl). */
export function wallClock(ms: number, tz: string): WallClock {
  const parts = formatter(tz).formatToParts(new Date(ms));
  let y = '',
    mo = '',
    d = '',
    h = '',
    mi = '',
    s = '';
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        y = p.value;
        break;
      case 'month':
        mo = p.value;
        break;
      case 'day':
        d = p.value;
        break;
      case 'hour':
        h = p.value;
        break;
      case 'minute':
        mi = p.value;
        break;
      case 'second':
        s = p.value;
        break;
    }
  }
  const hour = Number(h);
  if (!(hour >= 0 && hour <= 23)) throw new Error(`oracle: Intl gave hour ${h}`);
  return {
    date: `${y.padStart(4, '0')}-${mo}-${d}`,
    minutes: hour * 60 + Number(mi),
    seconds: Number(s),
  };
}

/** Packed wall clock (dayNumber*1440 + minuteOfDay) at the start of minute `m`, straight from Intl. */
export function exactWallOfMinute(m: number, tz: string): number {
  const w = wallClock(m * MINUTE, tz);
  return dateToDayNumber(w.date) * 1440 + w.minutes;
}

/**
 * Speed-up (mode 'fast', the default): per UTC hour, ask Intl for the offset at the
 * hour's first and last minute; if they agree, the whole hour has that offset (this
 * assumes no zone changes its offset twice within 59 minutes — true of all tzdata),
 * otherwise every minute of that hour is asked of Intl individually. Mode 'exact'
 * asks Intl for every single minute, no caching. oracle.test.ts checks both agree.
 */
export type OracleMode = 'fast' | 'exact';
let mode: OracleMode = 'fast';
const hourOffsets = new Map<string, Map<number, number>>();

export function setOracleMode(m: OracleMode): void {
  mode = m;
  hourOffsets.clear();
}

/** Packed wall clock (dayNumber*1440 + minuteOfDay) at the start of minute `m`. */
export function wallOfMinute(m: number, tz: string): number {
  if (mode === 'exact') return exactWallOfMinute(m, tz);
  let zm = hourOffsets.get(tz);
  if (!zm) {
    zm = new Map();
    hourOffsets.set(tz, zm);
  }
  const h = Math.floor(m / 60);
  let off = zm.get(h);
  if (off === undefined) {
    const first = exactWallOfMinute(h * 60, tz) - h * 60;
    const last = exactWallOfMinute(h * 60 + 59, tz) - (h * 60 + 59);
    off = first === last ? first : NaN;
    zm.set(h, off);
  }
  return Number.isNaN(off) ? exactWallOfMinute(m, tz) : m + off;
}

export function oLocalDateOf(ms: number, tz: string): string {
  return wallClock(ms, tz).date;
}

/** UTC offset (minutes) of zone tz at instant ms, = wall-as-UTC minus instant. */
export function oOffsetMinutes(ms: number, tz: string): number {
  const w = wallClock(ms, tz);
  const wallAsUtc = dateToDayNumber(w.date) * DAY + w.minutes * MINUTE + w.seconds * 1000;
  return Math.round((wallAsUtc - (ms - (((ms % 1000) + 1000) % 1000))) / MINUTE);
}

// ---------------------------------------------------------------------------
// Bitmaps
// ---------------------------------------------------------------------------

function assertAligned(x: number, what: string): void {
  if (!Number.isInteger(x) || x % MINUTE !== 0) {
    throw new Error(`oracle: ${what} ${x} is not a whole minute`);
  }
}

/** A set of minutes [lo, lo+bits.length) (in minute units since the epoch). */
export interface MinuteSet {
  lo: number;
  bits: Uint8Array;
}

export function emptySet(loMin: number, hiMin: number): MinuteSet {
  return { lo: loMin, bits: new Uint8Array(Math.max(0, hiMin - loMin)) };
}

/** Smallest minute range [lo, hi) containing every (non-empty) interval of the lists. */
export function spanOf(...lists: Interval[][]): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const xs of lists) {
    for (const x of xs) {
      assertAligned(x.start, 'start');
      assertAligned(x.end, 'end');
      if (x.end <= x.start) continue;
      lo = Math.min(lo, x.start / MINUTE);
      hi = Math.max(hi, x.end / MINUTE);
    }
  }
  if (lo === Infinity) return { lo: 0, hi: 0 };
  return { lo, hi };
}

/** Mark the minutes of xs (restricted to [lo, hi)). */
export function toSet(xs: Interval[], lo: number, hi: number): MinuteSet {
  const set = emptySet(lo, hi);
  for (const x of xs) {
    assertAligned(x.start, 'start');
    assertAligned(x.end, 'end');
    const a = Math.max(lo, x.start / MINUTE);
    const b = Math.min(hi, x.end / MINUTE);
    for (let m = a; m < b; m++) set.bits[m - lo] = 1;
  }
  return set;
}

export function has(set: MinuteSet, m: number): boolean {
  const i = m - set.lo;
  return i >= 0 && i < set.bits.length && set.bits[i] === 1;
}

/** Maximal runs of set minutes, as instant intervals (sorted, disjoint, non-touching). */
export function fromSet(set: MinuteSet): Interval[] {
  const out: Interval[] = [];
  let runStart = -1;
  for (let i = 0; i <= set.bits.length; i++) {
    const on = i < set.bits.length && set.bits[i] === 1;
    if (on && runStart < 0) runStart = i;
    if (!on && runStart >= 0) {
      out.push({ start: (set.lo + runStart) * MINUTE, end: (set.lo + i) * MINUTE });
      runStart = -1;
    }
  }
  return out;
}

function combine(lists: Interval[][], keep: (flags: boolean[]) => boolean): Interval[] {
  const { lo, hi } = spanOf(...lists);
  const sets = lists.map((xs) => toSet(xs, lo, hi));
  const out = emptySet(lo, hi);
  for (let m = lo; m < hi; m++) {
    if (keep(sets.map((s) => has(s, m)))) out.bits[m - lo] = 1;
  }
  return fromSet(out);
}

// ---------------------------------------------------------------------------
// Interval algebra
// ---------------------------------------------------------------------------

export function oNormalize(xs: Interval[]): Interval[] {
  return combine([xs], ([a]) => a!);
}

export function oUnion(...lists: Interval[][]): Interval[] {
  return combine(lists, (f) => f.some(Boolean));
}

export function oIntersect(a: Interval[], b: Interval[]): Interval[] {
  return combine([a, b], ([x, y]) => x! && y!);
}

export function oIntersectAll(lists: Interval[][]): Interval[] {
  if (lists.length === 0) return [];
  return combine(lists, (f) => f.every(Boolean));
}

export function oSubtract(a: Interval[], b: Interval[]): Interval[] {
  return combine([a, b], ([x, y]) => x! && !y);
}

export function oClip(xs: Interval[], window: Interval): Interval[] {
  return oIntersect(xs, [window]);
}

/** Every instant of iv is in xs. */
export function oCovers(xs: Interval[], iv: Interval): boolean {
  const set = toSet(xs, iv.start / MINUTE, iv.end / MINUTE);
  return set.bits.every((b) => b === 1);
}

/** Some instant of iv is in xs (positive-length overlap). */
export function oOverlaps(xs: Interval[], iv: Interval): boolean {
  const set = toSet(xs, iv.start / MINUTE, iv.end / MINUTE);
  return set.bits.some((b) => b === 1);
}

/** Maximal intervals of xs, without those shorter than minLength. */
export function oDropShorterThan(xs: Interval[], minLength: number): Interval[] {
  return oNormalize(xs).filter((x) => x.end - x.start >= minLength);
}

// ---------------------------------------------------------------------------
// Calendar helpers (zone-aware, by scanning minutes)
// ---------------------------------------------------------------------------

/** Every minute whose wall clock in tz lies on `date` between [startMin, endMin). */
export function oWallToInstants(date: string, startMin: number, endMin: number, tz: string): Interval[] {
  const dn = dateToDayNumber(date);
  // Offsets are within ±15h; a local day lasts at most ~26h.
  const lo = dn * 1440 - 16 * 60;
  const hi = (dn + 1) * 1440 + 16 * 60;
  const set = emptySet(lo, hi);
  for (let m = lo; m < hi; m++) {
    const w = wallOfMinute(m, tz);
    const wd = Math.floor(w / 1440);
    const wm = w - wd * 1440;
    if (wd === dn && wm >= startMin && wm < endMin) set.bits[m - lo] = 1;
  }
  return fromSet(set);
}

/** The instants whose wall date in tz is `date`, as one interval. */
export function oDayInterval(date: string, tz: string): Interval {
  const ivs = oWallToInstants(date, 0, 1440, tz);
  if (ivs.length !== 1) throw new Error(`oracle: local day ${date} in ${tz} is not one interval`);
  return ivs[0]!;
}

/** First instant whose wall date in tz is `date`. */
export function oStartOfDay(date: string, tz: string): number {
  return oDayInterval(date, tz).start;
}

/** [start of `from`, start of the day after `to`) in tz. */
export function oDayWindow(from: string, to: string, tz: string): Interval {
  return { start: oStartOfDay(from, tz), end: oStartOfDay(oAddDays(to, 1), tz) };
}

// ---------------------------------------------------------------------------
// Schedules and availability
// ---------------------------------------------------------------------------

/** The wall intervals (in minutes) that apply on `date` under `rules`. */
export function rulesForDate(rules: ScheduleRules, date: string): [number, number][] {
  const override = rules.overrides.find((o) => o.date === date);
  const wall = override ? override.intervals : (rules.weekly[oWeekdayOf(date)] ?? []);
  return wall.map((w) => [wallTimeToMinutes(w.start), wallTimeToMinutes(w.end)]);
}

/** Instants in `window` whose wall clock (rules.timeZone) is inside that date's intervals. */
export function oAvailableIntervals(rules: ScheduleRules, window: Interval): Interval[] {
  const lo = window.start / MINUTE;
  const hi = window.end / MINUTE;
  assertAligned(window.start, 'window.start');
  assertAligned(window.end, 'window.end');
  const set = emptySet(lo, hi);
  const perDay = new Map<number, [number, number][]>();
  for (let m = lo; m < hi; m++) {
    const w = wallOfMinute(m, rules.timeZone);
    const dn = Math.floor(w / 1440);
    const t = w - dn * 1440;
    let ivs = perDay.get(dn);
    if (!ivs) {
      ivs = rulesForDate(rules, dayNumberToDate(dn));
      perDay.set(dn, ivs);
    }
    if (ivs.some(([s, e]) => s <= t && t < e)) set.bits[m - lo] = 1;
  }
  return fromSet(set);
}

export function oFreeIntervals(q: { available: Interval[]; busy: Interval[]; notBefore?: number }): Interval[] {
  const free = oSubtract(q.available, q.busy);
  if (q.notBefore === undefined) return free;
  const { lo, hi } = spanOf(free);
  return oIntersect(free, [{ start: Math.max(q.notBefore, lo * MINUTE), end: Math.max(q.notBefore, hi * MINUTE) }]);
}

export interface DayEntry {
  date: string;
  intervals: Interval[];
}

/** One entry per date from..to (in tz), holding the parts of `intervals` on that wall date. */
export function oSplitByDays(intervals: Interval[], from: string, to: string, tz: string): DayEntry[] {
  const dates = oDatesInRange(from, to);
  const byDay = new Map<number, Interval[]>(dates.map((d) => [dateToDayNumber(d), []]));
  const { lo, hi } = spanOf(intervals);
  const set = toSet(intervals, lo, hi);
  for (let m = lo; m < hi; m++) {
    if (!has(set, m)) continue;
    const dn = Math.floor(wallOfMinute(m, tz) / 1440);
    const list = byDay.get(dn);
    if (!list) continue;
    const last = list[list.length - 1];
    if (last && last.end === m * MINUTE) last.end += MINUTE;
    else list.push({ start: m * MINUTE, end: (m + 1) * MINUTE });
  }
  return dates.map((d) => ({ date: d, intervals: byDay.get(dateToDayNumber(d))! }));
}

export function oCommonFreeTime(perUser: Interval[][], minDuration = 0): Interval[] {
  return oIntersectAll(perUser).filter((x) => x.end - x.start >= minDuration);
}

// ---------------------------------------------------------------------------
// Slots
// ---------------------------------------------------------------------------

export interface SlotQuery {
  available: Interval[];
  busy: Interval[];
  duration: number;
  step: number;
  bufferBefore: number;
  bufferAfter: number;
  notBefore?: number;
  window: Interval;
}

function positiveOverlap(a: Interval, b: Interval): boolean {
  return Math.max(a.start, b.start) < Math.min(a.end, b.end);
}

export function oBookableSlots(q: SlotQuery): Interval[] {
  if (!(q.duration > 0) || !(q.step > 0)) throw new Error('oracle: duration and step must be > 0');
  const out: Interval[] = [];
  for (const a of oNormalize(q.available)) {
    for (let s = a.start; s + q.duration <= a.end; s += q.step) {
      const padded = { start: s - q.bufferBefore, end: s + q.duration + q.bufferAfter };
      if (q.busy.some((b) => positiveOverlap(padded, b))) continue;
      if (q.notBefore !== undefined && s < q.notBefore) continue;
      if (!(q.window.start <= s && s < q.window.end)) continue;
      out.push({ start: s, end: s + q.duration });
    }
  }
  return out.sort((x, y) => x.start - y.start);
}

export function oIsBookable(q: SlotQuery, slotStart: number): boolean {
  return oBookableSlots(q).some((s) => s.start === slotStart);
}

// ---------------------------------------------------------------------------
// DST transitions (found by scanning)
// ---------------------------------------------------------------------------

export interface Transition {
  /** first instant with the new offset */
  at: number;
  offsetBefore: number;
  offsetAfter: number;
  /** local date (in the zone) of the first instant with the new offset */
  localDate: string;
}

/** All offset changes of tz in [fromMs, toMs), located to the minute. */
export function findTransitions(tz: string, fromMs: number, toMs: number): Transition[] {
  const out: Transition[] = [];
  const stepMs = 6 * HOUR;
  let prevT = fromMs;
  let prevOff = oOffsetMinutes(fromMs, tz);
  for (let t = fromMs + stepMs; t <= toMs; t += stepMs) {
    const off = oOffsetMinutes(t, tz);
    if (off !== prevOff) {
      // binary search the first minute with offset != prevOff in (prevT, t]
      let lo = prevT / MINUTE; // offset prevOff
      let hi = t / MINUTE; // offset off
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (oOffsetMinutes(mid * MINUTE, tz) === prevOff) lo = mid;
        else hi = mid;
      }
      const at = hi * MINUTE;
      out.push({ at, offsetBefore: prevOff, offsetAfter: off, localDate: oLocalDateOf(at, tz) });
      prevOff = off;
    }
    prevT = t;
  }
  return out;
}
