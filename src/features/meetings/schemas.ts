// Request and response shapes of meetings and their occurrences (also the OpenAPI).
import { Type, type Static } from 'typebox';
import { Instant, TimeZoneName, Uuid } from '../../http/schemas';

export const MAX_PARTICIPANTS = 50;

const Title = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'At most 200 characters',
  examples: ['Planning'],
});
const Description = Type.String({ maxLength: 5000, description: 'At most 5000 characters' });
const Duration = Type.Integer({ minimum: 1, maximum: 1440, description: 'Minutes, 1 to 1440 (instead of end)' });
const Participant = Type.String({
  minLength: 1,
  maxLength: 254,
  description: 'A username, or an e-mail address (an account with that address is that user; otherwise a guest)',
  examples: ['ada', 'guest@example.com'],
});
const Recurrence = Type.String({
  minLength: 1,
  maxLength: 500,
  description:
    'RRULE value: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, COUNT or UNTIL (one is required), BYDAY, BYMONTHDAY, WKST. ' +
    "Expanded in the organiser's time zone (09:00 stays 09:00 local across DST). At most 100 occurrences, all " +
    'starting within 366 days of the first; `start` must itself be an occurrence of the rule.',
  examples: ['FREQ=WEEKLY;COUNT=10'],
});
const MeetingStatus = Type.Union([Type.Literal('confirmed'), Type.Literal('cancelled')]);

export const MeetingBody = Type.Object({
  title: Title,
  description: Type.Optional(Description),
  start: Instant,
  end: Type.Optional(Instant),
  duration: Type.Optional(Duration),
  participants: Type.Array(Participant, { minItems: 1, maxItems: MAX_PARTICIPANTS }),
  recurrence: Type.Optional(Recurrence),
});
export type MeetingBody = Static<typeof MeetingBody>;

export const MeetingPatch = Type.Object({
  title: Type.Optional(Title),
  description: Type.Optional(Description),
  start: Type.Optional(Instant),
  end: Type.Optional(Instant),
  duration: Type.Optional(Duration),
  participants: Type.Optional(Type.Array(Participant, { minItems: 1, maxItems: MAX_PARTICIPANTS })),
  recurrence: Type.Optional(Type.Union([Recurrence, Type.Null()], { description: 'null makes a series a one-off' })),
  status: Type.Optional(MeetingStatus),
});
export type MeetingPatch = Static<typeof MeetingPatch>;

export const OccurrencePatch = Type.Object({
  start: Type.Optional(Instant),
  end: Type.Optional(Instant),
  duration: Type.Optional(Duration),
  status: Type.Optional(MeetingStatus),
});
export type OccurrencePatch = Static<typeof OccurrencePatch>;

export const ZoneQuery = Type.Object({
  timezone: Type.Optional(TimeZoneName),
});
export type ZoneQuery = Static<typeof ZoneQuery>;

export const ScopeQuery = Type.Object({
  timezone: Type.Optional(TimeZoneName),
  scope: Type.Optional(
    Type.Union([Type.Literal('this'), Type.Literal('following')], {
      description: '`this` (default): only this occurrence; `following`: this one and every later one',
    }),
  ),
});
export type ScopeQuery = Static<typeof ScopeQuery>;

export const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size, 1 to 100' })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from the previous page' })),
  from: Type.Optional(
    Type.String({ maxLength: 10, description: 'YYYY-MM-DD (inclusive, in `timezone`); default: now' }),
  ),
  to: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD (inclusive, in `timezone`)' })),
  status: Type.Optional(MeetingStatus),
  timezone: Type.Optional(TimeZoneName),
});
export type ListQuery = Static<typeof ListQuery>;

export const MeetingParams = Type.Object({ id: Uuid });
export const OccurrenceParams = Type.Object({
  id: Uuid,
  n: Type.Integer({ minimum: 1, maximum: 1000, description: 'Occurrence number, 1-based' }),
});

const ParticipantView = Type.Object({
  username: Type.Optional(Type.String()),
  email: Type.Optional(
    Type.String({ description: 'Shown for guests, for yourself, and to admins; other users are named by username' }),
  ),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('invited')], {
    description: 'accepted: a user whose time is held; declined: a user who declined; invited: a guest',
  }),
});

export const OccurrenceView = Type.Object({
  number: Type.Integer(),
  start: Type.String(),
  end: Type.String(),
  status: MeetingStatus,
});

export const MeetingView = Type.Object({
  id: Uuid,
  title: Type.String(),
  description: Type.String(),
  start: Type.String({ description: 'The first occurrence as the series defines it' }),
  end: Type.String(),
  timezone: Type.String({ description: 'The zone the instants of this answer are written in' }),
  organizer: Type.Object({ username: Type.String(), email: Type.Optional(Type.String()) }),
  participants: Type.Array(ParticipantView),
  recurrence: Type.Union([Type.String(), Type.Null()]),
  status: MeetingStatus,
  sequence: Type.Integer({ description: 'Grows with every change' }),
  occurrences: Type.Optional(Type.Array(OccurrenceView, { description: 'Every occurrence of a series' })),
  created_at: Type.String(),
  updated_at: Type.String(),
});
