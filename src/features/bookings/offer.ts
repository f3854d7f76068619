// The one decision path for "can this slot be booked": the slots GET answers and the slot a
// POST (or a reschedule) asks for both come from offeredSlots, so they can never disagree.
// Time logic is the domain's: available = the hosts' schedules within date_range, busy = their
// holds, and bookableSlots applies duration, slot interval, buffers and minimum notice.
import type { Queryable } from '../../db';
import { addDays, localDateOf, startOfDay } from '../../domain/calendar';
import { clip, intersectAll, normalize, overlaps, union, type Interval } from '../../domain/intervals';
import { availableIntervals } from '../../domain/schedule';
import { bookableSlots } from '../../domain/slots';
import { defaultRulesOf, rulesForSchedules } from '../schedules/repository';
import type { EventTypeRow } from '../event-types/repository';
import * as repo from './repository';

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
  const day = (from: string, toExclusive: string): Interval => ({ start: startOfDay(from, tz), end: startOfDay(toExclusive, tz) });
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
      return clip(r.dates.map((d) => day(d, addDays(d, 1))), span);
  }
}

/** Each host's available instants in `span` (before busy time is taken away). */
async function availabilityByHost(q: Queryable, et: EventTypeRow, span: Interval): Promise<Map<string, Interval[]>> {
  const range = { from: addDays(localDateOf(span.start, 'UTC'), -2), to: addDays(localDateOf(span.end, 'UTC'), 2) };
  const others = et.hosts.map((h) => h.user_id).filter((id) => id !== et.owner_id || et.schedules.length === 0);
  const defaults = await defaultRulesOf(q, others, range);
  const result = new Map<string, Interval[]>();
  for (const id of others) {
    const rules = defaults.get(id);
    result.set(id, rules ? availableIntervals(rules, span) : []);
  }
  if (et.schedules.length > 0 && et.hosts.some((h) => h.user_id === et.owner_id)) {
    const rules = await rulesForSchedules(q, et.schedules.map((s) => s.schedule_id), range);
    const parts: Interval[][] = [];
    for (const s of et.schedules) {
      const r = rules.get(s.schedule_id);
      if (!r) continue;
      const until = s.expires_on === null ? span.end : Math.min(span.end, startOfDay(addDays(s.expires_on, 1), r.rules.timeZone));
      if (until > span.start) parts.push(availableIntervals(r.rules, { start: span.start, end: until }));
    }
    result.set(et.owner_id, union(...parts));
  }
  return result;
}

/**
 * The slots of `et` starting inside the window, each with the hosts who can take it. Fixed
 * slots, when the event type has them, replace the schedules and the date range.
 */
