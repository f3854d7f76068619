// Schedules over HTTP: /api/v1/schedules CRUD (PATCH changes the fields given, PUT replaces).
import { Type } from 'typebox';
import type { AppContext } from '../../context';
import { principalOf } from '../../http/auth';
import { PageQuery, pageOf } from '../../http/pagination';
import { IdParams, problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import { ScheduleBody, SchedulePatch, ScheduleSchema } from './schemas';
import * as schedules from './service';

export function scheduleRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['schedules'];
  app.get(
    '/api/v1/schedules',
    {
      schema: {
        tags,
        summary: 'Your schedules',
        querystring: PageQuery,
        response: { 200: pageOf(ScheduleSchema), ...problems(400, 401) },
      },
    },
    async (request) => schedules.listSchedules(ctx, principalOf(request), request.query),
  );
  app.post(
    '/api/v1/schedules',
    {
      schema: {
        tags,
        summary: 'Create a schedule',
        description:
          "Weekly wall-clock hours in the schedule's own time zone, plus date overrides. The first schedule, or one sent with is_default: true, becomes the default.",
        body: ScheduleBody,
        response: { 201: ScheduleSchema, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await schedules.createSchedule(ctx, principalOf(request), request.body)),
  );
  app.get(
    '/api/v1/schedules/:id',
    {
      schema: {
        tags,
        summary: 'One of your schedules',
        params: IdParams,
        response: { 200: ScheduleSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => schedules.getSchedule(ctx, principalOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/schedules/:id',
    {
      schema: {
        tags,
        summary: 'Change the fields given',
        description:
          'Sent `overrides` replace all overrides. Setting is_default: true moves the default here; the default cannot be unset (409).',
        params: IdParams,
        body: SchedulePatch,
        response: { 200: ScheduleSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => schedules.updateSchedule(ctx, principalOf(request), request.params.id, request.body, 'patch'),
  );
  app.put(
    '/api/v1/schedules/:id',
    {
      schema: {
        tags,
        summary: 'Replace a schedule',
        description: 'Weekly hours and overrides left out are cleared.',
        params: IdParams,
        body: ScheduleBody,
        response: { 200: ScheduleSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => schedules.updateSchedule(ctx, principalOf(request), request.params.id, request.body, 'replace'),
  );
  app.delete(
    '/api/v1/schedules/:id',
    {
      schema: {
        tags,
        summary: 'Delete a schedule',
        description: 'The default schedule, or one an event type uses, cannot be deleted (409).',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await schedules.deleteSchedule(ctx, principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
