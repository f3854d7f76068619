// Writing instants and answers: InstantFormatter (and formatInstant, which uses it) against
// Temporal; JsonBytes and the day-list JSON written straight to bytes against JSON.stringify
// of the same values built as objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { splitByDays } from '../../src/domain/availability';
import { InstantFormatter, addDays, formatInstant, parseInstant } from '../../src/domain/calendar';
import { normalize, type Interval } from '../../src/domain/intervals';
import { daysJson } from '../../src/features/availability/days-json';
import { JsonBytes } from '../../src/http/json-text';

const ZONES = [
  'UTC',
  'Etc/UTC',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/New_York',
  'Europe/Berlin',
  'Pacific/Apia',
  'America/St_Johns',
  'Pacific/Chatham',
  'Asia/Tokyo',
  'America/Santiago',
  'Africa/Monrovia',
];
const MIN = Date.UTC(1960, 0, 1); // Africa/Monrovia ran on -0:44:30 until 1972: an offset with seconds
const MAX = Date.UTC(2032, 0, 1);

/** What Temporal says the instant is, floored to the second, in the zone's offset rounded to the minute. */
function expected(ms: number, zone: string): { offsetMinutes: number; plain: string | null } {
  const sec = Math.floor(ms / 1000) * 1000;
  const zdt = Temporal.Instant.fromEpochMilliseconds(sec).toZonedDateTimeISO(zone);
  const exact = zdt.offsetNanoseconds % 60e9 === 0;
  return {
    offsetMinutes: Math.round(zdt.offsetNanoseconds / 60e9),
    // Temporal's own string is exact only when the offset is whole minutes.
    plain: exact
      ? zdt
          .toString({ timeZoneName: 'never', smallestUnit: 'second' })
          .replace(/\+00:00$/, zone.endsWith('UTC') ? 'Z' : '+00:00')
      : null,
  };
}

test('formatInstant: RFC 3339 in the zone, floored to the second, denoting exactly that second', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...ZONES),
      fc.array(fc.integer({ min: MIN, max: MAX }), { minLength: 1, maxLength: 20 }),
      (zone, instants) => {
        // One formatter over many instants (in any order) must agree with a fresh answer for each.
        const f = new InstantFormatter(zone);
        for (const ms of instants) {
          const s = f.format(ms);
          assert.equal(s, formatInstant(ms, zone));
          assert.match(s, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
          assert.equal(parseInstant(s), Math.floor(ms / 1000) * 1000, `${s} denotes ${new Date(ms).toISOString()}`);
          const e = expected(ms, zone);
          const off = s.endsWith('Z')
            ? 0
            : (s.at(-6) === '-' ? -1 : 1) * (Number(s.slice(-5, -3)) * 60 + Number(s.slice(-2)));
          assert.equal(off, e.offsetMinutes, `offset of ${s}`);
          if (e.plain !== null) assert.equal(s, e.plain);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('formatInstant: seconds are kept, milliseconds dropped, the instant after a DST change gets the new offset', () => {
  assert.equal(formatInstant(Date.parse('2026-03-08T06:59:59.999Z'), 'America/New_York'), '2026-03-08T01:59:59-05:00');
  assert.equal(formatInstant(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York'), '2026-03-08T03:00:00-04:00');
  assert.equal(formatInstant(Date.parse('2026-10-03T15:29:59Z'), 'Australia/Lord_Howe'), '2026-10-04T01:59:59+10:30');
  assert.equal(formatInstant(Date.parse('2026-10-03T15:30:00Z'), 'Australia/Lord_Howe'), '2026-10-04T02:30:00+11:00');
  assert.equal(formatInstant(Date.parse('2026-06-01T00:00:07Z'), 'UTC'), '2026-06-01T00:00:07Z');
  assert.equal(formatInstant(Date.parse('1970-01-01T00:00:00Z'), 'Africa/Monrovia'), '1969-12-31T23:16:00-00:44');
});

test('daysJson writes what JSON.stringify writes of the same days built as objects', () => {
  const day = 86_400_000;
  fc.assert(
    fc.property(
      fc.constantFrom(...ZONES),
      fc.integer({ min: Date.UTC(2026, 0, 1) / day, max: Date.UTC(2030, 11, 1) / day }),
      fc.integer({ min: 0, max: 40 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 45 * 1440 }), fc.integer({ min: 1, max: 3 * 1440 })), {
        maxLength: 60,
      }),
      fc.integer({ min: 0, max: 59 }),
      (zone, firstDay, span, raw, seconds) => {
        const from = new Date(firstDay * day).toISOString().slice(0, 10);
        const to = addDays(from, span);
        const base = firstDay * day - 2 * day;
        const intervals: Interval[] = normalize(
          raw.map(([s, len]) => ({ start: base + s * 60_000 + seconds * 1000, end: base + (s + len) * 60_000 })),
        );
        const objects = {
          timezone: zone,
          days: splitByDays(intervals, from, to, zone).map((d) => ({
            date: d.date,
            intervals: d.intervals.map((iv) => ({
              start: formatInstant(iv.start, zone),
              end: formatInstant(iv.end, zone),
            })),
          })),
        };
        const written = daysJson(intervals, from, to, zone);
        assert.equal(written.toString('utf8'), JSON.stringify(objects));
        assert.equal(objects.days.length, span + 1);
      },
    ),
    { numRuns: 300 },
  );
});

test('JsonBytes: grows as needed and writes what JSON.stringify writes', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...ZONES),
      fc.array(fc.integer({ min: MIN, max: MAX }), { maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.integer({ min: 1, max: 100 }),
      (zone, instants, text, initial) => {
        const f = new InstantFormatter(zone);
        const out = new JsonBytes(initial).ascii('{"zone":').value(zone).ascii(',"text":').value(text).ascii(',"at":[');
        instants.forEach((ms, i) =>
          out
            .ascii(i === 0 ? '"' : ',"')
            .instant(f, ms)
            .ascii('"'),
        );
        const written = out.ascii(']}').bytes().toString('utf8');
        assert.equal(written, JSON.stringify({ zone, text, at: instants.map((ms) => formatInstant(ms, zone)) }));
      },
    ),
    { numRuns: 200 },
  );
});
