// The e-mails a booking's change sends: to the invitee (and guests) and to every host, each
// with the times in their own zone and the booking as an .ics invitation (METHOD:REQUEST, or
// CANCEL when cancelled; one UID for the booking's whole life, SEQUENCE growing with changes).
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import { formatInstant } from '../../domain/calendar';
import type { BookingRow } from '../bookings/repository';
import { bookingIcs, inviteeLinks } from '../bookings/views';
import type { BookingEvent } from '../notifications/events';
import * as repo from './repository';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "Wednesday 4 March 2026" in the zone (assembled from parts: locale data differs between ICU versions). */
function humanDate(ms: number, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (format === undefined) {
    // Building a formatter costs far more than using one: keep one per zone (bounded).
    if (dateFormats.size >= 500) dateFormats.clear();
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** "Wednesday 4 March 2026, 10:00–10:30 (Europe/Berlin)". */
export function humanTime(start: number, end: number, timeZone: string): string {
  const hhmm = (ms: number) => formatInstant(ms, timeZone).slice(11, 16);
  const startDay = humanDate(start, timeZone);
  const endDay = humanDate(end, timeZone);
  return startDay === endDay
    ? `${startDay}, ${hhmm(start)}–${hhmm(end)} (${timeZone})`
    : `${startDay}, ${hhmm(start)} – ${endDay}, ${hhmm(end)} (${timeZone})`;
}

const VERB: Record<BookingEvent, string> = {
  'booking.created': 'Confirmed',
  'booking.rescheduled': 'Rescheduled',
  'booking.cancelled': 'Cancelled',
};

interface Recipient {
  email: string;
  name: string;
  timeZone: string;
  role: 'host' | 'invitee' | 'guest' | 'former host';
}

function lines(...xs: (string | null | false | undefined)[]): string {
  return xs.filter((x): x is string => typeof x === 'string').join('\n');
}

function body(
  ctx: AppContext,
  row: BookingRow,
  event: BookingEvent,
  to: Recipient,
  extra: { previous?: { start: number; end: number }; inviteeToken?: string; formerHosts?: readonly string[] },
): string {
  const when = humanTime(row.start, row.end, to.timeZone);
  const host = row.owner_name || row.owner_username;
  const links = to.role === 'invitee' && extra.inviteeToken ? inviteeLinks(ctx, extra.inviteeToken) : null;
  const answers = Object.entries(row.answers).map(
    ([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  const heading =
    to.role === 'former host'
      ? `${row.title} with ${row.invitee_name} has moved to another host: it is off your calendar.`
      : event === 'booking.created'
        ? to.role === 'host'
          ? `${row.invitee_name} booked ${row.title} with you.`
          : `Your ${row.title} with ${host} is booked.`
        : event === 'booking.rescheduled'
          ? `${row.title} between ${host} and ${row.invitee_name} has moved.`
          : `${row.title} between ${host} and ${row.invitee_name} is cancelled${row.cancelled_by ? ` by the ${row.cancelled_by}` : ''}.`;
  return lines(
    `Hello ${to.name},`,
    '',
    heading,
    '',
    `When: ${when}`,
    extra.previous && `Was: ${humanTime(extra.previous.start, extra.previous.end, to.timeZone)}`,
    row.location && `Where: ${row.location}`,
    to.role === 'host' && `Invitee: ${row.invitee_name} <${row.invitee_email}>`,
    to.role === 'host' && row.guests.length > 0 && `Guests: ${row.guests.join(', ')}`,
    to.role !== 'host' && `Host: ${host}`,
    to.role === 'host' && answers.length > 0 && `Answers:\n${answers.join('\n')}`,
    event === 'booking.cancelled' && row.cancel_reason && `Reason: ${row.cancel_reason}`,
    links && '',
    links && `Reschedule: ${links.reschedule_url}`,
    links && `Cancel: ${links.cancel_url}`,
    '',
    'The attached invitation (invite.ics) updates your calendar.',
  );
}

/** Queues this event's e-mails in the caller's transaction: sent when SMTP is configured, else kept for an operator. */
export async function queueBookingEmails(
  ctx: AppContext,
  tx: Queryable,
  event: BookingEvent,
  row: BookingRow,
  extra: { previous?: { start: number; end: number }; inviteeToken?: string; formerHosts?: readonly string[] },
): Promise<void> {
  const hostIds = [...new Set([row.owner_id, ...row.hosts.map((h) => h.user_id)])];
  const formerIds = (extra.formerHosts ?? []).filter((id) => !hostIds.includes(id));
  const people = await tx.query<{ id: string; email: string; name: string; username: string; timezone: string }>(
    'SELECT id, email, name, username, timezone FROM users WHERE id = ANY($1::uuid[]) ORDER BY username',
    [[...hostIds, ...formerIds]],
  );
  const hosts = people.filter((p) => hostIds.includes(p.id));
  const formerHosts = people.filter((p) => formerIds.includes(p.id));
  const recipients: Recipient[] = [
    { email: row.invitee_email, name: row.invitee_name, timeZone: row.invitee_timezone, role: 'invitee' },
    ...row.guests.map((email) => ({ email, name: email, timeZone: row.invitee_timezone, role: 'guest' as const })),
    ...hosts.map((h) => ({ email: h.email, name: h.name || h.username, timeZone: h.timezone, role: 'host' as const })),
    // A round-robin reschedule took the booking from them: their copy is withdrawn (METHOD:CANCEL).
    ...formerHosts.map((h) => ({
      email: h.email,
      name: h.name || h.username,
      timeZone: h.timezone,
      role: 'former host' as const,
    })),
  ];
  const ics = bookingIcs(ctx, row);
  const method = row.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
  const withdrawn = formerHosts.length > 0 ? bookingIcs(ctx, row, { cancelled: true }) : null;
  const at = new Date(ctx.now());
  const seen = new Set<string>();
  const emails: repo.NewEmail[] = [];
  for (const to of recipients) {
    const key = to.email.toLowerCase();
    if (seen.has(key)) continue; // a host booking themselves, a guest named twice: one e-mail each
    seen.add(key);
    const who =
      to.role === 'host' || to.role === 'former host' ? row.invitee_name : row.owner_name || row.owner_username;
    const former = to.role === 'former host';
    emails.push({
      id: randomUUID(),
      bookingId: row.id,
      event,
      to: to.email,
      subject: `${former ? 'Moved to another host' : VERB[event]}: ${row.title} with ${who}, ${humanTime(row.start, row.end, to.timeZone)}`,
      text: body(ctx, row, event, to, extra),
      ics: former ? withdrawn : ics,
      icsMethod: former ? 'CANCEL' : method,
      status: ctx.config.smtpUrl ? 'pending' : 'kept',
      at,
    });
  }
  await repo.insertEmails(tx, emails);
}
