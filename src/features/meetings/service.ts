// Meeting use cases: create, read, list, change (PUT/PATCH), cancel, decline. Authorization is
// decided here: participants see a meeting, only its organiser changes or cancels it.
// Occurrence-level changes of a series are in occurrences.ts.
import type { AppContext } from '../../context';
import { dayWindow, isDate } from '../../domain/calendar';
import { expandRecurrence, formatRecurrence } from '../../domain/recurrence';
import type { Principal } from '../../http/auth';
import { AppError, validationError, type FieldError } from '../../http/errors';
import { decodeCursor, paginate } from '../../http/pagination';
import { findUserById } from '../accounts/repository';
import { deleteHold, deleteHolds } from '../availability/holds';
import {
  changedMeanwhile,
  findConflicts,
  holdTime,
  inTransaction,
  meetingConflict,
  type Attendee,
  type Slot,
} from './checks';
import { asRecurrenceField, meetingTime, recurrenceRule, resolveParticipants, type Participant } from './input';
import * as repo from './repository';
import type { ListQuery, MeetingBody, MeetingPatch } from './schemas';
import { loadMeetings, loadVisible, meetingView, requireConfirmed, requireOrganizer } from './views';
import { askedTimeZone } from '../../http/time-zone-param';
import { meetingEvent } from '../notifications/events';

const attendeesOf = (people: readonly Participant[]): Attendee[] =>
  people
    .filter((p) => p.userId !== null && p.status !== 'declined')
    .map((p) => ({ userId: p.userId!, username: p.username! }));

async function organizerOf(ctx: AppContext, principal: Principal) {
  const user = await findUserById(ctx.db, principal.userId);
  if (!user) throw new AppError('unauthenticated');
  return user;
}

/** The occurrences of a series (or the one of a one-off), numbered from 1. */
function seriesSlots(time: { start: number; end: number }, recurrence: string | null, timeZone: string): Slot[] {
  const rule = recurrenceRule(recurrence);
  const times = rule ? asRecurrenceField(() => expandRecurrence(rule, time, timeZone)) : [time];
  return times.map((t, i) => ({ number: i + 1, start: t.start, end: t.end }));
}

export async function createMeeting(ctx: AppContext, principal: Principal, input: MeetingBody, zone?: string) {
  const timeZone = askedTimeZone(zone, principal.timezone);
  const organizer = await organizerOf(ctx, principal);
  const time = meetingTime(input, ctx.now());
  const rule = recurrenceRule(input.recurrence);
  const recurrence = rule ? formatRecurrence(rule) : null;
  const slots = seriesSlots(time, recurrence, organizer.timezone);
  const people = await resolveParticipants(ctx.db, organizer, input.participants);
  const attendees = attendeesOf(people);
  const conflicts = await findConflicts(ctx, attendees, slots);
  if (conflicts.length) throw meetingConflict(conflicts, timeZone);
  const id = await inTransaction(ctx, async (tx) => {
    const meetingId = await repo.insertMeeting(tx, {
      organizerId: organizer.id,
      title: input.title,
      description: input.description ?? '',
      timezone: organizer.timezone,
      recurrence,
      ...time,
    });
    const stored = await repo.insertOccurrences(tx, meetingId, slots);
    await repo.insertParticipants(tx, meetingId, people);
    const lost = await holdTime(tx, attendees, stored);
    if (lost.length) throw meetingConflict(lost, timeZone);
    await meetingEvent(ctx, tx, 'meeting.created', meetingId);
    return meetingId;
  });
  return meetingView(await loadVisible(ctx.db, principal, id), timeZone, principal);
}

export async function getMeeting(ctx: AppContext, principal: Principal, id: string, zone?: string) {
  const loaded = await loadVisible(ctx.db, principal, id);
  return meetingView(loaded, askedTimeZone(zone, loaded.meeting.timezone), principal);
}

