// Bookings written into each host's chosen CalDAV calendar (write_bookings): queued in the
// booking's transaction, then put (or deleted) by a worker in any process, in order per
// calendar and booking, retried like webhook deliveries.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../context';
import type { Queryable } from '../../db';
import { queueWriter } from '../../db/database';
import { requestText, ResponseError } from '../../http/outbound';
import { findBooking } from '../bookings/repository';
import * as google from './google';
import { QueueWorker } from '../../jobs/poller';
import { LEASE_MS, MAX_ATTEMPTS, retryDelayMs } from '../../jobs/retry';

/**
 * Queues, for every user whose chosen calendar should show the booking, a put of `ics` (or,
 * for `removeFor`, a delete): owner and hosts of a confirmed booking get it; everyone gets a
 * delete when it is cancelled; former hosts a delete.
 */
export async function queueCalendarWrites(
  ctx: AppContext,
  tx: Queryable,
  bookingId: string,
  putFor: readonly string[],
  removeFor: readonly string[],
  ics: () => string,
): Promise<void> {
  const users = [...new Set([...putFor, ...removeFor])];
  if (users.length === 0) return;
  const calendars = await tx.query<{ id: string; user_id: string }>(
    `SELECT id, user_id FROM calendars WHERE user_id = ANY($1::uuid[]) AND write_bookings AND provider IN ('caldav', 'google')`,
    [users],
  );
  if (calendars.length === 0) return;
  // CalDAV stores calendar objects, which carry no METHOD (RFC 4791 §4.1).
  const object = ics().replace(/^METHOD:.*\r?\n/m, '');
  const at = new Date(ctx.now());
  for (const c of calendars) {
    await tx.query(
      `INSERT INTO calendar_writes (id, calendar_id, booking_id, ics, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)`,
      [randomUUID(), c.id, bookingId, removeFor.includes(c.user_id) && !putFor.includes(c.user_id) ? null : object, at],
    );
  }
}

interface ClaimedWrite {
  id: string;
  booking_id: string;
  ics: string | null;
  attempts: number;
  lease: string;
  provider: 'caldav' | 'google';
  url: string;
  username: string | null;
  password: string | null;
  sealed_token: string | null;
  external_id: string | null;
}

export class CalendarWriter extends QueueWorker {
  constructor(
    private readonly ctx: AppContext,
    private readonly log: FastifyBaseLogger,
  ) {
    super('calendar writer', log);
  }

  /** Finished writes are kept 30 days. */
  protected override chores() {
    return queueWriter(this.ctx.db).query(
      `DELETE FROM calendar_writes WHERE id IN (SELECT id FROM calendar_writes WHERE status <> 'pending' AND created_at < $1 LIMIT 1000)`,
      [new Date(this.ctx.now() - 30 * 86_400_000)],
    );
  }

