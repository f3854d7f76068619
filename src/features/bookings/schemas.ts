// Request and response shapes of the public booking link, invitee self-service and the host's bookings.
import { Type, type Static } from 'typebox';
import { CalendarDate, Instant, TimeZoneName, Uuid } from '../../http/schemas';

export const LinkParams = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 40 }),
  slug: Type.String({ minLength: 1, maxLength: 100 }),
});
export const TokenParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 128, description: "The invitee's private token" }),
});

const Zone = Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the answer' }));
const DurationQuery = Type.Optional(
  Type.Integer({ minimum: 1, maximum: 1440, description: "One of the event type's durations (default: its first)" }),
);

export const DaysQuery = Type.Object({
  month: Type.String({ maxLength: 7, description: 'YYYY-MM', examples: ['2026-03'] }),
  timezone: Zone,
  duration: DurationQuery,
});
export const SlotsQuery = Type.Object({
  date: Type.Optional(CalendarDate),
  from: Type.Optional(CalendarDate),
  to: Type.Optional(CalendarDate),
  timezone: Zone,
  duration: DurationQuery,
});
export type SlotsQuery = Static<typeof SlotsQuery>;

export const PublicEventTypeSchema = Type.Object({
  owner: Type.String(),
  owner_name: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  kind: Type.String(),
  hosts: Type.Array(Type.String()),
  duration: Type.Integer(),
  durations: Type.Array(Type.Integer()),
  seats: Type.Optional(Type.Integer()),
  location: Type.Union([Type.String(), Type.Null()]),
  questions: Type.Array(Type.Unknown()),
  timezone: Type.String({ description: "The host's time zone" }),
  booking_url: Type.String(),
});

export const DaysReply = Type.Object({
  timezone: Type.String(),
  month: Type.String(),
  days: Type.Array(Type.Object({ date: Type.String(), available: Type.Boolean() })),
});

export const SlotsReply = Type.Object({
  timezone: Type.String(),
  duration: Type.Integer(),
  slots: Type.Array(
    Type.Object({ start: Type.String(), end: Type.String(), seats_left: Type.Optional(Type.Integer()) }),
  ),
});

const Email = Type.String({ minLength: 3, maxLength: 254, examples: ['ada@example.com'] });
export const AnswerValue = Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean()]);

export const BookingBody = Type.Object({
  start: Instant,
  duration: DurationQuery,
  invitee: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Email,
    timezone: TimeZoneName,
  }),
  guests: Type.Optional(Type.Array(Email, { maxItems: 10, description: 'E-mail addresses of guests' })),
  answers: Type.Optional(
    Type.Record(Type.String({ maxLength: 40 }), AnswerValue, { description: 'Answers by question key' }),
  ),
});
export type BookingBody = Static<typeof BookingBody>;

export const CancelBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 1000, examples: ['Something came up'] })),
});
export const RescheduleBody = Type.Object({ start: Instant });
export const ViewQuery = Type.Object({ timezone: Zone });

const bookingFields = {
  id: Uuid,
  status: Type.String({ description: 'confirmed or cancelled' }),
  start: Type.String(),
  end: Type.String(),
  duration: Type.Integer(),
  timezone: Type.String(),
  title: Type.String(),
  event_type: Type.Union([Type.Object({ id: Type.String(), slug: Type.String() }), Type.Null()]),
  owner: Type.String(),
  hosts: Type.Array(Type.String()),
  invitee: Type.Object({ name: Type.String(), email: Type.String(), timezone: Type.String() }),
  guests: Type.Array(Type.String()),
  answers: Type.Record(Type.String(), Type.Unknown()),
  location: Type.Union([Type.String(), Type.Null()]),
  sequence: Type.Integer(),
  cancel_reason: Type.Union([Type.String(), Type.Null()]),
  cancelled_by: Type.Union([Type.String(), Type.Null()]),
  cancelled_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
  ics_url: Type.String(),
};
export const HostBookingSchema = Type.Object({ kind: Type.Literal('booking'), ...bookingFields });
/** A meeting occurrence in the bookings list: a meeting is a booking for each participant. */
export const MeetingItemSchema = Type.Object({
  kind: Type.Literal('meeting'),
  id: Uuid,
  meeting_id: Uuid,
  occurrence: Type.Integer({ description: '1-based number in the series' }),
  status: Type.String(),
  start: Type.String(),
  end: Type.String(),
  duration: Type.Integer(),
  timezone: Type.String(),
  title: Type.String(),
  description: Type.String(),
  organizer: Type.String(),
  url: Type.String(),
});
export const BookingListItem = Type.Union([HostBookingSchema, MeetingItemSchema]);
export const InviteeBookingSchema = Type.Object({
  ...bookingFields,
  cancel_url: Type.String(),
  reschedule_url: Type.String(),
});

export const BookingListQuery = Type.Object({
  from: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'A date (YYYY-MM-DD, in `timezone`) or an instant: bookings starting then or later',
    }),
  ),
  to: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'A date (included) or an instant (excluded): bookings starting before its end',
    }),
  ),
  status: Type.Optional(Type.Union([Type.Literal('confirmed'), Type.Literal('cancelled')])),
  event_type: Type.Optional(Type.String({ maxLength: 100, description: 'Id or slug of one of your event types' })),
  timezone: Zone,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});
export type BookingListQuery = Static<typeof BookingListQuery>;
