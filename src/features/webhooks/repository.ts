// Webhook subscriptions and their deliveries (the durable queue the dispatcher works off).
import type { Queryable } from '../../db';

export interface WebhookRow {
  id: string;
  user_id: string;
  url: string;
  events: string[];
  secret: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  response_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

const COLUMNS = 'id, user_id, url, events, secret, active, created_at, updated_at';
const DELIVERY_COLUMNS =
  'd.id, d.webhook_id, d.event, d.body, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at, d.response_status, d.last_error, d.created_at, d.delivered_at';

export async function insertWebhook(
  q: Queryable,
  w: { userId: string; url: string; events: string[]; secret: string; active: boolean; at: Date },
): Promise<WebhookRow> {
  const [row] = await q.query<WebhookRow>(
    `INSERT INTO webhooks (user_id, url, events, secret, active, created_at, updated_at)
     VALUES ($1, $2, $3::text[], $4, $5, $6, $6) RETURNING ${COLUMNS}`,
    [w.userId, w.url, w.events, w.secret, w.active, w.at],
  );
  return row!;
}

export async function findWebhook(q: Queryable, id: string): Promise<WebhookRow | undefined> {
  const [row] = await q.query<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1`, [id]);
  return row;
}

export async function listWebhooks(q: Queryable, userId: string, after: [string, string] | undefined, limit: number) {
  // created_at_key: the full-precision timestamp (a JS Date keeps only milliseconds).
  return q.query<WebhookRow & { created_at_key: string }>(
    `SELECT ${COLUMNS}, created_at::text AS created_at_key FROM webhooks
      WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
      ORDER BY created_at, id LIMIT $4`,
    [userId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
}

export async function updateWebhook(
  q: Queryable,
  id: string,
  changes: Partial<{ url: string; events: string[]; secret: string; active: boolean }>,
  at: Date,
): Promise<WebhookRow> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  const sets = entries.map(([column], i) => `${column} = $${i + 3}${column === 'events' ? '::text[]' : ''}`);
  const [row] = await q.query<WebhookRow>(
    `UPDATE webhooks SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, at, ...entries.map(([, v]) => v)],
  );
  return row!;
}

export async function deleteWebhook(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM webhooks WHERE id = $1', [id]);
}

/** Active webhooks of these users subscribed to the event (by name, by 'booking.*'/'meeting.*', or '*'). */
export async function subscribers(q: Queryable, userIds: readonly string[], event: string): Promise<WebhookRow[]> {
  if (userIds.length === 0) return [];
  const family = `${event.split('.')[0]}.*`;
  return q.query<WebhookRow>(
    `SELECT ${COLUMNS} FROM webhooks
      WHERE user_id = ANY($1::uuid[]) AND active AND events && ARRAY[$2, $3, '*']::text[]
      ORDER BY created_at, id`,
    [userIds, event, family],
  );
}

export async function insertDelivery(
  q: Queryable,
  d: { id: string; webhookId: string; event: string; body: string; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO webhook_deliveries (id, webhook_id, event, body, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)`,
    [d.id, d.webhookId, d.event, d.body, d.at],
  );
}

/** Whether any delivery is due (a plain read: polling must not count as a write). */
export async function anyDue(q: Queryable, now: Date): Promise<boolean> {
  const [row] = await q.query<{ due: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1) AS due`,
    [now],
  );
  return row?.due === true;
}

/**
 * Claims up to `limit` due deliveries for one attempt each: the attempt is counted and the
 * row leased until `leaseUntil`, so that another dispatcher (or this one after a crash)
 * retries it only if this attempt never records its outcome. SKIP LOCKED: dispatchers of
 * several processes do not wait for each other.
 */
export async function claimDue(q: Queryable, now: Date, leaseUntil: Date, limit: number) {
  const rows = await q.query<DeliveryRow & { seq: string; url: string; secret: string }>(
    `WITH due AS (
       SELECT id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= $1
        ORDER BY next_attempt_at, seq LIMIT $3
        FOR UPDATE SKIP LOCKED
     )
     UPDATE webhook_deliveries d
        SET attempts = d.attempts + 1, last_attempt_at = $1, next_attempt_at = $2
       FROM due, webhooks w
      WHERE d.id = due.id AND w.id = d.webhook_id
      RETURNING ${DELIVERY_COLUMNS}, d.seq, w.url, w.secret`,
    [now, leaseUntil, limit],
  );
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
}

/** Records an attempt's outcome, unless the lease was lost meanwhile (attempts moved on). */
export async function recordAttempt(
  q: Queryable,
  d: { id: string; attempts: number; status: DeliveryStatus; responseStatus: number | null; error: string | null; next: Date | null; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE webhook_deliveries
        SET status = $3, response_status = $4, last_error = $5,
            next_attempt_at = COALESCE($6, next_attempt_at),
            delivered_at = CASE WHEN $3 = 'delivered' THEN $7::timestamptz ELSE delivered_at END
      WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
    [d.id, d.attempts, d.status, d.responseStatus, d.error, d.next, d.at],
  );
}

export async function listDeliveries(q: Queryable, webhookId: string, before: number | undefined, limit: number) {
  return q.query<DeliveryRow & { seq: string }>(
    `SELECT ${DELIVERY_COLUMNS}, d.seq FROM webhook_deliveries d
      WHERE d.webhook_id = $1 AND ($2::bigint IS NULL OR d.seq < $2::bigint)
      ORDER BY d.seq DESC LIMIT $3`,
    [webhookId, before ?? null, limit + 1],
  );
}

export async function findDelivery(q: Queryable, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await q.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.webhook_id = $1 AND d.id = $2`, [
    webhookId,
    id,
  ]);
  return row;
}

/** Makes a delivery due again now (a manual redelivery), with a fresh count of attempts. */
export async function redeliver(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL, response_status = NULL, delivered_at = NULL
      WHERE id = $1`,
    [id, at],
  );
}
