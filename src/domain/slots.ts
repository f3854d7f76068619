// Bookable slot starts: a fixed grid anchored at the start of each working stretch, minus whatever collides with busy time.
// Anchoring to working hours (not to free gaps) keeps the grid stable, so one booking never shifts the others' times.
import type { Interval } from './intervals';
import { firstEndingAfter, normalize, normalizedForReading, overlaps } from './intervals';

export interface SlotQuery {
  available: readonly Interval[];
  busy: readonly Interval[];
  duration: number;
  step: number;
  bufferBefore?: number;
  bufferAfter?: number;
  notBefore?: number;
  window: Interval;
}

interface Checked {
  duration: number;
  step: number;
  before: number;
  after: number;
  earliest: number;
}

function check(q: SlotQuery): Checked {
  const { duration, step } = q;
  const before = q.bufferBefore ?? 0;
  const after = q.bufferAfter ?? 0;
  // A zero or negative step would loop forever; negative buffers have no meaning. Fail loudly instead.
  if (!(duration > 0) || !Number.isFinite(duration)) throw new RangeError(`duration must be > 0, got ${duration}`);
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`step must be > 0, got ${step}`);
  if (!(before >= 0) || !(after >= 0)) throw new RangeError('buffers must be >= 0');
  const earliest = q.notBefore === undefined ? q.window.start : Math.max(q.window.start, q.notBefore);
  return { duration, step, before, after, earliest };
}

/**
 * Slots [s, s + duration) with s = a.start + k·step for a stretch a of normalize(available) (touching stretches count
 * as one), lying wholly inside a, with window.start <= s < window.end and s >= notBefore, whose buffered span
 * [s − bufferBefore, s + duration + bufferAfter) shares no positive-length time with busy. Sorted by start.
 */
export function bookableSlots(q: SlotQuery): Interval[] {
  const { duration, step, before, after, earliest } = check(q);
  const avail = normalizedForReading(q.available);
  const busy = normalizedForReading(q.busy);
  const out: Interval[] = [];
  // Every slot starts at or after `earliest`, so busy time ending by earliest − before never matters.
  let j = firstEndingAfter(busy, earliest - before);
  for (let i = firstEndingAfter(avail, earliest); i < avail.length; i++) {
    const a = avail[i]!;
    if (a.start >= q.window.end) break;
    let k = earliest > a.start ? Math.ceil((earliest - a.start) / step) : 0;
    // Guard against ceil landing a hair early with fractional inputs; integer ms never trigger it.
    while (a.start + k * step < earliest) k++;
    for (let s = a.start + k * step; s + duration <= a.end && s < q.window.end; s = a.start + k * step) {
      const from = s - before;
      // Slot starts only grow, so busy entries left behind never matter again: one pass over busy in total.
      while (j < busy.length && busy[j]!.end <= from) j++;
      const b = busy[j];
      if (b !== undefined && b.start < s + duration + after) {
        // Every grid point before the one whose buffer clears b's end collides with b too; skip them at once.
        k = Math.max(k + 1, Math.ceil((b.end + before - a.start) / step));
        continue;
      }
      out.push({ start: s, end: s + duration });
      k++;
    }
  }
  return out;
}

/** Exactly "bookableSlots(q) has a slot starting at slotStart", without generating the slots: O(n) (binary search once sorted). */
export function isBookable(q: SlotQuery, slotStart: number): boolean {
  const { duration, step, before, after, earliest } = check(q);
  if (!(slotStart >= earliest && slotStart < q.window.end)) return false;
  const avail = normalize(q.available);
  const a = avail[firstEndingAfter(avail, slotStart)];
  if (a === undefined || a.start > slotStart || !(slotStart + duration <= a.end)) return false;
  // Same arithmetic as the generator, so float rounding cannot make the two disagree.
  if (a.start + Math.round((slotStart - a.start) / step) * step !== slotStart) return false;
  return !overlaps(q.busy, { start: slotStart - before, end: slotStart + duration + after });
}
