// Schedule expansion (including from another zone's point of view), free time, per-day splitting and group overlap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interval } from '../../src/domain/intervals';
import type { ScheduleRules, WallInterval } from '../../src/domain/schedule';
import {
  availableIntervals,
  toMinuteIntervals,
  toWallIntervals,
  wallIntervalsForDate,
} from '../../src/domain/schedule';
import { commonFreeTime, freeIntervals, splitByDays } from '../../src/domain/availability';
import { dayWindow, formatInstant, parseInstant } from '../../src/domain/calendar';

const at = (s: string): number => {
  const ms = parseInstant(s);
  if (ms === null) throw new Error(`bad instant in test: ${s}`);
  return ms;
};
const span = (a: string, b: string): Interval => ({ start: at(a), end: at(b) });
const H = 3_600_000;
const show = (xs: readonly Interval[], zone: string): string[] =>
  xs.map((x) => `${formatInstant(x.start, zone)}/${formatInstant(x.end, zone)}`);
const w = (start: string, end: string): WallInterval => ({ start, end });
const nineToFive = [w('09:00', '17:00')];
const weekdays9to5 = {
  monday: nineToFive,
  tuesday: nineToFive,
  wednesday: nineToFive,
  thursday: nineToFive,
  friday: nineToFive,
};
const nyHost: ScheduleRules = { timeZone: 'America/New_York', weekly: weekdays9to5, overrides: [] };

test('toMinuteIntervals / toWallIntervals', () => {
  assert.deepEqual(
    toMinuteIntervals([w('13:00', '17:00'), w('09:00', '12:00'), w('12:00', '12:30'), w('18:00', '18:00')]),
    [
      { start: 540, end: 750 },
      { start: 780, end: 1020 },
    ],
  );
  assert.deepEqual(toMinuteIntervals([w('22:00', '24:00')]), [{ start: 1320, end: 1440 }]);
  assert.deepEqual(
    toWallIntervals([
      { start: 540, end: 750 },
      { start: 1320, end: 1440 },
    ]),
    [w('09:00', '12:30'), w('22:00', '24:00')],
  );
  assert.throws(() => toMinuteIntervals([w('9:00', '17:00')]), RangeError);
});

test('wallIntervalsForDate: override beats weekday, [] means unavailable, last duplicate wins', () => {
  const rules: ScheduleRules = {
    timeZone: 'Europe/Berlin',
    weekly: { monday: [w('09:00', '12:00'), w('13:00', '17:00')], saturday: [] },
    overrides: [
      { date: '2026-03-10', intervals: [w('10:00', '11:00')] }, // a Tuesday, normally off
      { date: '2026-03-16', intervals: [] }, // a Monday taken off
      { date: '2026-03-23', intervals: [w('08:00', '09:00')] },
      { date: '2026-03-23', intervals: [w('14:00', '15:00')] },
    ],
  };
  assert.deepEqual(wallIntervalsForDate(rules, '2026-03-09'), [
    { start: 540, end: 720 },
    { start: 780, end: 1020 },
  ]);
  assert.deepEqual(wallIntervalsForDate(rules, '2026-03-10'), [{ start: 600, end: 660 }]);
  assert.deepEqual(wallIntervalsForDate(rules, '2026-03-11'), []); // wednesday not listed
  assert.deepEqual(wallIntervalsForDate(rules, '2026-03-16'), []);
  assert.deepEqual(wallIntervalsForDate(rules, '2026-03-23'), [{ start: 840, end: 900 }]);
});

test('New York host seen from Berlin in the weeks when only the US has switched to DST', () => {
  // 2026-03-09..13: New York is on EDT (-4), Berlin still on CET (+1): 09:00-17:00 NY is 14:00-22:00 Berlin.
  const got = availableIntervals(nyHost, dayWindow('2026-03-09', '2026-03-15', 'Europe/Berlin'));
  assert.deepEqual(show(got, 'Europe/Berlin'), [
    '2026-03-09T14:00:00+01:00/2026-03-09T22:00:00+01:00',
    '2026-03-10T14:00:00+01:00/2026-03-10T22:00:00+01:00',
    '2026-03-11T14:00:00+01:00/2026-03-11T22:00:00+01:00',
    '2026-03-12T14:00:00+01:00/2026-03-12T22:00:00+01:00',
    '2026-03-13T14:00:00+01:00/2026-03-13T22:00:00+01:00',
  ]);
  // After Berlin switches too (2026-03-29), the usual 6-hour gap returns.
  const later = availableIntervals(nyHost, dayWindow('2026-03-30', '2026-03-30', 'Europe/Berlin'));
  assert.deepEqual(show(later, 'Europe/Berlin'), ['2026-03-30T15:00:00+02:00/2026-03-30T23:00:00+02:00']);
});

