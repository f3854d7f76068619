// What happened to a booking or a meeting, queued for the webhooks subscribed to it. Called
// inside the transaction that makes the change, so the deliveries commit (or roll back) with
// it: a crash can neither lose a notification nor send one for a change that did not happen.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import { formatInstant } from '../../domain/calendar';
import * as bookings from '../bookings/repository';
import { bookingView } from '../bookings/views';
import * as meetings from '../meetings/repository';
import { loadMeetings, meetingView } from '../meetings/views';
import * as repo from './repository';

export const BOOKING_EVENTS = ['booking.created', 'booking.rescheduled', 'booking.cancelled'] as const;
export const MEETING_EVENTS = ['meeting.created', 'meeting.updated', 'meeting.cancelled'] as const;
export const EVENTS = [...BOOKING_EVENTS, ...MEETING_EVENTS] as const;
/** What a subscription may name: an event, every event of a kind, or everything. */
export const SUBSCRIBABLE = [...EVENTS, 'booking.*', 'meeting.*', '*'] as const;

export type BookingEvent = (typeof BOOKING_EVENTS)[number];
export type MeetingEvent = (typeof MEETING_EVENTS)[number];

/** Times in webhook bodies are UTC: a program reads them, whoever's zone it serves. */
const ZONE = 'UTC';

async function enqueue(
  ctx: AppContext,
  tx: Queryable,
  event: string,
  userIds: readonly string[],
  data: (hook: repo.WebhookRow) => Record<string, unknown>,
): Promise<void> {
  const hooks = await repo.subscribers(tx, [...new Set(userIds)], event);
  const at = ctx.now();
  for (const hook of hooks) {
    const id = randomUUID();
    const body = JSON.stringify({ id, event, created_at: formatInstant(at, ZONE), data: data(hook) });
    await repo.insertDelivery(tx, { id, webhookId: hook.id, event, body, at: new Date(at) });
  }
}

/** Queues `event` for the webhooks of the booking's owner and hosts. */
export async function bookingEvent(
  ctx: AppContext,
  tx: Queryable,
  event: BookingEvent,
  bookingId: string,
  previous?: { start: number; end: number },
): Promise<void> {
  const row = await bookings.findBooking(tx, bookingId);
  if (!row) return;
  const booking = bookingView(ctx, row, ZONE);
  const extra = previous ? { previous: { start: formatInstant(previous.start, ZONE), end: formatInstant(previous.end, ZONE) } } : {};
  await enqueue(ctx, tx, event, [row.owner_id, ...row.hosts.map((h) => h.user_id)], () => ({ booking, ...extra }));
}

/** Queues `event` for the webhooks of the meeting's participants who are users, each seeing it as they may. */
export async function meetingEvent(ctx: AppContext, tx: Queryable, event: MeetingEvent, meetingId: string): Promise<void> {
  const meeting = await meetings.findMeeting(tx, meetingId);
  if (!meeting) return;
  const [loaded] = await loadMeetings(tx, [meeting]);
  const users = loaded!.participants.flatMap((p) => (p.user_id === null ? [] : [p.user_id]));
  await enqueue(ctx, tx, event, users, (hook) => ({ meeting: meetingView(loaded!, ZONE, { userId: hook.user_id, isAdmin: false }) }));
}
