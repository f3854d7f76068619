// Linked calendars over HTTP: /api/v1/calendars.
import { Type } from 'typebox';
import type { AppContext } from '../../context';
import { principalOf } from '../../http/auth';
import { PageQuery, pageOf } from '../../http/pagination';
import { IdParams, problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import * as calendars from './service';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Url = Type.String({ minLength: 1, maxLength: 2000 });
const LinkBody = Type.Union([
  Type.Object({
    provider: Type.Literal('ics', {
      description: 'A read-only iCalendar feed (the secret iCal address any provider gives)',
    }),
    url: {
      ...Url,
      description: 'http(s) or webcal URL of the feed',
      examples: ['https://calendar.example.com/feeds/secret/basic.ics'],
    },
    name: Type.Optional(Name),
  }),
  Type.Object({
    provider: Type.Literal('caldav', { description: 'A CalDAV calendar (Fastmail, iCloud, Nextcloud, Radicale...)' }),
    url: {
      ...Url,
      description: 'The calendar collection URL',
      examples: ['https://caldav.example.com/dav/calendars/user/ada/work/'],
    },
    username: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 500, description: 'Password or app password; never shown back' }),
    name: Type.Optional(Name),
  }),
]);
const CalendarSchema = Type.Object({
  id: Type.String(),
  provider: Type.Union([Type.Literal('ics'), Type.Literal('caldav'), Type.Literal('google')]),
  name: Type.String(),
  url: Type.String({ description: 'Scheme and host only: the rest of a feed URL is its secret' }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('error'), Type.Literal('pending')], {
    description: 'error: the last read failed; the busy time read before still counts',
  }),
  error: Type.Union([Type.String(), Type.Null()]),
  busy_intervals: Type.Integer(),
  write_bookings: Type.Boolean({
    description: 'New bookings are written into this calendar (one per user, CalDAV only)',
  }),
  synced_at: Type.Union([Type.String(), Type.Null()], { description: 'Last successful read' }),
  next_sync_at: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export function calendarRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['calendars'];
  app.get(
    '/api/v1/calendars',
    {
      schema: {
        tags,
        summary: 'Your linked calendars',
        querystring: PageQuery,
        response: { 200: pageOf(CalendarSchema), ...problems(400, 401) },
      },
    },
    async (request) => calendars.listCalendars(ctx, principalOf(request), request.query),
  );
  app.post(
    '/api/v1/calendars',
    {
      schema: {
        tags,
        summary: 'Link a calendar: its busy time blocks your availability and slots',
        description:
          'An iCalendar feed `{provider: "ics", url}` or a CalDAV calendar `{provider: "caldav", url, username, password}`. ' +
          'Read at once (one that cannot be read is a 422 naming why), then again every CALENDAR_REFRESH_SECONDS (300). ' +
          'Events that are cancelled or marked free do not count; recurring ones are expanded. At most 10 calendars.',
        body: LinkBody,
        response: { 201: CalendarSchema, ...problems(400, 401, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await calendars.linkCalendar(ctx, principalOf(request), request.body)),
  );
  app.get(
    '/api/v1/calendars/google/authorize',
    {
      schema: {
        tags,
        summary: 'Start linking your Google Calendar: the consent URL to send the browser to',
        description:
          'Google redirects to /api/v1/calendars/google/callback, which links your primary calendar (its free/busy is read; ' +
          'bookings can be written into it). 503 when this service has no Google client configured.',
        response: { 200: Type.Object({ url: Type.String() }), ...problems(401, 503) },
      },
    },
    async (request) => calendars.googleAuthorize(ctx, principalOf(request)),
  );
  app.get(
    '/api/v1/calendars/google/callback',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: "Google's redirect after consent (the state names the user)",
        querystring: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 2000 })),
          state: Type.Optional(Type.String({ maxLength: 2000 })),
          error: Type.Optional(Type.String({ maxLength: 200 })),
          scope: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: { 201: CalendarSchema, ...problems(400, 409, 422, 503) },
      },
    },
    async (request, reply) => reply.code(201).send(await calendars.googleCallback(ctx, request.query)),
  );
  app.get(
    '/api/v1/calendars/:id',
    {
      schema: {
        tags,
        summary: 'One linked calendar',
        params: IdParams,
        response: { 200: CalendarSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => calendars.getCalendar(ctx, principalOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/calendars/:id',
    {
      schema: {
        tags,
        summary: 'Rename a calendar, or choose it as the one new bookings are written into',
        description:
          '`write_bookings: true` (CalDAV only; it unchooses your other calendars): each booking you own or host is put there as an ' +
          'event when made or moved, and deleted when cancelled or moved to another host.',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Name), write_bookings: Type.Optional(Type.Boolean()) }),
        response: { 200: CalendarSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => calendars.updateCalendar(ctx, principalOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/calendars/:id',
    {
      schema: {
        tags,
        summary: 'Unlink a calendar (its busy time stops counting)',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await calendars.unlinkCalendar(ctx, principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/calendars/:id/sync',
    {
      schema: {
        tags,
        summary: 'Read the calendar again now',
        description: 'A failure is reported in the answer (status "error") and the busy time read before still counts.',
        params: IdParams,
        response: { 200: CalendarSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => calendars.syncNow(ctx, principalOf(request), request.params.id),
  );
}
