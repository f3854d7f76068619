// Event types over HTTP: /api/v1/event-types (CRUD by their owner).
import { Type } from 'typebox';
import type { AppContext } from '../../context';
import { principalOf } from '../../http/auth';
import { PageQuery, pageOf } from '../../http/pagination';
import { IdParams, problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import { EventTypeCreateBody, EventTypePatchBody, EventTypeQuery, EventTypeSchema } from './schemas';
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
    async (request, reply) => reply.code(201).send(await eventTypes.createEventType(ctx, principalOf(request), request.body)),
  );

  app.get(
    '/api/v1/event-types',
    {
      schema: {
        tags,
        summary: 'Your event types, oldest first',
        querystring: PageQuery,
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
        summary: 'One of your event types',
        description: 'Instants (fixed_slots) are written in `timezone`, by default yours.',
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
    async (request) => eventTypes.updateEventType(ctx, principalOf(request), request.params.id, request.body, 'replace'),
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
