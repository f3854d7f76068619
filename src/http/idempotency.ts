// Idempotency-Key for writes that create things (bookings): the first request with a key
// claims it and its answer is stored; the same key with the same body replays that answer
// (same status and body) for 24 hours; the same key with another body is a 422.
// A request arriving while the first one still runs gets a 409, so it cannot book twice.
// "Still runs" is a lease: a claim whose answer was never stored (its process died, or storing
// failed) may be taken over by a retry with the same body once IDEMPOTENCY_LEASE_MS has passed,
// so a key is never stuck for its whole 24 hours.
// At rest the key is a hash and the answer is sealed under a key derived from the
// Idempotency-Key (answers can hold secrets such as an invitee's links): the database alone
// does not give them away.
import { createHash } from 'node:crypto';
import { seal, sealingKey, unseal } from './seal';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context';
import { AppError, invalidField, toProblem } from './errors';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** How long a claim without an answer keeps retries out (by the app's clock). A booking takes milliseconds. */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export const IDEMPOTENCY_DESCRIPTION =
  'Send an `Idempotency-Key` header (1-200 visible ASCII characters) to make retries safe: the same key with the ' +
  'same body within 24 hours replays the first answer (same status and body, with `Idempotent-Replayed: true`) ' +
  'instead of acting twice; the same key with a different body is a 422 `idempotency-key-reused`; a retry while the ' +
  'first request is still running is a 409 `idempotency-key-in-progress` (after 60 seconds without an answer, a ' +
  'retry with the same body takes the key over).';

/** The hash a request body is known by: of its JSON with object keys sorted, so two bodies that mean the same hash the same. */
export function requestHash(payload: unknown): string {
  return createHash('sha256').update(canonical(payload)).digest('hex');
}

/** JSON with object keys sorted. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What the key is stored as: a hash, so that the row does not carry what unseals its answer. */
export function storedKeyOf(scope: string, key: string): string {
  return createHash('sha256').update(`idempotency-key\n${scope}\n${key}`).digest('hex');
}

const answerKey = (scope: string, key: string) => sealingKey('idempotent-answer', scope, key);

export interface Answer {
  status: number;
  body: unknown;
}

/** A claim is known by its created_at: only the request holding it may store or free it. */
type Claim =
  | { claimed: true; at: Date }
  | { claimed: false; row: { request_hash: string; status: number | null; sealed_answer: string | null } | undefined };

/**
 * Claims the key: a new one, an expired one, or (same body only) one whose claim has no answer
 * after the lease. Atomic: of concurrent claims, one wins.
 */
async function claim(ctx: AppContext, scope: string, key: string, hash: string): Promise<Claim> {
  const at = new Date(ctx.now());
  const rows = await ctx.db.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (scope, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, status = NULL, sealed_answer = NULL,
           created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
       WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
          OR (idempotency_keys.status IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
              AND idempotency_keys.created_at <= $6)
     RETURNING key`,
    [scope, key, hash, at, new Date(at.getTime() + IDEMPOTENCY_TTL_MS), new Date(at.getTime() - IDEMPOTENCY_LEASE_MS)],
  );
  if (rows.length > 0) return { claimed: true, at };
  const [row] = await ctx.db.query<{ request_hash: string; status: number | null; sealed_answer: string | null }>(
    'SELECT request_hash, status, sealed_answer FROM idempotency_keys WHERE scope = $1 AND key = $2',
    [scope, key],
  );
  return { claimed: false, row };
}

/**
 * Runs `run` at most once per (scope, key) and body. Without a key it just runs. Errors a
 * user caused (4xx) are stored and replayed like successes; any other failure frees the
 * key so that a retry can try again.
 */
export async function idempotent(
  ctx: AppContext,
  options: { key: string | undefined; scope: string; payload: unknown },
  run: () => Promise<Answer>,
): Promise<Answer & { replayed: boolean }> {
  const { key, scope } = options;
  if (key === undefined) return { ...(await run()), replayed: false };
  if (!KEY_PATTERN.test(key)) throw invalidField('Idempotency-Key', 'must be 1-200 visible ASCII characters');
  const hash = requestHash(options.payload);
  const stored = storedKeyOf(scope, key);

  let outcome = await claim(ctx, scope, stored, hash);
  // The first holder may have failed and freed the key between our two statements.
  if (!outcome.claimed && outcome.row === undefined) outcome = await claim(ctx, scope, stored, hash);
  if (!outcome.claimed) {
    const row = outcome.row;
    if (row === undefined || row.status === null) {
      if (row && row.request_hash !== hash)
        throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
      throw new AppError(
        'idempotency_key_in_progress',
        'A request with this Idempotency-Key is still being processed; retry later',
      );
    }
    if (row.request_hash !== hash)
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    return {
      status: row.status,
      body: JSON.parse(unseal(row.sealed_answer!, answerKey(scope, key))) as unknown,
      replayed: true,
    };
  }

  // Only our own claim: after a takeover, the key is the new holder's.
  const mine = [scope, stored, outcome.at] as const;
  const release = () =>
    ctx.db
      .query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND created_at = $3 AND status IS NULL', [
        ...mine,
      ])
      .catch(() => {});
  let answer: Answer;
  try {
    answer = await run();
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      answer = { status: error.status, body: toProblem(error) };
    } else {
      await release();
      throw error;
    }
  }
  try {
    await ctx.db.query(
      'UPDATE idempotency_keys SET status = $4, sealed_answer = $5 WHERE scope = $1 AND key = $2 AND created_at = $3',
      [...mine, answer.status, seal(JSON.stringify(answer.body), answerKey(scope, key))],
    );
  } catch {
    // The work is done and its answer goes out; only the replay is lost. Free the key rather
    // than leave it "in progress": a retry then acts again instead of failing for 24 hours.
    await release();
  }
  if (Math.random() < 0.01) {
    await ctx.db.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [new Date(ctx.now())]).catch(() => {});
  }
  return { ...answer, replayed: false };
}

/** The Idempotency-Key header of a request (undefined when absent; an array is a 400). */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (Array.isArray(value)) throw invalidField('Idempotency-Key', 'must be sent once');
  return value;
}

/** Sends an answer from `idempotent`: problems as application/problem+json, replays flagged. */
export function sendAnswer(reply: FastifyReply, answer: Answer & { replayed: boolean }): FastifyReply {
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  if (answer.status >= 400) reply.type('application/problem+json; charset=utf-8');
  return reply.code(answer.status).send(answer.body);
}
