// Validation of wall-clock hours as clients send them: every interval parses, ends after it
// starts (24:00 allowed as an end), dates are real calendar dates. Stored normalized.
import { isDate, parseWallTime, WEEKDAYS } from '../../domain/calendar';
import { normalize } from '../../domain/intervals';
import { toWallIntervals, type WallInterval, type WeeklyHours } from '../../domain/schedule';
import type { FieldError } from '../../http/errors';

/** Checks one day's intervals, pushing field errors; returns them sorted and merged. */
export function checkDayIntervals(
  intervals: readonly WallInterval[],
  field: string,
  errors: FieldError[],
): WallInterval[] {
  const minutes = [];
  for (const [i, interval] of intervals.entries()) {
    const start = parseWallTime(interval.start);
    const end = parseWallTime(interval.end, { allow24: true });
    if (start === null)
      errors.push({ field: `${field}[${i}].start`, message: 'must be a time HH:MM from 00:00 to 23:59' });
    if (end === null) errors.push({ field: `${field}[${i}].end`, message: 'must be a time HH:MM from 00:00 to 24:00' });
    if (start !== null && end !== null) {
      if (end <= start) errors.push({ field: `${field}[${i}].end`, message: 'must be after start' });
      else minutes.push({ start, end });
    }
  }
  return toWallIntervals(normalize(minutes));
}

export function checkWeekly(weekly: WeeklyHours, errors: FieldError[]): WeeklyHours {
  const result: WeeklyHours = {};
  for (const day of WEEKDAYS) {
    const intervals = weekly[day];
    if (intervals) result[day] = checkDayIntervals(intervals, `weekly.${day}`, errors);
  }
  return result;
}

export function checkOverrides(
  overrides: readonly { date: string; intervals: WallInterval[] }[],
  field: string,
  errors: FieldError[],
): { date: string; intervals: WallInterval[] }[] {
  const seen = new Set<string>();
  return overrides.map((o, i) => {
    if (!isDate(o.date)) errors.push({ field: `${field}[${i}].date`, message: 'must be a real date YYYY-MM-DD' });
    else if (seen.has(o.date)) errors.push({ field: `${field}[${i}].date`, message: 'appears twice' });
    seen.add(o.date);
    return { date: o.date, intervals: checkDayIntervals(o.intervals, `${field}[${i}].intervals`, errors) };
  });
}
