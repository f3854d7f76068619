// Webhooks over HTTP: /api/v1/webhooks CRUD and each webhook's delivery log.
import { Type } from 'typebox';
import type { AppContext } from '../../context';
import { principalOf } from '../../http/auth';
import { PageQuery, pageOf } from '../../http/pagination';
import { IdParams, problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import { EVENTS } from '../notifications/events';
import { DeliveryParams, DeliverySchema, WebhookBody, WebhookPatch, WebhookSchema } from './schemas';
import * as webhooks from './service';

const SIGNING =
  'Each delivery is a POST of JSON `{id, event, created_at, data}` (times in UTC; `data.booking` or `data.meeting` as the ' +
  'API shows it, `data.previous` {start, end} on booking.rescheduled) with headers `X-Slotwise-Event`, ' +
  '`X-Slotwise-Delivery` (the id: repeats of one delivery share it), `X-Slotwise-Timestamp` (Unix seconds) and ' +
  '`X-Slotwise-Signature: sha256=<hex>`, the HMAC-SHA256 under the secret of `<timestamp>.<body>`. A 2xx answer within ' +
  '10 s is a success; otherwise it is retried after 30 s, then 3× longer each time, 8 attempts in all. Redirects are not followed. ' +
  `Events: ${EVENTS.join(', ')}.`;

export function webhookRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['webhooks'];
  app.get(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Your webhooks',
        querystring: PageQuery,
        response: { 200: pageOf(WebhookSchema), ...problems(400, 401) },
      },
    },
    async (request) => webhooks.listWebhooks(ctx, principalOf(request), request.query),
  );
  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Subscribe a URL to events of your bookings and meetings',
        description: `Answers the secret (generated when not given); later reads do not show it. ${SIGNING}`,
        body: WebhookBody,
        response: { 201: WebhookSchema, ...problems(400, 401) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await webhooks.createWebhook(ctx, principalOf(request), request.body)),
  );
  app.get(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'One of your webhooks',
        params: IdParams,
        response: { 200: WebhookSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => webhooks.getWebhook(ctx, principalOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change the fields given',
        description:
          '`active: false` pauses deliveries of new events. A new `secret` signs the deliveries sent from then on.',
        params: IdParams,
        body: WebhookPatch,
        response: { 200: WebhookSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => webhooks.updateWebhook(ctx, principalOf(request), request.params.id, request.body, 'patch'),
  );
  app.put(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Replace a webhook',
        description: '`active` left out means true; the secret is kept unless a new one is given.',
        params: IdParams,
        body: WebhookBody,
        response: { 200: WebhookSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => webhooks.updateWebhook(ctx, principalOf(request), request.params.id, request.body, 'replace'),
  );
  app.delete(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a webhook (and its delivery log)',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await webhooks.deleteWebhook(ctx, principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'The delivery log of a webhook, newest first',
        description:
          'Each delivery with its status (pending, delivered, failed), attempts, last answer or error, and the body sent.',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: pageOf(DeliverySchema), ...problems(400, 401, 404) },
      },
    },
    async (request) => webhooks.listDeliveries(ctx, principalOf(request), request.params.id, request.query),
  );
  app.get(
    '/api/v1/webhooks/:id/deliveries/:delivery_id',
    {
      schema: {
        tags,
        summary: 'One delivery',
        params: DeliveryParams,
        response: { 200: DeliverySchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => webhooks.getDelivery(ctx, principalOf(request), request.params.id, request.params.delivery_id),
  );
  app.post(
    '/api/v1/webhooks/:id/deliveries/:delivery_id/redeliver',
    {
      schema: {
        tags,
        summary: 'Send a delivered or failed delivery again',
        description: 'Same id and body, attempts counted afresh. A pending one is a 409 (it is retried by itself).',
        params: DeliveryParams,
        response: { 202: DeliverySchema, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await webhooks.redeliver(ctx, principalOf(request), request.params.id, request.params.delivery_id)),
  );
}
