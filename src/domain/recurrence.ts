// Recurring meetings: validates an RRULE (the subset a meeting needs) and expands it from a first
// start in the organiser's IANA zone, so 09:00 local stays 09:00 local across DST changes.
// A series is bounded: at most MAX_OCCURRENCES, all starting within MAX_SERIES_DAYS of the first.
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import type { Interval } from './intervals';

export const MAX_OCCURRENCES = 100;
export const MAX_SERIES_DAYS = 366;
const MAX_INTERVAL = 99;

/** A rule the API refuses, with a message a client can act on (the API answers 400). */
export class RecurrenceError extends Error {}

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY';

export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  count?: number;
  /** 'YYYYMMDD' (inclusive, in the series' zone) or 'YYYYMMDDTHHMMSSZ'. */
  until?: string;
  byDay?: string[];
  byMonthDay?: number[];
  wkst?: string;
}

const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const UNTIL_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/;

function integer(part: string, value: string, min: number, max: number): number {
  if (!/^[+-]?\d{1,4}$/.test(value)) throw new RecurrenceError(`${part} must be a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new RecurrenceError(`${part} must be between ${min} and ${max}`);
  return n;
}

function checkUntil(value: string): string {
  const m = UNTIL_RE.exec(value);
  if (m === null) throw new RecurrenceError('UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSSZ');
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  try {
    Temporal.PlainDateTime.from(
      { year: y!, month: mo!, day: d!, hour: h!, minute: mi!, second: s! },
      { overflow: 'reject' },
    );
  } catch {
    throw new RecurrenceError('UNTIL is not a real date and time');
  }
  return value;
}

function byDayList(freq: Frequency, value: string): string[] {
  const days = value.split(',');
  for (const day of days) {
    const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(day);
    if (m === null) throw new RecurrenceError(`BYDAY: "${day}" is not a weekday code (${WEEKDAY_CODES.join(', ')})`);
    if (m[1] !== undefined) {
      if (freq !== 'MONTHLY')
        throw new RecurrenceError('BYDAY with a position (such as 1MO or -1FR) needs FREQ=MONTHLY');
      const n = Number(m[1]);
      if (n === 0 || n < -5 || n > 5) throw new RecurrenceError('BYDAY positions must be 1 to 5 or -1 to -5');
    }
  }
  if (new Set(days).size !== days.length) throw new RecurrenceError('BYDAY names a day twice');
  return days;
}

/**
 * Parses an RRULE value ('FREQ=WEEKLY;COUNT=10', an optional 'RRULE:' prefix, any case). Supported parts:
 * FREQ (DAILY, WEEKLY, MONTHLY), INTERVAL (1-99), COUNT (1-100) or UNTIL, BYDAY, BYMONTHDAY, WKST.
 * Anything else, a repeated part, or a rule without COUNT or UNTIL is a RecurrenceError.
 */
export function parseRecurrence(text: string): RecurrenceRule {
  const body = text
    .trim()
    .toUpperCase()
    .replace(/^RRULE:/, '');
  if (body === '') throw new RecurrenceError('the rule is empty');
  const parts = new Map<string, string>();
  for (const piece of body.split(';')) {
    const eq = piece.indexOf('=');
    if (eq <= 0 || eq === piece.length - 1) throw new RecurrenceError(`"${piece}" is not NAME=VALUE`);
    const name = piece.slice(0, eq);
    if (parts.has(name)) throw new RecurrenceError(`${name} is given twice`);
    parts.set(name, piece.slice(eq + 1));
  }
  const known = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'WKST']);
  for (const name of parts.keys()) {
    if (!known.has(name)) throw new RecurrenceError(`${name} is not supported (use ${[...known].join(', ')})`);
  }
  const freq = parts.get('FREQ');
  if (freq === undefined) throw new RecurrenceError('FREQ is required');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY') {
    throw new RecurrenceError('FREQ must be DAILY, WEEKLY or MONTHLY');
  }
  const rule: RecurrenceRule = { freq, interval: 1 };
  const interval = parts.get('INTERVAL');
  if (interval !== undefined) rule.interval = integer('INTERVAL', interval, 1, MAX_INTERVAL);
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count !== undefined && until !== undefined) throw new RecurrenceError('give COUNT or UNTIL, not both');
  if (count === undefined && until === undefined) {
    throw new RecurrenceError(`the series must end: give COUNT (at most ${MAX_OCCURRENCES}) or UNTIL`);
  }
  if (count !== undefined) rule.count = integer('COUNT', count, 1, MAX_OCCURRENCES);
  if (until !== undefined) rule.until = checkUntil(until);
  const byDay = parts.get('BYDAY');
  if (byDay !== undefined) rule.byDay = byDayList(freq, byDay);
  const byMonthDay = parts.get('BYMONTHDAY');
  if (byMonthDay !== undefined) {
    if (freq === 'WEEKLY') throw new RecurrenceError('BYMONTHDAY cannot be used with FREQ=WEEKLY');
    const days = byMonthDay.split(',').map((d) => integer('BYMONTHDAY', d, -31, 31));
    if (days.includes(0)) throw new RecurrenceError('BYMONTHDAY must not be 0');
    rule.byMonthDay = days;
  }
  const wkst = parts.get('WKST');
  if (wkst !== undefined) {
    if (!WEEKDAY_CODES.includes(wkst)) throw new RecurrenceError('WKST must be a weekday code');
    rule.wkst = wkst;
  }
  return rule;
}

/** The rule written back in a canonical form (what the API stores and answers). */
export function formatRecurrence(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== undefined) parts.push(`UNTIL=${rule.until}`);
  if (rule.byDay) parts.push(`BYDAY=${rule.byDay.join(',')}`);
  if (rule.byMonthDay) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.wkst) parts.push(`WKST=${rule.wkst}`);
  return parts.join(';');
}

/**
 * The occurrences of a series whose first occurrence is `first` (an instant interval), expanded in `timeZone`:
 * each keeps the first one's local start time and its length. The first start must itself be an occurrence of
 * the rule (a BYDAY=TU series cannot start on a Monday). Local start times that a DST change skips are left out,
 * as RFC 5545 says. More than MAX_OCCURRENCES occurrences, one starting more than MAX_SERIES_DAYS after the first,
 * or occurrences that overlap each other are a RecurrenceError.
 */
export function expandRecurrence(rule: RecurrenceRule, first: Interval, timeZone: string): Interval[] {
  const length = first.end - first.start;
  if (!(length > 0)) throw new RecurrenceError('an occurrence must have a positive length');
  const dtstart = Temporal.Instant.fromEpochMilliseconds(first.start).toZonedDateTimeISO(timeZone);
  const horizon = first.start + MAX_SERIES_DAYS * 86_400_000;
  let starts: number[];
  let tooLate = false;
  try {
    // Few periods suffice to pass the horizon; an impossible rule (BYMONTHDAY=31;BYDAY=MO daily) fails fast.
    const expander = new RRuleTemporal({
      rruleString: `RRULE:${formatRecurrence(rule)}`,
      dtstart,
      temporal: Temporal,
      maxIterations: 1000,
    });
    // Stops one past the count bound, or at the first start past the horizon.
    starts = expander
      .all((zdt, i) => {
        if (zdt.epochMilliseconds > horizon) tooLate = true;
        return !tooLate && i <= MAX_OCCURRENCES;
      })
      .map((zdt) => zdt.epochMilliseconds);
  } catch (error) {
    throw new RecurrenceError(`the rule cannot be expanded: ${(error as Error).message}`);
  }
  if (starts.length === 0) throw new RecurrenceError('the rule has no occurrence (UNTIL is before the start?)');
  if (starts[0] !== first.start) {
    throw new RecurrenceError('the start must be an occurrence of the rule (check BYDAY and BYMONTHDAY)');
  }
  if (starts.length > MAX_OCCURRENCES) {
    throw new RecurrenceError(`a series has at most ${MAX_OCCURRENCES} occurrences`);
  }
  if (tooLate) {
    throw new RecurrenceError(`every occurrence must start within ${MAX_SERIES_DAYS} days of the first`);
  }
  const occurrences = starts.map((start) => ({ start, end: start + length }));
  for (let i = 1; i < occurrences.length; i++) {
    if (occurrences[i]!.start < occurrences[i - 1]!.end) {
      throw new RecurrenceError('occurrences would overlap each other: shorten the meeting or space the series out');
    }
  }
  return occurrences;
}

/**
 * Where occurrences go when one of them, `from`, is moved to `to` and the rest follow: each keeps its own
 * local date shifted by as many days as `from`'s, and takes `to`'s local start time and length (so a change
 * from 09:00 to 10:00 stays 10:00 local on both sides of a DST change).
 */
export function shiftOccurrences(
  occurrences: readonly Interval[],
  from: Interval,
  to: Interval,
  timeZone: string,
): Interval[] {
  const zoned = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  const target = zoned(to.start);
  const days = zoned(from.start).toPlainDate().until(target.toPlainDate(), { largestUnit: 'days' }).days;
  const time = target.toPlainTime();
  const length = to.end - to.start;
  return occurrences.map((o) => {
    const start = zoned(o.start)
      .toPlainDate()
      .add({ days })
      .toZonedDateTime({ timeZone, plainTime: time }).epochMilliseconds;
    return { start, end: start + length };
  });
}
