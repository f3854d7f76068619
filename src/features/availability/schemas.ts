// Request and response shapes of availability: showing free time, the overlap of several
// users, and date-level editing of one's own hours.
import { Type, type Static } from 'typebox';
import { CalendarDate, TimeZoneName } from '../../http/schemas';
import { WallIntervalSchema } from '../schedules/schemas';

export const WindowQuery = Type.Object({
  from: CalendarDate,
  to: CalendarDate,
  timezone: Type.Optional(TimeZoneName),
});

export const OverlapQuery = Type.Object({
  users: Type.String({ maxLength: 2000, description: 'Comma-separated usernames, 2 to 50', examples: ['ada,grace'] }),
  from: CalendarDate,
  to: CalendarDate,
  timezone: Type.Optional(TimeZoneName),
  min_duration: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 1440, description: 'Minutes; shorter common intervals are left out' }),
  ),
});

export const DaysReply = Type.Object({
  timezone: Type.String(),
  days: Type.Array(
    Type.Object({
      date: Type.String(),
      intervals: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
    }),
  ),
});

export const DatesBodySchema = Type.Object(
  {
    timezone: Type.Optional(TimeZoneName),
    dates: Type.Array(
      Type.Object(
        { date: CalendarDate, intervals: Type.Array(WallIntervalSchema, { maxItems: 48 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 366 },
    ),
  },
  {
    examples: [
      {
        timezone: 'Europe/Berlin',
        dates: [
          { date: '2026-04-25', intervals: [{ start: '09:00', end: '12:00' }] },
          { date: '2026-04-26', intervals: [] },
        ],
      },
    ],
  },
);

export const RangeBodySchema = Type.Object(
  {
    start: Type.String({ maxLength: 40, description: 'An RFC 3339 instant, or HH:MM when `date` is given' }),
    end: Type.String({
      maxLength: 40,
      description: 'An RFC 3339 instant, or HH:MM (24:00 allowed) when `date` is given',
    }),
    date: Type.Optional(CalendarDate),
    timezone: Type.Optional(TimeZoneName),
  },
  {
    examples: [
      { start: '2026-04-25T17:00:00+02:00', end: '2026-04-25T18:00:00+02:00' },
      { date: '2026-04-25', start: '10:00', end: '11:00', timezone: 'Europe/Berlin' },
    ],
  },
);
export type RangeBody = Static<typeof RangeBodySchema>;

export const DatesReply = Type.Object({
  dates: Type.Array(Type.Object({ date: Type.String(), intervals: Type.Array(WallIntervalSchema) })),
});
