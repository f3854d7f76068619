// Webhook use cases: a user's subscriptions (CRUD) and the log of their deliveries.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Principal } from '../../http/auth';
import { AppError, notFound } from '../../http/errors';
import { checkOutboundUrl } from '../../http/outbound';
import { decodeCursor, paginate } from '../../http/pagination';
import * as repo from './repository';
import type { WebhookBody, WebhookPatch } from './schemas';

function view(row: repo.WebhookRow, showSecret = false) {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    active: row.active,
    ...(showSecret ? { secret: row.secret } : {}),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function deliveryView(row: repo.DeliveryRow) {
  return {
    id: row.id,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    response_status: row.response_status,
    error: row.last_error,
    created_at: row.created_at.toISOString(),
    last_attempt_at: row.last_attempt_at?.toISOString() ?? null,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    delivered_at: row.delivered_at?.toISOString() ?? null,
    payload: JSON.parse(row.body) as unknown,
  };
}

/** An absolute http(s) URL without credentials, kept as given. */
function checkUrl(raw: string): string {
  checkOutboundUrl(raw, 'url', '; verify deliveries by their signature');
  return raw;
}

const uniqueEvents = (events: readonly string[]) => [...new Set(events)];
const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

async function ownWebhook(ctx: AppContext, principal: Principal, id: string) {
  const row = await repo.findWebhook(ctx.db, id);
  if (!row || row.user_id !== principal.userId) throw notFound('Webhook');
  return row;
}

/** At most this many webhooks per user: each one is written into every booking transaction that concerns them. */
export const MAX_WEBHOOKS = 20;

export async function createWebhook(ctx: AppContext, principal: Principal, input: WebhookBody) {
  const url = checkUrl(input.url);
  if ((await repo.countWebhooks(ctx.db, principal.userId)) >= MAX_WEBHOOKS) {
    throw new AppError(
      'conflict',
      `You have ${MAX_WEBHOOKS} webhooks already, the most one user may have: delete one first`,
    );
  }
  const row = await repo.insertWebhook(ctx.db, {
    userId: principal.userId,
    url,
    events: uniqueEvents(input.events),
    secret: input.secret ?? newSecret(),
    active: input.active ?? true,
    at: new Date(ctx.now()),
  });
  return view(row, true);
}

export async function listWebhooks(ctx: AppContext, principal: Principal, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 20;
  const after = query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [string, string]) : undefined;
  const rows = await repo.listWebhooks(ctx.db, principal.userId, after, limit);
  return paginate(
    rows,
    limit,
    (r) => [r.created_at_key, r.id],
    (r) => view(r),
  );
}

export async function getWebhook(ctx: AppContext, principal: Principal, id: string) {
  return view(await ownWebhook(ctx, principal, id));
}

/** PATCH changes the fields given; PUT (replace) also resets `active` when left out (a new secret only when given). */
export async function updateWebhook(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: WebhookPatch,
  mode: 'patch' | 'replace',
) {
  const row = await repo.updateWebhook(
    ctx.db,
    principal.userId,
    id,
    {
      url: input.url === undefined ? undefined : checkUrl(input.url),
      events: input.events === undefined ? undefined : uniqueEvents(input.events),
      secret: input.secret,
      active: mode === 'replace' ? (input.active ?? true) : input.active,
    },
    new Date(ctx.now()),
  );
  if (!row) throw notFound('Webhook');
  return view(row, input.secret !== undefined);
}

export async function deleteWebhook(ctx: AppContext, principal: Principal, id: string) {
  if (!(await repo.deleteWebhook(ctx.db, principal.userId, id))) throw notFound('Webhook');
}

/** The webhook's deliveries, newest first. */
export async function listDeliveries(
  ctx: AppContext,
  principal: Principal,
  id: string,
  query: { limit?: number; cursor?: string },
) {
  await ownWebhook(ctx, principal, id);
  const limit = query.limit ?? 20;
  const before = query.cursor ? (decodeCursor(query.cursor, ['sequence']) as [number])[0] : undefined;
  const rows = await repo.listDeliveries(ctx.db, id, before, limit);
  return paginate(rows, limit, (r) => [Number(r.seq)], deliveryView);
}

export async function getDelivery(ctx: AppContext, principal: Principal, id: string, deliveryId: string) {
  await ownWebhook(ctx, principal, id);
  const row = await repo.findDelivery(ctx.db, id, deliveryId);
  if (!row) throw notFound('Delivery');
  return deliveryView(row);
}

/** Sends a delivered or failed delivery again (same body and id, fresh attempts). */
export async function redeliver(ctx: AppContext, principal: Principal, id: string, deliveryId: string) {
  await ownWebhook(ctx, principal, id);
  const row = await repo.findDelivery(ctx.db, id, deliveryId);
  if (!row) throw notFound('Delivery');
  if (!(await repo.redeliver(ctx.db, id, deliveryId, new Date(ctx.now())))) {
    throw new AppError('conflict', 'The delivery is still pending: it will be attempted again by itself');
  }
  return deliveryView((await repo.findDelivery(ctx.db, id, deliveryId))!);
}
