// The host's side of bookings: list, read, cancel, reschedule, calendar file. A booking is
// visible to its event type's owner and to its hosts; to anyone else it does not exist.
import type { AppContext } from '../../context';
import { addDays, isDate, parseInstant, startOfDay } from '../../domain/calendar';
import type { Principal } from '../../http/auth';
import { invalidField, notFound } from '../../http/errors';
import { decodeCursor, paginate } from '../../http/pagination';
import * as eventTypes from '../event-types/repository';
import * as repo from './repository';
import type { BookingListQuery } from './schemas';
import { unsafeCancelBooking, unsafeRescheduleBooking } from './service';
import { meetingBookingsOf } from '../meetings/repository';
import { bookingIcs, hostView, meetingItemView } from './views';
import { askedTimeZone } from '../../http/time-zone-param';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function visibleBooking(ctx: AppContext, principal: Principal, id: string) {
  const row = await repo.findBooking(ctx.db, id);
  if (!row || (row.owner_id !== principal.userId && !row.hosts.some((h) => h.user_id === principal.userId))) {
    throw notFound('Booking');
  }
  return row;
}

/** A date means its local midnight (`to`: the next one, so the date is included); an instant means itself. */
function bound(field: 'from' | 'to', value: string | undefined, timezone: string): number | null {
  if (value === undefined) return null;
  if (isDate(value)) return startOfDay(field === 'to' ? addDays(value, 1) : value, timezone);
  const ms = parseInstant(value);
  if (ms === null) throw invalidField(field, 'must be a date YYYY-MM-DD or an RFC 3339 instant with an offset');
  return ms;
}

export async function listBookings(ctx: AppContext, principal: Principal, query: BookingListQuery) {
  const timezone = askedTimeZone(query.timezone, principal.timezone);
  const limit = query.limit ?? 20;
  let after: [number, string] | null = null;
  if (query.cursor !== undefined) {
    after = decodeCursor(query.cursor, ['instant', 'uuid']) as [number, string];
  }
  let eventTypeId: string | null = null;
  if (query.event_type !== undefined) {
    const et = UUID.test(query.event_type)
      ? await eventTypes.findEventType(ctx.db, query.event_type)
      : await eventTypes.findEventTypeBySlug(ctx.db, principal.username, query.event_type);
    if (!et || et.owner_id !== principal.userId) throw invalidField('event_type', 'is not one of your event types');
    eventTypeId = et.id;
  }
  const from = bound('from', query.from, timezone);
  const to = bound('to', query.to, timezone);
  // A date `to` ends at its next midnight, so it is before `from` when that midnight is not after it.
  if (from !== null && to !== null && (isDate(query.to!) ? to <= from : to < from))
    throw invalidField('to', 'must not be before from');
  const [bookings, meetings] = await Promise.all([
    repo.listBookings(ctx.db, {
      userId: principal.userId,
      from,
      to,
      status: query.status ?? null,
      eventTypeId,
      after,
      limit,
    }),
    // A meeting is a booking for each participant; it belongs to no event type.
    eventTypeId === null
      ? meetingBookingsOf(ctx.db, principal.userId, {
          from: from ?? undefined,
          to: to ?? undefined,
          status: query.status,
          after: after ?? undefined,
          limit: limit + 1,
        })
      : Promise.resolve([]),
  ]);
  // Both lists are in (start, id) order after the same cursor: merge them, keep limit + 1.
  const merged: (
    | { kind: 'booking'; row: (typeof bookings)[number] }
    | { kind: 'meeting'; row: (typeof meetings)[number] }
  )[] = [
    ...bookings.map((row) => ({ kind: 'booking' as const, row })),
    ...meetings.map((row) => ({ kind: 'meeting' as const, row })),
  ]
    .sort((a, b) => a.row.start - b.row.start || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0))
    .slice(0, limit + 1);
  return paginate(
    merged,
    limit,
    (item) => [item.row.start, item.row.id],
    (item) => (item.kind === 'booking' ? hostView(ctx, item.row, timezone) : meetingItemView(ctx, item.row, timezone)),
  );
}

export async function getBooking(ctx: AppContext, principal: Principal, id: string, timezone?: string) {
  return hostView(ctx, await visibleBooking(ctx, principal, id), askedTimeZone(timezone, principal.timezone));
}

export async function hostCancel(ctx: AppContext, principal: Principal, id: string, reason: string | undefined) {
  await visibleBooking(ctx, principal, id);
  return hostView(ctx, await unsafeCancelBooking(ctx, id, 'host', reason ?? null), principal.timezone);
}

export async function hostReschedule(ctx: AppContext, principal: Principal, id: string, start: string) {
  await visibleBooking(ctx, principal, id);
  const ms = parseInstant(start);
  if (ms === null) throw invalidField('start', 'must be an RFC 3339 instant with an offset');
  return hostView(ctx, await unsafeRescheduleBooking(ctx, id, ms, 'host'), principal.timezone);
}

export async function hostIcs(ctx: AppContext, principal: Principal, id: string): Promise<string> {
  return bookingIcs(ctx, await visibleBooking(ctx, principal, id));
}
