// SQL for users, their tokens (sessions and personal access tokens) and failed log-ins.
import type { Queryable } from '../../db';
import { hotRead } from '../../db/database';

export interface UserRow {
  id: string;
  username: string;
  email: string;
  password_hash: string;
  name: string;
  timezone: string;
  created_at: Date;
}

export interface TokenRow {
  id: string;
  user_id: string;
  kind: 'session' | 'personal';
  name: string | null;
  csrf_token: string | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

const USER_COLUMNS = 'id, username, email, password_hash, name, timezone, created_at';

export async function insertUser(
  db: Queryable,
  user: { username: string; email: string; passwordHash: string; name: string; timezone: string },
): Promise<UserRow> {
  const [row] = await db.query<UserRow>(
    `INSERT INTO users (username, email, password_hash, name, timezone) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${USER_COLUMNS}`,
    [user.username, user.email, user.passwordHash, user.name, user.timezone],
  );
  return row;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return row;
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | undefined> {
  const [row] = await hotRead<UserRow>(db, `SELECT ${USER_COLUMNS} FROM users WHERE username = $1`, [username]);
  return row;
}

export async function findUsersByUsernames(db: Queryable, usernames: readonly string[]): Promise<UserRow[]> {
  return db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ANY($1::text[])`, [usernames]);
}

/** By username or e-mail (case-insensitive for e-mail). */
export async function findUserByLogin(db: Queryable, login: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE username = lower($1) OR lower(email) = lower($1) LIMIT 1`,
    [login],
  );
  return row;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
  return row;
}

export async function updateUser(
  db: Queryable,
  id: string,
  changes: Partial<{ username: string; email: string; name: string; timezone: string; password_hash: string }>,
): Promise<UserRow | undefined> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return findUserById(db, id);
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`).join(', ');
  const [row] = await db.query<UserRow>(
    `UPDATE users SET ${sets}, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    [id, ...entries.map(([, v]) => v)],
  );
  return row;
}

/** Users in username order after `after`, limit+1 rows (for pagination). */
export async function listUsers(db: Queryable, after: string | undefined, limit: number): Promise<UserRow[]> {
  return db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE ($1::text IS NULL OR username > $1) ORDER BY username LIMIT $2`,
    [after ?? null, limit + 1],
  );
}

export async function insertToken(
  db: Queryable,
  token: {
    userId: string;
    kind: 'session' | 'personal';
    name: string | null;
    tokenHash: string;
    csrfToken: string | null;
    expiresAt: Date | null;
    /** Lifetime from the database's now (sessions); used when expiresAt is null. */
    ttlSeconds?: number;
  },
): Promise<TokenRow> {
  const [row] = await db.query<TokenRow>(
    `INSERT INTO auth_tokens (user_id, kind, name, token_hash, csrf_token, expires_at)
     VALUES ($1, $2, $3, $4, $5, COALESCE($6, now() + make_interval(secs => $7::int)))
     RETURNING id, user_id, kind, name, csrf_token, created_at, expires_at, last_used_at`,
    [token.userId, token.kind, token.name, token.tokenHash, token.csrfToken, token.expiresAt, token.ttlSeconds ?? null],
  );
  return row;
}

/** A live token (not revoked, not expired) with its user. */
export async function findLiveToken(
  db: Queryable,
  tokenHash: string,
): Promise<(TokenRow & { username: string; timezone: string }) | undefined> {
  const [row] = await hotRead<TokenRow & { username: string; timezone: string }>(
    db,
    `SELECT t.id, t.user_id, t.kind, t.name, t.csrf_token, t.created_at, t.expires_at, t.last_used_at,
            u.username, u.timezone
       FROM auth_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
    [tokenHash],
  );
  return row;
}

export async function touchToken(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE auth_tokens SET last_used_at = now() WHERE id = $1', [id]);
}

/** Live personal tokens in creation order after the cursor key, limit+1 rows (for pagination). */
export async function listPersonalTokens(
  db: Queryable,
  userId: string,
  after: [string, string] | undefined,
  limit: number,
): Promise<(TokenRow & { created_at_key: string })[]> {
  return db.query<TokenRow & { created_at_key: string }>(
    `SELECT id, user_id, kind, name, csrf_token, created_at, expires_at, last_used_at, created_at::text AS created_at_key
       FROM auth_tokens
      WHERE user_id = $1 AND kind = 'personal' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
        AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
      ORDER BY created_at, id
      LIMIT $4`,
    [userId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
}

/** Revokes a token of that user; false when there is no such live token. */
export async function revokeToken(
  db: Queryable,
  userId: string,
  id: string,
  kind?: 'session' | 'personal',
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE auth_tokens SET revoked_at = now()
      WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND ($3::text IS NULL OR kind = $3)
      RETURNING id`,
    [id, userId, kind ?? null],
  );
  return rows.length > 0;
}

/**
 * Records an attempt under each key before its password is checked, and answers how many
 * attempts each key has in the window, this one included, with the seconds until the oldest
 * leaves it. Concurrent attempts each count the ones recorded before them, so of a burst only
 * the first `max` can pass.
 */
export async function revokeOtherSessions(db: Queryable, userId: string, keepTokenId: string): Promise<void> {
  await db.query(
    "UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND kind = 'session' AND id <> $2 AND revoked_at IS NULL",
    [userId, keepTokenId],
  );
}

export async function reserveAttempt(db: Queryable, keys: readonly string[], windowSeconds: number) {
  const inserted = await db.query<{ id: string }>(
    'INSERT INTO login_failures (key) SELECT unnest($1::text[]) RETURNING id::text',
    [keys],
  );
  const counts = await db.query<{ key: string; n: number; retry_after: number }>(
    `SELECT key, count(*)::int AS n,
            GREATEST(1, ceil(extract(epoch FROM min(failed_at) + make_interval(secs => $2) - now())))::int AS retry_after
       FROM login_failures
      WHERE key = ANY($1::text[]) AND failed_at > now() - make_interval(secs => $2)
      GROUP BY key`,
    [keys, windowSeconds],
  );
  return { ids: inserted.map((r) => r.id), counts };
}

export async function releaseAttempt(db: Queryable, ids: readonly string[]): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE id = ANY($1::bigint[])', [ids]);
}

export async function clearFailures(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE key = $1', [key]);
}

export async function pruneFailures(db: Queryable, windowSeconds: number): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $1)', [windowSeconds]);
}
