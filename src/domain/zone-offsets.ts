// Per-zone cache of constant-UTC-offset segments, and the exact wall-clock -> instant arithmetic built on it.
// Temporal calls are slow (tens of µs each), so each zone's transitions are fetched once and extended on demand.
import { Temporal } from 'temporal-polyfill';
import type { Interval } from './intervals';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/**
 * Segment i is [bounds[i], bounds[i+1]) with UTC offset offs[i] (ms, local = utc + offset).
 * bounds has one more entry than offs; the last bound may be Infinity when Temporal reports no later transition.
 * Neighbouring segments always differ in offset.
 */
export interface ZoneTable {
  readonly bounds: number[];
  readonly offs: number[];
}

// Temporal guarantees |offset| < 24h, so an instant whose local time is within a day is within two days of it in UTC.
export const MAX_OFFSET_MS = DAY_MS;

// Far-past queries are rare and walking transitions costs ~0.2 ms each; a year of slack on the left
// keeps a run of slightly-earlier queries from each paying for a new walk.
const LEFT_SLACK_MS = 366 * DAY_MS;

// Bounded because zone names come from users and case variants ('utc', 'UTC') would each get an entry.
const MAX_ZONES = 256;
const tables = new Map<string, ZoneTable>();

function walk(zone: string, from: number, to: number): ZoneTable {
  let zdt = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(zone);
  const bounds = [from];
  const offs = [zdt.offsetNanoseconds / 1e6];
  for (;;) {
    const next = zdt.getTimeZoneTransition('next');
    if (next === null) {
      bounds.push(Infinity);
      break;
    }
    const t = next.epochMilliseconds;
    // No transition in (zdt, next), so the current segment certainly reaches `t` even when t is past `to`.
    if (t >= to) {
      bounds.push(t);
      break;
    }
    const o = next.offsetNanoseconds / 1e6;
    if (o !== offs[offs.length - 1]) {
      bounds.push(t);
      offs.push(o);
    }
    zdt = next;
  }
  return { bounds, offs };
}

function joinTables(left: ZoneTable, right: ZoneTable): ZoneTable {
  // left ends exactly where right begins; drop the seam if it is not a real offset change.
  const bounds = left.bounds.slice(0, -1);
  const offs = left.offs.slice();
  let k = 0;
  if (offs[offs.length - 1] === right.offs[0]) k = 1;
  for (let i = k; i < right.offs.length; i++) {
    bounds.push(right.bounds[i]!);
    offs.push(right.offs[i]!);
  }
  bounds.push(right.bounds[right.bounds.length - 1]!);
  return { bounds, offs };
}

/** A table covering at least [from, to). Throws RangeError for names Temporal does not know. */
export function zoneTable(zone: string, from: number, to: number): ZoneTable {
  let t = tables.get(zone);
  if (t === undefined) {
    t = walk(zone, from - LEFT_SLACK_MS, to);
    if (tables.size >= MAX_ZONES) tables.delete(tables.keys().next().value!);
    tables.set(zone, t);
    return t;
  }
  const lo = t.bounds[0]!;
  const hi = t.bounds[t.bounds.length - 1]!;
  if (from >= lo && to <= hi) return t;
  if (from < lo) {
    const left = walk(zone, from - LEFT_SLACK_MS, lo);
    left.bounds[left.bounds.length - 1] = lo;
    t = joinTables(left, t);
  }
  if (to > hi) t = joinTables(t, walk(zone, hi, to));
  tables.set(zone, t);
  return t;
}

/** Index of the segment containing `ms` (the table must cover it). */
export function segmentIndex(t: ZoneTable, ms: number): number {
  const b = t.bounds;
  let lo = 0;
  let hi = t.offs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (b[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** UTC offset in ms of `zone` at instant `ms`. */
export function offsetAt(zone: string, ms: number): number {
  const t = zoneTable(zone, ms, ms + 1);
  return t.offs[segmentIndex(t, ms)]!;
}

/**
 * Appends to `out` the instants whose local "naive" time (utc + offset, as epoch ms) lies in [ws, we).
 * In each constant-offset segment that set is [ws - o, we - o) clipped to the segment; the pieces come out
 * in ascending order, and pieces touching each other (or `out`'s last entry) are merged.
 */
export function naiveRangeToInstants(t: ZoneTable, ws: number, we: number, out: Interval[]): void {
  if (!(we > ws)) return;
  const b = t.bounds;
  const last = t.offs.length;
  for (let i = segmentIndex(t, ws - MAX_OFFSET_MS); i < last && b[i]! < we + MAX_OFFSET_MS; i++) {
    const o = t.offs[i]!;
    const lo = Math.max(ws - o, b[i]!);
    const hi = Math.min(we - o, b[i + 1]!);
    if (!(lo < hi)) continue;
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.end === lo) prev.end = hi;
    else out.push({ start: lo, end: hi });
  }
}

/** The first instant at which the local clock reads `naive` or later (the table must cover naive ± 1 day). */
export function firstInstantAtOrAfterNaive(t: ZoneTable, naive: number): number {
  const b = t.bounds;
  for (let i = segmentIndex(t, naive - MAX_OFFSET_MS); i < t.offs.length; i++) {
    const c = Math.max(b[i]!, naive - t.offs[i]!);
    if (c < b[i + 1]!) return c;
  }
  // Unreachable when the table covers naive + 1 day: the last covered segment always qualifies.
  throw new RangeError('zone table does not cover the requested time');
}