  async runOnce(): Promise<number> {
    const now = this.ctx.now();
    const [due] = await this.ctx.db.query<{ due: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM calendar_writes WHERE status = 'pending' AND next_attempt_at <= $1) AS due`,
      [new Date(now)],
    );
    if (!due?.due) return 0;
    // The oldest pending write of each (calendar, booking) only: a put and the delete after it apply in that order.
    const claimed = await queueWriter(this.ctx.db).query<ClaimedWrite>(
      `WITH due AS (
         SELECT w.id FROM calendar_writes w
          WHERE w.status = 'pending' AND w.next_attempt_at <= $1
            AND NOT EXISTS (SELECT 1 FROM calendar_writes o WHERE o.calendar_id = w.calendar_id AND o.booking_id = w.booking_id
                                                             AND o.status = 'pending' AND o.seq < w.seq)
          ORDER BY w.seq LIMIT 4
          FOR UPDATE OF w SKIP LOCKED
       )
       UPDATE calendar_writes w SET attempts = w.attempts + 1, next_attempt_at = $2, lease = gen_random_uuid()
         FROM due, calendars c
        WHERE w.id = due.id AND c.id = w.calendar_id
        RETURNING w.id, w.booking_id, w.ics, w.attempts, w.lease, c.provider, c.url, c.username, c.password, c.sealed_token, c.external_id`,
      [new Date(now), new Date(now + LEASE_MS)],
    );
    await Promise.all(claimed.map((w) => this.apply(w)));
    return claimed.length;
  }

  private async apply(w: ClaimedWrite): Promise<void> {
    let error: string | null = null;
    try {
      if (w.provider === 'google') await this.applyGoogle(w);
      else await this.applyCalDav(w);
    } catch (e) {
      error = ((e as Error).message || String(e)).slice(0, 500);
    }
    const at = this.ctx.now();
    const failed = error !== null && w.attempts >= MAX_ATTEMPTS;
    await queueWriter(this.ctx.db)
      .query(
        `UPDATE calendar_writes SET status = $3, last_error = $4, lease = NULL, next_attempt_at = COALESCE($5, next_attempt_at),
                done_at = CASE WHEN $3 = 'done' THEN $6::timestamptz ELSE done_at END
          WHERE id = $1 AND lease = $2 AND status = 'pending'`,
        [
          w.id,
          w.lease,
          error === null ? 'done' : failed ? 'failed' : 'pending',
          error,
          error === null || failed
            ? null
            : new Date(at + retryDelayMs(w.attempts, this.ctx.config.deliveryRetrySeconds * 1000)),
          new Date(at),
        ],
      )
      .catch((e) => this.log.warn({ err: e, write: w.id }, 'calendar writer: could not record an attempt'));
    if (error !== null) this.log.warn({ write: w.id, attempt: w.attempts, error }, 'calendar write failed');
  }

  private async applyCalDav(w: ClaimedWrite): Promise<void> {
    const url = new URL(
      `${encodeURIComponent(w.booking_id)}.ics`,
      w.url.endsWith('/') ? w.url : `${w.url}/`,
    ).toString();
    const auth = `Basic ${Buffer.from(`${w.username ?? ''}:${w.password ?? ''}`).toString('base64')}`;
    try {
      await requestText(w.ics === null ? 'DELETE' : 'PUT', url, {
        signal: AbortSignal.timeout(15_000),
        allowPrivate: this.ctx.config.outboundAllowPrivate,
        maxBytes: 1024 * 1024,
        headers: { authorization: auth, ...(w.ics === null ? {} : { 'content-type': 'text/calendar; charset=utf-8' }) },
        ...(w.ics === null ? {} : { body: w.ics }),
      });
    } catch (e) {
      // Deleting what is not there any more is done.
      if (!(w.ics === null && e instanceof ResponseError && e.status === 404)) throw e;
    }
  }

  /** Google: the booking as it is now becomes the event (or its deletion). */
  private async applyGoogle(w: ClaimedWrite): Promise<void> {
    const token = await google.accessToken(this.ctx, w.sealed_token!);
    const calendarId = w.external_id ?? 'primary';
    const eventId = google.eventIdOf(w.booking_id);
    const row = w.ics === null ? undefined : await findBooking(this.ctx.db, w.booking_id);
    if (row?.status !== 'confirmed') return google.deleteEvent(this.ctx, token, calendarId, eventId);
    await google.putEvent(this.ctx, token, calendarId, eventId, {
      summary: `${row.title} with ${row.invitee_name}`,
      description: `Booked with Slotwise. Invitee: ${row.invitee_name} <${row.invitee_email}>`,
      ...(row.location ? { location: row.location } : {}),
      start: { dateTime: new Date(row.start).toISOString() },
      end: { dateTime: new Date(row.end).toISOString() },
      iCalUID: `${row.id}@${new URL(this.ctx.config.publicUrl).hostname}`,
      status: 'confirmed',
    });
  }
}
