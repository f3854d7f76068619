// Booking use cases shared by the invitee and the host: book a slot, cancel, reschedule.
// The database is the referee: every host's time is taken through the holds table, whose
// exclusion constraint refuses any overlap; seats are taken by an atomic conditional update;
// a single-use link is used up by a conditional update; the per-day limit is counted with
// the event type's row locked. All holds of one booking are taken in one transaction.
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import { sqlState, SqlState } from '../../db/database';
import { localDateOf, addDays, startOfDay } from '../../domain/calendar';
import { AppError, notFound } from '../../http/errors';
import { HoldConflictError, insertHold, releaseSeat, takeSeat } from '../availability/holds';
import * as eventTypes from '../event-types/repository';
import type { EventTypeRow } from '../event-types/repository';
import { offerAt, type Offer } from './offer';
import * as repo from './repository';
import { bookingEvent } from '../notifications/events';
import type { BookingRow } from './repository';
import { hashToken, newInviteeToken } from './views';

const MINUTE = 60_000;

export const slotTaken = () => new AppError('slot_unavailable', 'This slot is not offered or has just been taken');
export const linkUsed = () => new AppError('gone', 'This single-use booking link has already been used');

/**
 * A lost race the database detected in another way (deadlock, serialization) is still a 409;
 * so is a foreign key that no longer holds because the event type (or a host) was deleted
 * while the booking was being saved.
 */
function raceLost(error: unknown): AppError | null {
  const state = sqlState(error);
  if (
    state === SqlState.deadlockDetected ||
    state === SqlState.serializationFailure ||
    state === SqlState.exclusionViolation
  ) {
    return new AppError('slot_unavailable', 'Another booking took this time first');
  }
  if (state === SqlState.foreignKeyViolation) {
    return new AppError('conflict', 'The booking link or one of its hosts was deleted meanwhile; load it again');
  }
  return null;
}

interface Held {
  userId: string;
  holdId: string;
}

/** Holds the offer's time for its host(s), or throws a 409. Runs inside the booking's transaction. */
async function holdTime(tx: Queryable, et: EventTypeRow, offer: Offer, bookingId: string, now: Date): Promise<Held[]> {
  const held = { start: offer.start - et.buffer_before * MINUTE, end: offer.end + et.buffer_after * MINUTE };
  const hold = (userId: string, capacity = 1) =>
    insertHold(tx, { userId, interval: held, source: 'booking', sourceId: bookingId, capacity, seatsTaken: 1 });

  if (et.kind === 'group') {
    const host = offer.hosts[0]!;
    const slot = { start: offer.start, end: offer.end };
    // One booking of the type at a time decides whether a slot's shared hold exists: concurrent
    // first holds of one slot would otherwise wait on each other in the exclusion constraint
    // and deadlock, refusing invitees while seats are left.
    await eventTypes.lockEventTypeBookings(tx, et.id);
    let holdId = await repo.findGroupSlot(tx, et.id, slot);
    if (holdId === undefined) {
      try {
        holdId = await hold(host, et.seats);
        await repo.insertGroupSlot(tx, et.id, slot, holdId);
        return [{ userId: host, holdId }];
      } catch (error) {
        if (!(error instanceof HoldConflictError)) throw error;
        // Most likely a concurrent first booking of the same slot, now committed: share its hold.
        holdId = await repo.findGroupSlot(tx, et.id, slot);
        if (holdId === undefined) throw slotTaken();
      }
    }
    if (!(await takeSeat(tx, holdId))) throw new AppError('slot_unavailable', 'Every seat of this slot is taken');
    return [{ userId: host, holdId }];
  }

  if (et.kind === 'round_robin') {
    for (const userId of offer.hosts) {
      try {
        const holdId = await hold(userId);
        await eventTypes.touchHost(tx, et.id, userId, now);
        return [{ userId, holdId }];
      } catch (error) {
        if (!(error instanceof HoldConflictError)) throw error;
      }
    }
    throw slotTaken();
  }

  // one_on_one and collective: every host, or (the transaction rolls back) none. Always in
  // one order, so two collective bookings sharing hosts wait for each other, never deadlock.
  const result: Held[] = [];
  for (const userId of [...offer.hosts].sort()) {
    try {
      result.push({ userId, holdId: await hold(userId) });
    } catch (error) {
      if (error instanceof HoldConflictError) throw slotTaken();
      throw error;
    }
  }
  return result;
}

/** With the event type's row locked, refuses a booking that would exceed max_per_day. */
async function checkDayLimit(
  tx: Queryable,
  et: EventTypeRow,
  start: number,
  exceptBooking: string | null,
): Promise<void> {
  if (et.max_per_day === null) return;
  await eventTypes.lockEventType(tx, et.id);
  const date = localDateOf(start, et.owner_timezone);
  const day = { start: startOfDay(date, et.owner_timezone), end: startOfDay(addDays(date, 1), et.owner_timezone) };
  const starts = await repo.confirmedStarts(tx, et.id, day, exceptBooking);
  if (et.kind === 'group') {
    const distinct = new Set(starts);
    if (!distinct.has(start) && distinct.size >= et.max_per_day) throw dayFull();
  } else if (starts.length >= et.max_per_day) throw dayFull();
}

const dayFull = () => new AppError('slot_unavailable', 'The limit of bookings for this day has been reached');

export interface BookingInput {
  start: number;
  duration: number;
  invitee: { name: string; email: string; timezone: string };
  guests: string[];
  answers: Record<string, unknown>;
}

