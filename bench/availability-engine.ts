// Benchmark of the pure scheduling core: a New York host (Mon-Fri 09-17) viewed from Tokyo over 31 days,
// with 0 / 100 / 1,000 / 10,000 seeded random busy intervals of 30-90 minutes.
import type { Interval, ScheduleRules } from '../src/domain/index';
import { availableIntervals, bookableSlots, dayWindow } from '../src/domain/index';
import { runEngineQuery, runSlotQuery } from './lib/engine-query';

const MIN = 60_000;
const nineToFive = [{ start: '09:00', end: '17:00' }];
export const benchRules: ScheduleRules = {
  timeZone: 'America/New_York',
  weekly: { monday: nineToFive, tuesday: nineToFive, wednesday: nineToFive, thursday: nineToFive, friday: nineToFive },
  overrides: [],
};
export const benchRange = { from: '2026-03-01', to: '2026-03-31', viewerZone: 'Asia/Tokyo' } as const;

// mulberry32: tiny deterministic PRNG so every run (and the oracle comparison) sees the same busy sets.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` busy intervals of 30-90 whole minutes starting on a 5-minute grid anywhere inside `window`. */
export function randomBusy(n: number, window: Interval, seed = 1): Interval[] {
  const rnd = mulberry32(seed);
  const slots = Math.floor((window.end - window.start) / (5 * MIN));
  return Array.from({ length: n }, () => {
    const start = window.start + Math.floor(rnd() * slots) * 5 * MIN;
    return { start, end: start + (30 + Math.floor(rnd() * 61)) * MIN };
  });
}

function timePerCall(fn: () => unknown, minMs = 300): number {
  for (let i = 0; i < 20; i++) fn(); // warm-up: JIT and the zone-offset cache
  let iterations = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 10; i++) fn();
    iterations += 10;
    elapsed = performance.now() - t0;
  }
  return elapsed / iterations;
}

function main(): void {
  const { from, to, viewerZone } = benchRange;
  const t0 = performance.now();
  runEngineQuery(benchRules, [], from, to, viewerZone);
  const cold = performance.now() - t0;

  const window = dayWindow(from, to, viewerZone);
  const available = availableIntervals(benchRules, window);
  const slotOpts = { duration: 30 * MIN, step: 30 * MIN };
  console.log(
    `host ${benchRules.timeZone} Mon-Fri 09-17, viewer ${viewerZone}, ${from}..${to}; cold first query ${cold.toFixed(2)} ms`,
  );
  console.log('busy    | free-by-day ms/query | bookableSlots ms/query | schedule+slots ms/query | slots');
  for (const n of [0, 100, 1_000, 10_000]) {
    const busy = randomBusy(n, window, 42 + n);
    const q = { available, busy, window, ...slotOpts };
    const tFree = timePerCall(() => runEngineQuery(benchRules, busy, from, to, viewerZone));
    const tSlots = timePerCall(() => bookableSlots(q));
    const tBoth = timePerCall(() => runSlotQuery(benchRules, busy, from, to, viewerZone, slotOpts));
    const count = bookableSlots(q).length;
    console.log(
      `${String(n).padStart(6)}  | ${tFree.toFixed(4).padStart(20)} | ${tSlots.toFixed(4).padStart(22)} | ${tBoth.toFixed(4).padStart(23)} | ${count}`,
    );
  }
}

// Run only when executed directly, so the oracle comparison can import the fixtures above.
if (import.meta.url === `file://${process.argv[1]}`) main();
