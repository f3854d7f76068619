// Event types over HTTP: /api/v1/event-types (CRUD by their owner; read, accept and decline by their hosts).
import { Type } from 'typebox';
import type { AppContext } from '../../context';
import { principalOf } from '../../http/auth';
import { pageOf } from '../../http/pagination';
import { IdParams, problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import {
  EventTypeCreateBody,
  EventTypeListQuery,
  EventTypePatchBody,
  EventTypeQuery,
  EventTypeSchema,
} from './schemas';
import * as eventTypes from './service';

const tags = ['event types'];

export function eventTypeRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/api/v1/event-types',
    {
      schema: {
        tags,
        summary: 'Create an event type',
        description:
          'Only `slug` and `title` are required. Defaults: one_on_one, 30 minutes, your default schedule, the next 60 days. ' +
          'A slug you already use is a 409.',
        body: EventTypeCreateBody,
        response: { 201: EventTypeSchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await eventTypes.createEventType(ctx, principalOf(request), request.body)),
  );

  app.get(
    '/api/v1/event-types',
    {
      schema: {
        tags,
        summary: 'Your event types, oldest first (or, with `hosting`, those of others that list you as a host)',
        description:
          "`hosting=pending`: invitations to host another user's event type, to accept or decline; " +
          "`hosting=accepted`: other users' event types you host.",
        querystring: EventTypeListQuery,
        response: { 200: pageOf(EventTypeSchema), ...problems(400, 401) },
      },
    },
    async (request) => eventTypes.listEventTypes(ctx, principalOf(request), request.query),
  );

  app.get(
    '/api/v1/event-types/:id',
    {
      schema: {
        tags,
        summary: 'One of your event types, or (read-only) one that lists you as a host',
        description: "Instants (fixed_slots) are written in `timezone`, by default the owner's.",
        params: IdParams,
        querystring: EventTypeQuery,
        response: { 200: EventTypeSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => eventTypes.getEventType(ctx, principalOf(request), request.params.id, request.query.timezone),
  );

  app.patch(
    '/api/v1/event-types/:id',
    {
      schema: {
        tags,
        summary: 'Change the fields given',
        params: IdParams,
        body: EventTypePatchBody,
        response: { 200: EventTypeSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => eventTypes.updateEventType(ctx, principalOf(request), request.params.id, request.body, 'merge'),
  );

  app.put(
    '/api/v1/event-types/:id',
    {
      schema: {
        tags,
        summary: 'Replace an event type (fields left out get their defaults)',
        params: IdParams,
        body: EventTypeCreateBody,
        response: { 200: EventTypeSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      eventTypes.updateEventType(ctx, principalOf(request), request.params.id, request.body, 'replace'),
  );

  app.post(
    '/api/v1/event-types/:id/hosting/accept',
    {
      schema: {
        tags,
        summary: 'Accept hosting an event type that lists you as a host',
        description:
          'Until you accept, none of your time is offered on its link (a collective type offers no slot at all). ' +
          'Accepting again changes nothing. An event type that does not list you is a 404.',
        params: IdParams,
        response: { 200: EventTypeSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => eventTypes.acceptHosting(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/api/v1/event-types/:id/hosting/decline',
    {
      schema: {
        tags,
        summary: 'Decline (or stop) hosting an event type that lists you as a host',
        description:
          'Takes you off its hosts; bookings already made stay. The owner may list you again, which asks you again. ' +
          'The owner cannot decline (409): they change `hosts`.',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      await eventTypes.declineHosting(ctx, principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/event-types/:id',
    {
      schema: {
        tags,
        summary: 'Delete an event type',
        description: 'Its booking link stops working; bookings already made stay as they are.',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await eventTypes.deleteEventType(ctx, principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
