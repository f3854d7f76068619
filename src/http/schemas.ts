// Schema pieces every feature shares: the problem body, and field shapes used across areas.
import { Type } from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

/** Error answers for the OpenAPI document: each status maps to the problem shape. */
export function problems(...statuses: number[]): Record<number, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}

export const TimeZoneName = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone name',
  examples: ['Europe/Berlin'],
});
export const Instant = Type.String({
  maxLength: 40,
  description: 'RFC 3339 instant with an offset',
  examples: ['2026-03-09T09:00:00-04:00'],
});
export const CalendarDate = Type.String({ maxLength: 10, description: 'YYYY-MM-DD', examples: ['2026-03-09'] });
export const WallTime = Type.String({ maxLength: 5, description: 'HH:MM, 24-hour', examples: ['09:00'] });
export const Uuid = Type.String({ format: 'uuid', description: 'Identifier' });
export const IdParams = Type.Object({ id: Uuid });
