// Request and response shapes of schedules: weekly wall-clock hours and date overrides.
import { Type, type Static } from 'typebox';
import { CalendarDate, TimeZoneName, Uuid, WallTime } from '../../http/schemas';

export const WallIntervalSchema = Type.Object(
  {
    start: WallTime,
    end: Type.String({ maxLength: 5, description: 'HH:MM; 24:00 means the end of the day', examples: ['17:00'] }),
  },
  { additionalProperties: false },
);
const DayIntervals = Type.Array(WallIntervalSchema, { maxItems: 48 });

export const WeeklySchema = Type.Object(
  {
    monday: Type.Optional(DayIntervals),
    tuesday: Type.Optional(DayIntervals),
    wednesday: Type.Optional(DayIntervals),
    thursday: Type.Optional(DayIntervals),
    friday: Type.Optional(DayIntervals),
    saturday: Type.Optional(DayIntervals),
    sunday: Type.Optional(DayIntervals),
  },
  {
    additionalProperties: false,
    description: "Wall-clock hours per weekday in the schedule's time zone; a weekday left out has no hours",
    examples: [
      {
        monday: [{ start: '09:00', end: '17:00' }],
        tuesday: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
      },
    ],
  },
);

export const OverrideSchema = Type.Object(
  { date: CalendarDate, intervals: DayIntervals },
  { additionalProperties: false, description: "The hours of one date, replacing its weekday's; [] = not available" },
);

const Name = Type.String({ minLength: 1, maxLength: 100, examples: ['Working hours'] });

export const ScheduleBody = Type.Object({
  name: Name,
  timezone: TimeZoneName,
  weekly: Type.Optional(WeeklySchema),
  overrides: Type.Optional(Type.Array(OverrideSchema, { maxItems: 1000 })),
  is_default: Type.Optional(Type.Boolean()),
});
export type ScheduleBody = Static<typeof ScheduleBody>;

export const SchedulePatch = Type.Partial(ScheduleBody);
export type SchedulePatch = Static<typeof SchedulePatch>;

export const ScheduleSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  timezone: Type.String(),
  weekly: WeeklySchema,
  overrides: Type.Array(OverrideSchema),
  is_default: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
