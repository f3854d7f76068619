// The one decision path for "can this slot be booked": the slots GET answers and the slot a
// POST (or a reschedule) asks for both come from prepareOffers, so they can never disagree.
// Time logic is the domain's: available = the schedules within date_range of the hosts who
// accepted hosting, busy = their holds, and bookableSlots applies duration, slot interval,
// buffers and minimum notice.
import type { Queryable } from '../../db';
import { addDays, localDateOf, startOfDay } from '../../domain/calendar';
import { clip, intersectAll, normalize, overlaps, subtract, union, type Interval } from '../../domain/intervals';
import { availableIntervals } from '../../domain/schedule';
import { bookableSlots } from '../../domain/slots';
import { defaultRulesOf, rulesForSchedules } from '../schedules/repository';
import type { EventTypeRow } from '../event-types/repository';
import * as repo from './repository';
import { holdsOverlapping } from '../availability/holds';
import { calendarBusyByUser } from '../calendars/repository';

const MINUTE = 60_000;

export interface Offer extends Interval {
  /** Seats still free (group event types only). */
  seatsLeft?: number;
  /** User ids of the hosts who can take it, in the order to try them (round robin: least recently booked first). */
  hosts: string[];
}

export interface OfferQuery {
  window: Interval;
  /** Minutes, one of the event type's durations (or the booking's own when rescheduling). */
  duration: number;
  now: number;
  /** When rescheduling: the booking whose own time and count do not stand in its way. */
  ignoreBooking?: { id: string; holdIds: string[] };
}

/** Host-local days around the window: stretches are anchored identically for any window inside them. */
function expansionOf(window: Interval, timeZone: string): Interval {
  const first = addDays(localDateOf(window.start, timeZone), -1);
  const last = addDays(localDateOf(Math.max(window.start, window.end - 1), timeZone), 2);
  return { start: startOfDay(first, timeZone), end: startOfDay(last, timeZone) };
}

/** The instants date_range allows, within `span`. */
function dateRangeIntervals(et: EventTypeRow, span: Interval, now: number): Interval[] {
  const tz = et.owner_timezone;
  const r = et.date_range;
  const day = (from: string, toExclusive: string): Interval => ({
    start: startOfDay(from, tz),
    end: startOfDay(toExclusive, tz),
  });
  switch (r.type) {
    case 'indefinite':
      return [span];
    case 'rolling': {
      const today = localDateOf(now, tz);
      return clip([day(today, addDays(today, r.days))], span);
    }
    case 'range':
      return clip([day(r.start_date, addDays(r.end_date, 1))], span);
    case 'dates':
      return clip(
        r.dates.map((d) => day(d, addDays(d, 1))),
        span,
      );
  }
}

/** Each host's available instants in `span` (before busy time is taken away). */
async function availabilityByHost(
  q: Queryable,
  et: EventTypeRow,
  hostIds: string[],
  span: Interval,
): Promise<Map<string, Interval[]>> {
  const range = { from: addDays(localDateOf(span.start, 'UTC'), -2), to: addDays(localDateOf(span.end, 'UTC'), 2) };
  const others = hostIds.filter((id) => id !== et.owner_id || et.schedules.length === 0);
  const defaults = await defaultRulesOf(q, others, range);
  const result = new Map<string, Interval[]>();
  for (const id of others) {
    const rules = defaults.get(id);
    result.set(id, rules ? availableIntervals(rules, span) : []);
  }
  if (et.schedules.length > 0 && hostIds.includes(et.owner_id)) {
    const rules = await rulesForSchedules(
      q,
      et.schedules.map((s) => s.schedule_id),
      range,
    );
    const parts: Interval[][] = [];
    for (const s of et.schedules) {
      const r = rules.get(s.schedule_id);
      if (!r) continue;
      const until =
        s.expires_on === null ? span.end : Math.min(span.end, startOfDay(addDays(s.expires_on, 1), r.rules.timeZone));
      if (until > span.start) parts.push(availableIntervals(r.rules, { start: span.start, end: until }));
    }
    result.set(et.owner_id, union(...parts));
  }
  return result;
}

/**
 * The hosts whose time the event type may offer: only those who accepted hosting it. A
 * collective type needs every host, so one who has not accepted yet means no host at all.
 */
export function offeringHosts(et: EventTypeRow): EventTypeRow['hosts'] {
  const accepted = et.hosts.filter((h) => h.accepted);
  if (et.kind === 'collective' && accepted.length !== et.hosts.length) return [];
  return accepted;
}

/**
 * The offers of `et` starting inside a part of the window, computed on demand: `firstOnly`
 * stops at the first one found (enough to tell that a day has a slot).
 */
