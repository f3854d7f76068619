// DST and odd-offset cases for the wall-clock semantics: instant ∈ wall [s, e) on D ⇔ the local clock shows D at s <= t < e.
// Expected values are written out by hand from the zones' published transitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interval } from '../../src/domain/intervals';
import { dayWindow, parseInstant, startOfDay, wallToInstants } from '../../src/domain/calendar';

const at = (s: string): number => {
  const ms = parseInstant(s);
  if (ms === null) throw new Error(`bad instant in test: ${s}`);
  return ms;
};
const span = (a: string, b: string): Interval => ({ start: at(a), end: at(b) });
const H = 3_600_000;
const M = 60_000;
const total = (xs: readonly Interval[]): number => xs.reduce((n, x) => n + x.end - x.start, 0);

type Case = [date: string, start: string, end: string, expected: Interval[]];
const wall = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

function runCases(zone: string, cases: Case[]): void {
  for (const [date, s, e, expected] of cases) {
    assert.deepEqual(wallToInstants(date, wall(s), wall(e), zone), expected, `${zone} ${date} ${s}-${e}`);
  }
}

// Independent check through Intl (not our offset tables): sample every 5 minutes around the day and compare membership.
const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function intlWall(ms: number, zone: string): { date: string; minutes: number } {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    partsFormatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
}
function assertMatchesIntl(zone: string, date: string, s: number, e: number): void {
  const got = wallToInstants(date, s, e, zone);
  const base = at(`${date}T00:00:00Z`);
  for (let t = base - 30 * H; t < base + 54 * H; t += 5 * M) {
    const w = intlWall(t, zone);
    const want = w.date === date && w.minutes >= s && w.minutes < e;
    const have = got.some((x) => x.start <= t && t < x.end);
    assert.equal(have, want, `${zone} ${date} ${s}-${e} at ${new Date(t).toISOString()}`);
  }
}

test('America/New_York spring forward 2026-03-08 (02:00 EST -> 03:00 EDT)', () => {
  const z = 'America/New_York';
  runCases(z, [
    ['2026-03-08', '02:00', '03:00', []],
    ['2026-03-08', '01:30', '02:30', [span('2026-03-08T06:30:00Z', '2026-03-08T07:00:00Z')]],
    ['2026-03-08', '01:00', '03:30', [span('2026-03-08T06:00:00Z', '2026-03-08T07:30:00Z')]],
    ['2026-03-08', '09:00', '17:00', [span('2026-03-08T13:00:00Z', '2026-03-08T21:00:00Z')]],
    ['2026-03-07', '09:00', '17:00', [span('2026-03-07T14:00:00Z', '2026-03-07T22:00:00Z')]],
  ]);
  const day = wallToInstants('2026-03-08', 0, 1440, z);
  assert.deepEqual(day, [span('2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z')]);
  assert.equal(total(day), 23 * H);
  assert.equal(startOfDay('2026-03-08', z), at('2026-03-08T05:00:00Z'));
  assertMatchesIntl(z, '2026-03-08', 90, 150);
  assertMatchesIntl(z, '2026-03-08', 0, 1440);
});

test('America/New_York fall back 2026-11-01 (02:00 EDT -> 01:00 EST)', () => {
  const z = 'America/New_York';
  runCases(z, [
    // The repeated hour counts twice and the two runs touch, so they merge into one 2-hour interval.
    ['2026-11-01', '01:00', '02:00', [span('2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z')]],
    [
      '2026-11-01',
      '01:30',
      '02:00',
      [span('2026-11-01T05:30:00Z', '2026-11-01T06:00:00Z'), span('2026-11-01T06:30:00Z', '2026-11-01T07:00:00Z')],
    ],
    ['2026-11-01', '09:00', '17:00', [span('2026-11-01T14:00:00Z', '2026-11-01T22:00:00Z')]],
  ]);
  const day = wallToInstants('2026-11-01', 0, 1440, z);
  assert.deepEqual(day, [span('2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z')]);
  assert.equal(total(day), 25 * H);
  assert.deepEqual(dayWindow('2026-11-01', '2026-11-01', z), span('2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'));
  assertMatchesIntl(z, '2026-11-01', 60, 120);
  assertMatchesIntl(z, '2026-11-01', 90, 120);
});

