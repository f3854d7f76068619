// The engine's end-to-end availability query, shared by the benchmark and by anyone comparing it against an oracle.
// Host rules are expanded over the viewer's dates, busy time removed, and the result cut into the viewer's days.
import type { DayIntervals, Interval, ScheduleRules } from '../../src/domain/index';
import { availableIntervals, bookableSlots, dayWindow, freeIntervals, splitByDays } from '../../src/domain/index';

/** Free time of a host, per viewer-zone date from `from` to `to` inclusive. */
export function runEngineQuery(
  rules: ScheduleRules,
  busy: readonly Interval[],
  from: string,
  to: string,
  viewerZone: string,
): DayIntervals[] {
  const window = dayWindow(from, to, viewerZone);
  const free = freeIntervals({ available: availableIntervals(rules, window), busy });
  return splitByDays(free, from, to, viewerZone);
}

export interface SlotOptions {
  duration: number;
  step: number;
  bufferBefore?: number;
  bufferAfter?: number;
  notBefore?: number;
}

/** Bookable slot starts of a host over the viewer's dates `from`..`to`. */
export function runSlotQuery(
  rules: ScheduleRules,
  busy: readonly Interval[],
  from: string,
  to: string,
  viewerZone: string,
  opts: SlotOptions,
): Interval[] {
  const window = dayWindow(from, to, viewerZone);
  return bookableSlots({ available: availableIntervals(rules, window), busy, window, ...opts });
}
