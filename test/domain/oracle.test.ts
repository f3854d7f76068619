/**
 * Hand-computed checks of the brute-force oracle itself (no engine code involved).
 * Run: npx tsx --test test/domain/oracle.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DAY,
  HOUR,
  MINUTE,
  findTransitions,
  oAvailableIntervals,
  oBookableSlots,
  oClip,
  oCommonFreeTime,
  oCovers,
  oDayInterval,
  oDayWindow,
  oDropShorterThan,
  oFreeIntervals,
  oIntersect,
  oNormalize,
  oOffsetMinutes,
  oOverlaps,
  oSplitByDays,
  oStartOfDay,
  oSubtract,
  oUnion,
  oWallToInstants,
  oWeekdayOf,
  exactWallOfMinute,
  wallOfMinute,
  wallClock,
  type Interval,
  type ScheduleRules,
} from './oracle';

const Z = (iso: string): number => {
  const ms = Date.parse(iso);
  assert.ok(!Number.isNaN(ms), iso);
  return ms;
};
const iv = (a: string, b: string): Interval => ({ start: Z(a), end: Z(b) });
const hours = (x: Interval): number => (x.end - x.start) / HOUR;

test('oracle: local day lengths around DST', () => {
  // New York: spring forward 2026-03-08 02:00 EST -> 03:00 EDT; fall back 2026-11-01 02:00 EDT -> 01:00 EST.
  const spring = oDayInterval('2026-03-08', 'America/New_York');
  assert.deepEqual(spring, iv('2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z'));
  assert.equal(hours(spring), 23);
  const fall = oDayInterval('2026-11-01', 'America/New_York');
  assert.deepEqual(fall, iv('2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'));
  assert.equal(hours(fall), 25);
  assert.equal(hours(oDayInterval('2026-07-01', 'America/New_York')), 24);

  // Lord Howe: +10:30 -> +11 at 02:00 on 2026-10-04 (30-minute DST), back on 2026-04-05.
  const lhSpring = oDayInterval('2026-10-04', 'Australia/Lord_Howe');
  assert.deepEqual(lhSpring, iv('2026-10-03T13:30:00Z', '2026-10-04T13:00:00Z'));
  assert.equal(hours(lhSpring), 23.5);
  assert.equal(hours(oDayInterval('2026-04-05', 'Australia/Lord_Howe')), 24.5);

  // Kathmandu: constant +05:45.
  assert.deepEqual(oDayInterval('2026-06-01', 'Asia/Kathmandu'), iv('2026-05-31T18:15:00Z', '2026-06-01T18:15:00Z'));
  assert.equal(oOffsetMinutes(Z('2028-02-29T12:34:56Z'), 'Asia/Kathmandu'), 345);

  // Santiago: 2026-09-06 00:00 -> 01:00, local midnight does not exist; the day starts at 01:00.
  assert.equal(oStartOfDay('2026-09-06', 'America/Santiago'), Z('2026-09-06T04:00:00Z'));
  assert.equal(hours(oDayInterval('2026-09-06', 'America/Santiago')), 23);

  // Berlin, 2-day window.
  assert.deepEqual(
    oDayWindow('2026-03-28', '2026-03-29', 'Europe/Berlin'),
    iv('2026-03-27T23:00:00Z', '2026-03-29T22:00:00Z'),
  );
});

test('oracle: Intl wall clock', () => {
  assert.deepEqual(wallClock(Z('2026-03-08T07:00:00Z'), 'America/New_York'), {
    date: '2026-03-08',
    minutes: 180,
    seconds: 0,
  });
  assert.deepEqual(wallClock(Z('2026-03-08T06:59:59Z'), 'America/New_York'), {
    date: '2026-03-08',
    minutes: 119,
    seconds: 59,
  });
  // midnight is hour 0, not 24
  assert.deepEqual(wallClock(Z('2026-01-01T00:00:00Z'), 'UTC'), { date: '2026-01-01', minutes: 0, seconds: 0 });
  assert.deepEqual(wallClock(Z('2026-01-01T00:00:00Z'), 'Asia/Tehran'), {
    date: '2026-01-01',
    minutes: 210,
    seconds: 0,
  });
  assert.equal(oWeekdayOf('2026-03-08'), 'sunday');
  assert.equal(oWeekdayOf('2028-02-29'), 'tuesday');
});

test('oracle: transitions found by scanning', () => {
  const ny = findTransitions('America/New_York', Z('2026-01-01T00:00:00Z'), Z('2031-01-01T00:00:00Z'));
  assert.equal(ny.length, 10);
  assert.deepEqual(ny[0], {
    at: Z('2026-03-08T07:00:00Z'),
    offsetBefore: -300,
    offsetAfter: -240,
    localDate: '2026-03-08',
  });
  assert.deepEqual(ny[1], {
    at: Z('2026-11-01T06:00:00Z'),
    offsetBefore: -240,
    offsetAfter: -300,
    localDate: '2026-11-01',
  });
  const lh = findTransitions('Australia/Lord_Howe', Z('2026-01-01T00:00:00Z'), Z('2027-01-01T00:00:00Z'));
  assert.deepEqual(
    lh.map((t) => [t.localDate, t.offsetBefore, t.offsetAfter]),
    [
      ['2026-04-05', 660, 630],
      ['2026-10-04', 630, 660],
    ],
  );
  for (const tz of ['Asia/Kathmandu', 'UTC', 'Pacific/Apia', 'America/Sao_Paulo', 'Asia/Tehran']) {
    assert.deepEqual(findTransitions(tz, Z('2026-01-01T00:00:00Z'), Z('2031-01-01T00:00:00Z')), [], tz);
  }
});

test('oracle: wall intervals across DST gap and overlap', () => {
  const NY = 'America/New_York';
  // spring forward: 02:00-03:00 does not exist; 01:30-02:30 is just 01:30-02:00 EST
  assert.deepEqual(oWallToInstants('2026-03-08', 120, 180, NY), []);
  assert.deepEqual(oWallToInstants('2026-03-08', 90, 150, NY), [iv('2026-03-08T06:30:00Z', '2026-03-08T07:00:00Z')]);
  // fall back: 01:30-02:30 is 01:30-02:00 EDT plus 01:30-02:30 EST
  assert.deepEqual(oWallToInstants('2026-11-01', 90, 150, NY), [
    iv('2026-11-01T05:30:00Z', '2026-11-01T06:00:00Z'),
    iv('2026-11-01T06:30:00Z', '2026-11-01T07:30:00Z'),
  ]);
  // 01:00-02:00 on fall-back day: two hours (EDT then EST), contiguous
  assert.deepEqual(oWallToInstants('2026-11-01', 60, 120, NY), [iv('2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z')]);
  // Lord Howe spring: 02:00-02:30 missing, 02:00-03:00 is 30 minutes
  assert.deepEqual(oWallToInstants('2026-10-04', 120, 180, 'Australia/Lord_Howe'), [
    iv('2026-10-03T15:30:00Z', '2026-10-03T16:00:00Z'),
  ]);
  // Lord Howe fall: 01:30-02:00 happens twice (+11 then +10:30)
  assert.deepEqual(oWallToInstants('2026-04-05', 90, 120, 'Australia/Lord_Howe'), [
    iv('2026-04-04T14:30:00Z', '2026-04-04T15:30:00Z'),
  ]);
});

test('oracle: availableIntervals', () => {
  const rules: ScheduleRules = {
    timeZone: 'America/New_York',
    weekly: {
      sunday: [{ start: '01:30', end: '02:30' }],
      monday: [
        { start: '09:00', end: '12:00' },
        { start: '12:00', end: '17:00' },
      ],
      saturday: [{ start: '00:00', end: '24:00' }],
    },
    overrides: [{ date: '2026-03-16', intervals: [] }],
  };
  const window = iv('2026-03-07T00:00:00Z', '2026-03-17T00:00:00Z');
  assert.deepEqual(oAvailableIntervals(rules, window), [
    iv('2026-03-07T05:00:00Z', '2026-03-08T05:00:00Z'), // Sat 2026-03-07, 24h EST
    iv('2026-03-08T06:30:00Z', '2026-03-08T07:00:00Z'), // Sun 01:30-02:00 EST only
    iv('2026-03-09T13:00:00Z', '2026-03-09T21:00:00Z'), // Mon 09-17 EDT (merged)
    iv('2026-03-14T04:00:00Z', '2026-03-15T04:00:00Z'), // Sat 2026-03-14, EDT
    iv('2026-03-15T05:30:00Z', '2026-03-15T06:30:00Z'), // Sun 01:30-02:30 EDT
    // Mon 2026-03-16: override [] -> nothing
  ]);
  // clipped window
  assert.deepEqual(oAvailableIntervals(rules, iv('2026-03-09T15:00:00Z', '2026-03-09T16:00:00Z')), [
    iv('2026-03-09T15:00:00Z', '2026-03-09T16:00:00Z'),
  ]);
  // override replaces weekday hours
  const r2: ScheduleRules = {
    ...rules,
    overrides: [{ date: '2026-03-09', intervals: [{ start: '23:00', end: '24:00' }] }],
  };
  assert.deepEqual(oAvailableIntervals(r2, iv('2026-03-09T00:00:00Z', '2026-03-11T00:00:00Z')), [
    iv('2026-03-10T03:00:00Z', '2026-03-10T04:00:00Z'),
  ]);
  // 00:00-24:00 on a 25h day
  const all: ScheduleRules = {
    timeZone: 'America/New_York',
    weekly: { sunday: [{ start: '00:00', end: '24:00' }] },
    overrides: [],
  };
  const got = oAvailableIntervals(all, iv('2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z'));
  assert.deepEqual(got, [iv('2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z')]);
});

test('oracle: interval algebra', () => {
  const m = (a: number, b: number): Interval => ({ start: a * MINUTE, end: b * MINUTE });
  assert.deepEqual(oNormalize([m(5, 10), m(0, 3), m(3, 4), m(8, 12), m(20, 20)]), [m(0, 4), m(5, 12)]);
  assert.deepEqual(oUnion([m(0, 2)], [m(2, 3)], [m(10, 11)]), [m(0, 3), m(10, 11)]);
  assert.deepEqual(oIntersect([m(0, 10), m(20, 30)], [m(5, 25)]), [m(5, 10), m(20, 25)]);
  assert.deepEqual(oSubtract([m(0, 10)], [m(2, 3), m(5, 7)]), [m(0, 2), m(3, 5), m(7, 10)]);
  assert.deepEqual(oClip([m(0, 10), m(20, 30)], m(5, 22)), [m(5, 10), m(20, 22)]);
  assert.equal(oCovers([m(0, 5), m(5, 10)], m(2, 8)), true);
  assert.equal(oCovers([m(0, 5), m(6, 10)], m(2, 8)), false);
  assert.equal(oOverlaps([m(0, 5)], m(5, 8)), false);
  assert.equal(oOverlaps([m(0, 5)], m(4, 8)), true);
  assert.deepEqual(oDropShorterThan([m(0, 5), m(10, 12), m(12, 13)], 3 * MINUTE), [m(0, 5), m(10, 13)]);
  assert.deepEqual(oCommonFreeTime([[m(0, 60)], [m(30, 90)], [m(0, 35), m(40, 100)]], 10 * MINUTE), [m(40, 60)]);
  assert.deepEqual(oFreeIntervals({ available: [m(0, 60)], busy: [m(10, 20)], notBefore: 5 * MINUTE }), [
    m(5, 10),
    m(20, 60),
  ]);
  assert.deepEqual(oFreeIntervals({ available: [m(0, 60)], busy: [], notBefore: 100 * MINUTE }), []);
});

test('oracle: splitByDays', () => {
  // 48h from 2026-03-07T12:00Z, viewed from Tokyo (+9, no DST)
  const x = iv('2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z');
  assert.deepEqual(oSplitByDays([x], '2026-03-07', '2026-03-10', 'Asia/Tokyo'), [
    { date: '2026-03-07', intervals: [iv('2026-03-07T12:00:00Z', '2026-03-07T15:00:00Z')] },
    { date: '2026-03-08', intervals: [iv('2026-03-07T15:00:00Z', '2026-03-08T15:00:00Z')] },
    { date: '2026-03-09', intervals: [iv('2026-03-08T15:00:00Z', '2026-03-09T12:00:00Z')] },
    { date: '2026-03-10', intervals: [] },
  ]);
  // from New York on spring-forward day: the local day is 23h
  const ny = oSplitByDays(
    [iv('2026-03-08T00:00:00Z', '2026-03-10T00:00:00Z')],
    '2026-03-08',
    '2026-03-08',
    'America/New_York',
  );
  assert.deepEqual(ny, [{ date: '2026-03-08', intervals: [iv('2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z')] }]);
});

test('oracle: bookableSlots', () => {
  const base = Z('2026-06-01T13:00:00Z');
  const at = (min: number) => base + min * MINUTE;
  const m = (a: number, b: number): Interval => ({ start: at(a), end: at(b) });
  const q = {
    // touching intervals are merged first: one grid from 0
    available: [m(0, 50), m(50, 120), m(200, 260)],
    busy: [m(95, 100)],
    duration: 30 * MINUTE,
    step: 20 * MINUTE,
    bufferBefore: 0,
    bufferAfter: 10 * MINUTE,
    window: m(0, 10_000),
  };
  // candidates 0,20,40,60,80 in [0,120) (80+30=110<=120; 100+30>120);
  // 60: [60,100) overlaps busy [95,100) -> out; 80 overlaps -> out.
  // [200,260): 200,220 (220+30=250<=260), 240+30>260.
  assert.deepEqual(oBookableSlots(q), [m(0, 30), m(20, 50), m(40, 70), m(200, 230), m(220, 250)]);
  // busy [45,46) kills 20 ([20,60) with bufferAfter) and 40
  assert.deepEqual(
    oBookableSlots({ ...q, busy: [m(45, 46)] }).map((s) => (s.start - base) / MINUTE),
    [0, 60, 80, 200, 220],
  );
  // buffer touching busy is fine (half-open)
  assert.deepEqual(
    oBookableSlots({ ...q, busy: [m(30, 40)], bufferAfter: 0 }).map((s) => (s.start - base) / MINUTE),
    [0, 40, 60, 80, 200, 220],
  );
  // notBefore and window
  assert.deepEqual(
    oBookableSlots({ ...q, busy: [], notBefore: at(21), window: m(0, 220) }).map((s) => (s.start - base) / MINUTE),
    [40, 60, 80, 200],
  );
  assert.ok(DAY > 0);
});

test('oracle: fast wall conversion == one Intl call per minute', () => {
  const zones = [
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'America/New_York',
    'Europe/Berlin',
    'Pacific/Apia',
    'UTC',
    'America/Sao_Paulo',
    'Asia/Tehran',
    'America/Santiago',
    'America/Havana',
    'Africa/Cairo',
    'Asia/Beirut',
    'Pacific/Chatham',
    'Asia/Tokyo',
  ];
  let n = 0;
  for (const tz of zones) {
    // ±3 hours around every transition, every minute
    for (const t of findTransitions(tz, Z('2026-01-01T00:00:00Z'), Z('2031-01-01T00:00:00Z'))) {
      for (let m = t.at / MINUTE - 180; m < t.at / MINUTE + 180; m++, n++)
        assert.equal(wallOfMinute(m, tz), exactWallOfMinute(m, tz), `${tz} ${m}`);
    }
    // and a deterministic spread of minutes 2026..2030
    for (let i = 0; i < 500; i++, n++) {
      const m = Z('2026-01-01T00:00:00Z') / MINUTE + ((i * 7919 * 61) % (5 * 365 * 1440));
      assert.equal(wallOfMinute(m, tz), exactWallOfMinute(m, tz), `${tz} ${m}`);
    }
  }
  assert.ok(n > 10_000);
});
