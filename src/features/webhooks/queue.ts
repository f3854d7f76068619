// Queues one delivery per webhook subscribed to an event, in the caller's transaction.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import { formatInstant } from '../../domain/calendar';
import * as repo from './repository';

/** The webhooks of these users subscribed to `event` each get a delivery of `{id, event, created_at, data}`. */
export async function enqueueDeliveries(
  ctx: AppContext,
  tx: Queryable,
  event: string,
  userIds: readonly string[],
  data: (hook: repo.WebhookRow) => Record<string, unknown>,
): Promise<void> {
  const hooks = await repo.subscribers(tx, [...new Set(userIds)], event);
  if (hooks.length === 0) return;
  const at = ctx.now();
  const created_at = formatInstant(at, 'UTC');
  const deliveries = hooks.map((hook) => {
    const id = randomUUID();
    return { id, webhookId: hook.id, event, body: JSON.stringify({ id, event, created_at, data: data(hook) }) };
  });
  await repo.insertDeliveries(tx, deliveries, new Date(at));
}
