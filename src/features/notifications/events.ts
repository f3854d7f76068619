// What happened to a booking or a meeting, told to whoever should hear of it: the webhooks
// subscribed to it and, for bookings, e-mail to the hosts and the invitee and the event in
// the hosts' chosen calendars. Called inside the
// transaction that makes the change, so the notifications commit (or roll back) with it: a
// crash can neither lose one nor send one for a change that did not happen.
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import { formatInstant } from '../../domain/calendar';
import * as bookings from '../bookings/repository';
import type { BookingRow } from '../bookings/repository';
import { bookingIcs, bookingView } from '../bookings/views';
import { queueCalendarWrites } from '../calendars/writes';
import { queueBookingEmails } from '../emails/booking-emails';
import * as meetings from '../meetings/repository';
import { loadMeetings, meetingView } from '../meetings/views';
import { enqueueDeliveries } from '../webhooks/queue';

export const BOOKING_EVENTS = ['booking.created', 'booking.rescheduled', 'booking.cancelled'] as const;
export const MEETING_EVENTS = ['meeting.created', 'meeting.updated', 'meeting.cancelled'] as const;
export const EVENTS = [...BOOKING_EVENTS, ...MEETING_EVENTS] as const;
/** What a webhook may subscribe to: an event, every event of a kind, or everything. */
export const SUBSCRIBABLE = [...EVENTS, 'booking.*', 'meeting.*', '*'] as const;

export type BookingEvent = (typeof BOOKING_EVENTS)[number];
export type MeetingEvent = (typeof MEETING_EVENTS)[number];

/** Times in webhook bodies are UTC: a program reads them, whoever's zone it serves. */
const ZONE = 'UTC';

/**
 * Tells the booking's owner and hosts (webhooks, e-mail) and its invitee (e-mail) of `event`,
 * and answers the booking as the transaction now has it. `inviteeToken`, known only when the
 * booking is made, puts the invitee's links in the confirmation.
 */
export async function bookingEvent(
  ctx: AppContext,
  tx: Queryable,
  event: BookingEvent,
  bookingId: string,
  extra: { previous?: { start: number; end: number }; inviteeToken?: string; formerHosts?: readonly string[] } = {},
): Promise<BookingRow | undefined> {
  const row = await bookings.findBooking(tx, bookingId);
  if (!row) return undefined;
  const booking = bookingView(ctx, row, ZONE);
  const previous = extra.previous
    ? { previous: { start: formatInstant(extra.previous.start, ZONE), end: formatInstant(extra.previous.end, ZONE) } }
    : {};
  // Hosts a round-robin reschedule moved the booking away from hear of it too.
  const users = [row.owner_id, ...row.hosts.map((h) => h.user_id), ...(extra.formerHosts ?? [])];
  await enqueueDeliveries(ctx, tx, event, users, () => ({ booking, ...previous }));
  await queueBookingEmails(ctx, tx, event, row, extra);
  // The hosts' chosen calendars: the event where it is theirs, gone where it no longer is.
  const current = row.status === 'confirmed' ? [row.owner_id, ...row.hosts.map((h) => h.user_id)] : [];
  await queueCalendarWrites(
    ctx,
    tx,
    row.id,
    current,
    users.filter((u) => !current.includes(u)),
    () => bookingIcs(ctx, row),
  );
  return row;
}

/**
 * Tells the webhooks of the meeting's participants who are users (and of `formerParticipants`,
 * just removed from it), each seeing the meeting as they may.
 */
export async function meetingEvent(
  ctx: AppContext,
  tx: Queryable,
  event: MeetingEvent,
  meetingId: string,
  formerParticipants: readonly string[] = [],
): Promise<void> {
  const meeting = await meetings.findMeeting(tx, meetingId);
  if (!meeting) return;
  const [loaded] = await loadMeetings(tx, [meeting]);
  const users = [
    ...loaded!.participants.flatMap((p) => (p.user_id === null ? [] : [p.user_id])),
    ...formerParticipants,
  ];
  await enqueueDeliveries(ctx, tx, event, users, (hook) => ({
    meeting: meetingView(loaded!, ZONE, { userId: hook.user_id, isAdmin: false }),
  }));
}