export type OffersIn = (part: Interval, options?: { firstOnly?: boolean }) => Offer[];

/**
 * Reads what the offers of `et` in the query's window depend on, once, and answers a function
 * that lists the offers of any part of that window. Fixed slots, when the event type has them,
 * replace the schedules and the date range.
 */
export async function prepareOffers(q: Queryable, et: EventTypeRow, query: OfferQuery): Promise<OffersIn> {
  const { window, now } = query;
  const hosts = offeringHosts(et);
  if (!(window.end > window.start) || hosts.length === 0) return () => [];
  const tz = et.owner_timezone;
  const duration = query.duration * MINUTE;
  const before = et.buffer_before * MINUTE;
  const after = et.buffer_after * MINUTE;
  const span = expansionOf(window, tz);
  const hostIds = hosts.map((h) => h.user_id);
  const ignored = new Set(query.ignoreBooking?.holdIds ?? []);

  // Only busy time a slot starting in the window could touch, buffers included.
  const reach = { start: window.start - before, end: window.end + duration + after };
  const [availability, holds, external, starts] = await Promise.all([
    et.fixed_slots === null ? availabilityByHost(q, et, hostIds, span) : Promise.resolve(null),
    holdsOverlapping(q, hostIds, reach),
    calendarBusyByUser(q, hostIds, reach),
    et.max_per_day === null
      ? Promise.resolve([])
      : repo.confirmedStarts(q, et.id, span, query.ignoreBooking?.id ?? null),
  ]);
  // Read after the holds: a group slot's hold and its group_slots row commit together, so
  // every shared hold seen above is known here as the open group slot it is (read in the
  // other order, a slot booked in between looked taken by its own hold: a 409 with seats left).
  const groups = et.kind === 'group' ? await repo.groupSlots(q, et.id, span) : [];

  // A group slot with seats left is not busy for itself; it is for every other slot it overlaps.
  const openGroups = groups.filter((g) => g.seats_taken < g.capacity);
  const openHoldIds = new Set(openGroups.map((g) => g.hold_id));
  const busyOf = new Map<string, Interval[]>(hostIds.map((id) => [id, []]));
  for (const h of holds) {
    // A booking being rescheduled frees its own time only when it holds it alone (not a shared group seat).
    if (ignored.has(h.id) && h.seats_taken <= 1) continue;
    if (!openHoldIds.has(h.id)) busyOf.get(h.user_id)?.push({ start: h.start, end: h.end });
  }
  // Busy in the hosts' linked calendars too; but a booking being rescheduled is not in its own
  // way there either (a calendar it was written into shows it, Google's free/busy included).
  const ownTimes = holds.filter((h) => ignored.has(h.id)).map((h) => ({ start: h.start, end: h.end }));
  for (const [id, list] of external) busyOf.get(id)?.push(...(ownTimes.length ? subtract(list, ownTimes) : list));
  // Normalized once here (back-to-back bookings touch), not again by each day's slot query.
  for (const [id, list] of busyOf) busyOf.set(id, normalize(list));
  const collectiveBusy = et.kind === 'collective' ? union(...hostIds.map((id) => busyOf.get(id)!)) : [];

  const dayRange = et.fixed_slots === null ? dateRangeIntervals(et, span, now) : [];
  const availableOf = new Map<string, Interval[]>(
    et.fixed_slots === null ? hostIds.map((id) => [id, intersectAll([availability!.get(id) ?? [], dayRange])]) : [],
  );
  /** Each host's available stretches for slots starting in `part`; each fixed slot stands alone, so overlapping ones do not merge into one grid. */
  const availableTo = (hostId: string, part: Interval): Interval[][] => {
    if (et.fixed_slots !== null) {
      return et.fixed_slots
        .filter((s) => s >= part.start && s < part.end)
        .map((s) => [{ start: s, end: s + duration }]);
    }
    return [availableOf.get(hostId)!];
  };
  const slotQuery = (available: Interval[], busy: Interval[], part: Interval) =>
    bookableSlots({
      available,
      busy,
      duration,
      step: et.fixed_slots !== null ? duration : (et.slot_interval ?? query.duration) * MINUTE,
      bufferBefore: before,
      bufferAfter: after,
      notBefore: now + et.min_notice * MINUTE,
      window: part,
    });

  const keep = offerFilter(et, openGroups, starts);

  // Round robin: least recently booked first, never-booked hosts first of all, then in the owner's order.
  const order = [...hosts]
    .sort((a, b) => (a.last_booked_at ?? '').localeCompare(b.last_booked_at ?? ''))
    .map((h) => h.user_id);

  return (part, options = {}) => {
    const clipped = { start: Math.max(part.start, window.start), end: Math.min(part.end, window.end) };
    if (!(clipped.end > clipped.start)) return [];
    if (et.kind === 'collective') {
      const common = hostIds.map((id) => availableTo(id, clipped));
      const offers: Offer[] = [];
      for (let k = 0; k < common[0]!.length; k++) {
        for (const s of slotQuery(intersectAll(common.map((perHost) => perHost[k]!)), collectiveBusy, clipped)) {
          const kept = keep({ start: s.start, end: s.end, hosts: [...hostIds] });
          if (!kept) continue;
          offers.push(kept);
          if (options.firstOnly) return offers;
        }
      }
      return offers;
    }
    if (order.length === 1 && et.fixed_slots === null) {
      // One host: its slots are already sorted and distinct.
      const [id] = order as [string];
      const offers: Offer[] = [];
      for (const s of slotQuery(availableOf.get(id)!, busyOf.get(id)!, clipped)) {
        const kept = keep({ start: s.start, end: s.end, hosts: [id] });
        if (!kept) continue;
        offers.push(kept);
        if (options.firstOnly) break;
      }
      return offers;
    }
    const byStart = new Map<number, Offer | null>();
    for (const id of order) {
      for (const available of availableTo(id, clipped)) {
        for (const s of slotQuery(available, busyOf.get(id)!, clipped)) {
          const seen = byStart.get(s.start);
          if (seen === null) continue; // refused by the filters already
          if (seen) seen.hosts.push(id);
          else byStart.set(s.start, keep({ start: s.start, end: s.end, hosts: [id] }));
        }
      }
      // Any host's offer is an offer of the whole: the first one found answers "is there a slot".
      if (options.firstOnly) {
        const first = [...byStart.values()].find((o) => o !== null);
        if (first) return [first];
      }
    }
    return [...byStart.values()].filter((o): o is Offer => o !== null).sort((a, b) => a.start - b.start);
  };
}

