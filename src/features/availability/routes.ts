// Availability over HTTP: your free time and anyone's, the overlap of several users, and
// date-level editing (/me/availability/dates, /intervals, /blocks).
import { Type } from 'typebox';
import type { AppContext } from '../../context';
import { principalOf } from '../../http/auth';
import { sendJsonBytes } from '../../http/json-text';
import { problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import { addInterval, blockRange, setDates } from './editing';
import { DatesBodySchema, DatesReply, DaysReply, OverlapQuery, RangeBodySchema, WindowQuery } from './schemas';
import { overlap, showAvailability } from './service';
import { MAX_WINDOW_DAYS } from './window';

const windowNote = `from/to are inclusive dates in \`timezone\` (default: your own); at most ${MAX_WINDOW_DAYS} days; a range wholly in the past is a 400. Instants are written in that zone's offset.`;

export function availabilityRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['availability'];
  app.get(
    '/api/v1/me/availability',
    {
      schema: {
        tags,
        summary: 'Your free time, day by day',
        description: `Free = default schedule (weekly hours and overrides) − bookings and meetings (with buffers) − the past. One entry per date. ${windowNote}`,
        querystring: WindowQuery,
        response: { 200: DaysReply, ...problems(400, 401) },
      },
    },
    async (request, reply) =>
      sendJsonBytes(reply, await showAvailability(ctx, principalOf(request), null, request.query)),
  );
  app.get(
    '/api/v1/users/:username/availability',
    {
      schema: {
        tags,
        summary: "Another user's free time (free/busy only)",
        description: windowNote,
        params: Type.Object({ username: Type.String({ maxLength: 40 }) }),
        querystring: WindowQuery,
        response: { 200: DaysReply, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) =>
      sendJsonBytes(reply, await showAvailability(ctx, principalOf(request), request.params.username, request.query)),
  );
  app.get(
    '/api/v1/availability/overlap',
    {
      schema: {
        tags,
        summary: 'When every named user is free',
        description: `2 to 50 users; an unknown one is a 404. Partial overlaps count. ${windowNote}`,
        querystring: OverlapQuery,
        response: { 200: DaysReply, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => sendJsonBytes(reply, await overlap(ctx, principalOf(request), request.query)),
  );
  app.put(
    '/api/v1/me/availability/dates',
    {
      schema: {
        tags,
        summary: 'Set the hours of one or more dates',
        description:
          "Replaces each date's hours ([] = not available that day), as overrides on your default schedule. Times are wall-clock in `timezone` (default: yours); 24:00 is accepted as the end of a day.",
        body: DatesBodySchema,
        response: { 200: DatesReply, ...problems(400, 401, 403) },
      },
    },
    async (request) => setDates(ctx, principalOf(request), request.body),
  );
  app.post(
    '/api/v1/me/availability/intervals',
    {
      schema: {
        tags,
        summary: 'Add an available interval',
        description:
          'Given as instants {start, end} (may cross midnight) or as {date, start:"HH:MM", end:"HH:MM", timezone?}. A date without an override starts from its weekly hours. Overlapping and touching intervals merge; one already fully covered is a 409 (already available). Answers every affected date with its new hours.',
        body: RangeBodySchema,
        response: { 201: DatesReply, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await addInterval(ctx, principalOf(request), request.body)),
  );
  app.post(
    '/api/v1/me/availability/blocks',
    {
      schema: {
        tags,
        summary: 'Block a range (remove it from your availability)',
        description:
          'Same body as /intervals. A confirmed booking or meeting inside the range is a 409 whose problem lists them in `bookings: [{id, kind, start, end}]`.',
        body: RangeBodySchema,
        response: { 200: DatesReply, ...problems(400, 401, 403, 409) },
      },
    },
    async (request) => blockRange(ctx, principalOf(request), request.body),
  );
}
