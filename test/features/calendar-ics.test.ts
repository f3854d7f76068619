// Reading busy time from iCalendar feeds: zones (IANA and Outlook-style VTIMEZONE, across a
// DST change), floating and all-day times in the user's zone, recurrence with exceptions,
// and what is not busy (cancelled, free).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { busyFromIcs, FeedError } from '../../src/features/calendars/ics';
import { formatInstant } from '../../src/domain/calendar';

const horizon = { start: Date.parse('2026-03-01T00:00:00Z'), end: Date.parse('2026-05-01T00:00:00Z') };
const show = (xs: { start: number; end: number }[]) =>
  xs.map((x) => `${formatInstant(x.start, 'UTC')}/${formatInstant(x.end, 'UTC')}`);
const feed = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join('\r\n');
const vevent = (...lines: string[]) =>
  ['BEGIN:VEVENT', `UID:${Math.random()}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');

const OUTLOOK_ZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
].join('\r\n');

describe('busy time from an iCalendar feed', () => {
  it('UTC, IANA TZID on both sides of a DST change, and an Outlook VTIMEZONE', () => {
    const busy = busyFromIcs(
      feed(
        OUTLOOK_ZONE,
        vevent('DTSTART:20260310T090000Z', 'DTEND:20260310T100000Z'),
        vevent('DTSTART;TZID=Europe/Berlin:20260327T090000', 'DTEND;TZID=Europe/Berlin:20260327T100000'),
        vevent('DTSTART;TZID=Europe/Berlin:20260330T090000', 'DURATION:PT30M'),
        vevent(
          'DTSTART;TZID=W. Europe Standard Time:20260331T140000',
          'DTEND;TZID=W. Europe Standard Time:20260331T150000',
        ),
      ),
      'America/New_York',
      horizon,
    );
    assert.deepEqual(show(busy), [
      '2026-03-10T09:00:00Z/2026-03-10T10:00:00Z',
      '2026-03-27T08:00:00Z/2026-03-27T09:00:00Z',
      '2026-03-30T07:00:00Z/2026-03-30T07:30:00Z',
      '2026-03-31T12:00:00Z/2026-03-31T13:00:00Z',
    ]);
  });

  it("floating times and all-day events are the user's wall clock", () => {
    const busy = busyFromIcs(
      feed(
        vevent('DTSTART:20260312T130000', 'DTEND:20260312T133000'),
        vevent('DTSTART;VALUE=DATE:20260320', 'DTEND;VALUE=DATE:20260321'),
        vevent('DTSTART;VALUE=DATE:20260325'),
      ),
      'Asia/Kathmandu',
      horizon,
    );
    assert.deepEqual(show(busy), [
      '2026-03-12T07:15:00Z/2026-03-12T07:45:00Z',
      '2026-03-19T18:15:00Z/2026-03-20T18:15:00Z',
      '2026-03-24T18:15:00Z/2026-03-25T18:15:00Z',
    ]);
  });

  it('a weekly series with an EXDATE, a moved and a cancelled occurrence; free and cancelled events are not busy', () => {
    const uid = 'series-1';
    const busy = busyFromIcs(
      feed(
        [
          'BEGIN:VEVENT',
          `UID:${uid}`,
          'DTSTAMP:20260101T000000Z',
          'DTSTART;TZID=America/New_York:20260302T090000',
          'DTEND;TZID=America/New_York:20260302T100000',
          'RRULE:FREQ=WEEKLY;COUNT=4',
          'EXDATE;TZID=America/New_York:20260309T090000',
          'END:VEVENT',
        ].join('\r\n'),
        [
          'BEGIN:VEVENT',
          `UID:${uid}`,
          'DTSTAMP:20260101T000000Z',
          'RECURRENCE-ID;TZID=America/New_York:20260316T090000',
          'DTSTART;TZID=America/New_York:20260316T150000',
          'DTEND;TZID=America/New_York:20260316T160000',
          'END:VEVENT',
        ].join('\r\n'),
        [
          'BEGIN:VEVENT',
          `UID:${uid}`,
          'DTSTAMP:20260101T000000Z',
          'RECURRENCE-ID;TZID=America/New_York:20260323T090000',
          'DTSTART;TZID=America/New_York:20260323T090000',
          'DTEND;TZID=America/New_York:20260323T100000',
          'STATUS:CANCELLED',
          'END:VEVENT',
        ].join('\r\n'),
        vevent('DTSTART:20260401T090000Z', 'DTEND:20260401T100000Z', 'TRANSP:TRANSPARENT'),
        vevent('DTSTART:20260402T090000Z', 'DTEND:20260402T100000Z', 'STATUS:CANCELLED'),
      ),
      'UTC',
      horizon,
    );
    // 2 March 09:00 EST; 9 March excluded; 16 March moved to 15:00 EDT; 23 March cancelled.
    assert.deepEqual(show(busy), [
      '2026-03-02T14:00:00Z/2026-03-02T15:00:00Z',
      '2026-03-16T19:00:00Z/2026-03-16T20:00:00Z',
    ]);
  });

  it('EXDATE and RECURRENCE-ID written in UTC match a series in an IANA zone without a VTIMEZONE; an occurrence moved in from past the horizon counts', () => {
    const uid = 'series-utc';
    const series = (...lines: string[]) =>
      ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');
    const busy = busyFromIcs(
      feed(
        series(
          'DTSTART;TZID=Europe/Berlin:20260302T090000',
          'DTEND;TZID=Europe/Berlin:20260302T100000',
          'RRULE:FREQ=WEEKLY;COUNT=12',
          'EXDATE:20260309T080000Z',
        ),
        series('RECURRENCE-ID:20260316T080000Z', 'DTSTART:20260316T120000Z', 'DTEND:20260316T130000Z'),
        // The occurrence of 18 May (past the horizon's end) moved to 20 April.
        series(
          'RECURRENCE-ID;TZID=Europe/Berlin:20260518T090000',
          'DTSTART:20260420T150000Z',
          'DTEND:20260420T160000Z',
        ),
      ),
      'UTC',
      horizon,
    );
    assert.deepEqual(show(busy), [
      '2026-03-02T08:00:00Z/2026-03-02T09:00:00Z',
      '2026-03-16T12:00:00Z/2026-03-16T13:00:00Z',
      '2026-03-23T08:00:00Z/2026-03-23T09:00:00Z',
      '2026-03-30T07:00:00Z/2026-03-30T08:00:00Z',
      '2026-04-06T07:00:00Z/2026-04-06T08:00:00Z',
      '2026-04-13T07:00:00Z/2026-04-13T08:00:00Z',
      '2026-04-20T07:00:00Z/2026-04-20T08:00:00Z',
      '2026-04-20T15:00:00Z/2026-04-20T16:00:00Z',
      '2026-04-27T07:00:00Z/2026-04-27T08:00:00Z',
    ]);
  });

  it('an endless series stops at the horizon; what is outside it is left out; overlaps merge', () => {
    const busy = busyFromIcs(
      feed(
        vevent('DTSTART:20260101T120000Z', 'DTEND:20260101T130000Z', 'RRULE:FREQ=DAILY'),
        vevent('DTSTART:20260301T123000Z', 'DTEND:20260301T140000Z'),
        vevent('DTSTART:20270101T120000Z', 'DTEND:20270101T130000Z'),
      ),
      'UTC',
      horizon,
    );
    assert.equal(busy.length, 61);
    assert.equal(show(busy)[0], '2026-03-01T12:00:00Z/2026-03-01T14:00:00Z');
    assert.equal(show(busy).at(-1), '2026-04-30T12:00:00Z/2026-04-30T13:00:00Z');
  });

  it('anything else is a FeedError', () => {
    for (const text of ['', 'hello', '<html></html>', 'BEGIN:VCARD\r\nEND:VCARD'])
      assert.throws(() => busyFromIcs(text, 'UTC', horizon), FeedError, JSON.stringify(text));
  });
});

describe('reading a feed in a worker, within a budget', () => {
  it('a rule ical.js loops on for ever is cut off; the event loop goes on meanwhile', async () => {
    const { parseFeed } = await import('../../src/features/calendars/parse-feed');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    const hostile = feed(
      vevent('DTSTART:20260401T090000Z', 'DTEND:20260401T100000Z', 'RRULE:FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31;COUNT=2'),
    );
    await assert.rejects(
      parseFeed(hostile, 'UTC', horizon, {}, 1500),
      (e: unknown) => e instanceof FeedError && /took over/.test(e.message),
    );
    clearInterval(timer);
    assert.ok(ticks >= 20, `the main thread kept running (${ticks} ticks)`);
    const ok = await parseFeed(feed(vevent('DTSTART:20260310T090000Z', 'DTEND:20260310T100000Z')), 'UTC', horizon);
    assert.deepEqual(show(ok.busy), ['2026-03-10T09:00:00Z/2026-03-10T10:00:00Z']);
  });

  it("this service's own invitations are not busy again; a bad event is skipped, not the feed; a BOM is fine; RDATE-only series keep DTSTART", async () => {
    const { parseFeed } = await import('../../src/features/calendars/parse-feed');
    const read = await parseFeed(
      '\uFEFF' +
        feed(
          [
            'BEGIN:VEVENT',
            'UID:0b7c@slotwise.example',
            'DTSTAMP:20260101T000000Z',
            'DTSTART:20260311T090000Z',
            'DTEND:20260311T100000Z',
            'END:VEVENT',
          ].join('\r\n'),
          vevent('SUMMARY:no start'),
          vevent('DTSTART:20260312T090000Z', 'DTEND:20260312T100000Z', 'RDATE:20260313T090000Z'),
        ),
      'UTC',
      horizon,
      { ownUidSuffix: '@slotwise.example' },
    );
    assert.deepEqual(show(read.busy), [
      '2026-03-12T09:00:00Z/2026-03-12T10:00:00Z',
      '2026-03-13T09:00:00Z/2026-03-13T10:00:00Z',
    ]);
    assert.equal(read.skipped, 1);
  });
});

describe('busy time across DST changes, as RFC 5545 reads it', () => {
  it('a time in the spring-forward gap is shifted forward by the gap; a DURATION of hours is exact time', () => {
    const busy = busyFromIcs(
      feed(
        vevent('DTSTART;TZID=America/New_York:20260308T023000', 'DTEND;TZID=America/New_York:20260308T040000'),
        vevent('DTSTART;TZID=America/New_York:20261101T013000', 'DURATION:PT1H'),
      ),
      'UTC',
      { start: Date.parse('2026-03-01T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z') },
    );
    // 02:30 does not exist on 8 March: it is 03:30 EDT. 01:30 on 1 November is the first (EDT) one, and lasts one hour.
    assert.deepEqual(show(busy), [
      '2026-03-08T07:30:00Z/2026-03-08T08:00:00Z',
      '2026-11-01T05:30:00Z/2026-11-01T06:30:00Z',
    ]);
  });
});