export async function offeredSlots(q: Queryable, et: EventTypeRow, query: OfferQuery): Promise<Offer[]> {
  const { window, now } = query;
  if (!(window.end > window.start)) return [];
  const tz = et.owner_timezone;
  const duration = query.duration * MINUTE;
  const span = expansionOf(window, tz);
  const hostIds = et.hosts.map((h) => h.user_id);
  const ignored = new Set(query.ignoreBooking?.holdIds ?? []);

  const [availability, holds, starts, groups] = await Promise.all([
    et.fixed_slots === null ? availabilityByHost(q, et, span) : Promise.resolve(null),
    // Only holds a slot starting in the window could touch, buffers included.
    repo.heldTimes(q, hostIds, {
      start: window.start - et.buffer_before * MINUTE,
      end: window.end + duration + et.buffer_after * MINUTE,
    }),
    et.max_per_day === null ? Promise.resolve([]) : repo.confirmedStarts(q, et.id, span, query.ignoreBooking?.id ?? null),
    et.kind === 'group' ? repo.groupSlots(q, et.id, span) : Promise.resolve([]),
  ]);

  // A group slot with seats left is not busy for itself; it is for every other slot it overlaps.
  const openGroups = groups.filter((g) => g.seats_taken < g.capacity);
  const openHoldIds = new Set(openGroups.map((g) => g.hold_id));
  const busyOf = new Map<string, Interval[]>(hostIds.map((id) => [id, []]));
  for (const h of holds) {
    // A booking being rescheduled frees its own time only when it holds it alone (not a shared group seat).
    if (ignored.has(h.id) && h.seats_taken <= 1) continue;
    if (!openHoldIds.has(h.id)) busyOf.get(h.user_id)?.push({ start: h.start, end: h.end });
  }

  const dayRange = et.fixed_slots === null ? dateRangeIntervals(et, span, now) : [];
  const availableTo = (hostId: string): Interval[][] => {
    if (et.fixed_slots !== null) {
      // Each fixed slot stands alone, so overlapping ones do not merge into one grid.
      return et.fixed_slots.filter((s) => s >= window.start && s < window.end).map((s) => [{ start: s, end: s + duration }]);
    }
    return [intersectAll([availability!.get(hostId) ?? [], dayRange])];
  };
  const slotQuery = (available: Interval[], busy: Interval[]) =>
    bookableSlots({
      available,
      busy,
      duration,
      step: et.fixed_slots !== null ? duration : (et.slot_interval ?? query.duration) * MINUTE,
      bufferBefore: et.buffer_before * MINUTE,
      bufferAfter: et.buffer_after * MINUTE,
      notBefore: now + et.min_notice * MINUTE,
      window,
    });

  let offers: Offer[];
  if (et.kind === 'collective') {
    const common = hostIds.map(availableTo);
    const busy = union(...hostIds.map((id) => busyOf.get(id)!));
    offers = common[0]!.flatMap((_, k) =>
      slotQuery(intersectAll(common.map((perHost) => perHost[k]!)), busy).map((s) => ({ ...s, hosts: hostIds })),
    );
  } else {
    // Round robin: least recently booked first, never-booked hosts first of all, then in the owner's order.
    const order = [...et.hosts].sort((a, b) => (a.last_booked_at ?? '').localeCompare(b.last_booked_at ?? '')).map((h) => h.user_id);
    const byStart = new Map<number, Offer>();
    for (const id of order) {
      for (const available of availableTo(id)) {
        for (const s of slotQuery(available, busyOf.get(id)!)) {
          const seen = byStart.get(s.start);
          if (seen) seen.hosts.push(id);
          else byStart.set(s.start, { ...s, hosts: [id] });
        }
      }
    }
    offers = [...byStart.values()].sort((a, b) => a.start - b.start);
  }

  if (et.kind === 'group') offers = withSeats(et, offers, openGroups);
  if (et.max_per_day !== null) {
    const perDay = new Map<string, Set<number> | number>();
    for (const s of starts) {
      const d = localDateOf(s, tz);
      if (et.kind === 'group') {
        const set = (perDay.get(d) as Set<number> | undefined) ?? new Set<number>();
        perDay.set(d, set.add(s));
      } else perDay.set(d, ((perDay.get(d) as number | undefined) ?? 0) + 1);
    }
    const count = (d: string) => {
      const v = perDay.get(d);
      return v === undefined ? 0 : typeof v === 'number' ? v : v.size;
    };
    offers = offers.filter((o) => {
      const d = localDateOf(o.start, tz);
      // Joining an already-counted group slot adds no meeting to the day.
      if (et.kind === 'group' && (perDay.get(d) as Set<number> | undefined)?.has(o.start)) return true;
      return count(d) < et.max_per_day!;
    });
  }
  return offers;
}

/** Group seats: a slot that is exactly an open group slot shows its seats left; one overlapping it is not offered. */
function withSeats(et: EventTypeRow, offers: Offer[], open: repo.GroupSlotRow[]): Offer[] {
  const result: Offer[] = [];
  const before = et.buffer_before * MINUTE;
  const after = et.buffer_after * MINUTE;
  for (const o of offers) {
    const same = open.find((g) => g.start === o.start && g.end === o.end);
    if (same) result.push({ ...o, seatsLeft: same.capacity - same.seats_taken });
    else if (!overlaps(normalize(open.map((g) => ({ start: g.start - before, end: g.end + after }))), { start: o.start - before, end: o.end + after })) {
      result.push({ ...o, seatsLeft: et.seats });
    }
  }
  return result;
}

/** The offer starting exactly at `start`, or undefined: what a booking or reschedule may take. */
export async function offerAt(q: Queryable, et: EventTypeRow, start: number, query: Omit<OfferQuery, 'window'>): Promise<Offer | undefined> {
  const offers = await offeredSlots(q, et, { ...query, window: { start, end: start + 1 } });
  return offers.find((o) => o.start === start);
}