test('Europe/Berlin 2026-03-29 spring and 2026-10-25 fall', () => {
  const z = 'Europe/Berlin';
  runCases(z, [
    ['2026-03-29', '02:00', '03:00', []],
    ['2026-03-29', '01:30', '02:30', [span('2026-03-29T00:30:00Z', '2026-03-29T01:00:00Z')]],
    ['2026-03-29', '09:00', '17:00', [span('2026-03-29T07:00:00Z', '2026-03-29T15:00:00Z')]],
    ['2026-03-28', '09:00', '17:00', [span('2026-03-28T08:00:00Z', '2026-03-28T16:00:00Z')]],
    ['2026-10-25', '02:00', '03:00', [span('2026-10-25T00:00:00Z', '2026-10-25T02:00:00Z')]],
    ['2026-10-25', '09:00', '17:00', [span('2026-10-25T08:00:00Z', '2026-10-25T16:00:00Z')]],
  ]);
  assert.equal(total(wallToInstants('2026-03-29', 0, 1440, z)), 23 * H);
  assert.equal(total(wallToInstants('2026-10-25', 0, 1440, z)), 25 * H);
  assert.equal(startOfDay('2026-10-25', z), at('2026-10-24T22:00:00Z'));
  assertMatchesIntl(z, '2026-03-29', 60, 180);
  assertMatchesIntl(z, '2026-10-25', 120, 180);
});

test('Australia/Lord_Howe 30-minute DST: 2026-04-05 ends, 2026-10-04 starts', () => {
  const z = 'Australia/Lord_Howe';
  // 2026-04-05 02:00 +11:00 -> 01:30 +10:30: 01:30-02:00 happens twice.
  runCases(z, [
    ['2026-04-05', '01:30', '02:00', [span('2026-04-04T14:30:00Z', '2026-04-04T15:30:00Z')]],
    ['2026-04-05', '01:00', '02:00', [span('2026-04-04T14:00:00Z', '2026-04-04T15:30:00Z')]],
    ['2026-04-05', '09:00', '17:00', [span('2026-04-04T22:30:00Z', '2026-04-05T06:30:00Z')]],
    // 2026-10-04 02:00 +10:30 -> 02:30 +11:00: 02:00-02:30 never happens.
    ['2026-10-04', '02:00', '02:30', []],
    ['2026-10-04', '02:00', '03:00', [span('2026-10-03T15:30:00Z', '2026-10-03T16:00:00Z')]],
    ['2026-10-04', '09:00', '17:00', [span('2026-10-03T22:00:00Z', '2026-10-04T06:00:00Z')]],
  ]);
  assert.equal(total(wallToInstants('2026-04-05', 0, 1440, z)), 24.5 * H);
  assert.equal(total(wallToInstants('2026-10-04', 0, 1440, z)), 23.5 * H);
  assertMatchesIntl(z, '2026-04-05', 60, 150);
  assertMatchesIntl(z, '2026-10-04', 90, 210);
});

test('Pacific/Apia: the skipped 2011-12-30, and its last DST changes', () => {
  const z = 'Pacific/Apia';
  // Samoa jumped from Thursday 2011-12-29 24:00 (-10:00) straight to Saturday 2011-12-31 00:00 (+14:00).
  runCases(z, [
    ['2011-12-30', '00:00', '24:00', []],
    ['2011-12-30', '09:00', '17:00', []],
    ['2011-12-29', '00:00', '24:00', [span('2011-12-29T10:00:00Z', '2011-12-30T10:00:00Z')]],
    ['2011-12-31', '09:00', '17:00', [span('2011-12-30T19:00:00Z', '2011-12-31T03:00:00Z')]],
    // 2020-09-27 03:00 +13 -> 04:00 +14; 2021-04-04 04:00 +14 -> 03:00 +13 (DST then abolished).
    ['2020-09-27', '03:00', '04:00', []],
    ['2021-04-04', '03:00', '04:00', [span('2021-04-03T13:00:00Z', '2021-04-03T15:00:00Z')]],
    ['2026-07-01', '09:00', '17:00', [span('2026-06-30T20:00:00Z', '2026-07-01T04:00:00Z')]],
  ]);
  // A date that never happens starts (and ends) where the next one starts: its day window is empty.
  assert.equal(startOfDay('2011-12-30', z), at('2011-12-30T10:00:00Z'));
  assert.equal(startOfDay('2011-12-31', z), at('2011-12-30T10:00:00Z'));
  const w = dayWindow('2011-12-30', '2011-12-30', z);
  assert.equal(w.end - w.start, 0);
  assert.equal(total(wallToInstants('2021-04-04', 0, 1440, z)), 25 * H);
  assertMatchesIntl(z, '2011-12-30', 0, 1440);
  assertMatchesIntl(z, '2011-12-31', 0, 1440);
  assertMatchesIntl(z, '2021-04-04', 180, 240);
});

