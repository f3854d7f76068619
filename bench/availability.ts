/**
 * Availability benchmark: engine vs brute-force oracle.
 *
 * Host: Mon–Fri 09:00–17:00 America/New_York. Viewer: Asia/Tokyo. Window: 31 viewer days
 * (2026-03-01..2026-03-31, which contains the US spring-forward). Busy: 0 / 100 / 1,000 / 10,000
 * seeded-random intervals of 30–90 minutes. Each size is checked engine == oracle before timing.
 *
 * One query = availableIntervals -> freeIntervals -> splitByDays (per viewer day).
 *
 * Run: npx tsx bench/availability.ts
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as E from '../src/domain/index';
import * as O from '../test/domain/oracle';
import type { Interval, ScheduleRules } from '../test/domain/oracle';

const HOST_TZ = 'America/New_York';
const VIEWER_TZ = 'Asia/Tokyo';
const FROM = '2026-03-01';
const TO = '2026-03-31';
const SIZES = [0, 100, 1_000, 10_000];
const MINUTE = 60_000;

const rules: ScheduleRules = {
  timeZone: HOST_TZ,
  weekly: Object.fromEntries(
    (['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const).map((d) => [
      d,
      [{ start: '09:00', end: '17:00' }],
    ]),
  ),
  overrides: [],
};

/** mulberry32: small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeBusy(n: number, window: Interval, seed: number): Interval[] {
  const rnd = prng(seed);
  const spanMin = (window.end - window.start) / MINUTE;
  const out: Interval[] = [];
  for (let i = 0; i < n; i++) {
    const startMin = Math.floor(rnd() * spanMin);
    const len = 30 + Math.floor(rnd() * 61); // 30..90 minutes
    const start = window.start + startMin * MINUTE;
    out.push({ start, end: start + len * MINUTE });
  }
  return out;
}

type DayEntry = { date: string; intervals: Interval[] };

// ---- the engine query (bench/lib/engine-query.ts if the engine author provides one) ----
type EngineQuery = (q: {
  rules: ScheduleRules;
  busy: Interval[];
  from: string;
  to: string;
  viewerTimeZone: string;
}) => DayEntry[];

function directEngineQuery(q: {
  rules: ScheduleRules;
  busy: Interval[];
  from: string;
  to: string;
  viewerTimeZone: string;
}): DayEntry[] {
  const window = E.dayWindow(q.from, q.to, q.viewerTimeZone);
  const available = E.availableIntervals(q.rules, window);
  const free = E.freeIntervals({ available, busy: q.busy });
  return E.splitByDays(free, q.from, q.to, q.viewerTimeZone);
}

async function loadEngineQuery(): Promise<{ fn: EngineQuery; source: string }> {
  const libPath = fileURLToPath(new URL('./lib/engine-query.ts', import.meta.url));
  if (existsSync(libPath)) {
    try {
      // runEngineQuery(rules, busy, from, to, viewerZone) -> per-day intervals
      const mod = (await import('./lib/engine-query')) as { runEngineQuery?: unknown };
      if (typeof mod.runEngineQuery === 'function') {
        const run = mod.runEngineQuery as (
          rules: ScheduleRules,
          busy: Interval[],
          from: string,
          to: string,
          viewerZone: string,
        ) => DayEntry[];
        const fn: EngineQuery = (q) => run(q.rules, q.busy, q.from, q.to, q.viewerTimeZone);
        return { fn, source: 'bench/lib/engine-query.ts runEngineQuery' };
      }
    } catch (err) {
      console.warn(`could not use bench/lib/engine-query.ts (${(err as Error).message}); calling the engine directly`);
    }
  }
  return {
    fn: directEngineQuery,
    source: 'direct calls (dayWindow -> availableIntervals -> freeIntervals -> splitByDays)',
  };
}

function oracleQuery(q: {
  rules: ScheduleRules;
  busy: Interval[];
  from: string;
  to: string;
  viewerTimeZone: string;
}): DayEntry[] {
  const window = O.oDayWindow(q.from, q.to, q.viewerTimeZone);
  const available = O.oAvailableIntervals(q.rules, window);
  const free = O.oFreeIntervals({ available, busy: q.busy });
  return O.oSplitByDays(free, q.from, q.to, q.viewerTimeZone);
}

function plainDays(days: DayEntry[]): string {
  return JSON.stringify(
    days.map((d) => ({ date: d.date, intervals: d.intervals.map((x) => ({ start: x.start, end: x.end })) })),
  );
}

/** Mean ms per call: warm up, then run until minIters and minMs are both reached (or maxMs). */
function time(
  fn: () => unknown,
  opts: { warmup: number; minIters: number; minMs: number; maxMs: number },
): { ms: number; iters: number } {
  for (let i = 0; i < opts.warmup; i++) fn();
  let iters = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (iters < opts.minIters || elapsed < opts.minMs) {
    fn();
    iters++;
    elapsed = performance.now() - t0;
    if (elapsed > opts.maxMs) break;
  }
  return { ms: elapsed / iters, iters };
}

