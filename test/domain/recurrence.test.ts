// Recurring series: which rules are accepted, and where their occurrences fall in the organiser's zone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatInstant, parseInstant } from '../../src/domain/calendar';
import {
  expandRecurrence,
  formatRecurrence,
  MAX_OCCURRENCES,
  parseRecurrence,
  RecurrenceError,
  shiftOccurrences,
} from '../../src/domain/recurrence';

const HOUR = 3_600_000;
const at = (s: string): number => {
  const ms = parseInstant(s);
  if (ms === null) throw new Error(`bad instant ${s}`);
  return ms;
};
function series(rule: string, start: string, zone: string, hours = 1): string[] {
  const first = at(start);
  return expandRecurrence(parseRecurrence(rule), { start: first, end: first + hours * HOUR }, zone).map((o) =>
    formatInstant(o.start, zone),
  );
}

describe('parsing a recurrence rule', () => {
  it('accepts the supported parts in any case, with or without an RRULE: prefix', () => {
    assert.deepEqual(parseRecurrence('FREQ=WEEKLY;COUNT=10'), { freq: 'WEEKLY', interval: 1, count: 10 });
    assert.deepEqual(parseRecurrence('rrule:freq=monthly;interval=2;bymonthday=1,15;until=20261231'), {
      freq: 'MONTHLY',
      interval: 2,
      until: '20261231',
      byMonthDay: [1, 15],
    });
    assert.equal(
      formatRecurrence(parseRecurrence('COUNT=3;BYDAY=MO,WE;FREQ=WEEKLY')),
      'FREQ=WEEKLY;COUNT=3;BYDAY=MO,WE',
    );
    assert.deepEqual(parseRecurrence('FREQ=MONTHLY;BYDAY=-1FR;COUNT=3').byDay, ['-1FR']);
  });

  it('refuses unknown parts, bad values and endless series with a message naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['FREQ=HOURLY;COUNT=3', /FREQ/],
      ['FREQ=YEARLY;COUNT=3', /FREQ/],
      ['COUNT=3', /FREQ is required/],
      ['FREQ=WEEKLY', /must end/],
      ['FREQ=WEEKLY;COUNT=0', /COUNT/],
      ['FREQ=WEEKLY;COUNT=101', /COUNT/],
      ['FREQ=WEEKLY;COUNT=abc', /COUNT/],
      ['FREQ=WEEKLY;COUNT=3;UNTIL=20261231', /not both/],
      ['FREQ=WEEKLY;UNTIL=2026-12-31', /UNTIL/],
      ['FREQ=WEEKLY;UNTIL=20260231', /UNTIL/],
      ['FREQ=WEEKLY;COUNT=3;BYDAY=XX', /BYDAY/],
      ['FREQ=WEEKLY;COUNT=3;BYDAY=1MO', /MONTHLY/],
      ['FREQ=WEEKLY;COUNT=3;BYMONTHDAY=1', /BYMONTHDAY/],
      ['FREQ=MONTHLY;COUNT=3;BYMONTHDAY=32', /BYMONTHDAY/],
      ['FREQ=DAILY;COUNT=3;INTERVAL=0', /INTERVAL/],
      ['FREQ=DAILY;COUNT=3;BYHOUR=9', /BYHOUR is not supported/],
      ['FREQ=DAILY;COUNT=3;COUNT=4', /twice/],
      ['FREQ=DAILY;COUNT', /NAME=VALUE/],
    ];
    for (const [rule, message] of cases) {
      assert.throws(
        () => parseRecurrence(rule),
        (e: unknown) => e instanceof RecurrenceError && message.test(e.message),
        rule,
      );
    }
  });
});

