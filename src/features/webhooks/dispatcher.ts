// Sends webhook deliveries: every process runs one dispatcher, which claims due deliveries
// from the database (SKIP LOCKED, under a lease token), POSTs them signed, and records the
// outcome: delivered on a 2xx, else retried with growing delays, and failed after
// MAX_ATTEMPTS. At least once: a process that dies mid-attempt leaves the lease to run out,
// and another attempt follows; receivers tell repeats apart by the delivery id.
// Up to CONCURRENCY attempts are in flight, at most one per webhook, so a receiver that
// never answers holds one slot for TIMEOUT_MS and nobody else's deliveries.
import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../context';
import { queueWriter } from '../../db/database';
import { QueueWorker } from '../../jobs/poller';
import { LEASE_MS, MAX_ATTEMPTS, retryDelayMs } from '../../jobs/retry';
import { outboundFailure, postJson } from '../../http/outbound';
import * as repo from './repository';

const TIMEOUT_MS = 10_000;
const CONCURRENCY = 16;
/** Finished deliveries stay in the log this long. */
export const KEEP_LOG_MS = 30 * 86_400_000;

/** `sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}` under the webhook's secret. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookDispatcher extends QueueWorker {
  private readonly inFlight = new Map<string, Promise<void>>(); // by webhook id
  private readonly abort = new AbortController();

  constructor(
    private readonly ctx: AppContext,
    private readonly log: FastifyBaseLogger,
  ) {
    super('webhook dispatcher', log);
  }

  protected override chores() {
    return repo.pruneFinished(queueWriter(this.ctx.db), new Date(this.ctx.now() - KEEP_LOG_MS), 1000);
  }

  /** Stops claiming, cuts the attempts in flight short (they are retried later) and waits for them to be recorded. */
  override async stop(): Promise<void> {
    await super.stop();
    this.abort.abort();
    await Promise.all(this.inFlight.values());
  }

  /** Claims what is due into the free slots and starts those attempts; answers how many it started. */
  async runOnce(): Promise<number> {
    const free = CONCURRENCY - this.inFlight.size;
    const now = this.ctx.now();
    if (free <= 0 || !(await repo.anyDue(this.ctx.db, new Date(now)))) return 0;
    const claimed = await repo.claimDue(queueWriter(this.ctx.db), new Date(now), new Date(now + LEASE_MS), free, [
      ...this.inFlight.keys(),
    ]);
    for (const d of claimed) {
      const attempt = this.attempt(d).finally(() => this.inFlight.delete(d.webhook_id));
      this.inFlight.set(d.webhook_id, attempt);
    }
    return claimed.length;
  }

  private async attempt(d: repo.ClaimedDelivery): Promise<void> {
    const timestamp = Math.floor(this.ctx.now() / 1000);
    let responseStatus: number | null = null;
    let error: string | null = null;
    try {
      responseStatus = await postJson(
        d.url,
        {
          'content-type': 'application/json',
          'user-agent': 'Slotwise-Webhooks/1',
          'x-slotwise-event': d.event,
          'x-slotwise-delivery': d.id,
          'x-slotwise-timestamp': String(timestamp),
          'x-slotwise-signature': signature(d.secret, timestamp, d.body),
        },
        d.body,
        {
          signal: AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), this.abort.signal]),
          allowPrivate: this.ctx.config.outboundAllowPrivate,
        },
      );
      // A redirect is not followed (it could point anywhere): it is a failed attempt.
      if (responseStatus < 200 || responseStatus > 299) error = `HTTP ${responseStatus}`;
    } catch (e) {
      error = this.abort.signal.aborted ? 'interrupted: the process was shutting down' : outboundFailure(e, TIMEOUT_MS);
    }
    const at = this.ctx.now();
    const delivered = error === null;
    const giveUp = !delivered && d.attempts >= MAX_ATTEMPTS;
    try {
      await repo.recordAttempt(queueWriter(this.ctx.db), {
        id: d.id,
        lease: d.lease,
        status: delivered ? 'delivered' : giveUp ? 'failed' : 'pending',
        responseStatus,
        error: error === null ? null : error.slice(0, 500),
        next:
          delivered || giveUp
            ? null
            : new Date(at + retryDelayMs(d.attempts, this.ctx.config.deliveryRetrySeconds * 1000)),
        at: new Date(at),
      });
    } catch (e) {
      // The lease runs out and the delivery is attempted again: at least once.
      this.log.warn({ err: e, delivery: d.id }, 'webhook dispatcher: could not record an attempt');
    }
    if (!delivered)
      this.log.info({ delivery: d.id, webhook: d.webhook_id, attempt: d.attempts, error }, 'webhook delivery failed');
  }
}