async function main(): Promise<void> {
  const { fn: engineQuery, source } = await loadEngineQuery();
  // The oracle runs as a true brute force here: one Intl call per minute, no caching.
  O.setOracleMode('exact');

  const window = O.oDayWindow(FROM, TO, VIEWER_TZ);
  console.log(
    `host ${HOST_TZ} Mon–Fri 09:00–17:00, viewer ${VIEWER_TZ}, ${FROM}..${TO} (${(window.end - window.start) / 86_400_000} days)`,
  );
  console.log(`engine query: ${source}`);
  console.log(`node ${process.version}\n`);

  // Successive engine iterations rotate through VARIANTS windows (start shifted by 0..6 days, fresh
  // copies of the rules and busy arrays), so a cache keyed on identical inputs cannot flatter it.
  const VARIANTS = 7;
  const span = O.oDayWindow(FROM, O.oAddDays(TO, VARIANTS - 1), VIEWER_TZ);
  const rows: { n: number; engine: number; engineIters: number; oracle: number; oracleIters: number; same: boolean }[] =
    [];
  for (const n of SIZES) {
    const busy = makeBusy(n, span, 0xc0ffee + n);
    const queries = Array.from({ length: VARIANTS }, (_, k) => ({
      rules: structuredClone(rules),
      busy: busy.map((b) => ({ ...b })),
      from: O.oAddDays(FROM, k),
      to: O.oAddDays(TO, k),
      viewerTimeZone: VIEWER_TZ,
    }));

    const same = [0, VARIANTS - 1].every(
      (k) => plainDays(engineQuery(queries[k]!)) === plainDays(oracleQuery(queries[k]!)),
    );
    let i = 0;
    const eng = time(() => engineQuery(queries[i++ % VARIANTS]!), {
      warmup: 50,
      minIters: 30,
      minMs: 1500,
      maxMs: 8000,
    });
    let j = 0;
    const orc = time(() => oracleQuery(queries[j++ % VARIANTS]!), { warmup: 1, minIters: 3, minMs: 1000, maxMs: 6000 });
    rows.push({ n, engine: eng.ms, engineIters: eng.iters, oracle: orc.ms, oracleIters: orc.iters, same });
  }

  const pad = (s: string, w: number) => s.padStart(w);
  console.log(
    `${pad('busy', 7)} | ${pad('engine ms/query', 16)} | ${pad('oracle ms/query', 16)} | ${pad('oracle/engine', 13)} | engine==oracle`,
  );
  console.log(`${'-'.repeat(7)}-+-${'-'.repeat(16)}-+-${'-'.repeat(16)}-+-${'-'.repeat(13)}-+---------------`);
  for (const r of rows) {
    console.log(
      `${pad(r.n.toLocaleString('en-US'), 7)} | ${pad(`${r.engine.toPrecision(3)} (x${r.engineIters})`, 16)} | ${pad(`${r.oracle.toFixed(1)} (x${r.oracleIters})`, 16)} | ${pad(`${(r.oracle / r.engine).toFixed(1)}x`, 13)} | ${r.same ? 'yes' : 'NO'}`,
    );
  }
  const r1k = rows.find((r) => r.n === 1_000)!;
  const r10k = rows.find((r) => r.n === 10_000)!;
  console.log(`\nengine growth 10,000 vs 1,000 busy: ${(r10k.engine / r1k.engine).toFixed(2)}x (linear would be ~10x)`);
  if (rows.some((r) => !r.same)) {
    console.log('WARNING: engine result differs from the oracle for at least one size');
    process.exitCode = 1;
  }
}

await main();
