/**
 * Property tests: the engine (src/domain) against the brute-force oracle (./oracle).
 *
 * Run: TZ=Asia/Kathmandu npx tsx --test test/domain/oracle.test.ts test/domain/properties.test.ts
 *
 * Knobs (environment):
 *   FC_SEED=<int>      replay a run (fast-check prints seed + path on failure)
 *   FC_RUNS_SCALE=<x>  multiply every numRuns (default 1)
 *   DOMAIN_IMPL=<path> test another implementation of the src/domain API instead
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

type Engine = typeof import('../../src/domain/index');
/** DOMAIN_IMPL=<path>: run the same properties against another implementation (used to mutation-test this suite). */
const E: Engine = process.env.DOMAIN_IMPL
  ? await import(process.env.DOMAIN_IMPL)
  : await import('../../src/domain/index');
import * as O from './oracle';
import { MINUTE, type Interval, type ScheduleRules, type WallInterval, type Weekday } from './oracle';

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;
const SCALE = process.env.FC_RUNS_SCALE !== undefined ? Number(process.env.FC_RUNS_SCALE) : 1;

function params(numRuns: number): fc.Parameters<unknown> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * SCALE)),
    includeErrorInReport: true, // show engine-vs-oracle details in the node:test failure message
    ...(SEED !== undefined ? { seed: SEED } : {}),
  };
}

/** Zones named by the brief. */
const MAIN_ZONES = [
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/New_York',
  'Europe/Berlin',
  'Pacific/Apia',
  'UTC',
  'America/Sao_Paulo',
  'Asia/Tehran',
];
/** Extra zones whose transitions happen AT local midnight (00:00 missing or 23:00 repeated) or odd offsets. */
const EXTRA_ZONES = ['America/Santiago', 'America/Havana', 'Africa/Cairo', 'Asia/Beirut', 'Pacific/Chatham'];
const ALL_ZONES = [...MAIN_ZONES, ...EXTRA_ZONES];

const SCAN_FROM = Date.UTC(2026, 0, 1);
const SCAN_TO = Date.UTC(2031, 0, 1);

/** Every offset change of every zone, 2026..2030, found by the oracle. */
const TRANSITIONS = new Map<string, O.Transition[]>(
  ALL_ZONES.map((z) => [z, O.findTransitions(z, SCAN_FROM, SCAN_TO)]),
);
const ALL_TRANSITIONS = [...TRANSITIONS.entries()].flatMap(([zone, ts]) => ts.map((t) => ({ zone, ...t })));

const FIRST_DAY = O.dateToDayNumber('2026-01-03');
const LAST_DAY = O.dateToDayNumber('2030-12-28');

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const iso = (ms: number): string => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const show = (xs: readonly Interval[]): string =>
  xs.length === 0 ? '[]' : xs.map((x) => `[${iso(x.start)}, ${iso(x.end)})`).join(' ');
const plain = (xs: readonly Interval[]): Interval[] => xs.map((x) => ({ start: x.start, end: x.end }));

function sameIntervals(actual: readonly Interval[], expected: readonly Interval[], what: string): void {
  const a = plain(actual);
  if (JSON.stringify(a) !== JSON.stringify(expected)) {
    const setEqual = JSON.stringify(O.oNormalize(a)) === JSON.stringify(expected);
    throw new Error(
      `${what}: engine != oracle${setEqual ? ' (same instants, but engine output is not normalized)' : ''}\n` +
        `  engine: ${show(a)}\n  oracle: ${show(expected)}`,
    );
  }
}

function minutes(n: number): number {
  return n * MINUTE;
}

/** Map an arbitrary non-negative integer into [lo, hi] (whole numbers). */
function into(x: number, lo: number, hi: number): number {
  return lo + (x % (hi - lo + 1));
}

// ---------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------

const zoneArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MAIN_ZONES) },
  { weight: 1, arbitrary: fc.constantFrom(...EXTRA_ZONES) },
);

const randomDateArb = fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map(O.dayNumberToDate);

/** A transition's local date (±k days, mostly 0) of one of the given zones, weighted; else any date 2026..2030. */
function dateNearArb(zones: string[], weights: number[] = zones.map(() => 1)): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [];
  zones.forEach((z, i) => {
    const ts = TRANSITIONS.get(z) ?? [];
    if (ts.length === 0) return;
    options.push({
      weight: 5 * weights[i]!,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...ts),
          fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }) }),
        )
        .map(([t, k]) => O.oAddDays(t.localDate, k)),
    });
  });
  options.push({ weight: 1, arbitrary: randomDateArb });
  return fc.oneof(...options);
}