describe('expanding a series in the organiser’s zone', () => {
  it('keeps 09:00 in New York across the 2026-03-08 change to summer time', () => {
    assert.deepEqual(series('FREQ=WEEKLY;COUNT=3', '2026-03-02T09:00:00-05:00', 'America/New_York'), [
      '2026-03-02T09:00:00-05:00',
      '2026-03-09T09:00:00-04:00',
      '2026-03-16T09:00:00-04:00',
    ]);
  });

  it('keeps 10:00 in Berlin across the 2026-03-29 change, and each occurrence keeps its length', () => {
    const first = at('2026-03-23T10:00:00+01:00');
    const occ = expandRecurrence(
      parseRecurrence('FREQ=WEEKLY;COUNT=2'),
      { start: first, end: first + 90 * 60_000 },
      'Europe/Berlin',
    );
    assert.deepEqual(
      occ.map((o) => [formatInstant(o.start, 'Europe/Berlin'), formatInstant(o.end, 'Europe/Berlin')]),
      [
        ['2026-03-23T10:00:00+01:00', '2026-03-23T11:30:00+01:00'],
        ['2026-03-30T10:00:00+02:00', '2026-03-30T11:30:00+02:00'],
      ],
    );
    // The instants are seven days minus one hour apart: the wall clock, not the UTC clock, repeats.
    assert.equal(occ[1]!.start - occ[0]!.start, 7 * 24 * HOUR - HOUR);
  });

  it('works in a zone with a quarter-hour offset (Asia/Kathmandu), daily with an interval', () => {
    assert.deepEqual(series('FREQ=DAILY;INTERVAL=2;COUNT=3', '2026-05-04T09:15:00+05:45', 'Asia/Kathmandu'), [
      '2026-05-04T09:15:00+05:45',
      '2026-05-06T09:15:00+05:45',
      '2026-05-08T09:15:00+05:45',
    ]);
  });

  it('expands BYDAY, BYMONTHDAY and an inclusive UNTIL date', () => {
    assert.deepEqual(series('FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260311', '2026-03-02T09:00:00+01:00', 'Europe/Berlin'), [
      '2026-03-02T09:00:00+01:00',
      '2026-03-04T09:00:00+01:00',
      '2026-03-09T09:00:00+01:00',
      '2026-03-11T09:00:00+01:00',
    ]);
    // A month without a 31st is skipped, as RFC 5545 says.
    assert.deepEqual(series('FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3', '2026-03-31T09:00:00Z', 'UTC'), [
      '2026-03-31T09:00:00Z',
      '2026-05-31T09:00:00Z',
      '2026-07-31T09:00:00Z',
    ]);
  });

  it('refuses a start that is not an occurrence of the rule', () => {
    // 2026-03-02 is a Monday.
    assert.throws(
      () => series('FREQ=WEEKLY;BYDAY=TU;COUNT=3', '2026-03-02T09:00:00Z', 'UTC'),
      /start must be an occurrence/,
    );
    assert.throws(() => series('FREQ=WEEKLY;UNTIL=20260101', '2026-03-02T09:00:00Z', 'UTC'), /no occurrence/);
  });

  it(`bounds a series at ${MAX_OCCURRENCES} occurrences within 366 days of the first`, () => {
    assert.equal(series('FREQ=DAILY;COUNT=100', '2026-03-02T09:00:00Z', 'UTC').length, 100);
    assert.throws(() => series('FREQ=DAILY;UNTIL=20270101', '2026-03-02T09:00:00Z', 'UTC'), /at most 100/);
    assert.throws(() => series('FREQ=MONTHLY;COUNT=14', '2026-03-02T09:00:00Z', 'UTC'), /366 days/);
    assert.equal(series('FREQ=MONTHLY;COUNT=13', '2026-03-02T09:00:00Z', 'UTC').length, 13);
  });

  it('refuses occurrences that would overlap each other', () => {
    assert.throws(() => series('FREQ=DAILY;COUNT=3', '2026-03-02T09:00:00Z', 'UTC', 25), /overlap/);
  });
});

describe('moving a series from one occurrence on', () => {
  it('gives every later occurrence the new local time and length, shifted by the same number of days, across DST', () => {
    const zone = 'America/New_York';
    const first = at('2026-03-02T09:00:00-05:00');
    const occ = expandRecurrence(parseRecurrence('FREQ=WEEKLY;COUNT=3'), { start: first, end: first + HOUR }, zone);
    const to = { start: at('2026-03-03T10:30:00-05:00'), end: at('2026-03-03T11:00:00-05:00') };
    assert.deepEqual(
      shiftOccurrences(occ, occ[0]!, to, zone).map((o) => [formatInstant(o.start, zone), formatInstant(o.end, zone)]),
      [
        ['2026-03-03T10:30:00-05:00', '2026-03-03T11:00:00-05:00'],
        ['2026-03-10T10:30:00-04:00', '2026-03-10T11:00:00-04:00'],
        ['2026-03-17T10:30:00-04:00', '2026-03-17T11:00:00-04:00'],
      ],
    );
  });
});
