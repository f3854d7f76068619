// The date window of an availability or slot query: inclusive calendar dates in the asked
// time zone, at most MAX_WINDOW_DAYS long, validated with errors that name the field.
import { addDays, daysBetween, dayWindow, isDate, isTimeZone, localDateOf } from '../../domain/calendar';
import type { Interval } from '../../domain/intervals';
import { validationError, type FieldError } from '../../http/errors';

export const MAX_WINDOW_DAYS = 93;

export interface DateWindow {
  from: string;
  to: string;
  timezone: string;
  /** [local midnight of from, local midnight after to) */
  window: Interval;
}

/** Checks `timezone` (default: the user's), `from` and `to`; a range wholly in the past is refused. */
export function parseDateWindow(
  query: { from?: string; to?: string; timezone?: string },
  defaultTimeZone: string,
  now: number,
): DateWindow {
  const errors: FieldError[] = [];
  const timezone = query.timezone ?? defaultTimeZone;
  if (!isTimeZone(timezone)) errors.push({ field: 'timezone', message: 'is not an IANA time zone name' });
  if (query.from === undefined) errors.push({ field: 'from', message: 'is required' });
  else if (!isDate(query.from)) errors.push({ field: 'from', message: 'must be a real date YYYY-MM-DD' });
  if (query.to === undefined) errors.push({ field: 'to', message: 'is required' });
  else if (!isDate(query.to)) errors.push({ field: 'to', message: 'must be a real date YYYY-MM-DD' });
  if (errors.length) throw validationError(errors);
  const from = query.from!;
  const to = query.to!;
  if (daysBetween(from, to) < 0) errors.push({ field: 'to', message: 'must not be before from' });
  else if (daysBetween(from, to) + 1 > MAX_WINDOW_DAYS) {
    errors.push({ field: 'to', message: `the window is at most ${MAX_WINDOW_DAYS} days` });
  } else if (daysBetween(localDateOf(now, timezone), to) < 0) {
    errors.push({ field: 'to', message: 'the range is in the past' });
  }
  if (errors.length) throw validationError(errors);
  return { from, to, timezone, window: dayWindow(from, to, timezone) };
}

/** Schedule-zone dates that can touch a window drawn in any zone: two days of margin each side. */
export function overrideRange(window: Interval): { from: string; to: string } {
  return { from: addDays(localDateOf(window.start, 'UTC'), -2), to: addDays(localDateOf(window.end, 'UTC'), 2) };
}
