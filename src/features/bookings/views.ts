// How a booking is shown: JSON for the host and for the invitee (with the invitee's private
// links), and as an iCalendar invitation.
import { createHash, randomBytes } from 'node:crypto';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { AppContext } from '../../context';
import type { MeetingBookingRow } from '../meetings/repository';
import { formatInstant } from '../../domain/calendar';
import type { BookingRow } from './repository';

/** A new invitee token: 256 random bits, URL-safe. Only its hash is stored. */
export function newInviteeToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function inviteeLinks(ctx: AppContext, token: string) {
  const base = `${ctx.config.publicUrl}/api/v1/public/bookings/${token}`;
  return { cancel_url: `${base}/cancel`, reschedule_url: `${base}/reschedule`, ics_url: `${base}/invite.ics` };
}

/** When something booked takes place, as every booked thing shows it: in the asked zone. */
function timesView(row: { start: number; end: number }, timezone: string) {
  return {
    start: formatInstant(row.start, timezone),
    end: formatInstant(row.end, timezone),
    duration: Math.round((row.end - row.start) / 60_000),
    timezone,
  };
}

export function bookingView(_ctx: AppContext, row: BookingRow, timezone: string) {
  return {
    id: row.id,
    status: row.status,
    ...timesView(row, timezone),
    title: row.title,
    event_type: row.event_type_id === null ? null : { id: row.event_type_id, slug: row.event_type_slug ?? '' },
    owner: row.owner_username,
    hosts: row.hosts.map((h) => h.username),
    invitee: { name: row.invitee_name, email: row.invitee_email, timezone: row.invitee_timezone },
    guests: row.guests,
    answers: row.answers,
    location: row.location,
    sequence: row.sequence,
    cancel_reason: row.cancel_reason,
    cancelled_by: row.cancelled_by,
    cancelled_at: row.cancelled_at === null ? null : formatInstant(row.cancelled_at.getTime(), timezone),
    created_at: formatInstant(row.created_at.getTime(), timezone),
    updated_at: formatInstant(row.updated_at.getTime(), timezone),
  };
}

/** What the invitee sees: the booking and its private links. */
export function inviteeView(ctx: AppContext, row: BookingRow, token: string, timezone = row.invitee_timezone) {
  return { ...bookingView(ctx, row, timezone), ...inviteeLinks(ctx, token) };
}

/** What a host sees: the booking and its calendar file (the invitee's links are not known: only their hash is kept). */
export function hostView(ctx: AppContext, row: BookingRow, timezone: string) {
  return {
    kind: 'booking' as const,
    ...bookingView(ctx, row, timezone),
    ics_url: `${ctx.config.publicUrl}/api/v1/bookings/${row.id}/invite.ics`,
  };
}

/** A meeting occurrence as an entry of the bookings list (the meeting itself is at `url`). */
export function meetingItemView(ctx: AppContext, row: MeetingBookingRow, timezone: string) {
  return {
    kind: 'meeting' as const,
    id: row.id,
    meeting_id: row.meeting_id,
    occurrence: row.occurrence,
    status: row.status,
    ...timesView(row, timezone),
    title: row.title,
    description: row.description,
    organizer: row.organizer_username,
    url: `${ctx.config.publicUrl}/api/v1/meetings/${row.meeting_id}`,
  };
}

/**
 * The booking as an iCalendar object: times in UTC, a UID that stays for the booking's whole
 * life, and a SEQUENCE that grows with each change; a cancelled booking is METHOD:CANCEL (so is
 * the copy for a host a round-robin reschedule took the booking from: `cancelled: true`).
 */
export function bookingIcs(ctx: AppContext, row: BookingRow, options: { cancelled?: boolean } = {}): string {
  const cancelled = options.cancelled ?? row.status === 'cancelled';
  const calendar = ical({
    prodId: { company: 'Slotwise', product: 'Slotwise', language: 'EN' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: `${row.id}@${new URL(ctx.config.publicUrl).hostname}`,
    sequence: row.sequence,
    start: new Date(row.start),
    end: new Date(row.end),
    stamp: row.updated_at,
    created: row.created_at,
    lastModified: row.updated_at,
    summary: row.title,
    location: row.location,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: row.owner_name || row.owner_username, email: row.owner_email },
    attendees: [{ name: row.invitee_name, email: row.invitee_email }, ...row.guests.map((email) => ({ email }))],
  });
  return calendar.toString();
}