/**
 * The meetings the principal takes part in with an occurrence in the range: `from`..`to` (dates in
 * `timezone`), by default from now on (upcoming). Ordered by start, then id; the cursor is that key.
 */
export async function listMeetings(ctx: AppContext, principal: Principal, query: ListQuery) {
  const timeZone = askedTimeZone(query.timezone, principal.timezone);
  const errors: FieldError[] = [];
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && !isDate(value)) errors.push({ field, message: 'must be a real date YYYY-MM-DD' });
  }
  if (errors.length) throw validationError(errors);
  if (query.from && query.to && query.to < query.from)
    throw validationError([{ field: 'to', message: 'must not be before from' }]);
  const from = query.from ? dayWindow(query.from, query.from, timeZone).start : ctx.now();
  const to = query.to ? dayWindow(query.to, query.to, timeZone).end : null;
  const limit = query.limit ?? 20;
  const after = query.cursor ? (decodeCursor(query.cursor, ['instant', 'uuid']) as [number, string]) : null;
  if (
    after &&
    (Math.abs(after[0]) > 8.64e15 || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(after[1]))
  )
    throw validationError([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
  const rows = await repo.listMeetingsOf(ctx.db, principal.userId, {
    from,
    to,
    status: query.status ?? null,
    after,
    limit,
  });
  const loaded = await loadMeetings(ctx.db, rows);
  return paginate(
    loaded,
    limit,
    (l) => [l.meeting.start, l.meeting.id],
    (l) => meetingView(l, askedTimeZone(query.timezone, l.meeting.timezone), principal),
  );
}

/**
 * PUT (`replace`: the body is the whole meeting) or PATCH (the fields given). A new start, end or
 * recurrence re-expands the whole series from the (future) start, replacing every occurrence and
 * any per-occurrence change; new participants are checked at every upcoming occurrence. The
 * meeting's own holds never count against it. `status: "cancelled"` cancels (other fields ignored).
 */
export async function changeMeeting(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: MeetingPatch,
  mode: 'patch' | 'replace',
  zone?: string,
) {
  const loaded = await loadVisible(ctx.db, principal, id);
  requireOrganizer(loaded, principal);
  if (input.status === 'cancelled') return cancelMeeting(ctx, principal, id, zone);
  requireConfirmed(loaded);
  const { meeting: m } = loaded;
  const timeZone = askedTimeZone(zone, m.timezone);
  const organizer = await organizerOf(ctx, principal);
  const now = ctx.now();

  const current = { start: m.start, end: m.end };
  const time = mode === 'replace' ? meetingTime(input, now) : sameOrNew(input, current, now);
  const rule = recurrenceRule(mode === 'replace' || input.recurrence !== undefined ? input.recurrence : m.recurrence);
  const recurrence = rule ? formatRecurrence(rule) : null;
  const retime = time.start !== m.start || time.end !== m.end || recurrence !== m.recurrence;
  const people = input.participants
    ? await resolveParticipants(ctx.db, organizer, input.participants, loaded.participants)
    : loaded.participants.map((p) => ({ userId: p.user_id, username: p.username, email: p.email, status: p.status }));
  const attendees = attendeesOf(people);
  const holding = new Set(loaded.participants.filter((p) => p.status !== 'declined').map((p) => p.user_id));
  const removed = loaded.participants.filter((p) => p.user_id !== null && !people.some((q) => q.userId === p.user_id));

  // Retimed: every attendee at every new occurrence. Otherwise: newcomers at the upcoming ones.
  const slots = retime
    ? seriesSlots(time, recurrence, organizer.timezone)
    : loaded.occurrences.filter((o) => o.status === 'confirmed' && o.start > now);
  const checked = retime ? attendees : attendees.filter((a) => !holding.has(a.userId));
  const ours = new Set(loaded.occurrences.map((o) => o.id));
  const conflicts = await findConflicts(ctx, checked, slots, ours);
  if (conflicts.length) throw meetingConflict(conflicts, timeZone);

  await inTransaction(ctx, async (tx) => {
    const ok = await repo.updateMeeting(tx, id, m.sequence, {
      title: input.title,
      description: mode === 'replace' ? (input.description ?? '') : input.description,
      recurrence,
      start: time.start,
      end: time.end,
      timezone: retime ? organizer.timezone : undefined,
    });
    if (!ok) throw changedMeanwhile();
    if (input.participants) {
      await repo.deleteParticipants(tx, id);
      await repo.insertParticipants(tx, id, people);
      for (const p of removed)
        for (const hold of await repo.meetingHoldIds(tx, id, p.user_id!)) await deleteHold(tx, hold);
    }
    if (retime) {
      for (const o of loaded.occurrences) await deleteHolds(tx, 'meeting', o.id);
      await repo.deleteOccurrences(tx, id);
    }
    const lost = retime
      ? await holdTime(tx, attendees, await repo.insertOccurrences(tx, id, slots))
      : await holdTime(tx, checked, slots);
    if (lost.length) throw meetingConflict(lost, timeZone);
    await meetingEvent(
      ctx,
      tx,
      'meeting.updated',
      id,
      removed.map((p) => p.user_id!),
    );
  });
  return meetingView(await loadVisible(ctx.db, principal, id), timeZone, principal);
}

/** A PATCH's time: the current one unless start, end or duration is given (then it must be upcoming). */
function sameOrNew(input: MeetingPatch, current: { start: number; end: number }, now: number) {
  if (input.start === undefined && input.end === undefined && input.duration === undefined) return current;
  return meetingTime(input, now, current);
}

/** Cancels the whole meeting (every occurrence) and frees everyone's time. Cancelling twice is harmless. */
export async function cancelMeeting(ctx: AppContext, principal: Principal, id: string, zone?: string) {
  const loaded = await loadVisible(ctx.db, principal, id);
  requireOrganizer(loaded, principal);
  const timeZone = askedTimeZone(zone, loaded.meeting.timezone);
  if (loaded.meeting.status !== 'cancelled') {
    await inTransaction(ctx, async (tx) => {
      if (!(await repo.updateMeeting(tx, id, loaded.meeting.sequence, { status: 'cancelled' })))
        throw changedMeanwhile();
      for (const o of loaded.occurrences) await deleteHolds(tx, 'meeting', o.id);
      await repo.setOccurrenceStatus(
        tx,
        loaded.occurrences.map((o) => o.id),
        'cancelled',
      );
      await meetingEvent(ctx, tx, 'meeting.cancelled', id);
    });
  }
  return meetingView(await loadVisible(ctx.db, principal, id), timeZone, principal);
}

/**
 * A participant who is not the organiser declines the whole meeting: their time at every
 * occurrence is freed and they stay listed as `declined`. Declining twice is harmless.
 */
export async function declineMeeting(ctx: AppContext, principal: Principal, id: string, zone?: string) {
  const loaded = await loadVisible(ctx.db, principal, id);
  const timeZone = askedTimeZone(zone, loaded.meeting.timezone);
  if (loaded.meeting.organizer_id === principal.userId) {
    throw new AppError('bad_request', 'The organizer cannot decline; cancel the meeting instead');
  }
  const me = loaded.participants.find((p) => p.user_id === principal.userId)!;
  if (me.status !== 'declined') {
    await inTransaction(ctx, async (tx) => {
      if (!(await repo.updateMeeting(tx, id, loaded.meeting.sequence, {}))) throw changedMeanwhile();
      await repo.setParticipantStatus(tx, id, principal.userId, 'declined');
      for (const hold of await repo.meetingHoldIds(tx, id, principal.userId)) await deleteHold(tx, hold);
      await meetingEvent(ctx, tx, 'meeting.updated', id);
    });
  }
  return meetingView(await loadVisible(ctx.db, principal, id), timeZone, principal);
}