const SPECIAL_WALL: [string, string][] = [
  ['02:00', '03:00'],
  ['01:30', '02:30'],
  ['00:00', '24:00'],
  ['00:00', '01:00'],
  ['23:00', '24:00'],
  ['02:30', '03:30'],
  ['01:00', '02:00'],
  ['00:30', '01:30'],
  ['22:00', '24:00'],
  ['23:30', '24:00'],
  ['00:00', '00:30'],
  ['09:00', '17:00'],
  ['02:15', '02:45'],
  ['03:00', '04:00'],
];

const wallIvArb: fc.Arbitrary<WallInterval> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_WALL).map(([start, end]) => ({ start, end })) },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 0, max: 95 })
      .chain((s) =>
        fc
          .integer({ min: s + 1, max: 96 })
          .map((e) => ({ start: O.minutesToWallTime(s * 15), end: O.minutesToWallTime(e * 15) })),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0, max: 1439 })
      .chain((s) =>
        fc
          .integer({ min: s + 1, max: 1440 })
          .map((e) => ({ start: O.minutesToWallTime(s), end: O.minutesToWallTime(e) })),
      ),
  },
);

const dayRulesArb = fc.array(wallIvArb, { maxLength: 3 });

const WEEKDAYS: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const weeklyArb = fc.record(
  Object.fromEntries(WEEKDAYS.map((d) => [d, dayRulesArb])) as Record<Weekday, fc.Arbitrary<WallInterval[]>>,
  { requiredKeys: [] },
) as fc.Arbitrary<Partial<Record<Weekday, WallInterval[]>>>;

function rulesArb(tz: string, anchor: string): fc.Arbitrary<ScheduleRules> {
  const overridesArb = fc.uniqueArray(
    fc.record({
      date: fc.integer({ min: -3, max: 4 }).map((k) => O.oAddDays(anchor, k)),
      intervals: dayRulesArb,
    }),
    { maxLength: 3, selector: (o) => o.date },
  );
  return fc.record({ timeZone: fc.constant(tz), weekly: weeklyArb, overrides: overridesArb });
}

/** Raw (unsorted, maybe overlapping/touching/empty) minute intervals, positioned later relative to a span. */
const rawRelArb = fc.array(
  fc.record({
    off: fc.nat(),
    len: fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 1, max: 240 }) },
      { weight: 2, arbitrary: fc.integer({ min: 241, max: 1500 }) },
      { weight: 1, arbitrary: fc.constant(0) }, // empty interval: must change nothing
    ),
  }),
  { maxLength: 8 },
);
type RawRel = { off: number; len: number }[];

/** Place relative intervals into [lo - margin, hi + margin) (ms, minute-aligned). */
function place(rel: RawRel, span: Interval, marginMin = 120): Interval[] {
  const loMin = span.start / MINUTE - marginMin;
  const hiMin = span.end / MINUTE + marginMin;
  return rel.map(({ off, len }) => {
    const s = into(off, loMin, hiMin - 1);
    return { start: minutes(s), end: minutes(s + len) };
  });
}

/** Scenario: host zone, viewer zone, a date range near a transition, the viewer's window, schedule rules. */
interface Scenario {
  host: string;
  viewer: string;
  from: string;
  to: string;
  window: Interval;
  rules: ScheduleRules;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({ host: zoneArb, viewer: zoneArb }).chain(({ host, viewer }) =>
  fc
    .record({
      anchor: dateNearArb([host, viewer], [2, 1]),
      days: fc.integer({ min: 1, max: 3 }),
      // how many days of the range precede the anchor (0..days-1 keeps the anchor inside)
      before: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 2 }).map((b) => ({ b, clamp: true })) },
        { weight: 1, arbitrary: fc.integer({ min: -1, max: 3 }).map((b) => ({ b, clamp: false })) },
      ),
      // null: the window is exactly the viewer's days; else shift its ends by whole minutes
      jitter: fc.option(fc.tuple(fc.integer({ min: -600, max: 600 }), fc.integer({ min: -600, max: 600 })), {
        freq: 3,
      }),
    })
    .chain(({ anchor, days, before, jitter }) => {
      const from = O.oAddDays(anchor, -(before.clamp ? Math.min(before.b, days - 1) : before.b));
      const to = O.oAddDays(from, days - 1);
      const dw = O.oDayWindow(from, to, viewer);
      let window = dw;
      if (jitter) {
        const start = dw.start + minutes(jitter[0]);
        const end = Math.max(start + MINUTE, dw.end + minutes(jitter[1]));
        window = { start, end };
      }
      return rulesArb(host, anchor).map((rules) => ({ host, viewer, from, to, window, rules }));
    }),
);

