// Sends webhook deliveries: every process runs one dispatcher, which claims due deliveries
// from the database (SKIP LOCKED, with a lease), POSTs them signed, and records the outcome:
// delivered on a 2xx, else retried with growing delays, and failed after MAX_ATTEMPTS.
// At least once: a process that dies mid-attempt leaves the lease to run out, and another
// attempt follows. Receivers tell repeats apart by the delivery id.
import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../context';
import { Poller } from '../../jobs/poller';
import { LEASE_MS, MAX_ATTEMPTS, retryDelayMs } from '../../jobs/retry';
import * as repo from './repository';

const TIMEOUT_MS = 10_000;
const BATCH = 10;

/** `sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}` under the webhook's secret. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookDispatcher {
  private readonly poller: Poller;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: FastifyBaseLogger,
  ) {
    this.poller = new Poller('webhook dispatcher', log, () => this.runOnce());
  }

  start(): void {
    this.poller.start();
  }

  /** Stops polling and waits for the attempts in flight to be recorded. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** One batch: claims what is due and attempts each; answers how many were attempted. */
  async runOnce(): Promise<number> {
    const now = this.ctx.now();
    if (!(await repo.anyDue(this.ctx.db, new Date(now)))) return 0;
    const claimed = await repo.claimDue(this.ctx.db, new Date(now), new Date(now + LEASE_MS), BATCH);
    // In order of creation per webhook (a receiver sees created before cancelled), webhooks in parallel.
    const byWebhook = new Map<string, typeof claimed>();
    for (const d of claimed) byWebhook.set(d.webhook_id, [...(byWebhook.get(d.webhook_id) ?? []), d]);
    await Promise.all([...byWebhook.values()].map(async (list) => {
      for (const d of list) await this.attempt(d);
    }));
    return claimed.length;
  }

  private async attempt(d: repo.DeliveryRow & { url: string; secret: string }): Promise<void> {
    const timestamp = Math.floor(this.ctx.now() / 1000);
    let responseStatus: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual', // a redirect is not followed (it could point anywhere): it is a failed attempt
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Slotwise-Webhooks/1',
          'x-slotwise-event': d.event,
          'x-slotwise-delivery': d.id,
          'x-slotwise-timestamp': String(timestamp),
          'x-slotwise-signature': signature(d.secret, timestamp, d.body),
        },
        body: d.body,
      });
      responseStatus = res.status;
      await res.body?.cancel().catch(() => {});
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      error = (e as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (e as Error).message);
    }
    const at = this.ctx.now();
    const delivered = error === null;
    const giveUp = !delivered && d.attempts >= MAX_ATTEMPTS;
    try {
      await repo.recordAttempt(this.ctx.db, {
        id: d.id,
        attempts: d.attempts,
        status: delivered ? 'delivered' : giveUp ? 'failed' : 'pending',
        responseStatus,
        error: error === null ? null : error.slice(0, 500),
        next: delivered || giveUp ? null : new Date(at + retryDelayMs(d.attempts, this.ctx.config.deliveryRetrySeconds * 1000)),
        at: new Date(at),
      });
    } catch (e) {
      // The lease runs out and the delivery is attempted again: at least once.
      this.log.warn({ err: e, delivery: d.id }, 'webhook dispatcher: could not record an attempt');
    }
    if (!delivered) this.log.info({ delivery: d.id, webhook: d.webhook_id, attempt: d.attempts, error }, 'webhook delivery failed');
  }
}
