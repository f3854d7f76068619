// Whether the participants of a meeting can have its occurrences, and taking their time: every
// participant who is a user must be available (default schedule with overrides) and free (no hold)
// at every occurrence. The check names every problem; the holds, all taken in one transaction,
// are what really decides (the exclusion constraint), so a race lost there is a 409 too.
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import { SqlState, sqlState } from '../../db/database';
import { formatInstant } from '../../domain/calendar';
import { covers, overlaps, type Interval } from '../../domain/intervals';
import { AppError } from '../../http/errors';
import { HoldConflictError, holdsOverlapping, insertHold } from '../availability/holds';
import { availabilityOfUsers } from '../availability/service';
import { calendarBusyByUser } from '../calendars/repository';

/** A participant whose time a meeting holds. */
export interface Attendee {
  userId: string;
  username: string;
}

/** An occurrence to hold: its number in the series, its time, and (once stored) its id. */
export interface Slot extends Interval {
  number: number;
  id?: string;
}

export interface Conflict {
  participant: string;
  occurrence: number;
  start: number;
  reason: 'unavailable' | 'conflict';
}

/**
 * Every (participant, occurrence) that cannot be: 'conflict' when the participant holds other time
 * then (or is busy in a linked calendar), else 'unavailable' when it is outside their hours. Holds of the occurrences in `ours` (the
 * meeting's own, about to be replaced) do not count.
 */
export async function findConflicts(
  ctx: AppContext,
  attendees: readonly Attendee[],
  slots: readonly Slot[],
  ours: ReadonlySet<string> = new Set(),
): Promise<Conflict[]> {
  if (attendees.length === 0 || slots.length === 0) return [];
  const window = { start: Math.min(...slots.map((s) => s.start)), end: Math.max(...slots.map((s) => s.end)) };
  const ids = attendees.map((a) => a.userId);
  const [available, holds, external] = await Promise.all([
    availabilityOfUsers(ctx, ids, window),
    holdsOverlapping(ctx.db, ids, window),
    calendarBusyByUser(ctx.db, ids, window),
  ]);
  const busy = new Map<string, Interval[]>(ids.map((id) => [id, [...(external.get(id) ?? [])]]));
  for (const h of holds) {
    if (!(h.source === 'meeting' && h.source_id !== null && ours.has(h.source_id))) busy.get(h.user_id)?.push(h);
  }
  const conflicts: Conflict[] = [];
  for (const slot of [...slots].sort((a, b) => a.number - b.number)) {
    for (const a of attendees) {
      const taken = overlaps(busy.get(a.userId)!, slot);
      const open = covers(available.get(a.userId) ?? [], slot);
      if (taken || !open) {
        conflicts.push({
          participant: a.username,
          occurrence: slot.number,
          start: slot.start,
          reason: taken ? 'conflict' : 'unavailable',
        });
      }
    }
  }
  return conflicts;
}

/**
 * Holds each attendee's time at each stored slot (source 'meeting', source_id = occurrence id), in
 * (user, start) order so that concurrent writers queue instead of deadlocking. Returns the conflicts
 * the database found; the caller throws, which rolls the whole transaction back.
 */
export async function holdTime(
  tx: Queryable,
  attendees: readonly Attendee[],
  slots: readonly Slot[],
): Promise<Conflict[]> {
  const work = attendees
    .flatMap((a) => slots.map((slot) => ({ a, slot })))
    .sort((x, y) => (x.a.userId < y.a.userId ? -1 : x.a.userId > y.a.userId ? 1 : x.slot.start - y.slot.start));
  const conflicts: Conflict[] = [];
  for (const { a, slot } of work) {
    try {
      await insertHold(tx, {
        userId: a.userId,
        interval: { start: slot.start, end: slot.end },
        source: 'meeting',
        sourceId: slot.id,
      });
    } catch (error) {
      if (!(error instanceof HoldConflictError)) throw error;
      conflicts.push({ participant: a.username, occurrence: slot.number, start: slot.start, reason: 'conflict' });
    }
  }
  return conflicts.sort((x, y) => x.occurrence - y.occurrence);
}

/** The 409 answer naming every conflict, instants written in `timeZone`. */
export function meetingConflict(conflicts: readonly Conflict[], timeZone: string): AppError {
  const people = new Set(conflicts.map((c) => c.participant));
  return new AppError(
    'meeting_conflict',
    `${conflicts.length} problem(s): ${[...people].join(', ')} cannot attend every occurrence`,
    { conflicts: conflicts.map((c) => ({ ...c, start: formatInstant(c.start, timeZone) })) },
  );
}

/**
 * Runs a write transaction, again (up to three times) when PostgreSQL aborts it for a deadlock or a
 * serialization failure: the loser of a race must get an answer about the time, not a 500.
 */
export async function inTransaction<T>(ctx: AppContext, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction(fn);
    } catch (error) {
      const state = sqlState(error);
      const retriable = state === SqlState.deadlockDetected || state === SqlState.serializationFailure;
      if (!retriable) throw error;
      if (attempt >= 3)
        throw new AppError('conflict', 'The meeting could not be saved for concurrent changes; try again');
    }
  }
}

/** Refuses a change planned on a meeting someone else changed meanwhile. */
export function changedMeanwhile(): AppError {
  return new AppError('conflict', 'The meeting was changed meanwhile; read it again and retry');
}