/**
 * Books a slot of the event type; answers the booking and the invitee's token (shown once).
 * Concurrent holds of one user's time can deadlock in the exclusion constraint (each insert
 * waits for the other's); the victim tries again from a fresh offer instead of refusing an
 * invitee whose slot may still be free.
 */
export async function bookSlot(
  ctx: AppContext,
  et: EventTypeRow,
  input: BookingInput,
): Promise<{ row: BookingRow; token: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bookSlotOnce(ctx, et, input);
    } catch (error) {
      if (sqlState(error) !== SqlState.deadlockDetected || attempt >= 3) throw raceLost(error) ?? error;
    }
  }
}

async function bookSlotOnce(
  ctx: AppContext,
  et: EventTypeRow,
  input: BookingInput,
): Promise<{ row: BookingRow; token: string }> {
  const now = ctx.now();
  const offer = await offerAt(ctx.db, et, input.start, { duration: input.duration, now });
  if (!offer) throw slotTaken();
  const token = newInviteeToken();
  const row = await ctx.db.transaction(async (tx) => {
    if (et.single_use && !(await eventTypes.useUp(tx, et.id, new Date(now)))) throw linkUsed();
    await checkDayLimit(tx, et, offer.start, null);
    const bookingId = await repo.insertBooking(tx, {
      eventTypeId: et.id,
      ownerId: et.owner_id,
      title: et.title,
      start: offer.start,
      end: offer.end,
      invitee: input.invitee,
      guests: input.guests,
      answers: input.answers,
      location: et.location,
      tokenHash: hashToken(token),
      at: new Date(now),
    });
    for (const h of await holdTime(tx, et, offer, bookingId, new Date(now))) {
      await repo.addBookingHost(tx, bookingId, h.userId, h.holdId);
    }
    return (await bookingEvent(ctx, tx, 'booking.created', bookingId, { inviteeToken: token }))!;
  });
  return { row, token };
}

/** Cancels a confirmed booking and frees its time (or its seat). Unsafe: the caller has authorized the request. */
export async function unsafeCancelBooking(
  ctx: AppContext,
  id: string,
  by: 'host' | 'invitee',
  reason: string | null,
): Promise<BookingRow> {
  await ctx.db.transaction(async (tx) => {
    const current = await repo.findBooking(tx, id, true);
    if (!current) throw notFound('Booking');
    if (current.status === 'cancelled') throw new AppError('conflict', 'The booking is already cancelled');
    for (const h of current.hosts) if (h.hold_id) await releaseSeat(tx, h.hold_id);
    await repo.markCancelled(tx, id, by, reason, new Date(ctx.now()));
    await bookingEvent(ctx, tx, 'booking.cancelled', id);
  });
  return (await repo.findBooking(ctx.db, id))!;
}

/**
 * Moves a confirmed booking to another offered slot of its event type, keeping its duration.
 * Unsafe: the caller has authorized the request (by the invitee's token or as a host).
 * The invitee may move only a booking that has not started yet, on a link that is still
 * active; the host may move any. One transaction: the old time is let go and the new one
 * held; if the new one cannot be held, the transaction rolls back and the booking keeps its old time.
 */
export async function unsafeRescheduleBooking(
  ctx: AppContext,
  id: string,
  start: number,
  by: 'host' | 'invitee',
): Promise<BookingRow> {
  const now = ctx.now();
  const before = await repo.findBooking(ctx.db, id);
  if (!before) throw notFound('Booking');
  if (before.status === 'cancelled') throw new AppError('conflict', 'A cancelled booking cannot be rescheduled');
  if (by === 'invitee' && before.start <= now) {
    throw new AppError('conflict', 'This booking has already started or taken place; it can no longer be rescheduled');
  }
  const et = before.event_type_id === null ? undefined : await eventTypes.findEventType(ctx.db, before.event_type_id);
  if (!et) throw new AppError('gone', 'The event type of this booking no longer exists');
  // A single-use link was used by this very booking, so only deactivation stops the invitee.
  if (by === 'invitee' && !et.active)
    throw new AppError('gone', 'The host has deactivated this booking link; the booking can only be cancelled');
  const holdIds = before.hosts.flatMap((h) => (h.hold_id ? [h.hold_id] : []));
  const duration = Math.round((before.end - before.start) / MINUTE);
  const offer = await offerAt(ctx.db, et, start, { duration, now, ignoreBooking: { id, holdIds } });
  if (!offer) throw slotTaken();
  // Round robin: the current host keeps the booking when free.
  const mine = new Set(before.hosts.map((h) => h.user_id));
  const moved: Offer = {
    ...offer,
    hosts: [...offer.hosts.filter((h) => mine.has(h)), ...offer.hosts.filter((h) => !mine.has(h))],
  };
  try {
    await ctx.db.transaction(async (tx) => {
      const current = await repo.findBooking(tx, id, true);
      if (current?.status !== 'confirmed' || current.sequence !== before.sequence) {
        throw new AppError('conflict', 'The booking changed meanwhile; load it again');
      }
      await checkDayLimit(tx, et, moved.start, id);
      for (const h of current.hosts) if (h.hold_id) await releaseSeat(tx, h.hold_id);
      await repo.removeBookingHosts(tx, id);
      for (const h of await holdTime(tx, et, moved, id, new Date(now)))
        await repo.addBookingHost(tx, id, h.userId, h.holdId);
      await repo.moveBooking(tx, id, moved, new Date(now));
      await bookingEvent(ctx, tx, 'booking.rescheduled', id, {
        previous: { start: current.start, end: current.end },
        formerHosts: current.hosts.map((h) => h.user_id),
      });
    });
  } catch (error) {
    throw raceLost(error) ?? error;
  }
  return (await repo.findBooking(ctx.db, id))!;
}
