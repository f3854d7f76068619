// The public booking link (/{username}/{slug}): what is booked, the month view, the slots of
// some days, booking; and the invitee's self-service by private token. No account needed.
import type { AppContext } from '../../context';
import {
  addDays,
  dayWindow,
  daysBetween,
  InstantFormatter,
  isDate,
  isTimeZone,
  parseInstant,
} from '../../domain/calendar';
import { JsonBytes } from '../../http/json-text';
import { invalidField, notFound, validationError, type FieldError } from '../../http/errors';
import * as eventTypes from '../event-types/repository';
import type { EventTypeRow } from '../event-types/repository';
import { prepareOffers, type Offer } from './offer';
import * as repo from './repository';
import type { BookingBody, SlotsQuery } from './schemas';
import { bookSlot, unsafeCancelBooking, linkUsed, unsafeRescheduleBooking } from './service';
import { bookingIcs, hashToken, inviteeView } from './views';
import { askedTimeZone } from '../../http/time-zone-param';

export const MAX_WINDOW_DAYS = 93;
/** Slots in one answer: beyond it, a shorter window (a 400), so one anonymous request stays cheap. */
export const MAX_SLOTS = 5000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The event type behind a live link: unknown or inactive is a 404, a used single-use link a 410. */
async function liveLink(ctx: AppContext, username: string, slug: string): Promise<EventTypeRow> {
  const et = await eventTypes.findEventTypeBySlug(ctx.db, username, slug);
  if (!et?.active) throw notFound('Booking link');
  if (et.single_use && et.used_at !== null) throw linkUsed();
  return et;
}

function durationOf(et: EventTypeRow, duration: number | undefined): number {
  if (duration === undefined) return et.durations[0]!;
  if (!et.durations.includes(duration)) throw invalidField('duration', `must be one of ${et.durations.join(', ')}`);
  return duration;
}

export async function describeLink(ctx: AppContext, username: string, slug: string) {
  const et = await liveLink(ctx, username, slug);
  return {
    owner: et.owner_username,
    owner_name: et.owner_name,
    slug: et.slug,
    title: et.title,
    description: et.description,
    kind: et.kind,
    // Only hosts who accepted are shown: a link cannot use someone's name without their consent.
    hosts: et.hosts.filter((h) => h.accepted).map((h) => h.username),
    duration: et.durations[0]!,
    durations: et.durations,
    ...(et.kind === 'group' ? { seats: et.seats } : {}),
    location: et.location,
    questions: et.questions,
    timezone: et.owner_timezone,
    booking_url: `${ctx.config.publicUrl}/${et.owner_username}/${et.slug}`,
  };
}

export async function monthView(
  ctx: AppContext,
  username: string,
  slug: string,
  query: { month: string; timezone?: string; duration?: number },
) {
  const et = await liveLink(ctx, username, slug);
  const m = MONTH.exec(query.month);
  if (!m || !isDate(`${query.month}-01`)) throw invalidField('month', 'must be a month YYYY-MM');
  const timezone = askedTimeZone(query.timezone, et.owner_timezone);
  const duration = durationOf(et, query.duration);
  const first = `${query.month}-01`;
  let last = first;
  while (addDays(last, 1).startsWith(query.month)) last = addDays(last, 1);
  const offersIn = await prepareOffers(ctx.db, et, {
    window: dayWindow(first, last, timezone),
    duration,
    now: ctx.now(),
  });
  const days = [];
  // A day needs one slot to be available: stop at the first one rather than listing them all.
  for (let d = first; d <= last; d = addDays(d, 1)) {
    days.push({ date: d, available: offersIn(dayWindow(d, d, timezone), { firstOnly: true }).length > 0 });
  }
  return { timezone, month: query.month, days };
}

export async function slotList(ctx: AppContext, username: string, slug: string, query: SlotsQuery) {
  const et = await liveLink(ctx, username, slug);
  const errors: FieldError[] = [];
  let from = query.from;
  let to = query.to;
  if (query.date !== undefined) {
    if (from !== undefined || to !== undefined)
      errors.push({ field: 'date', message: 'give date, or from and to, not both' });
    from = to = query.date;
  } else if (from === undefined || to === undefined) {
    errors.push({ field: from === undefined ? 'from' : 'to', message: 'is required (or give date)' });
  }
  for (const [field, value] of [
    ['date', query.date],
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && !isDate(value)) errors.push({ field, message: 'must be a real date YYYY-MM-DD' });
  }
  if (errors.length) throw validationError(errors);
  if (daysBetween(from!, to!) < 0) throw invalidField('to', 'must not be before from');
  if (daysBetween(from!, to!) >= MAX_WINDOW_DAYS)
    throw invalidField('to', `the window is at most ${MAX_WINDOW_DAYS} days`);
  const timezone = askedTimeZone(query.timezone, et.owner_timezone);
  const duration = durationOf(et, query.duration);
  const offersIn = await prepareOffers(ctx.db, et, {
    window: dayWindow(from!, to!, timezone),
    duration,
    now: ctx.now(),
  });
  // Day by day, so a window with too many slots is refused after generating about MAX_SLOTS, not all of them.
  const offers: Offer[] = [];
  for (let d = from!; d <= to!; d = addDays(d, 1)) {
    offers.push(...offersIn(dayWindow(d, d, timezone)));
    if (offers.length > MAX_SLOTS) {
      throw validationError(
        [{ field: 'to', message: `the window from..to has more than ${MAX_SLOTS} slots; ask for fewer days` }],
        `More than ${MAX_SLOTS} slots: ask for a shorter window (bring \`to\` closer to \`from\`)`,
      );
    }
  }
  return slotsJson(timezone, duration, offers);
}