test('New York host seen from Tokyo: a host day straddles the viewer midnight and the window clips it', () => {
  const got = availableIntervals(nyHost, dayWindow('2026-03-09', '2026-03-10', 'Asia/Tokyo'));
  assert.deepEqual(show(got, 'Asia/Tokyo'), [
    '2026-03-09T22:00:00+09:00/2026-03-10T06:00:00+09:00', // Monday in New York
    '2026-03-10T22:00:00+09:00/2026-03-11T00:00:00+09:00', // Tuesday in New York, cut at the window end
  ]);
  // The Sunday-evening part of the Tokyo window belongs to no working day in New York.
  const days = splitByDays(got, '2026-03-09', '2026-03-10', 'Asia/Tokyo');
  assert.deepEqual(
    days.map((d) => [d.date, d.intervals.length]),
    [
      ['2026-03-09', 1],
      ['2026-03-10', 2],
    ],
  );
});

test('schedule across the New York spring-forward keeps local hours', () => {
  const got = availableIntervals(nyHost, dayWindow('2026-03-06', '2026-03-09', 'UTC'));
  assert.deepEqual(got, [
    span('2026-03-06T14:00:00Z', '2026-03-06T22:00:00Z'), // Friday, EST
    span('2026-03-09T13:00:00Z', '2026-03-09T21:00:00Z'), // Monday, EDT
  ]);
});

test('overrides, all-day rules and window clipping', () => {
  const rules: ScheduleRules = {
    timeZone: 'America/New_York',
    weekly: { ...weekdays9to5, saturday: [w('00:00', '24:00')], sunday: [w('00:00', '24:00')] },
    overrides: [
      { date: '2026-11-02', intervals: [] },
      { date: '2026-11-03', intervals: [w('07:00', '08:00'), w('20:00', '24:00')] },
    ],
  };
  const got = availableIntervals(rules, dayWindow('2026-10-31', '2026-11-03', 'America/New_York'));
  assert.deepEqual(show(got, 'America/New_York'), [
    // Saturday and Sunday 00:00-24:00 touch, so they merge; Sunday is 25 hours long.
    '2026-10-31T00:00:00-04:00/2026-11-02T00:00:00-05:00',
    '2026-11-03T07:00:00-05:00/2026-11-03T08:00:00-05:00',
    '2026-11-03T20:00:00-05:00/2026-11-04T00:00:00-05:00',
  ]);
  assert.equal(got[0]!.end - got[0]!.start, 49 * H);
  // A window starting mid-interval clips it rather than dropping it.
  assert.deepEqual(availableIntervals(nyHost, span('2026-03-09T15:30:00Z', '2026-03-09T16:00:00Z')), [
    span('2026-03-09T15:30:00Z', '2026-03-09T16:00:00Z'),
  ]);
  assert.deepEqual(availableIntervals(nyHost, span('2026-03-09T15:30:00Z', '2026-03-09T15:30:00Z')), []);
});

test('freeIntervals subtracts busy time and honours notBefore', () => {
  const available = [span('2026-03-09T13:00:00Z', '2026-03-09T21:00:00Z')];
  const busy = [
    span('2026-03-09T14:00:00Z', '2026-03-09T15:00:00Z'),
    span('2026-03-09T20:30:00Z', '2026-03-09T22:00:00Z'),
  ];
  assert.deepEqual(freeIntervals({ available, busy }), [
    span('2026-03-09T13:00:00Z', '2026-03-09T14:00:00Z'),
    span('2026-03-09T15:00:00Z', '2026-03-09T20:30:00Z'),
  ]);
  assert.deepEqual(freeIntervals({ available, busy, notBefore: at('2026-03-09T13:30:00Z') }), [
    span('2026-03-09T13:30:00Z', '2026-03-09T14:00:00Z'),
    span('2026-03-09T15:00:00Z', '2026-03-09T20:30:00Z'),
  ]);
  assert.deepEqual(freeIntervals({ available, busy, notBefore: at('2026-03-09T21:00:00Z') }), []);
});

