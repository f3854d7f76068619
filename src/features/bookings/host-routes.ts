// The host's view of bookings: /api/v1/bookings (list, one, cancel, reschedule, .ics).
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context';
import { principalOf } from '../../http/auth';
import { pageOf } from '../../http/pagination';
import { IdParams, problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import * as host from './host';
import { BookingListItem, BookingListQuery, CancelBody, HostBookingSchema, RescheduleBody, ViewQuery } from './schemas';

const tags = ['bookings'];

async function emptyBodyIsObject(request: FastifyRequest) {
  if (request.body === undefined || request.body === null) request.body = {};
}

export function hostBookingRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/v1/bookings',
    {
      schema: {
        tags,
        summary: 'Everything booked for you, soonest first: bookings and meeting occurrences',
        description:
          'Bookings of your event types and those you host (`kind: "booking"`), and the occurrences of meetings you take part in ' +
          '(`kind: "meeting"`, linking to the meeting). Filters: `from`/`to` (dates in `timezone`, both included, or instants; ' +
          'by start), `status`, `event_type` (id or slug; meetings have none). Instants are written in `timezone` (default: yours).',
        querystring: BookingListQuery,
        response: { 200: pageOf(BookingListItem), ...problems(400, 401) },
      },
    },
    async (request) => host.listBookings(ctx, principalOf(request), request.query),
  );

  app.get(
    '/api/v1/bookings/:id',
    {
      schema: {
        tags,
        summary: 'One booking',
        params: IdParams,
        querystring: ViewQuery,
        response: { 200: HostBookingSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => host.getBooking(ctx, principalOf(request), request.params.id, request.query.timezone),
  );

  app.post(
    '/api/v1/bookings/:id/cancel',
    {
      preValidation: emptyBodyIsObject,
      schema: {
        tags,
        summary: 'Cancel a booking (with an optional reason)',
        description: 'Frees the time. An already cancelled booking is a 409.',
        params: IdParams,
        body: CancelBody,
        response: { 200: HostBookingSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => host.hostCancel(ctx, principalOf(request), request.params.id, request.body.reason),
  );

  app.post(
    '/api/v1/bookings/:id/reschedule',
    {
      schema: {
        tags,
        summary: 'Move a booking to another offered slot of its event type',
        description: 'One transaction: the new time is held and the old one freed, or (409) nothing changes.',
        params: IdParams,
        body: RescheduleBody,
        response: { 200: HostBookingSchema, ...problems(400, 401, 403, 404, 409, 410) },
      },
    },
    async (request) => host.hostReschedule(ctx, principalOf(request), request.params.id, request.body.start),
  );

  app.get(
    '/api/v1/bookings/:id/invite.ics',
    { schema: { tags, summary: 'A booking as an iCalendar file', params: IdParams, produces: ['text/calendar'] } },
    async (request, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="invite.ics"')
        .send(await host.hostIcs(ctx, principalOf(request), request.params.id)),
  );
}