// ---------------------------------------------------------------------------
// Sanity of the setup
// ---------------------------------------------------------------------------

test('setup: transitions found for the DST zones', () => {
  for (const z of ['Australia/Lord_Howe', 'America/New_York', 'Europe/Berlin']) {
    assert.equal(TRANSITIONS.get(z)!.length, 10, z);
  }
  assert.ok(ALL_TRANSITIONS.length >= 70);
});

test('setup: generated scenarios really straddle transitions and are not trivially empty', () => {
  const sample = fc.sample(scenarioArb, { numRuns: 400, seed: 42 });
  const hits = (tz: string, w: Interval) => (TRANSITIONS.get(tz) ?? []).some((t) => w.start <= t.at && t.at < w.end);
  const dstHost = sample.filter((s) => (TRANSITIONS.get(s.host) ?? []).length > 0);
  const dstViewer = sample.filter((s) => (TRANSITIONS.get(s.viewer) ?? []).length > 0);
  const hostHit = dstHost.filter((s) => hits(s.host, s.window)).length / dstHost.length;
  const viewerHit = dstViewer.filter((s) => hits(s.viewer, s.window)).length / dstViewer.length;
  const nonEmpty = sample.filter((s) => O.oAvailableIntervals(s.rules, s.window).length > 0).length / sample.length;
  assert.ok(hostHit > 0.3, `window contains a host transition in only ${hostHit}`);
  assert.ok(viewerHit > 0.3, `window contains a viewer transition in only ${viewerHit}`);
  assert.ok(nonEmpty > 0.6, `availability non-empty in only ${nonEmpty}`);
});

// ---------------------------------------------------------------------------
// Interval algebra
// ---------------------------------------------------------------------------

const ALG_BASE = Date.UTC(2027, 5, 1, 8, 0);
/** Random intervals in minutes 0..600 from ALG_BASE, unsorted, may overlap/touch, may be empty (start == end). */
const algListArb = fc.array(
  fc
    .tuple(
      fc.integer({ min: 0, max: 600 }),
      fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 120 }) }, { weight: 1, arbitrary: fc.constant(0) }),
    )
    .map(([s, l]) => ({ start: ALG_BASE + minutes(s), end: ALG_BASE + minutes(s + l) })),
  { maxLength: 8 },
);
const algIvArb = fc
  .tuple(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 1, max: 200 }))
  .map(([s, l]) => ({ start: ALG_BASE + minutes(s), end: ALG_BASE + minutes(s + l) }));
/** Normalized lists (the form every engine output takes). */
const normListArb = algListArb.map(O.oNormalize);

test('intervals: normalize', () => {
  fc.assert(
    fc.property(algListArb, (xs) => sameIntervals(E.normalize(xs), O.oNormalize(xs), 'normalize')),
    params(1000),
  );
});

test('intervals: union / intersect / intersectAll / subtract (raw inputs)', () => {
  fc.assert(
    fc.property(algListArb, algListArb, algListArb, (a, b, c) => {
      sameIntervals(E.union(a, b, c), O.oUnion(a, b, c), 'union(a,b,c)');
      sameIntervals(E.union(a), O.oUnion(a), 'union(a)');
      sameIntervals(E.intersect(a, b), O.oIntersect(a, b), 'intersect');
      sameIntervals(E.intersectAll([a, b, c]), O.oIntersectAll([a, b, c]), 'intersectAll');
      sameIntervals(E.subtract(a, b), O.oSubtract(a, b), 'subtract');
    }),
    params(1000),
  );
});

test('intervals: union / intersect / intersectAll / subtract (normalized inputs)', () => {
  fc.assert(
    fc.property(normListArb, normListArb, normListArb, (a, b, c) => {
      sameIntervals(E.union(a, b, c), O.oUnion(a, b, c), 'union(a,b,c)');
      sameIntervals(E.intersect(a, b), O.oIntersect(a, b), 'intersect');
      sameIntervals(E.intersectAll([a, b, c]), O.oIntersectAll([a, b, c]), 'intersectAll');
      sameIntervals(E.subtract(a, b), O.oSubtract(a, b), 'subtract');
    }),
    params(1000),
  );
});