/** The slots of `et` starting inside the window, each with the hosts who can take it. */
export async function offeredSlots(q: Queryable, et: EventTypeRow, query: OfferQuery): Promise<Offer[]> {
  return (await prepareOffers(q, et, query))(query.window);
}

/**
 * What every candidate slot must also pass, one slot at a time: group seats (a slot that is
 * exactly an open group slot shows its seats left; one overlapping it is not offered) and the
 * per-day limit. Answers the offer to show, or null.
 */
function offerFilter(et: EventTypeRow, open: repo.GroupSlotRow[], starts: number[]): (o: Offer) => Offer | null {
  const tz = et.owner_timezone;
  const before = et.buffer_before * MINUTE;
  const after = et.buffer_after * MINUTE;
  const openAt = new Map(open.map((g) => [`${g.start}/${g.end}`, g]));
  const openBuffered = normalize(open.map((g) => ({ start: g.start - before, end: g.end + after })));
  // Per host-local day: the distinct starts (group: joining a counted slot adds no meeting) or the number of bookings.
  const perDay = new Map<string, Set<number> | number>();
  for (const s of starts) {
    const d = localDateOf(s, tz);
    if (et.kind === 'group') perDay.set(d, ((perDay.get(d) as Set<number> | undefined) ?? new Set<number>()).add(s));
    else perDay.set(d, ((perDay.get(d) as number | undefined) ?? 0) + 1);
  }
  const dayAllows = (o: Offer): boolean => {
    if (et.max_per_day === null) return true;
    const v = perDay.get(localDateOf(o.start, tz));
    if (v === undefined) return true;
    if (typeof v === 'number') return v < et.max_per_day;
    return v.has(o.start) || v.size < et.max_per_day;
  };
  return (o) => {
    if (!dayAllows(o)) return null;
    if (et.kind !== 'group') return o;
    const same = openAt.get(`${o.start}/${o.end}`);
    if (same) return { ...o, seatsLeft: same.capacity - same.seats_taken };
    if (overlaps(openBuffered, { start: o.start - before, end: o.end + after })) return null;
    return { ...o, seatsLeft: et.seats };
  };
}

/** The offer starting exactly at `start`, or undefined: what a booking or reschedule may take. */
export async function offerAt(
  q: Queryable,
  et: EventTypeRow,
  start: number,
  query: Omit<OfferQuery, 'window'>,
): Promise<Offer | undefined> {
  const offers = await offeredSlots(q, et, { ...query, window: { start, end: start + 1 } });
  return offers.find((o) => o.start === start);
}
