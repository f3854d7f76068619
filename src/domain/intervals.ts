// Set algebra on half-open number intervals [start, end): the same code serves epoch-ms instants and minutes-of-day.
// Every function sorts at most once and then sweeps linearly; none mutates its inputs or returns objects it was given.
import { sortedOrder } from './radix-sort';

export interface Interval {
  start: number;
  end: number;
}

function isSortedByStart(xs: readonly Interval[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i]!.start < xs[i - 1]!.start) return false;
  return true;
}

// Already-sorted input is the common case (engine output fed back in), so it gets a single pass with no sort.
function mergeSorted(xs: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let cur: Interval | null = null;
  for (const x of xs) {
    if (!(x.end > x.start)) continue;
    if (cur !== null && x.start <= cur.end) {
      if (x.end > cur.end) cur.end = x.end;
    } else {
      cur = { start: x.start, end: x.end };
      out.push(cur);
    }
  }
  return out;
}

// Unsorted input: radix-sort the starts once (see radix-sort.ts for why not Array#sort), then merge in that order.
function mergeUnsorted(xs: readonly Interval[]): Interval[] {
  let n = 0;
  for (const x of xs) if (x.end > x.start) n++;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  let k = 0;
  for (const x of xs)
    if (x.end > x.start) {
      starts[k] = x.start;
      ends[k] = x.end;
      k++;
    }
  const order = sortedOrder(starts);
  const out: Interval[] = [];
  let cur: Interval | null = null;
  for (let i = 0; i < n; i++) {
    const j = order[i]!;
    const start = starts[j]!;
    const end = ends[j]!;
    if (cur !== null && start <= cur.end) {
      if (end > cur.end) cur.end = end;
    } else {
      cur = { start, end };
      out.push(cur);
    }
  }
  return out;
}

function isNormalized(xs: readonly Interval[]): boolean {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!(x.end > x.start) || (i > 0 && !(x.start > xs[i - 1]!.end))) return false;
  }
  return true;
}

/**
 * `xs` itself when it is already normalized (engine output fed back in), else normalize(xs). Only for reading:
 * callers must not hand its objects out, so that no function returns objects it was given.
 */
export function normalizedForReading(xs: readonly Interval[]): readonly Interval[] {
  return isNormalized(xs) ? xs : normalize(xs);
}

/** Sorted, non-empty, pairwise disjoint and non-touching intervals covering the same points as `xs`. */
export function normalize(xs: readonly Interval[]): Interval[] {
  return isSortedByStart(xs) ? mergeSorted(xs) : mergeUnsorted(xs);
}

export function union(...lists: readonly (readonly Interval[])[]): Interval[] {
  if (lists.length === 1) return normalize(lists[0]!);
  return normalize(lists.flat());
}

// Both inputs must already be normalized.
function intersectNormalized(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return intersectNormalized(normalize(a), normalize(b));
}

/** Points present in every list; an empty array of lists has no common points, so it yields []. */
export function intersectAll(lists: readonly (readonly Interval[])[]): Interval[] {
  if (lists.length === 0) return [];
  let acc = normalize(lists[0]!);
  for (let k = 1; k < lists.length && acc.length > 0; k++) acc = intersectNormalized(acc, normalize(lists[k]!));
  return acc;
}

/** Points of `a` not in `b`. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const xs = normalizedForReading(a);
  const ys = normalizedForReading(b);
  const out: Interval[] = [];
  let j = 0;
  for (const x of xs) {
    let start = x.start;
    // ys entries ending before this x cannot touch any later x either, since xs ascend.
    while (j < ys.length && ys[j]!.end <= start) j++;
    let k = j;
    while (k < ys.length && ys[k]!.start < x.end) {
      const y = ys[k]!;
      if (y.start > start) out.push({ start, end: y.start });
      if (y.end > start) start = y.end;
      if (start >= x.end) break;
      k++;
    }
    if (start < x.end) out.push({ start, end: x.end });
  }
  return out;
}

export function clip(xs: readonly Interval[], window: Interval): Interval[] {
  if (!(window.end > window.start)) return [];
  return intersectNormalized(normalize(xs), [window]);
}

/** Index of the first normalized interval whose end is after `t` (binary search). */
export function firstEndingAfter(xs: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]!.end > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** True when every point of `iv` lies in the union of `xs`; an empty `iv` is trivially covered. */
export function covers(xs: readonly Interval[], iv: Interval): boolean {
  if (!(iv.end > iv.start)) return true;
  const ns = normalize(xs);
  const x = ns[firstEndingAfter(ns, iv.start)];
  // Normalized pieces never touch, so a single piece must hold all of iv.
  return x !== undefined && x.start <= iv.start && x.end >= iv.end;
}

/** True when some interval of `xs` shares a positive-length stretch with `iv`. Linear, no sort needed. */
export function overlaps(xs: readonly Interval[], iv: Interval): boolean {
  if (!(iv.end > iv.start)) return false;
  for (const x of xs) {
    if (x.end > x.start && x.start < iv.end && x.end > iv.start) return true;
  }
  return false;
}

/** Normalizes, then keeps only pieces at least `minLength` long (pieces exactly `minLength` long stay). */
export function dropShorterThan(xs: readonly Interval[], minLength: number): Interval[] {
  return normalize(xs).filter((x) => x.end - x.start >= minLength);
}