test('intervals: clip / covers / overlaps / dropShorterThan', () => {
  fc.assert(
    fc.property(algListArb, algIvArb, fc.integer({ min: 0, max: 150 }), (raw, iv, k) => {
      const xs = O.oNormalize(raw);
      sameIntervals(E.clip(xs, iv), O.oClip(xs, iv), 'clip');
      assert.equal(E.covers(xs, iv), O.oCovers(xs, iv), `covers(${show(xs)}, ${show([iv])})`);
      assert.equal(E.overlaps(xs, iv), O.oOverlaps(xs, iv), `overlaps(${show(xs)}, ${show([iv])})`);
      sameIntervals(E.dropShorterThan(xs, minutes(k)), O.oDropShorterThan(xs, minutes(k)), `dropShorterThan(${k} min)`);
    }),
    params(1000),
  );
});

// ---------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------

/** Instants (whole seconds) near transitions or anywhere in 2026..2030. */
const instantArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...ALL_TRANSITIONS), fc.integer({ min: -3 * 86400, max: 3 * 86400 }))
      .map(([t, s]) => t.at + s * 1000),
  },
  { weight: 1, arbitrary: fc.integer({ min: SCAN_FROM / 1000, max: SCAN_TO / 1000 - 1 }).map((s) => s * 1000) },
);

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

test('calendar: formatInstant shows Intl wall time + correct offset; parseInstant inverts it', () => {
  fc.assert(
    fc.property(instantArb, fc.constantFrom(...ALL_ZONES, 'Asia/Tokyo'), (ms, tz) => {
      const s = E.formatInstant(ms, tz);
      const m = RFC3339.exec(s);
      assert.ok(m, `formatInstant(${ms}, ${tz}) = ${s} is not RFC 3339`);
      const w = O.wallClock(ms, tz);
      const [, date, hh, mi, ss, , off] = m;
      assert.deepEqual(
        { date, minutes: Number(hh) * 60 + Number(mi), seconds: Number(ss) },
        w,
        `formatInstant(${iso(ms)}, ${tz}) = ${s}, Intl wall ${JSON.stringify(w)}`,
      );
      const offMin =
        off === 'Z' ? 0 : (off![0] === '-' ? -1 : 1) * (Number(off!.slice(1, 3)) * 60 + Number(off!.slice(4, 6)));
      assert.equal(offMin, O.oOffsetMinutes(ms, tz), `offset in ${s} for ${iso(ms)} ${tz}`);
      assert.equal(E.parseInstant(s), ms, `parseInstant(${s})`);
    }),
    params(1000),
  );
});

test('calendar: localDateOf / instantToWall agree with Intl', () => {
  fc.assert(
    // sub-minute and sub-second instants too
    fc.property(
      instantArb,
      fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59_999 })),
      fc.constantFrom(...ALL_ZONES, 'Asia/Tokyo'),
      (ms0, extra, tz) => {
        const ms = ms0 + extra;
        const w = O.wallClock(ms, tz);
        assert.equal(E.localDateOf(ms, tz), w.date, `localDateOf(${iso(ms)}, ${tz})`);
        const got = E.instantToWall(ms, tz);
        assert.deepEqual(
          { date: got.date, minutes: got.minutes },
          { date: w.date, minutes: w.minutes },
          `instantToWall(${iso(ms)}, ${tz})`,
        );
      },
    ),
    params(1000),
  );
});

test('calendar: startOfDay / dayWindow / wallToInstants agree with the oracle', () => {
  const arb = zoneArb.chain((tz) =>
    fc.record({
      tz: fc.constant(tz),
      date: dateNearArb([tz]),
      days: fc.integer({ min: 1, max: 3 }),
      wall: wallIvArb,
    }),
  );
  fc.assert(
    fc.property(arb, ({ tz, date, days, wall }) => {
      assert.equal(E.startOfDay(date, tz), O.oStartOfDay(date, tz), `startOfDay(${date}, ${tz})`);
      const to = O.oAddDays(date, days - 1);
      const dw = E.dayWindow(date, to, tz);
      assert.deepEqual(plain([dw]), [O.oDayWindow(date, to, tz)], `dayWindow(${date}, ${to}, ${tz})`);
      const s = O.wallTimeToMinutes(wall.start);
      const e = O.wallTimeToMinutes(wall.end);
      sameIntervals(
        E.wallToInstants(date, s, e, tz),
        O.oWallToInstants(date, s, e, tz),
        `wallToInstants(${date}, ${wall.start}-${wall.end}, ${tz})`,
      );
    }),
    params(800),
  );
});

