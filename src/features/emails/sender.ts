// Sends queued e-mail over SMTP (SMTP_URL): claims due messages (SKIP LOCKED, with a lease),
// sends each with its .ics invitation attached, and records the outcome; failures are retried
// like webhook deliveries and end as failed. Without SMTP_URL nothing is sent: messages are
// queued as 'kept' and an operator reads them at GET /api/v1/admin/emails.
import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../context';
import { queueWriter } from '../../db/database';
import { QueueWorker } from '../../jobs/poller';
import { LEASE_MS, MAX_ATTEMPTS, retryDelayMs } from '../../jobs/retry';
import * as repo from './repository';

// One message per round, with SMTP timeouts well inside the claim's 60 s lease: a message is
// never still being sent by one process when another may claim it again.
const BATCH = 1;
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
/** Sent and failed e-mails stay listed this long (their bodies are gone once sent). */
const KEEP_SENT_MS = 30 * 86_400_000;

export class EmailSender extends QueueWorker {
  private readonly transport: Transporter;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: FastifyBaseLogger,
    smtpUrl: string,
  ) {
    super('e-mail sender', log);
    this.transport = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  }

  protected override chores() {
    return repo.pruneFinished(queueWriter(this.ctx.db), new Date(this.ctx.now() - KEEP_SENT_MS), 1000);
  }

  override async stop(): Promise<void> {
    await super.stop();
    this.transport.close();
  }

  async runOnce(): Promise<number> {
    const now = this.ctx.now();
    if (!(await repo.anyDue(this.ctx.db, new Date(now)))) return 0;
    const claimed = await repo.claimDue(queueWriter(this.ctx.db), new Date(now), new Date(now + LEASE_MS), BATCH);
    for (const email of claimed) await this.attempt(email);
    return claimed.length;
  }

  private async attempt(email: repo.EmailRow & { lease: string }): Promise<void> {
    let error: string | null = null;
    try {
      await this.transport.sendMail({
        from: this.ctx.config.mailFrom,
        to: email.to_address,
        subject: email.subject,
        text: email.text_body ?? '',
        ...(email.ics
          ? {
              attachments: [
                {
                  filename: 'invite.ics',
                  content: email.ics,
                  contentType: `text/calendar; charset=utf-8; method=${email.ics_method}`,
                },
              ],
            }
          : {}),
      });
    } catch (e) {
      error = ((e as Error).message || String(e)).slice(0, 500);
    }
    const at = this.ctx.now();
    const failed = error !== null && email.attempts >= MAX_ATTEMPTS;
    try {
      await repo.recordAttempt(queueWriter(this.ctx.db), {
        id: email.id,
        lease: email.lease,
        sent: error === null,
        failed,
        error,
        next:
          error === null || failed
            ? null
            : new Date(at + retryDelayMs(email.attempts, this.ctx.config.deliveryRetrySeconds * 1000)),
        at: new Date(at),
      });
    } catch (e) {
      this.log.warn({ err: e, email: email.id }, 'e-mail sender: could not record an attempt');
    }
    if (error !== null) this.log.warn({ email: email.id, attempt: email.attempts, error }, 'e-mail not sent');
  }
}
