// Request and response shapes of event types (also the OpenAPI). Every string has a maximum.
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../http/pagination';
import { CalendarDate, Instant, TimeZoneName, Uuid } from '../../http/schemas';

export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$';
export const QUESTION_TYPES = ['text', 'textarea', 'email', 'phone', 'number', 'select', 'checkbox'] as const;
export const KINDS = ['one_on_one', 'group', 'collective', 'round_robin'] as const;

const Minutes = (description: string, max: number) => Type.Integer({ minimum: 0, maximum: max, description });
const Duration = Type.Integer({ minimum: 1, maximum: 1440, description: 'Minutes' });

export const DateRange = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('rolling'), days: Type.Integer({ minimum: 1, maximum: 3650 }) },
      { additionalProperties: false },
    ),
    Type.Object(
      { type: Type.Literal('range'), start_date: CalendarDate, end_date: CalendarDate },
      { additionalProperties: false },
    ),
    Type.Object(
      { type: Type.Literal('dates'), dates: Type.Array(CalendarDate, { minItems: 1, maxItems: 366 }) },
      { additionalProperties: false },
    ),
    Type.Object({ type: Type.Literal('indefinite') }, { additionalProperties: false }),
  ],
  {
    description:
      "Which dates can be booked, in the host's time zone: the next `days` days from today, `start_date`..`end_date` " +
      '(both included), a list of `dates`, or any date.',
  },
);
export type DateRange = Static<typeof DateRange>;

export const Question = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_]+$', description: 'Key of the answer' }),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    type: Type.Union(
      QUESTION_TYPES.map((t) => Type.Literal(t)),
      { default: 'text' },
    ),
    required: Type.Boolean({ default: false }),
    options: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50, description: 'Choices of a select' }),
    ),
  },
  { additionalProperties: false },
);
export type Question = Static<typeof Question>;

export const ScheduleRef = Type.Object(
  {
    schedule_id: Uuid,
    expires_on: Type.Optional(
      Type.Union([CalendarDate, Type.Null()], { description: "Last date (in the schedule's zone) it applies" }),
    ),
  },
  { additionalProperties: false },
);

const fields = {
  slug: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'URL name, unique per owner: a-z, 0-9 and "-"',
    examples: ['intro-call'],
  }),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 5000 }),
  kind: Type.Union(
    KINDS.map((k) => Type.Literal(k)),
    { description: 'one_on_one, group (seats), collective (all hosts), round_robin (one host)' },
  ),
  hosts: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
    minItems: 1,
    maxItems: 20,
    description:
      'Usernames of the hosts (default: the owner). one_on_one and group have exactly one: the owner. ' +
      'Another user listed here hosts only once they accept (POST /api/v1/event-types/{id}/hosting/accept).',
  }),
  seats: Type.Integer({ minimum: 1, maximum: 1000, description: 'Bookings per slot (group only)' }),
  duration: Duration,
  durations: Type.Array(Duration, { minItems: 1, maxItems: 20, description: 'Durations the invitee may choose from' }),
  slot_interval: Type.Union([Type.Integer({ minimum: 1, maximum: 1440 }), Type.Null()], {
    description: 'Minutes between slot starts (default: the duration)',
  }),
  schedule_id: Type.Union([Uuid, Type.Null()], { description: 'One of your schedules (null: your default schedule)' }),
  schedules: Type.Array(ScheduleRef, { maxItems: 20, description: 'Several of your schedules; their union applies' }),
  date_range: DateRange,
  fixed_slots: Type.Union(
    [Type.Array(Type.Object({ start: Instant }, { additionalProperties: false }), { maxItems: 200 }), Type.Null()],
    {
      description: 'Explicit slot starts (a one-off meeting); only these are offered',
    },
  ),
  single_use: Type.Boolean({ description: 'The link dies after one booking (410 afterwards)' }),
  buffer_before: Minutes('Minutes kept free before each booking', 1440),
  buffer_after: Minutes('Minutes kept free after each booking', 1440),
  min_notice: Minutes('Minutes between now and the earliest bookable start', 525_600),
  max_per_day: Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.Null()], {
    description: "Bookings per day (host's zone)",
  }),
  location: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
  questions: Type.Array(Question, { maxItems: 30 }),
  active: Type.Boolean(),
};

export const EventTypeCreateBody = Type.Object({
  slug: fields.slug,
  title: fields.title,
  description: Type.Optional(fields.description),
  kind: Type.Optional(fields.kind),
  hosts: Type.Optional(fields.hosts),
  seats: Type.Optional(fields.seats),
  duration: Type.Optional(fields.duration),
  durations: Type.Optional(fields.durations),
  slot_interval: Type.Optional(fields.slot_interval),
  schedule_id: Type.Optional(fields.schedule_id),
  schedules: Type.Optional(fields.schedules),
  date_range: Type.Optional(fields.date_range),
  fixed_slots: Type.Optional(fields.fixed_slots),
  single_use: Type.Optional(fields.single_use),
  buffer_before: Type.Optional(fields.buffer_before),
  buffer_after: Type.Optional(fields.buffer_after),
  min_notice: Type.Optional(fields.min_notice),
  max_per_day: Type.Optional(fields.max_per_day),
  location: Type.Optional(fields.location),
  questions: Type.Optional(fields.questions),
  active: Type.Optional(fields.active),
});
export type EventTypeCreateBody = Static<typeof EventTypeCreateBody>;

export const EventTypePatchBody = Type.Partial(EventTypeCreateBody);
export type EventTypePatchBody = Static<typeof EventTypePatchBody>;

export const EventTypeSchema = Type.Object({
  id: Uuid,
  owner: Type.String({ description: 'Username of the owner' }),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  kind: Type.String(),
  hosts: Type.Array(Type.String()),
  pending_hosts: Type.Array(Type.String(), {
    description:
      'Hosts who have not accepted yet: none of their time is offered (a collective type offers nothing until all have)',
  }),
  seats: Type.Integer(),
  duration: Type.Integer(),
  durations: Type.Array(Type.Integer()),
  slot_interval: Type.Union([Type.Integer(), Type.Null()]),
  schedule_id: Type.Union([Type.String(), Type.Null()]),
  schedules: Type.Array(
    Type.Object({ schedule_id: Type.String(), expires_on: Type.Union([Type.String(), Type.Null()]) }),
  ),
  date_range: Type.Unknown(),
  fixed_slots: Type.Union([Type.Array(Type.Object({ start: Type.String() })), Type.Null()]),
  single_use: Type.Boolean(),
  used: Type.Boolean({ description: 'A single-use link that has been booked' }),
  buffer_before: Type.Integer(),
  buffer_after: Type.Integer(),
  min_notice: Type.Integer(),
  max_per_day: Type.Union([Type.Integer(), Type.Null()]),
  location: Type.Union([Type.String(), Type.Null()]),
  questions: Type.Array(Type.Unknown()),
  active: Type.Boolean(),
  timezone: Type.String({
    description: "The owner's time zone: dates of date_range and max_per_day are counted in it",
  }),
  booking_url: Type.String({ description: 'The public booking page' }),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const EventTypeQuery = Type.Object({ timezone: Type.Optional(TimeZoneName) });

export const EventTypeListQuery = Type.Object({
  ...PageQuery.properties,
  hosting: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('accepted')], {
      description:
        "Instead of your own event types: other users' that list you as a host and await your answer (`pending`), " +
        'or those you have accepted to host (`accepted`)',
    }),
  ),
});
