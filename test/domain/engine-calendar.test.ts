// Table tests for dates, wall times, zone names and RFC 3339 instants in src/domain/calendar.ts.
// Run with TZ=Asia/Kathmandu: any accidental use of the process zone shows up as a +05:45 skew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  WEEKDAYS,
  addDays,
  compareDates,
  datesInRange,
  daysBetween,
  formatInstant,
  formatWallTime,
  instantToWall,
  isDate,
  isTimeZone,
  localDateOf,
  parseInstant,
  parseWallTime,
  weekdayOf,
} from '../../src/domain/calendar';

test('WEEKDAYS starts on monday', () => {
  assert.deepEqual(WEEKDAYS, ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
});

test('isTimeZone', () => {
  const cases: [string, boolean][] = [
    ['UTC', true],
    ['Etc/UTC', true],
    ['Etc/GMT+5', true],
    ['America/New_York', true],
    ['Asia/Kathmandu', true],
    ['Australia/Lord_Howe', true],
    ['Asia/Calcutta', true],
    ['', false],
    ['Mars/Base', false],
    ['local', false],
    ['+05:00', false],
    ['-03:00', false],
    ['Z', false],
    ['utc', false],
    ['America/new_york', false],
    ['America/New_York ', false],
  ];
  for (const [name, expected] of cases) assert.equal(isTimeZone(name), expected, JSON.stringify(name));
});

test('isDate', () => {
  const cases: [string, boolean][] = [
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2028-02-29', true],
    ['2100-02-29', false],
    ['2000-02-29', true],
    ['1900-01-01', true],
    ['2200-12-31', true],
    ['1899-12-31', false],
    ['2201-01-01', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-04-31', false],
    ['2026-4-01', false],
    ['20260401', false],
    ['2026-04-01T00:00', false],
    ['', false],
    [' 2026-04-01', false],
  ];
  for (const [s, expected] of cases) assert.equal(isDate(s), expected, s);
});

test('date arithmetic', () => {
  assert.equal(addDays('2026-02-28', 1), '2026-03-01');
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(addDays('2026-01-01', 365), '2027-01-01');
  assert.equal(addDays('2200-12-31', 1), '2201-01-01'); // stepping past the edge of the supported range must not throw
  assert.equal(compareDates('2026-01-02', '2026-01-10'), -1);
  assert.equal(compareDates('2026-01-10', '2026-01-10'), 0);
  assert.equal(compareDates('2027-01-01', '2026-12-31'), 1);
  assert.equal(daysBetween('2026-03-01', '2026-03-31'), 30);
  assert.equal(daysBetween('2026-03-31', '2026-03-01'), -30);
  assert.equal(daysBetween('1900-01-01', '2200-01-01'), (Date.UTC(2200, 0, 1) - Date.UTC(1900, 0, 1)) / 86_400_000);
  assert.deepEqual(datesInRange('2026-02-27', '2026-03-02'), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  assert.deepEqual(datesInRange('2026-03-02', '2026-03-02'), ['2026-03-02']);
  assert.deepEqual(datesInRange('2026-03-03', '2026-03-02'), []);
  assert.throws(() => addDays('2026-02-30', 1), RangeError);
});

test('weekdayOf', () => {
  const cases: [string, string][] = [
    ['1970-01-01', 'thursday'],
    ['2026-03-09', 'monday'],
    ['2026-03-08', 'sunday'],
    ['2000-01-01', 'saturday'],
    ['1900-01-01', 'monday'],
    ['2200-12-31', 'wednesday'],
    ['2028-02-29', 'tuesday'],
  ];
  for (const [d, w] of cases) assert.equal(weekdayOf(d), w, d);
});

test('parseWallTime / formatWallTime', () => {
  const cases: [string, boolean, number | null][] = [
    ['00:00', false, 0],
    ['09:00', false, 540],
    ['23:59', false, 1439],
    ['12:30', false, 750],
    ['24:00', false, null],
    ['24:00', true, 1440],
    ['24:01', true, null],
    ['25:00', true, null],
    ['9:00', false, null],
    ['09:60', false, null],
    ['09:00:00', false, null],
    ['0900', false, null],
    ['', false, null],
    [' 09:00', false, null],
    ['09:0a', false, null],
  ];
  for (const [s, allow24, expected] of cases)
    assert.equal(parseWallTime(s, { allow24 }), expected, `${s} allow24=${allow24}`);
  assert.equal(parseWallTime('24:00'), null);
  assert.equal(formatWallTime(0), '00:00');
  assert.equal(formatWallTime(545), '09:05');
  assert.equal(formatWallTime(1439), '23:59');
  assert.equal(formatWallTime(1440), '24:00');
  assert.throws(() => formatWallTime(1441), RangeError);
  assert.throws(() => formatWallTime(-1), RangeError);
});

test('parseInstant accepts RFC 3339 with an offset', () => {
  const cases: [string, number][] = [
    ['2026-03-09T09:00:00Z', Date.UTC(2026, 2, 9, 9)],
    ['2026-03-09T09:00Z', Date.UTC(2026, 2, 9, 9)],
    ['2026-03-09t09:00:00z', Date.UTC(2026, 2, 9, 9)],
    ['2026-03-09T09:00:00.123Z', Date.UTC(2026, 2, 9, 9, 0, 0, 123)],
    ['2026-03-09T09:00:00.1239999Z', Date.UTC(2026, 2, 9, 9, 0, 0, 123)], // truncated, not rounded
    ['2026-03-09T09:00:00.5+01:00', Date.UTC(2026, 2, 9, 8, 0, 0, 500)],
    ['2026-03-09T14:45:00+05:45', Date.UTC(2026, 2, 9, 9)],
    ['2026-03-09T04:00:00-05:00', Date.UTC(2026, 2, 9, 9)],
    ['2026-03-09T09:00:00-00:00', Date.UTC(2026, 2, 9, 9)],
    ['2026-01-01T00:30:00+14:00', Date.UTC(2025, 11, 31, 10, 30)],
    ['2028-02-29T23:59:59Z', Date.UTC(2028, 1, 29, 23, 59, 59)],
  ];
  for (const [s, expected] of cases) assert.equal(parseInstant(s), expected, s);
});

test('parseInstant rejects anything without a valid offset or date', () => {
  const bad = [
    '2026-03-09T09:00:00',
    '2026-03-09T09:00',
    '2026-03-09',
    '2026-03-09 09:00:00Z',
    '2026-02-30T09:00:00Z',
    '2026-03-09T24:00:00Z',
    '2026-03-09T09:60:00Z',
    '2026-03-09T09:00:60Z',
    '2026-03-09T09:00:00+0500',
    '2026-03-09T09:00:00+05',
    '2026-03-09T09:00:00+24:00',
    '2026-03-09T09:00:00.Z',
    '2026-03-09T09:00.5Z',
    '1899-12-31T23:00:00Z',
    '2026-03-09T09:00:00Z ',
    'not a date',
    '',
  ];
  for (const s of bad) assert.equal(parseInstant(s), null, s);
});

test('formatInstant across offsets', () => {
  const t = Date.UTC(2026, 2, 9, 9, 0, 0);
  const cases: [number, string, string][] = [
    [t, 'UTC', '2026-03-09T09:00:00Z'],
    [t, 'Etc/UTC', '2026-03-09T09:00:00Z'],
    [t, 'Europe/London', '2026-03-09T09:00:00+00:00'], // zero offset but not UTC: numeric
    [t, 'Asia/Kathmandu', '2026-03-09T14:45:00+05:45'],
    [t, 'America/New_York', '2026-03-09T05:00:00-04:00'], // EDT since 2026-03-08
    [t, 'Europe/Berlin', '2026-03-09T10:00:00+01:00'],
    [t, 'Australia/Lord_Howe', '2026-03-09T20:00:00+11:00'],
    [t, 'Asia/Kolkata', '2026-03-09T14:30:00+05:30'],
    [t, 'Pacific/Kiritimati', '2026-03-09T23:00:00+14:00'],
    [t, 'Pacific/Pago_Pago', '2026-03-08T22:00:00-11:00'],
    [t, 'Etc/GMT+5', '2026-03-09T04:00:00-05:00'],
    [Date.UTC(2026, 2, 9, 9, 0, 0, 999), 'UTC', '2026-03-09T09:00:00Z'], // floored to the second
    [Date.UTC(1969, 11, 31, 23, 59, 59, 500), 'UTC', '1969-12-31T23:59:59Z'], // floor, not truncation toward zero
  ];
  for (const [ms, zone, expected] of cases) assert.equal(formatInstant(ms, zone), expected, zone);
});

test('formatInstant round-trips through parseInstant, even with second-precision LMT offsets', () => {
  // Kathmandu was +05:41:16 in 1900; the printed ±HH:MM must still denote the same instant.
  for (const zone of ['Asia/Kathmandu', 'Africa/Monrovia', 'America/New_York', 'Australia/Lord_Howe', 'UTC']) {
    for (const ms of [Date.UTC(1900, 0, 1, 12), Date.UTC(1950, 5, 1, 3, 4, 5), Date.UTC(2026, 9, 4, 15, 59, 59)]) {
      const s = formatInstant(ms, zone);
      assert.match(s, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
      assert.equal(parseInstant(s), ms, `${zone} ${s}`);
    }
  }
});

test('localDateOf and instantToWall use the given zone, not the process zone', () => {
  const t = Date.UTC(2026, 2, 9, 20, 0); // 20:00Z on Monday
  assert.equal(localDateOf(t, 'UTC'), '2026-03-09');
  assert.equal(localDateOf(t, 'Asia/Kathmandu'), '2026-03-10');
  assert.equal(localDateOf(t, 'Asia/Tokyo'), '2026-03-10');
  assert.equal(localDateOf(t, 'America/Los_Angeles'), '2026-03-09');
  assert.deepEqual(instantToWall(t, 'Asia/Kathmandu'), { date: '2026-03-10', minutes: 1 * 60 + 45 });
  assert.deepEqual(instantToWall(t, 'America/New_York'), { date: '2026-03-09', minutes: 16 * 60 });
  assert.deepEqual(instantToWall(Date.UTC(2026, 0, 1, 0, 0, 59), 'UTC'), { date: '2026-01-01', minutes: 0 });
});