test('splitByDays yields 23- and 25-hour days and an entry for every date', () => {
  const all = [span('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')];
  const hours = (from: string, to: string, zone: string): [string, number][] =>
    splitByDays(all, from, to, zone).map((d) => [d.date, d.intervals.reduce((n, x) => n + x.end - x.start, 0) / H]);
  assert.deepEqual(hours('2026-03-07', '2026-03-09', 'America/New_York'), [
    ['2026-03-07', 24],
    ['2026-03-08', 23],
    ['2026-03-09', 24],
  ]);
  assert.deepEqual(hours('2026-10-31', '2026-11-02', 'America/New_York'), [
    ['2026-10-31', 24],
    ['2026-11-01', 25],
    ['2026-11-02', 24],
  ]);
  assert.deepEqual(hours('2026-10-03', '2026-10-04', 'Australia/Lord_Howe'), [
    ['2026-10-03', 24],
    ['2026-10-04', 23.5],
  ]);

  // A free stretch across local midnight is cut there; dates with nothing still appear, empty.
  const free = [span('2026-03-28T20:00:00Z', '2026-03-29T02:00:00Z')]; // Berlin: Sat 21:00 CET .. Sun 04:00 CEST
  const days = splitByDays(free, '2026-03-27', '2026-03-30', 'Europe/Berlin');
  assert.deepEqual(
    days.map((d) => [d.date, show(d.intervals, 'Europe/Berlin')]),
    [
      ['2026-03-27', []],
      ['2026-03-28', ['2026-03-28T21:00:00+01:00/2026-03-29T00:00:00+01:00']],
      ['2026-03-29', ['2026-03-29T00:00:00+01:00/2026-03-29T04:00:00+02:00']],
      ['2026-03-30', []],
    ],
  );
  assert.deepEqual(splitByDays([], '2026-03-01', '2026-03-02', 'UTC'), [
    { date: '2026-03-01', intervals: [] },
    { date: '2026-03-02', intervals: [] },
  ]);
  // A date the zone skipped entirely gets an empty entry too.
  assert.deepEqual(
    splitByDays([span('2011-12-29T00:00:00Z', '2012-01-02T00:00:00Z')], '2011-12-30', '2011-12-30', 'Pacific/Apia'),
    [{ date: '2011-12-30', intervals: [] }],
  );
});

test('common free time: A 09-11 and B 10-12 on a Monday -> 10-11; no overlap -> an empty day', () => {
  const monday = '2026-03-09';
  const user = (timeZone: string, from: string, to: string): Interval[] =>
    availableIntervals(
      { timeZone, weekly: { monday: [w(from, to)] }, overrides: [] },
      dayWindow(monday, monday, 'America/New_York'),
    );
  const a = user('America/New_York', '09:00', '11:00');
  const b = user('America/New_York', '10:00', '12:00');
  const days = splitByDays(commonFreeTime([a, b]), monday, monday, 'America/New_York');
  assert.deepEqual(
    days.map((d) => [d.date, show(d.intervals, 'America/New_York')]),
    [[monday, ['2026-03-09T10:00:00-04:00/2026-03-09T11:00:00-04:00']]],
  );

  const c = user('America/New_York', '13:00', '14:00');
  assert.deepEqual(splitByDays(commonFreeTime([a, b, c]), monday, monday, 'America/New_York'), [
    { date: monday, intervals: [] },
  ]);

  // Across zones: London 14:00-16:00 GMT is New York 10:00-12:00 EDT that Monday.
  const london = user('Europe/London', '14:00', '16:00');
  assert.deepEqual(commonFreeTime([a, london]), [span('2026-03-09T14:00:00Z', '2026-03-09T15:00:00Z')]);

  // minDuration drops overlaps that are too short to meet in, but keeps exact fits.
  const d = user('America/New_York', '10:30', '12:00');
  assert.deepEqual(commonFreeTime([a, d], 45 * 60_000), []);
  assert.deepEqual(commonFreeTime([a, d], 30 * 60_000), [span('2026-03-09T14:30:00Z', '2026-03-09T15:00:00Z')]);
  assert.deepEqual(commonFreeTime([]), []);
});

test('wallMinutesOn maps instants back to the wall time of a date, piece by piece across DST', async () => {
  const { wallMinutesOn } = await import('../../src/domain/schedule');
  const at = (s: string) => Date.parse(s);
  // New York falls back at 06:00Z (02:00 EDT -> 01:00 EST): 05:45Z-06:15Z shows 01:45-02:00 then 01:00-01:15.
  assert.deepEqual(
    wallMinutesOn(
      [{ start: at('2026-11-01T05:45:00Z'), end: at('2026-11-01T06:15:00Z') }],
      '2026-11-01',
      'America/New_York',
    ),
    [
      { start: 60, end: 75 },
      { start: 105, end: 120 },
    ],
  );
  // Kathmandu, +05:45, and a piece reaching past local midnight stops at 24:00.
  assert.deepEqual(
    wallMinutesOn(
      [{ start: at('2026-03-02T16:15:00Z'), end: at('2026-03-02T20:00:00Z') }],
      '2026-03-02',
      'Asia/Kathmandu',
    ),
    [{ start: 22 * 60, end: 24 * 60 }],
  );
  // Another date's instants show nothing on this date.
  assert.deepEqual(
    wallMinutesOn([{ start: at('2026-03-05T10:00:00Z'), end: at('2026-03-05T11:00:00Z') }], '2026-03-02', 'UTC'),
    [],
  );
});
