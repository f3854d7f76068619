// The e-mail outbox: messages queued with the change they tell of, then sent or kept.
import type { Queryable } from '../../db';

export type EmailStatus = 'pending' | 'sent' | 'failed' | 'kept';

export interface EmailRow {
  id: string;
  seq: string;
  booking_id: string | null;
  event: string;
  to_address: string;
  subject: string;
  text_body: string | null;
  ics: string | null;
  ics_method: string | null;
  status: EmailStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

const COLUMNS =
  'id, seq, booking_id, event, to_address, subject, text_body, ics, ics_method, status, attempts, next_attempt_at, last_error, created_at, sent_at';

export interface NewEmail {
  id: string;
  bookingId: string | null;
  event: string;
  to: string;
  subject: string;
  text: string;
  ics: string | null;
  icsMethod: string | null;
  status: 'pending' | 'kept';
  at: Date;
}

/** Queues e-mails (one statement for all of them). */
export async function insertEmails(q: Queryable, es: readonly NewEmail[]): Promise<void> {
  if (es.length === 0) return;
  const col = <K extends keyof NewEmail>(k: K) => es.map((e) => e[k]);
  await q.query(
    `INSERT INTO emails (id, booking_id, event, to_address, subject, text_body, ics, ics_method, status, next_attempt_at, created_at)
     SELECT id, booking_id, event, to_address, subject, text_body, ics, ics_method, status, at, at
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
            WITH ORDINALITY AS t(id, booking_id, event, to_address, subject, text_body, ics, ics_method, status, at, n)
      ORDER BY n`,
    [
      col('id'),
      col('bookingId'),
      col('event'),
      col('to'),
      col('subject'),
      col('text'),
      col('ics'),
      col('icsMethod'),
      col('status'),
      col('at'),
    ],
  );
}

/** Whether any e-mail is due (a plain read: polling must not count as a write). */
export async function anyDue(q: Queryable, now: Date): Promise<boolean> {
  const [row] = await q.query<{ due: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM emails WHERE status = 'pending' AND next_attempt_at <= $1) AS due`,
    [now],
  );
  return row?.due === true;
}

/** Claims up to `limit` due e-mails for one attempt each, leased until `leaseUntil` under a new lease token (see webhooks' claimDue). */
export async function claimDue(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<(EmailRow & { lease: string })[]> {
  const rows = await q.query<EmailRow & { lease: string }>(
    `WITH due AS (
       SELECT id FROM emails
        WHERE status = 'pending' AND next_attempt_at <= $1
        ORDER BY next_attempt_at, seq LIMIT $3
        FOR UPDATE SKIP LOCKED
     )
     UPDATE emails e SET attempts = e.attempts + 1, next_attempt_at = $2, lease = gen_random_uuid()
       FROM due WHERE e.id = due.id
      RETURNING ${COLUMNS.split(', ')
        .map((c) => `e.${c}`)
        .join(', ')}, e.lease`,
    [now, leaseUntil, limit],
  );
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
}

/**
 * Records an attempt's outcome unless its lease was lost meanwhile. Once sent, the body and
 * the calendar file are dropped: the invitee's copy holds their private links.
 */
export async function recordAttempt(
  q: Queryable,
  e: { id: string; lease: string; sent: boolean; failed: boolean; error: string | null; next: Date | null; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE emails
        SET status = CASE WHEN $3 THEN 'sent' WHEN $4 THEN 'failed' ELSE 'pending' END,
            last_error = $5,
            next_attempt_at = COALESCE($6, next_attempt_at),
            sent_at = CASE WHEN $3 THEN $7::timestamptz ELSE sent_at END,
            text_body = CASE WHEN $3 THEN NULL ELSE text_body END,
            ics = CASE WHEN $3 THEN NULL ELSE ics END,
            lease = NULL
      WHERE id = $1 AND lease = $2 AND status = 'pending'`,
    [e.id, e.lease, e.sent, e.failed, e.error, e.next, e.at],
  );
}

/** The outbox, newest first (for operators). */
export async function listEmails(q: Queryable, before: number | undefined, limit: number): Promise<EmailRow[]> {
  return q.query<EmailRow>(
    `SELECT ${COLUMNS} FROM emails WHERE ($1::bigint IS NULL OR seq < $1::bigint) ORDER BY seq DESC LIMIT $2`,
    [before ?? null, limit + 1],
  );
}

/** Deletes up to `limit` e-mails sent or failed before `before`. */
export async function pruneFinished(q: Queryable, before: Date, limit: number): Promise<number> {
  const rows = await q.query(
    `DELETE FROM emails WHERE id IN (SELECT id FROM emails WHERE status IN ('sent', 'failed') AND created_at < $1 LIMIT $2) RETURNING id`,
    [before, limit],
  );
  return rows.length;
}
