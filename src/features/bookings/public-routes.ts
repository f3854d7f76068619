// The public booking link's API and the invitee's self-service links: no account needed.
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context';
import { IDEMPOTENCY_DESCRIPTION, idempotencyKeyOf, idempotent, sendAnswer } from '../../http/idempotency';
import { sendJsonBytes } from '../../http/json-text';
import { problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import * as link from './public';
import {
  BookingBody,
  CancelBody,
  DaysQuery,
  DaysReply,
  InviteeBookingSchema,
  LinkParams,
  PublicEventTypeSchema,
  RescheduleBody,
  SlotsQuery,
  SlotsReply,
  TokenParams,
  ViewQuery,
} from './schemas';

const tags = ['booking link'];
const selfService = ['invitee self-service'];
const config = { auth: 'none' as const };

/** An empty POST means an empty JSON object (cancel without a reason). */
async function emptyBodyIsObject(request: FastifyRequest) {
  if (request.body === undefined || request.body === null) request.body = {};
}

export function publicBookingRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/v1/public/:username/:slug',
    {
      config,
      schema: {
        tags,
        summary: 'What the link books',
        description: 'An unknown or inactive link is a 404; a single-use link that has been used is a 410.',
        params: LinkParams,
        response: { 200: PublicEventTypeSchema, ...problems(400, 404, 410) },
      },
    },
    async (request) => link.describeLink(ctx, request.params.username, request.params.slug),
  );

  app.get(
    '/api/v1/public/:username/:slug/days',
    {
      config,
      schema: {
        tags,
        summary: 'The month view: each date of the month and whether it has a bookable slot',
        description: "Dates are those of `timezone` (default: the host's).",
        params: LinkParams,
        querystring: DaysQuery,
        response: { 200: DaysReply, ...problems(400, 404, 410) },
      },
    },
    async (request) => link.monthView(ctx, request.params.username, request.params.slug, request.query),
  );

  app.get(
    '/api/v1/public/:username/:slug/slots',
    {
      config,
      schema: {
        tags,
        summary: 'Bookable slots of a date, or of the dates from..to (at most 93 days and 5,000 slots)',
        description:
          "Instants are written in `timezone` (default: the host's). Group event types also give `seats_left`. " +
          'A window with more than 5,000 slots is a 400 naming `to`: ask for fewer days. ' +
          'A slot listed here is exactly what POST .../bookings accepts.',
        params: LinkParams,
        querystring: SlotsQuery,
        response: { 200: SlotsReply, ...problems(400, 404, 410) },
      },
    },
    async (request, reply) =>
      sendJsonBytes(reply, await link.slotList(ctx, request.params.username, request.params.slug, request.query)),
  );

  app.post(
    '/api/v1/public/:username/:slug/bookings',
    {
      config,
      schema: {
        tags,
        summary: 'Book a slot',
        description:
          "Answers the booking with the invitee's private `cancel_url`, `reschedule_url` and `ics_url` (shown only here " +
          'and to the holder of the link). A slot that is not offered or was just taken is a 409; a duration the event ' +
          'type does not offer is a 400; a used single-use link is a 410. ' +
          IDEMPOTENCY_DESCRIPTION,
        params: LinkParams,
        body: BookingBody,
        response: { 201: InviteeBookingSchema, ...problems(400, 404, 409, 410, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const { username, slug } = request.params;
      const answer = await idempotent(
        ctx,
        {
          key: idempotencyKeyOf(request),
          scope: `POST /api/v1/public/${username}/${slug}/bookings`,
          payload: request.body,
        },
        async () => ({ status: 201, body: await link.bookLink(ctx, username, slug, request.body) }),
      );
      return sendAnswer(reply, answer);
    },
  );

  const view = {
    config,
    schema: {
      tags: selfService,
      summary: 'The booking, with its private links',
      description: "Instants in `timezone` (default: the invitee's). An unknown token is a 404.",
      params: TokenParams,
      querystring: ViewQuery,
      response: { 200: InviteeBookingSchema, ...problems(400, 404) },
    },
  };
  for (const path of ['', '/cancel', '/reschedule']) {
    app.get(`/api/v1/public/bookings/:token${path}`, view, async (request) =>
      link.inviteeBooking(ctx, request.params.token, request.query.timezone),
    );
  }

  app.post(
    '/api/v1/public/bookings/:token/cancel',
    {
      config,
      preValidation: emptyBodyIsObject,
      schema: {
        tags: selfService,
        summary: 'Cancel the booking (with an optional reason)',
        description: 'Frees the time. An already cancelled booking is a 409.',
        params: TokenParams,
        body: CancelBody,
        response: { 200: InviteeBookingSchema, ...problems(400, 404, 409) },
      },
    },
    async (request) => link.inviteeCancel(ctx, request.params.token, request.body.reason),
  );

  app.post(
    '/api/v1/public/bookings/:token/reschedule',
    {
      config,
      schema: {
        tags: selfService,
        summary: 'Move the booking to another offered slot',
        description:
          'One transaction: the new time is held and the old one freed, or (409) nothing changes. The duration stays. ' +
          'A booking that has already started is a 409; one whose link the host has deactivated (or deleted) a 410.',
        params: TokenParams,
        body: RescheduleBody,
        response: { 200: InviteeBookingSchema, ...problems(400, 404, 409, 410) },
      },
    },
    async (request) => link.inviteeReschedule(ctx, request.params.token, request.body.start),
  );

  app.get(
    '/api/v1/public/bookings/:token/invite.ics',
    {
      config,
      schema: {
        tags: selfService,
        summary: 'The booking as an iCalendar file',
        params: TokenParams,
        produces: ['text/calendar'],
      },
    },
    async (request, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="invite.ics"')
        .send(await link.inviteeIcs(ctx, request.params.token)),
  );
}
