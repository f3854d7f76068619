// What a meeting request says, checked and turned into the domain's terms: its time, its
// recurrence, its participants (users by username or e-mail, guests by e-mail), the answer zone.
import type { Queryable } from '../../db';
import { parseInstant } from '../../domain/calendar';
import type { Interval } from '../../domain/intervals';
import { parseRecurrence, RecurrenceError, type RecurrenceRule } from '../../domain/recurrence';
import { invalidField, validationError, type FieldError } from '../../http/errors';
import { findUserByEmail, findUsersByUsernames, type UserRow } from '../accounts/repository';
import type { ParticipantRow, ParticipantStatus } from './repository';

const MAX_LENGTH_MS = 24 * 3_600_000;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The zone answers are written in: `?timezone=` or the fallback (the organiser's). */

function instant(field: string, value: string): number {
  const ms = parseInstant(value);
  if (ms === null)
    throw invalidField(field, 'must be an RFC 3339 instant with an offset, such as 2026-03-09T09:00:00-04:00');
  return ms;
}

/**
 * The time of a meeting or occurrence from `start` and `end` or `duration` (minutes), each
 * defaulting to the current one when changing; it must start after `now` and last at most 24 hours.
 */
export function meetingTime(
  input: { start?: string; end?: string; duration?: number },
  now: number,
  current?: Interval,
): Interval {
  if (input.end !== undefined && input.duration !== undefined) {
    throw validationError([{ field: 'duration', message: 'give end or duration, not both' }]);
  }
  if (!current && input.start === undefined) throw invalidField('start', 'is required');
  if (!current && input.end === undefined && input.duration === undefined) {
    throw invalidField('end', 'give end or duration');
  }
  const start = input.start !== undefined ? instant('start', input.start) : current!.start;
  let end: number;
  if (input.end !== undefined) end = instant('end', input.end);
  else if (input.duration !== undefined) end = start + input.duration * 60_000;
  else end = start + (current!.end - current!.start);
  const errors: FieldError[] = [];
  if (end <= start) errors.push({ field: 'end', message: 'must be after start' });
  else if (end - start > MAX_LENGTH_MS) errors.push({ field: 'end', message: 'a meeting lasts at most 24 hours' });
  if (start < now) errors.push({ field: 'start', message: 'is in the past' });
  if (errors.length) throw validationError(errors);
  return { start, end };
}

/** The parsed rule, or null for a one-off; a bad rule is a 400 naming `recurrence`. */
export function recurrenceRule(text: string | null | undefined): RecurrenceRule | null {
  if (text === null || text === undefined) return null;
  try {
    return parseRecurrence(text);
  } catch (error) {
    if (error instanceof RecurrenceError) throw invalidField('recurrence', error.message);
    throw error;
  }
}

/** Runs a recurrence computation, turning its refusal into a 400 naming `recurrence`. */
export function asRecurrenceField<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RecurrenceError) throw invalidField('recurrence', error.message);
    throw error;
  }
}

export interface Participant {
  userId: string | null;
  username: string | null;
  email: string;
  status: ParticipantStatus;
}

/**
 * The participants, the organiser first and each person once. An e-mail address that belongs to an
 * account is that user; another address is a guest. A name that is neither a user nor an e-mail
 * address is a 400 naming its place in the list. People already invited keep their status (a
 * declined participant stays declined).
 */
export async function resolveParticipants(
  q: Queryable,
  organizer: UserRow,
  given: readonly string[],
  existing: readonly ParticipantRow[] = [],
): Promise<Participant[]> {
  const cleaned = given.map((g) => g.trim());
  const names = cleaned.filter((g) => !g.includes('@'));
  const users = new Map((await findUsersByUsernames(q, names)).map((u) => [u.username, u]));
  const errors: FieldError[] = [];
  const people: Participant[] = [
    { userId: organizer.id, username: organizer.username, email: organizer.email, status: 'accepted' },
  ];
  for (const [i, entry] of cleaned.entries()) {
    let person: Participant;
    if (entry.includes('@')) {
      if (!EMAIL_PATTERN.test(entry)) {
        errors.push({ field: `participants[${i}]`, message: 'is not an e-mail address' });
        continue;
      }
      const user = await findUserByEmail(q, entry);
      person = user
        ? { userId: user.id, username: user.username, email: user.email, status: 'accepted' }
        : { userId: null, username: null, email: entry, status: 'invited' };
    } else {
      const user = users.get(entry);
      if (!user) {
        errors.push({
          field: `participants[${i}]`,
          message: `no user is called "${entry}" (guests are given by e-mail address)`,
        });
        continue;
      }
      person = { userId: user.id, username: user.username, email: user.email, status: 'accepted' };
    }
    const same = (p: Participant) =>
      (person.userId !== null && p.userId === person.userId) || p.email.toLowerCase() === person.email.toLowerCase();
    if (people.some(same)) continue;
    const before = existing.find((p) =>
      person.userId !== null ? p.user_id === person.userId : p.email.toLowerCase() === person.email.toLowerCase(),
    );
    if (before) person.status = before.status;
    people.push(person);
  }
  if (errors.length) throw validationError(errors);
  return people;
}
