// Webhook subscriptions and their deliveries (the durable queue the dispatcher works off).
import type { Queryable } from '../../db';
import { userRowsByCreation } from '../../db/sql';

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

export function listWebhooks(q: Queryable, userId: string, after: [string, string] | undefined, limit: number) {
  return userRowsByCreation<WebhookRow>(q, 'webhooks', COLUMNS, userId, after, limit);
}

/** Changes the user's webhook; undefined when it is not (or no longer) theirs. */
export async function updateWebhook(
  q: Queryable,
  userId: string,
  id: string,
  changes: Partial<{ url: string; events: string[]; secret: string; active: boolean }>,
  at: Date,
): Promise<WebhookRow | undefined> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  const sets = entries.map(([column], i) => `${column} = $${i + 4}${column === 'events' ? '::text[]' : ''}`);
  const [row] = await q.query<WebhookRow>(
    `UPDATE webhooks SET ${[...sets, 'updated_at = $3'].join(', ')} WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
    [id, userId, at, ...entries.map(([, v]) => v)],
  );
  return row;
}

/** Deletes the user's webhook; false when it is not (or no longer) theirs. */
export async function deleteWebhook(q: Queryable, userId: string, id: string): Promise<boolean> {
  return (await q.query('DELETE FROM webhooks WHERE id = $1 AND user_id = $2 RETURNING id', [id, userId])).length > 0;
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

/** Queues deliveries (one statement, however many webhooks hear of the event). */
export async function insertDeliveries(
  q: Queryable,
  ds: readonly { id: string; webhookId: string; event: string; body: string }[],
  at: Date,
): Promise<void> {
  if (ds.length === 0) return;
  await q.query(
    `INSERT INTO webhook_deliveries (id, webhook_id, event, body, next_attempt_at, created_at)
     SELECT id, webhook_id, event, body, $5, $5 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS t(id, webhook_id, event, body, n)
      ORDER BY n`,
    [ds.map((d) => d.id), ds.map((d) => d.webhookId), ds.map((d) => d.event), ds.map((d) => d.body), at],
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

export type ClaimedDelivery = DeliveryRow & { seq: string; lease: string; url: string; secret: string };

/**
 * Claims up to `limit` due deliveries for one attempt each, the oldest due one of each webhook
 * (not one of `busy`, whose deliveries this process is sending): the attempt is counted and
 * the row leased until `leaseUntil` under a new lease token. Another dispatcher (or this one,
 * after a crash) tries it again only once the lease has run out. SKIP LOCKED: dispatchers
 * of several processes never wait for each other nor take the same row.
 */
export async function claimDue(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  limit: number,
  busy: readonly string[],
): Promise<ClaimedDelivery[]> {
  const rows = await q.query<ClaimedDelivery>(
    `WITH oldest AS (
       SELECT DISTINCT ON (webhook_id) id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= $1 AND NOT (webhook_id = ANY($4::uuid[]))
        ORDER BY webhook_id, seq
     ), due AS (
       SELECT d.id FROM webhook_deliveries d JOIN oldest USING (id)
        WHERE d.status = 'pending' AND d.next_attempt_at <= $1
        ORDER BY d.seq LIMIT $3
        FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE webhook_deliveries d
        SET attempts = d.attempts + 1, last_attempt_at = $1, next_attempt_at = $2, lease = gen_random_uuid()
       FROM due, webhooks w
      WHERE d.id = due.id AND w.id = d.webhook_id
      RETURNING ${DELIVERY_COLUMNS}, d.seq, d.lease, w.url, w.secret`,
    [now, leaseUntil, limit, busy],
  );
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
}

/** Records an attempt's outcome, unless its lease was lost meanwhile (another claim took the row over). */
export async function recordAttempt(
  q: Queryable,
  d: {
    id: string;
    lease: string;
    status: DeliveryStatus;
    responseStatus: number | null;
    error: string | null;
    next: Date | null;
    at: Date;
  },
): Promise<void> {
  await q.query(
    `UPDATE webhook_deliveries
        SET status = $3, response_status = $4, last_error = $5, lease = NULL,
            next_attempt_at = COALESCE($6, next_attempt_at),
            delivered_at = CASE WHEN $3 = 'delivered' THEN $7::timestamptz ELSE delivered_at END
      WHERE id = $1 AND lease = $2 AND status = 'pending'`,
    [d.id, d.lease, d.status, d.responseStatus, d.error, d.next, d.at],
  );
}

/** Deletes up to `limit` finished deliveries created before `before` (the log is kept for a while, not for ever). */
export async function pruneFinished(q: Queryable, before: Date, limit: number): Promise<number> {
  const rows = await q.query(
    `DELETE FROM webhook_deliveries WHERE id IN (
       SELECT id FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < $1 LIMIT $2
     ) RETURNING id`,
    [before, limit],
  );
  return rows.length;
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
  const [row] = await q.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.webhook_id = $1 AND d.id = $2`,
    [webhookId, id],
  );
  return row;
}

/** Makes a finished delivery due again now, with a fresh count of attempts; false when it is not finished (pending). */
export async function redeliver(q: Queryable, webhookId: string, id: string, at: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE webhook_deliveries
        SET status = 'pending', attempts = 0, next_attempt_at = $3, last_error = NULL, response_status = NULL, delivered_at = NULL, lease = NULL
      WHERE id = $2 AND webhook_id = $1 AND status <> 'pending' RETURNING id`,
    [webhookId, id, at],
  );
  return rows.length > 0;
}

/** How many webhooks the user has. */
export async function countWebhooks(q: Queryable, userId: string): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM webhooks WHERE user_id = $1', [userId]);
  return row?.n ?? 0;
}