test('calendar: addDays / datesInRange / weekdayOf / isDate / parseWallTime', () => {
  fc.assert(
    fc.property(randomDateArb, fc.integer({ min: -400, max: 400 }), fc.integer({ min: 0, max: 40 }), (d, n, k) => {
      assert.equal(E.addDays(d, n), O.oAddDays(d, n), `addDays(${d}, ${n})`);
      assert.deepEqual(
        E.datesInRange(d, O.oAddDays(d, k)),
        O.oDatesInRange(d, O.oAddDays(d, k)),
        `datesInRange(${d}, +${k})`,
      );
      assert.equal(E.weekdayOf(d), O.oWeekdayOf(d), `weekdayOf(${d})`);
      assert.equal(E.isDate(d), true, `isDate(${d})`);
    }),
    params(800),
  );
  for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', 'x']) {
    assert.equal(E.isDate(bad), false, `isDate(${bad})`);
  }
  assert.equal(E.isDate('2028-02-29'), true);
  for (let h = 0; h <= 24; h++) {
    for (const mi of [0, 1, 30, 59]) {
      const s = `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
      const want = h < 24 ? h * 60 + mi : null;
      assert.equal(E.parseWallTime(s, { allow24: false }), want, `parseWallTime(${s})`);
      assert.equal(
        E.parseWallTime(s, { allow24: true }),
        h === 24 && mi === 0 ? 1440 : want,
        `parseWallTime(${s}, allow24)`,
      );
    }
  }
  for (const bad of ['25:00', '12:60', 'ab:cd', '24:01', '']) {
    assert.equal(E.parseWallTime(bad, { allow24: true }), null, `parseWallTime(${bad})`);
  }
  for (const z of ALL_ZONES) assert.equal(E.isTimeZone(z), true, z);
  for (const z of ['Mars/Olympus', '', 'America/New York']) assert.equal(E.isTimeZone(z), false, z);
});

// ---------------------------------------------------------------------------
// Schedules and availability
// ---------------------------------------------------------------------------

test('every transition 2026-2030: local days and special wall intervals', () => {
  const rules = (tz: string): ScheduleRules => ({
    timeZone: tz,
    weekly: {
      monday: [{ start: '00:00', end: '24:00' }],
      tuesday: [{ start: '02:00', end: '03:00' }],
      wednesday: [{ start: '01:30', end: '02:30' }],
      thursday: [
        { start: '00:00', end: '01:00' },
        { start: '23:00', end: '24:00' },
      ],
      friday: [{ start: '00:00', end: '24:00' }],
      saturday: [
        { start: '00:00', end: '02:00' },
        { start: '02:00', end: '24:00' },
      ],
      sunday: [{ start: '00:00', end: '24:00' }],
    },
    overrides: [],
  });
  let checked = 0;
  for (const t of ALL_TRANSITIONS) {
    const tz = t.zone;
    for (let k = -1; k <= 1; k++) {
      const d = O.oAddDays(t.localDate, k);
      assert.equal(E.startOfDay(d, tz), O.oStartOfDay(d, tz), `startOfDay(${d}, ${tz})`);
      for (const [s, e] of SPECIAL_WALL) {
        const a = O.wallTimeToMinutes(s);
        const b = O.wallTimeToMinutes(e);
        sameIntervals(
          E.wallToInstants(d, a, b, tz),
          O.oWallToInstants(d, a, b, tz),
          `wallToInstants(${d}, ${s}-${e}, ${tz})`,
        );
      }
      checked++;
    }
    // schedule in the zone, seen over the 3 local days around the transition
    const window = O.oDayWindow(O.oAddDays(t.localDate, -1), O.oAddDays(t.localDate, 1), tz);
    const r = rules(tz);
    // override the transition day itself with each special interval in turn
    for (const special of [null, ...SPECIAL_WALL]) {
      const rr: ScheduleRules =
        special === null
          ? r
          : { ...r, overrides: [{ date: t.localDate, intervals: [{ start: special[0], end: special[1] }] }] };
      const label = special === null ? 'weekly rules only' : `override ${special[0]}-${special[1]}`;
      sameIntervals(
        E.availableIntervals(rr, window),
        O.oAvailableIntervals(rr, window),
        `availableIntervals(${tz} around ${t.localDate}, ${label})`,
      );
    }
  }
  assert.ok(checked > 0);
});

test('availableIntervals == oracle (random rules/overrides, 1..3-day viewer window)', () => {
  fc.assert(
    fc.property(scenarioArb, (sc) => {
      sameIntervals(
        E.availableIntervals(sc.rules, sc.window),
        O.oAvailableIntervals(sc.rules, sc.window),
        `availableIntervals(host ${sc.host}, viewer ${sc.viewer}, window ${show([sc.window])})`,
      );
    }),
    params(1000),
  );
});

test('freeIntervals == oracle', () => {
  fc.assert(
    fc.property(
      scenarioArb,
      fc.option(rawRelArb, { freq: 4 }), // null: available from the schedule; else a raw list
      rawRelArb,
      fc.option(fc.nat(), { freq: 2 }),
      (sc, rawAvail, busyRel, nb) => {
        const available = rawAvail ? place(rawAvail, sc.window, 0) : O.oAvailableIntervals(sc.rules, sc.window);
        const busy = place(busyRel, sc.window);
        const q: { available: Interval[]; busy: Interval[]; notBefore?: number } = { available, busy };
        if (nb !== null) q.notBefore = minutes(into(nb, sc.window.start / MINUTE - 60, sc.window.end / MINUTE + 60));
        sameIntervals(
          E.freeIntervals(q),
          O.oFreeIntervals(q),
          `freeIntervals(notBefore ${q.notBefore === undefined ? '-' : iso(q.notBefore)})`,
        );
      },
    ),
    params(1000),
  );
});

test('splitByDays == oracle', () => {
  fc.assert(
    fc.property(
      scenarioArb,
      rawRelArb,
      fc.integer({ min: -1, max: 1 }),
      fc.integer({ min: -1, max: 1 }),
      fc.boolean(),
      (sc, busyRel, a, b, fromSchedule) => {
        // realistic input: free time of the schedule (normalized); or a normalized random list
        const xs = fromSchedule
          ? O.oFreeIntervals({ available: O.oAvailableIntervals(sc.rules, sc.window), busy: place(busyRel, sc.window) })
          : O.oNormalize(place(busyRel, sc.window, 24 * 60));
        const from = O.oAddDays(sc.from, a);
        let to = O.oAddDays(sc.to, b);
        if (to < from) to = from;
        const got = E.splitByDays(xs, from, to, sc.viewer);
        const want = O.oSplitByDays(xs, from, to, sc.viewer);
        assert.deepEqual(
          got.map((e) => e.date),
          want.map((e) => e.date),
          `splitByDays dates ${from}..${to} in ${sc.viewer}`,
        );
        want.forEach((w, i) =>
          sameIntervals(
            got[i]!.intervals,
            w.intervals,
            `splitByDays day ${w.date} in ${sc.viewer} (input ${show(xs)})`,
          ),
        );
      },
    ),
    params(1000),
  );
});

test('commonFreeTime == oracle (2..4 users)', () => {
  const arb = scenarioArb.chain((sc) =>
    fc.record({
      sc: fc.constant(sc),
      users: fc.array(
        fc.oneof(
          // a user with a schedule in their own zone, minus busy
          fc.record({ kind: fc.constant('schedule' as const), zone: zoneArb, weekly: weeklyArb, busy: rawRelArb }),
          // a user with a raw (unsorted / overlapping) list
          fc.record({ kind: fc.constant('raw' as const), busy: rawRelArb }),
        ),
        { minLength: 2, maxLength: 4 },
      ),
      // undefined; a number of minutes; or "the exact length of one of the common intervals" (boundary)
      minSpec: fc.option(
        fc.oneof(
          fc.integer({ min: 0, max: 180 }).map((v) => ({ v, pick: false })),
          fc.nat().map((v) => ({ v, pick: true })),
        ),
        { freq: 3 },
      ),
    }),
  );
  fc.assert(
    fc.property(arb, ({ sc, users, minSpec }) => {
      const perUser = users.map((u) =>
        u.kind === 'raw'
          ? place(u.busy, sc.window, 0)
          : O.oFreeIntervals({
              available: O.oAvailableIntervals({ timeZone: u.zone, weekly: u.weekly, overrides: [] }, sc.window),
              busy: place(u.busy, sc.window),
            }),
      );
      let minDuration: number | null = null;
      if (minSpec && !minSpec.pick) minDuration = minSpec.v;
      if (minSpec?.pick) {
        const common = O.oIntersectAll(perUser);
        minDuration =
          common.length === 0
            ? 30
            : (common[minSpec.v % common.length]!.end - common[minSpec.v % common.length]!.start) / MINUTE;
      }
      const got = minDuration === null ? E.commonFreeTime(perUser) : E.commonFreeTime(perUser, minutes(minDuration));
      sameIntervals(
        got,
        O.oCommonFreeTime(perUser, minDuration === null ? 0 : minutes(minDuration)),
        `commonFreeTime(min ${minDuration})`,
      );
    }),
    params(800),
  );
});

// ---------------------------------------------------------------------------
// Slots
// ---------------------------------------------------------------------------

test('bookableSlots / isBookable == oracle', () => {
  const arb = scenarioArb.chain((sc) =>
    fc.record({
      sc: fc.constant(sc),
      // null: available from the schedule; else raw intervals where consecutive ones often touch
      rawAvail: fc.option(
        fc.array(
          fc.record({
            gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
            len: fc.integer({ min: 5, max: 300 }),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        { freq: 3 },
      ),
      shuffle: fc.boolean(),
      busy: rawRelArb,
      duration: fc.integer({ min: 15, max: 120 }),
      step: fc.integer({ min: 5, max: 60 }),
      bufferBefore: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
      bufferAfter: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
      notBefore: fc.option(fc.nat(), { freq: 2 }),
      win: fc.option(fc.tuple(fc.nat(), fc.nat()), { freq: 2 }),
      probes: fc.array(fc.nat(), { maxLength: 8 }),
    }),
  );
  fc.assert(
    fc.property(arb, (x) => {
      const { sc } = x;
      const loMin = sc.window.start / MINUTE;
      const hiMin = sc.window.end / MINUTE;
      let available: Interval[];
      if (x.rawAvail) {
        available = [];
        let t = loMin;
        for (const { gap, len } of x.rawAvail) {
          t += gap;
          available.push({ start: minutes(t), end: minutes(t + len) });
          t += len;
        }
        if (x.shuffle) available.reverse();
      } else {
        available = O.oAvailableIntervals(sc.rules, sc.window);
      }
      const q: O.SlotQuery = {
        available,
        busy: place(x.busy, sc.window),
        duration: minutes(x.duration),
        step: minutes(x.step),
        bufferBefore: minutes(x.bufferBefore),
        bufferAfter: minutes(x.bufferAfter),
        window: sc.window,
      };
      if (x.win) {
        const a = into(x.win[0], loMin - 60, hiMin + 60);
        const b = into(x.win[1], loMin - 60, hiMin + 60);
        q.window = { start: minutes(Math.min(a, b)), end: minutes(Math.max(a, b) + 1) };
      }
      if (x.notBefore !== null) q.notBefore = minutes(into(x.notBefore, loMin - 60, hiMin + 60));
      const want = O.oBookableSlots(q);
      const label = `bookableSlots(dur ${x.duration}, step ${x.step}, buf ${x.bufferBefore}/${x.bufferAfter}, notBefore ${q.notBefore === undefined ? '-' : iso(q.notBefore)}, window ${show([q.window])}, available ${show(available)}, busy ${show(q.busy)})`;
      sameIntervals(E.bookableSlots(q), want, label);
      // isBookable: every slot, plus probes on and off the grid
      const starts = new Set(want.map((s) => s.start));
      const probes = [...starts];
      for (const p of x.probes) probes.push(minutes(into(p, loMin - 60, hiMin + 60)));
      for (const s of probes) {
        assert.equal(E.isBookable(q, s), starts.has(s), `isBookable(${iso(s)}) for ${label}`);
      }
    }),
    params(1000),
  );
});

test('splitByDays with raw (unsorted/overlapping) input: same instants per day', () => {
  fc.assert(
    fc.property(scenarioArb, rawRelArb, (sc, rel) => {
      const xs = place(rel, sc.window, 24 * 60);
      const got = E.splitByDays(xs, sc.from, sc.to, sc.viewer);
      const want = O.oSplitByDays(xs, sc.from, sc.to, sc.viewer);
      assert.deepEqual(
        got.map((e) => e.date),
        want.map((e) => e.date),
      );
      want.forEach((w, i) =>
        sameIntervals(
          O.oNormalize(plain(got[i]!.intervals)),
          w.intervals,
          `splitByDays(raw) day ${w.date} in ${sc.viewer}`,
        ),
      );
    }),
    params(500),
  );
});

test('long windows (10..40 viewer days) : availableIntervals, freeIntervals, splitByDays', () => {
  const arb = scenarioArb.chain((sc) =>
    fc.record({
      sc: fc.constant(sc),
      extra: fc.integer({ min: 9, max: 39 }),
      busy: fc.array(fc.record({ off: fc.nat(), len: fc.integer({ min: 0, max: 600 }) }), { maxLength: 60 }),
    }),
  );
  fc.assert(
    fc.property(arb, ({ sc, extra, busy: rel }) => {
      const from = O.oAddDays(sc.from, -Math.floor(extra / 2));
      const to = O.oAddDays(from, extra);
      const window = O.oDayWindow(from, to, sc.viewer);
      const available = O.oAvailableIntervals(sc.rules, window);
      sameIntervals(
        E.availableIntervals(sc.rules, window),
        available,
        `availableIntervals(${sc.host}, ${from}..${to} in ${sc.viewer})`,
      );
      const busy = place(rel, window);
      const free = O.oFreeIntervals({ available, busy });
      sameIntervals(E.freeIntervals({ available, busy }), free, 'freeIntervals');
      const got = E.splitByDays(free, from, to, sc.viewer);
      const want = O.oSplitByDays(free, from, to, sc.viewer);
      assert.deepEqual(
        got.map((e) => e.date),
        want.map((e) => e.date),
      );
      want.forEach((w, i) =>
        sameIntervals(got[i]!.intervals, w.intervals, `splitByDays day ${w.date} in ${sc.viewer}`),
      );
    }),
    params(60),
  );
});

/*
 * Sub-minute instants. Every boundary the rules can create is a whole minute, so for a
 * window / notBefore that is not a whole minute the exact answer is the oracle's answer
 * for the enclosing whole minutes, clipped (availability, free time) — or, for slot starts
 * (which sit on a whole-minute grid here), the oracle's answer with the bounds rounded up.
 */
const ceilMin = (ms: number): number => Math.ceil(ms / MINUTE) * MINUTE;
const floorMin = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE;
const subMs = fc.integer({ min: 1, max: MINUTE - 1 });
/** Clip sorted disjoint intervals to a window at millisecond precision. */
const clipMs = (xs: Interval[], w: Interval): Interval[] =>
  xs.map((x) => ({ start: Math.max(x.start, w.start), end: Math.min(x.end, w.end) })).filter((x) => x.start < x.end);

test('sub-minute window / notBefore: availableIntervals, freeIntervals, bookableSlots', () => {
  fc.assert(
    fc.property(
      scenarioArb,
      subMs,
      subMs,
      fc.option(subMs),
      rawRelArb,
      fc.integer({ min: 15, max: 120 }),
      fc.integer({ min: 5, max: 60 }),
      fc.nat(),
      (sc, a, b, nbExtra, rel, dur, step, nbPos) => {
        const window = { start: sc.window.start + a, end: sc.window.end - MINUTE + b };
        const outer = { start: floorMin(window.start), end: ceilMin(window.end) };
        const available = clipMs(O.oAvailableIntervals(sc.rules, outer), window);
        sameIntervals(
          E.availableIntervals(sc.rules, window),
          available,
          `availableIntervals(window ${window.start}..${window.end} ms)`,
        );

        const busy = place(rel, sc.window);
        const nbMin = into(nbPos, sc.window.start / MINUTE - 60, sc.window.end / MINUTE + 60);
        const notBefore = nbMin * MINUTE + (nbExtra ?? 0);
        const aligned = O.oAvailableIntervals(sc.rules, sc.window);
        const freeAligned = O.oFreeIntervals({ available: aligned, busy, notBefore: floorMin(notBefore) });
        const free = clipMs(freeAligned, { start: notBefore, end: Infinity });
        sameIntervals(
          E.freeIntervals({ available: aligned, busy, notBefore }),
          free,
          `freeIntervals(notBefore ${notBefore} ms)`,
        );

        const q = {
          available: aligned,
          busy,
          duration: minutes(dur),
          step: minutes(step),
          bufferBefore: 0,
          bufferAfter: 0,
          notBefore,
          window,
        };
        const want = O.oBookableSlots({
          ...q,
          notBefore: ceilMin(notBefore),
          window: { start: ceilMin(window.start), end: ceilMin(window.end) },
        });
        sameIntervals(
          E.bookableSlots(q),
          want,
          `bookableSlots(notBefore ${notBefore} ms, window ${window.start}..${window.end} ms)`,
        );
      },
    ),
    params(400),
  );
});

test('calendar: formatInstant/parseInstant with milliseconds', () => {
  fc.assert(
    fc.property(instantArb, fc.integer({ min: 1, max: 999 }), fc.constantFrom(...ALL_ZONES), (ms0, extra, tz) => {
      const ms = ms0 + extra;
      const s = E.formatInstant(ms, tz);
      const m = RFC3339.exec(s);
      assert.ok(m, `formatInstant(${ms}, ${tz}) = ${s} is not RFC 3339`);
      const w = O.wallClock(ms, tz);
      assert.equal(m[1], w.date, s);
      assert.equal(Number(m[2]) * 60 + Number(m[3]), w.minutes, s);
      assert.equal(Number(m[4]), w.seconds, s);
      // with a fraction the round trip must be exact; without one it must give the whole second
      assert.equal(E.parseInstant(s), m[5] ? ms : ms0, `parseInstant(${s}) for ${ms}`);
    }),
    params(300),
  );
});