/**
 * The SlotsReply answer ({timezone, duration, slots:[{start, end, seats_left?}]}) written
 * straight to JSON bytes (up to 5,000 slots; see http/json-text.ts for why).
 */
function slotsJson(timezone: string, duration: number, offers: readonly Offer[]): Buffer {
  const f = new InstantFormatter(timezone);
  const out = new JsonBytes(64 + offers.length * 80);
  out.ascii('{"timezone":').value(timezone).ascii(',"duration":').value(duration).ascii(',"slots":[');
  for (let i = 0; i < offers.length; i++) {
    const o = offers[i]!;
    out
      .ascii(i === 0 ? '{"start":"' : ',{"start":"')
      .instant(f, o.start)
      .ascii('","end":"')
      .instant(f, o.end);
    if (o.seatsLeft === undefined) out.ascii('"}');
    else out.ascii('","seats_left":').value(o.seatsLeft).ascii('}');
  }
  return out.ascii(']}').bytes();
}

/** Checks answers against the event type's questions: required ones present, types right, no strangers. */
function checkAnswers(et: EventTypeRow, answers: Record<string, unknown>, errors: FieldError[]): void {
  const questions = new Map(et.questions.map((q) => [q.key, q]));
  for (const key of Object.keys(answers)) {
    if (!questions.has(key)) errors.push({ field: `answers.${key}`, message: 'is not a question of this event type' });
  }
  for (const q of et.questions) {
    const value = answers[q.key];
    const field = `answers.${q.key}`;
    const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    if (blank) {
      if (q.required) errors.push({ field, message: 'is required' });
      continue;
    }
    if (q.type === 'number' && typeof value !== 'number') errors.push({ field, message: 'must be a number' });
    else if (q.type === 'checkbox' && typeof value !== 'boolean')
      errors.push({ field, message: 'must be true or false' });
    else if (q.type === 'checkbox' && q.required && value !== true) errors.push({ field, message: 'must be checked' });
    else if (q.type !== 'number' && q.type !== 'checkbox' && typeof value !== 'string')
      errors.push({ field, message: 'must be text' });
    else if (q.type === 'email' && !EMAIL.test(String(value)))
      errors.push({ field, message: 'must be an e-mail address' });
    else if (q.type === 'select' && !(q.options ?? []).includes(String(value))) {
      errors.push({ field, message: `must be one of ${(q.options ?? []).join(', ')}` });
    }
  }
}

export async function bookLink(ctx: AppContext, username: string, slug: string, body: BookingBody) {
  const et = await liveLink(ctx, username, slug);
  const errors: FieldError[] = [];
  const start = parseInstant(body.start);
  if (start === null) errors.push({ field: 'start', message: 'must be an RFC 3339 instant with an offset' });
  if (!isTimeZone(body.invitee.timezone))
    errors.push({ field: 'invitee.timezone', message: 'is not an IANA time zone name' });
  if (!EMAIL.test(body.invitee.email)) errors.push({ field: 'invitee.email', message: 'is not an e-mail address' });
  (body.guests ?? []).forEach((g, i) => {
    if (!EMAIL.test(g)) errors.push({ field: `guests[${i}]`, message: 'is not an e-mail address' });
  });
  const answers = body.answers ?? {};
  checkAnswers(et, answers, errors);
  if (body.duration !== undefined && !et.durations.includes(body.duration)) {
    errors.push({ field: 'duration', message: `must be one of ${et.durations.join(', ')}` });
  }
  if (errors.length) throw validationError(errors);
  const { row, token } = await bookSlot(ctx, et, {
    start: start!,
    duration: durationOf(et, body.duration),
    invitee: { name: body.invitee.name, email: body.invitee.email.trim(), timezone: body.invitee.timezone },
    guests: body.guests ?? [],
    answers,
  });
  return inviteeView(ctx, row, token);
}

// ---- invitee self-service ----

const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

async function byToken(ctx: AppContext, token: string) {
  const row = TOKEN.test(token) ? await repo.findBookingByTokenHash(ctx.db, hashToken(token)) : undefined;
  if (!row) throw notFound('Booking');
  return row;
}

export async function inviteeBooking(ctx: AppContext, token: string, timezone?: string) {
  const row = await byToken(ctx, token);
  if (timezone !== undefined && !isTimeZone(timezone)) throw invalidField('timezone', 'is not an IANA time zone name');
  return inviteeView(ctx, row, token, timezone);
}

export async function inviteeCancel(ctx: AppContext, token: string, reason: string | undefined) {
  const row = await byToken(ctx, token);
  return inviteeView(ctx, await unsafeCancelBooking(ctx, row.id, 'invitee', reason ?? null), token);
}

export async function inviteeReschedule(ctx: AppContext, token: string, start: string) {
  const row = await byToken(ctx, token);
  const ms = parseInstant(start);
  if (ms === null) throw invalidField('start', 'must be an RFC 3339 instant with an offset');
  return inviteeView(ctx, await unsafeRescheduleBooking(ctx, row.id, ms, 'invitee'), token);
}

export async function inviteeIcs(ctx: AppContext, token: string): Promise<string> {
  return bookingIcs(ctx, await byToken(ctx, token));
}