test('Asia/Kathmandu: +05:45 today, and the 1986 move from +05:30 that skipped 00:00-00:15', () => {
  const z = 'Asia/Kathmandu';
  runCases(z, [
    ['2026-03-09', '09:00', '17:00', [span('2026-03-09T03:15:00Z', '2026-03-09T11:15:00Z')]],
    ['1986-01-01', '00:00', '00:15', []],
    ['1985-12-31', '09:00', '17:00', [span('1985-12-31T03:30:00Z', '1985-12-31T11:30:00Z')]],
  ]);
  assert.equal(startOfDay('1986-01-01', z), at('1985-12-31T18:30:00Z'));
  assert.equal(total(wallToInstants('1986-01-01', 0, 1440, z)), 23.75 * H);
  assert.equal(total(wallToInstants('2026-03-09', 0, 1440, z)), 24 * H);
  assertMatchesIntl(z, '1986-01-01', 0, 60);
});

test('America/Santiago: midnight skipped (2026-09-06) and 23:00-24:00 repeated (2026-04-04)', () => {
  const z = 'America/Santiago';
  assert.equal(startOfDay('2026-09-06', z), at('2026-09-06T04:00:00Z')); // 01:00 -03:00
  runCases(z, [
    ['2026-09-06', '00:00', '01:00', []],
    ['2026-04-04', '23:00', '24:00', [span('2026-04-05T02:00:00Z', '2026-04-05T04:00:00Z')]],
  ]);
  assert.equal(total(wallToInstants('2026-04-04', 0, 1440, z)), 25 * H);
  assert.equal(total(wallToInstants('2026-09-06', 0, 1440, z)), 23 * H);
  assertMatchesIntl(z, '2026-09-06', 0, 120);
  assertMatchesIntl(z, '2026-04-04', 1320, 1440);
});

test('historical dates at the 1900 and 2200 edges', () => {
  // New York used LMT -04:56:02 until 1883, so 1900 is already EST; 2200 follows the current US rules.
  assert.deepEqual(wallToInstants('1900-01-01', 540, 1020, 'America/New_York'), [
    span('1900-01-01T14:00:00Z', '1900-01-01T22:00:00Z'),
  ]);
  assert.deepEqual(wallToInstants('2200-07-01', 540, 1020, 'America/New_York'), [
    span('2200-07-01T13:00:00Z', '2200-07-01T21:00:00Z'),
  ]);
  // Kathmandu's LMT +05:41:16 has seconds; the day still has exactly 24 hours.
  const k = wallToInstants('1900-01-02', 0, 1440, 'Asia/Kathmandu');
  assert.equal(k[0]!.start, at('1900-01-02T00:00:00Z') - (5 * 3600 + 41 * 60 + 16) * 1000);
  assert.equal(total(k), 24 * H);
});

test('the offset cache answers like Temporal whatever order it is filled in', async () => {
  const { Temporal } = await import('temporal-polyfill');
  const { offsetAt } = await import('../../src/domain/zone-offsets');
  // Zones no other engine test touches, so their cache starts cold; queries jump back and forth to force
  // both left and right extensions and the seams between them.
  const zones = ['America/Sao_Paulo', 'Europe/Dublin', 'Asia/Tehran', 'Africa/Casablanca', 'America/St_Johns'];
  let seed = 3;
  const rnd = (): number => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const lo = at('1900-01-02T00:00:00Z');
  const hi = at('2200-12-30T00:00:00Z');
  for (const zone of zones) {
    const picks = [at('2026-06-01T00:00:00Z'), ...Array.from({ length: 80 }, () => lo + Math.floor(rnd() * (hi - lo)))];
    for (const ms of picks) {
      const want = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6;
      assert.equal(offsetAt(zone, ms), want, `${zone} at ${new Date(ms).toISOString()}`);
    }
  }
});
