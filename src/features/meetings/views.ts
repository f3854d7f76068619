// Reading meetings as their participants may see them, and writing them as API answers.
// Visibility: a participant (the organiser included) sees a meeting; to anyone else it does not exist.
import type { Queryable } from '../../db';
import { formatInstant } from '../../domain/calendar';
import type { Principal } from '../../http/auth';
import { AppError, notFound } from '../../http/errors';
import * as repo from './repository';

export interface LoadedMeeting {
  meeting: repo.MeetingRow;
  participants: repo.ParticipantRow[];
  occurrences: repo.OccurrenceRow[];
}

/** Meetings with their participants and occurrences, in the order given. */
export async function loadMeetings(q: Queryable, meetings: readonly repo.MeetingRow[]): Promise<LoadedMeeting[]> {
  const ids = meetings.map((m) => m.id);
  const [participants, occurrences] = await Promise.all([repo.participantsOf(q, ids), repo.occurrencesOf(q, ids)]);
  return meetings.map((meeting) => ({
    meeting,
    participants: participants.filter((p) => p.meeting_id === meeting.id),
    occurrences: occurrences.filter((o) => o.meeting_id === meeting.id),
  }));
}

/** The meeting if the principal takes part in it; 404 otherwise (its existence is not revealed). */
export async function loadVisible(q: Queryable, principal: Principal, id: string): Promise<LoadedMeeting> {
  const meeting = await repo.findMeeting(q, id);
  if (!meeting) throw notFound('Meeting');
  const [loaded] = await loadMeetings(q, [meeting]);
  if (!loaded.participants.some((p) => p.user_id === principal.userId)) throw notFound('Meeting');
  return loaded;
}

/** Only the organiser changes or cancels a meeting (participants may decline). */
export function requireOrganizer(loaded: LoadedMeeting, principal: Principal): void {
  if (loaded.meeting.organizer_id !== principal.userId) {
    throw new AppError(
      'forbidden',
      'Only the organizer can change or cancel this meeting; participants may decline it',
    );
  }
}

/** Changes are refused once the whole meeting is cancelled. */
export function requireConfirmed(loaded: LoadedMeeting): void {
  if (loaded.meeting.status === 'cancelled')
    throw new AppError('conflict', 'The meeting is cancelled; create a new one');
}

/**
 * The meeting as `viewer` may see it: a user's e-mail address is private (as in GET /users),
 * so participants who are users are named by username, with their address shown only to
 * themselves and to admins; a guest is known only by the address the organiser gave.
 */
export function meetingView(loaded: LoadedMeeting, timeZone: string, viewer: Pick<Principal, 'userId' | 'isAdmin'>) {
  const { meeting, participants, occurrences } = loaded;
  const at = (ms: number) => formatInstant(ms, timeZone);
  const organizer = participants.find((p) => p.user_id === meeting.organizer_id);
  const emailOf = (p: { user_id: string | null; email: string }) =>
    p.user_id === null || p.user_id === viewer.userId || viewer.isAdmin ? { email: p.email } : {};
  return {
    id: meeting.id,
    title: meeting.title,
    description: meeting.description,
    start: at(meeting.start),
    end: at(meeting.end),
    timezone: timeZone,
    organizer: { username: organizer?.username ?? '', ...(organizer ? emailOf(organizer) : {}) },
    participants: participants.map((p) => ({
      ...(p.username !== null ? { username: p.username } : {}),
      ...emailOf(p),
      status: p.status,
    })),
    recurrence: meeting.recurrence,
    status: meeting.status,
    sequence: meeting.sequence,
    ...(meeting.recurrence !== null
      ? {
          occurrences: occurrences.map((o) => ({
            number: o.number,
            start: at(o.start),
            end: at(o.end),
            status: o.status,
          })),
        }
      : {}),
    created_at: at(meeting.created_at.getTime()),
    updated_at: at(meeting.updated_at.getTime()),
  };
}
