// Busy time from an iCalendar feed (RFC 5545, as Google, Outlook, iCloud and Fastmail publish
// them): every event that is not cancelled nor marked free (TRANSP:TRANSPARENT), recurring
// ones expanded (RRULE, RDATE, EXDATE, moved or cancelled occurrences), within a horizon.
// Times are converted with the zone database, not the process's zone: a TZID that is an IANA
// name is used as such (DST exact); another TZID (Outlook's "W. Europe Standard Time") by its
// VTIMEZONE; floating times and all-day dates are the user's own wall clock.
import ICAL from 'ical.js';
import { instantOfWallClock, isTimeZone } from '../../domain/calendar';
import { normalize, type Interval } from '../../domain/intervals';

/** At most this many busy intervals are read from one feed. */
export const MAX_BUSY = 20_000;
/** At most this many occurrences are expanded in one feed, over all its series. */
export const MAX_OCCURRENCES = 300_000;

export class FeedError extends Error {}

function naiveOf(t: ICAL.Time): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.isDate ? 0 : t.hour, t.isDate ? 0 : t.minute, t.isDate ? 0 : t.second);
}

/**
 * The instant of an iCalendar time. `tzid` is the TZID its property was written with (ical.js
 * leaves a zone it has no VTIMEZONE for floating); `zones` are the feed's own VTIMEZONEs.
 */
function instantOf(
  t: ICAL.Time,
  tzid: string | undefined,
  userZone: string,
  zones: Map<string, ICAL.Timezone>,
): number {
  if (t.isDate) return instantOfWallClock(naiveOf(t), userZone, 'shift');
  if (t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === 'UTC') return naiveOf(t);
  const name = tzid ?? t.zone?.tzid;
  if (name && name !== 'floating') {
    if (isTimeZone(name)) return instantOfWallClock(naiveOf(t), name, 'shift');
    const zone = zones.get(name);
    if (zone) {
      const copy = t.clone();
      copy.zone = zone;
      return copy.toUnixTime() * 1000;
    }
  }
  return instantOfWallClock(naiveOf(t), userZone, 'shift'); // floating, or a zone nobody defined
}

/** The TZID written on the property; a Mozilla-style path ("/mozilla.org/20050126_1/America/New_York") as its IANA name. */
function tzidOf(c: ICAL.Component, property: 'dtstart' | 'dtend' | 'recurrence-id'): string | undefined {
  const tzid = c.getFirstProperty(property)?.getParameter('tzid');
  if (typeof tzid !== 'string' || tzid === '') return undefined;
  if (!isTimeZone(tzid) && tzid.includes('/')) {
    const parts = tzid.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const name = parts.slice(i).join('/');
      if (isTimeZone(name)) return name;
    }
  }
  return tzid;
}

const isBusy = (c: ICAL.Component) =>
  String(c.getFirstPropertyValue('status') ?? '').toUpperCase() !== 'CANCELLED' &&
  String(c.getFirstPropertyValue('transp') ?? '').toUpperCase() !== 'TRANSPARENT';

export interface FeedOptions {
  /** Events whose UID ends so are this service's own bookings (sent as invitations): not busy again. */
  ownUidSuffix?: string;
}

/**
 * Busy intervals of the feed that overlap `horizon`, normalized. A text that is no iCalendar
 * is a FeedError; an event that cannot be read is skipped (and counted), not the whole feed.
 * Runs in a worker thread with a time limit (parse-feed.ts): a hostile rule can loop in ical.js.
 */
export function busyFromIcs(text: string, userZone: string, horizon: Interval, options: FeedOptions = {}): Interval[] {
  return readFeed(text, userZone, horizon, options).busy;
}

