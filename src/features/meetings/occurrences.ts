// Changing a series one occurrence at a time, or from one occurrence on: move or cancel
// occurrence n (`scope: this`), or n and every later one (`scope: following`). Moving takes
// the new time for every participant in one transaction, the occurrences' own old holds not
// counting; cancelling frees their time. A series left with no confirmed occurrence is cancelled.
import type { AppContext } from '../../context';
import { shiftOccurrences } from '../../domain/recurrence';
import type { Principal } from '../../http/auth';
import { AppError, invalidField, notFound } from '../../http/errors';
import { deleteHolds } from '../availability/holds';
import {
  changedMeanwhile,
  findConflicts,
  holdTime,
  inTransaction,
  meetingConflict,
  type Attendee,
  type Slot,
} from './checks';
import { meetingTime } from './input';
import * as repo from './repository';
import type { OccurrencePatch } from './schemas';
import { loadVisible, meetingView, requireConfirmed, requireOrganizer, type LoadedMeeting } from './views';
import { askedTimeZone } from '../../http/time-zone-param';
import { meetingEvent } from '../notifications/events';

export type Scope = 'this' | 'following';

async function loadForChange(ctx: AppContext, principal: Principal, id: string, n: number) {
  const loaded = await loadVisible(ctx.db, principal, id);
  requireOrganizer(loaded, principal);
  requireConfirmed(loaded);
  const occurrence = loaded.occurrences.find((o) => o.number === n);
  if (!occurrence) throw notFound('Occurrence');
  return { loaded, occurrence };
}

/** Occurrence n, or n and the later ones (by number), that are still confirmed. */
function targetsOf(loaded: LoadedMeeting, occurrence: repo.OccurrenceRow, scope: Scope): repo.OccurrenceRow[] {
  if (scope === 'this') return [occurrence];
  return loaded.occurrences.filter((o) => o.number >= occurrence.number && o.status === 'confirmed');
}

const attendeesOf = (loaded: LoadedMeeting): Attendee[] =>
  loaded.participants
    .filter((p) => p.user_id !== null && p.status !== 'declined')
    .map((p) => ({ userId: p.user_id!, username: p.username! }));

/** PATCH of an occurrence: `status: "cancelled"` cancels it (time fields ignored), otherwise it moves. */
export async function changeOccurrence(
  ctx: AppContext,
  principal: Principal,
  id: string,
  n: number,
  input: OccurrencePatch,
  scope: Scope,
  zone?: string,
) {
  if (input.status === 'cancelled') return cancelOccurrence(ctx, principal, id, n, scope, zone);
  const { loaded, occurrence } = await loadForChange(ctx, principal, id, n);
  const m = loaded.meeting;
  const timeZone = askedTimeZone(zone, m.timezone);
  const now = ctx.now();
  if (occurrence.status === 'cancelled') throw new AppError('conflict', `Occurrence ${n} is cancelled`);
  if (occurrence.start <= now) throw new AppError('conflict', `Occurrence ${n} has already started`);
  const time = meetingTime(input, now, occurrence);

  const targets = targetsOf(loaded, occurrence, scope).filter((o) => o.start > now);
  const moved = scope === 'this' ? [time] : shiftOccurrences(targets, occurrence, time, m.timezone);
  const slots: Slot[] = targets.map((o, i) => ({ number: o.number, id: o.id, ...moved[i]! }));
  const sorted = [...slots].sort((a, b) => a.start - b.start);
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.start < now) throw invalidField('start', `occurrence ${sorted[i]!.number} would be in the past`);
    if (i > 0 && sorted[i]!.start < sorted[i - 1]!.end)
      throw invalidField('start', 'the moved occurrences would overlap each other');
  }
  const attendees = attendeesOf(loaded);
  const conflicts = await findConflicts(ctx, attendees, slots, new Set(targets.map((o) => o.id)));
  if (conflicts.length) throw meetingConflict(conflicts, timeZone);

  const first = slots.find((s) => s.number === 1);
  await inTransaction(ctx, async (tx) => {
    // The meeting's start is its first occurrence's: it moves with it.
    if (!(await repo.updateMeeting(tx, id, m.sequence, first ? { start: first.start, end: first.end } : {})))
      throw changedMeanwhile();
    for (const slot of slots) {
      await deleteHolds(tx, 'meeting', slot.id!);
      await repo.moveOccurrence(tx, slot.id!, slot.start, slot.end);
    }
    const lost = await holdTime(tx, attendees, slots);
    if (lost.length) throw meetingConflict(lost, timeZone);
    await meetingEvent(ctx, tx, 'meeting.updated', id);
  });
  return meetingView(await loadVisible(ctx.db, principal, id), timeZone, principal);
}

/** Cancels occurrence n (or n and the later ones) and frees everyone's time then. Harmless twice. */
export async function cancelOccurrence(
  ctx: AppContext,
  principal: Principal,
  id: string,
  n: number,
  scope: Scope,
  zone?: string,
) {
  const { loaded, occurrence } = await loadForChange(ctx, principal, id, n);
  const timeZone = askedTimeZone(zone, loaded.meeting.timezone);
  const targets = targetsOf(loaded, occurrence, scope).filter((o) => o.status === 'confirmed');
  if (targets.length > 0) {
    const ids = new Set(targets.map((o) => o.id));
    const left = loaded.occurrences.some((o) => o.status === 'confirmed' && !ids.has(o.id));
    await inTransaction(ctx, async (tx) => {
      const change = left ? {} : { status: 'cancelled' as const };
      if (!(await repo.updateMeeting(tx, id, loaded.meeting.sequence, change))) throw changedMeanwhile();
      for (const o of targets) await deleteHolds(tx, 'meeting', o.id);
      await repo.setOccurrenceStatus(tx, [...ids], 'cancelled');
      await meetingEvent(ctx, tx, left ? 'meeting.updated' : 'meeting.cancelled', id);
    });
  }
  return meetingView(await loadVisible(ctx.db, principal, id), timeZone, principal);
}