export function readFeed(
  text: string,
  userZone: string,
  horizon: Interval,
  options: FeedOptions = {},
): { busy: Interval[]; skipped: number; truncated: boolean } {
  let calendar: ICAL.Component;
  try {
    const parsed = ICAL.parse(text.replace(/^\uFEFF/, ''));
    calendar = new ICAL.Component(parsed as unknown[]);
  } catch {
    throw new FeedError('not an iCalendar file');
  }
  if (calendar.name !== 'vcalendar') throw new FeedError('not an iCalendar file (no VCALENDAR)');

  const zones = new Map<string, ICAL.Timezone>();
  for (const vtz of calendar.getAllSubcomponents('vtimezone')) {
    const zone = new ICAL.Timezone(vtz);
    if (zone.tzid) zones.set(zone.tzid, zone);
  }

  const byUid = new Map<string, { master?: ICAL.Component; exceptions: ICAL.Component[] }>();
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const uid = String(vevent.getFirstPropertyValue('uid') ?? Math.random());
    if (options.ownUidSuffix && uid.endsWith(options.ownUidSuffix)) continue;
    const entry = byUid.get(uid) ?? { exceptions: [] };
    if (vevent.hasProperty('recurrence-id')) entry.exceptions.push(vevent);
    else entry.master = vevent;
    byUid.set(uid, entry);
  }

  const busy: Interval[] = [];
  const add = (start: ICAL.Time, end: ICAL.Time | null, item: ICAL.Component) => {
    if (!isBusy(item)) return;
    const startZone = tzidOf(item, 'dtstart');
    const s = instantOf(start, startZone, userZone, zones);
    let e = end ? instantOf(end, tzidOf(item, 'dtend') ?? startZone, userZone, zones) : s;
    // A DURATION of hours, minutes or seconds is exact time (RFC 5545 §3.3.6), across a DST change too.
    const duration = item.getFirstPropertyValue('duration') as ICAL.Duration | null;
    if (duration && !start.isDate && !item.hasProperty('dtend') && duration.days === 0 && duration.weeks === 0) {
      e =
        s + (duration.isNegative ? -1 : 1) * (duration.hours * 3600 + duration.minutes * 60 + duration.seconds) * 1000;
    }
    // An all-day event without an end lasts its day.
    if (!(e > s) && start.isDate) {
      const next = start.clone();
      next.day += 1;
      next.isDate = true;
      e = instantOf(next, startZone, userZone, zones);
    }
    if (e > s && e > horizon.start && s < horizon.end) busy.push({ start: s, end: e });
  };

  let skipped = 0;
  let expanded = 0;
  for (const { master, exceptions } of byUid.values()) {
    if (busy.length >= MAX_BUSY || expanded >= MAX_OCCURRENCES) break;
    try {
      if (!master) {
        // Moved occurrences whose series is not in the feed: each stands alone.
        for (const c of exceptions) {
          const e = new ICAL.Event(c);
          add(e.startDate, e.endDate, c);
        }
        continue;
      }
      // Exceptions (RECURRENCE-ID) and EXDATEs are matched to occurrences here, by instant:
      // ical.js matches them by wall-clock text, which fails when one is written in UTC and the
      // series in a zone it has no VTIMEZONE for.
      const event = new ICAL.Event(master);
      if (!event.isRecurring()) {
        add(event.startDate, event.endDate, master);
        for (const c of exceptions) add(new ICAL.Event(c).startDate, new ICAL.Event(c).endDate, c);
        continue;
      }
      const seriesZone = tzidOf(master, 'dtstart');
      const excluded = new Set<number>();
      for (const p of master.getAllProperties('exdate')) {
        const tzid = p.getParameter('tzid');
        for (const v of p.getValues() as ICAL.Time[])
          excluded.add(instantOf(v, typeof tzid === 'string' ? tzid : seriesZone, userZone, zones));
      }
      const moved = new Map<number, ICAL.Component>();
      for (const c of exceptions) {
        const rid = c.getFirstPropertyValue('recurrence-id') as ICAL.Time | null;
        if (rid) moved.set(instantOf(rid, tzidOf(c, 'recurrence-id') ?? seriesZone, userZone, zones), c);
      }
      const occurrence = (start: ICAL.Time, end: ICAL.Time | null) => {
        const at = instantOf(start, seriesZone, userZone, zones);
        const exception = moved.get(at);
        if (exception) {
          moved.delete(at);
          const e = new ICAL.Event(exception);
          add(e.startDate, e.endDate, exception);
        } else if (!excluded.has(at)) add(start, end, master);
      };
      // A series of RDATEs alone: ical.js yields the extra dates but not DTSTART itself.
      if (!master.hasProperty('rrule')) occurrence(event.startDate, event.endDate);
      const it = event.iterator();
      for (let next = it.next(); next && busy.length < MAX_BUSY && expanded < MAX_OCCURRENCES; next = it.next()) {
        expanded++;
        // Occurrences start in order: past the horizon's end, nothing more can overlap it.
        if (instantOf(next, seriesZone, userZone, zones) >= horizon.end) break;
        const details = event.getOccurrenceDetails(next);
        occurrence(details.startDate, details.endDate);
      }
      // Exceptions no occurrence claimed (moved in from past the horizon, or of dates the rule
      // does not give) are occurrences where they now are.
      for (const c of moved.values()) {
        const e = new ICAL.Event(c);
        add(e.startDate, e.endDate, c);
      }
    } catch {
      skipped++; // an event ical.js cannot read (no DTSTART, an impossible rule...): the others still count
    }
  }
  return { busy: normalize(busy), skipped, truncated: busy.length >= MAX_BUSY || expanded >= MAX_OCCURRENCES };
}
