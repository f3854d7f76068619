// Account use cases: sign-up, log-in and out, personal access tokens, profile, user list.
// Authorization is decided here: every function acts for the principal it is given.
import type { AppContext } from '../../context';
import { sqlState, SqlState, violatedConstraint } from '../../db/database';
import { isTimeZone, parseInstant } from '../../domain/calendar';
import type { Principal } from '../../http/auth';
import { AppError, invalidField, notFound, validationError, type FieldError } from '../../http/errors';
import { decodeCursor, paginate } from '../../http/pagination';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './password';
import * as repo from './repository';
import { createDefaultSchedule } from '../schedules/repository';
import type { LoginBody, PatchMeBody, SignupBody, TokenCreateBody } from './schemas';
import { USERNAME_PATTERN } from './schemas';
import { hashSecret, newSecret } from './tokens';

/** Names that collide with the site's own paths (/{username}/{slug} is a public page). */
const RESERVED_USERNAMES = new Set([
  'api',
  'admin',
  'app',
  'assets',
  'docs',
  'healthz',
  'readyz',
  'metrics',
  'login',
  'logout',
  'signup',
  'static',
  'problems',
  'public',
  'me',
  'settings',
  'bookings',
  'booking',
  'help',
  'about',
  'root',
  'system',
  'www',
]);
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const usernameRe = new RegExp(USERNAME_PATTERN);

export function toUserView(ctx: AppContext, user: repo.UserRow) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    name: user.name,
    timezone: user.timezone,
    is_admin: ctx.config.adminUsernames.includes(user.username),
    created_at: user.created_at.toISOString(),
  };
}

function checkProfileFields(input: { username?: string; email?: string; timezone?: string }): FieldError[] {
  const errors: FieldError[] = [];
  if (input.username !== undefined) {
    if (!usernameRe.test(input.username)) {
      errors.push({
        field: 'username',
        message: 'must be 3-40 lowercase letters, digits, "-" or "_", starting and ending with a letter or digit',
      });
    } else if (RESERVED_USERNAMES.has(input.username)) {
      errors.push({ field: 'username', message: 'is reserved' });
    }
  }
  if (input.email !== undefined && !EMAIL_PATTERN.test(input.email)) {
    errors.push({ field: 'email', message: 'is not an e-mail address' });
  }
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) {
    errors.push({ field: 'timezone', message: 'is not an IANA time zone name' });
  }
  return errors;
}

function uniqueViolation(error: unknown): AppError | null {
  if (sqlState(error) !== SqlState.uniqueViolation) return null;
  const constraint = violatedConstraint(error) ?? '';
  if (constraint.includes('email')) return new AppError('email_taken', 'An account with this e-mail already exists');
  return new AppError('username_taken', 'This username is taken');
}

async function startSession(ctx: AppContext, userId: string) {
  const token = newSecret('sws_');
  const csrfToken = newSecret('swc_');
  await repo.insertToken(ctx.db, {
    userId,
    kind: 'session',
    name: null,
    tokenHash: hashSecret(token),
    csrfToken,
    // Expiry is reckoned by the database's clock, as the check of it is.
    expiresAt: null,
    ttlSeconds: ctx.config.sessionTtlSeconds,
  });
  return { token, csrfToken };
}

export async function signUp(ctx: AppContext, input: SignupBody) {
  const timezone = input.timezone ?? 'UTC';
  const errors = checkProfileFields({ username: input.username, email: input.email, timezone });
  const weak = passwordProblem(input.password, input);
  if (errors.length) throw validationError(errors);
  if (weak)
    throw new AppError('weak_password', `The password ${weak}`, { errors: [{ field: 'password', message: weak }] });
  const passwordHash = await hashPassword(input.password);
  let user: repo.UserRow;
  try {
    user = await ctx.db.transaction(async (tx) => {
      const created = await repo.insertUser(tx, {
        username: input.username,
        email: input.email.trim(),
        passwordHash,
        name: input.name ?? '',
        timezone,
      });
      await createDefaultSchedule(tx, created);
      return created;
    });
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
  const session = await startSession(ctx, user.id);
  return { user: toUserView(ctx, user), ...session };
}

export async function logIn(ctx: AppContext, input: LoginBody, clientAddress: string) {
  const { loginMaxFailuresPerAccount, loginMaxFailuresPerAddress, loginWindowSeconds } = ctx.config;
  const login = input.login.trim();
  const user = await repo.findUserByLogin(ctx.db, login);
  // One limit per account, whether it is named by username or e-mail; per login text otherwise.
  const accountKey = user ? `user:${user.id}` : `login:${login.toLowerCase()}`;
  const addressKey = `address:${clientAddress}`;
  const attempt = await repo.reserveAttempt(ctx.db, [accountKey, addressKey], loginWindowSeconds);
  const over = attempt.counts.find(
    ({ key, n }) => n > (key === accountKey ? loginMaxFailuresPerAccount : loginMaxFailuresPerAddress),
  );
  if (over) {
    await repo.releaseAttempt(ctx.db, attempt.ids); // refused unchecked: not a failure of its own
    throw new AppError(
      'rate_limited',
      'Too many failed log-ins; try again later',
      {},
      { 'retry-after': String(over.retry_after) },
    );
  }
  let ok = false;
  if (user) ok = await verifyPassword(user.password_hash, input.password);
  else await verifyPassword(await decoyHash(), input.password); // same time as a real check
  if (!user || !ok) throw new AppError('invalid_credentials', 'The login or the password is wrong');
  await repo.releaseAttempt(ctx.db, attempt.ids);
  await repo.clearFailures(ctx.db, accountKey);
  if (Math.random() < 0.01) await repo.pruneFailures(ctx.db, loginWindowSeconds);
  const session = await startSession(ctx, user.id);
  return { user: toUserView(ctx, user), ...session };
}

export async function logOut(ctx: AppContext, principal: Principal): Promise<void> {
  await repo.revokeToken(ctx.db, principal.userId, principal.tokenId);
}

/** When this process last recorded each token's use (by token id). */
const lastTouched = new Map<string, number>();

/** The principal a bearer secret stands for, or null when it is unknown, expired or revoked. */
export async function resolveToken(ctx: AppContext, secret: string): Promise<Omit<Principal, 'via'> | null> {
  if (secret.length > 200) return null;
  const row = await repo.findLiveToken(ctx.db, hashSecret(secret));
  if (!row) return null;
  // Record use at most once a minute: a write per request would cost more than the request
  // (and empty the read cache, whose copy of the row keeps the old last_used_at).
  const now = Date.now();
  const seen = Math.max(row.last_used_at?.getTime() ?? 0, lastTouched.get(row.id) ?? 0);
  if (now - seen > 60_000) {
    if (lastTouched.size >= 10_000) lastTouched.clear();
    lastTouched.set(row.id, now);
    repo.touchToken(ctx.db, row.id).catch(() => {});
  }
  return {
    userId: row.user_id,
    username: row.username,
    timezone: row.timezone,
    isAdmin: ctx.config.adminUsernames.includes(row.username),
    tokenId: row.id,
    tokenKind: row.kind,
    csrfToken: row.csrf_token,
  };
}

const tokenView = (row: repo.TokenRow) => ({
  id: row.id,
  name: row.name ?? '',
  created_at: row.created_at.toISOString(),
  expires_at: row.expires_at ? row.expires_at.toISOString() : null,
  last_used_at: row.last_used_at ? row.last_used_at.toISOString() : null,
});

export async function createPersonalToken(ctx: AppContext, principal: Principal, input: TokenCreateBody) {
  let expiresAt: Date | null = null;
  if (input.expires_at !== undefined) {
    const ms = parseInstant(input.expires_at);
    if (ms === null) throw invalidField('expires_at', 'must be an RFC 3339 instant with an offset');
    if (ms <= ctx.now()) throw invalidField('expires_at', 'must be in the future');
    expiresAt = new Date(ms);
  }
  const token = newSecret('swp_');
  const row = await repo.insertToken(ctx.db, {
    userId: principal.userId,
    kind: 'personal',
    name: input.name,
    tokenHash: hashSecret(token),
    csrfToken: null,
    expiresAt,
  });
  const { last_used_at: _unused, ...view } = tokenView(row);
  return { ...view, token };
}

export async function listPersonalTokens(
  ctx: AppContext,
  principal: Principal,
  query: { limit?: number; cursor?: string },
) {
  const limit = query.limit ?? 20;
  const after = query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [string, string]) : undefined;
  const rows = await repo.listPersonalTokens(ctx.db, principal.userId, after, limit);
  // The cursor carries the full-precision timestamp text, so no row is skipped or repeated.
  return paginate(rows, limit, (row) => [row.created_at_key, row.id], tokenView);
}

export async function revokePersonalToken(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  // Another user's token id is "not found": its existence is not revealed.
  if (!(await repo.revokeToken(ctx.db, principal.userId, id, 'personal'))) throw notFound('Token');
}

export async function getMe(ctx: AppContext, principal: Principal) {
  const user = await repo.findUserById(ctx.db, principal.userId);
  if (!user) throw new AppError('unauthenticated');
  return toUserView(ctx, user);
}

export async function updateMe(ctx: AppContext, principal: Principal, input: PatchMeBody) {
  const errors = checkProfileFields(input);
  if (errors.length) throw validationError(errors);
  const user = await repo.findUserById(ctx.db, principal.userId);
  if (!user) throw new AppError('unauthenticated');
  if (
    input.username !== undefined &&
    input.username !== user.username &&
    ctx.config.adminUsernames.includes(input.username)
  ) {
    // Admin rights follow the configured names: taking one over by renaming would grant them.
    throw invalidField('username', 'is reserved');
  }
  const changesEmail = input.email !== undefined && input.email.trim().toLowerCase() !== user.email.toLowerCase();
  if (input.password !== undefined || changesEmail) {
    if (!input.current_password || !(await verifyPassword(user.password_hash, input.current_password))) {
      throw invalidField(
        'current_password',
        'must be the current password to change the e-mail address or the password',
      );
    }
  }
  let passwordHash: string | undefined;
  if (input.password !== undefined) {
    const weak = passwordProblem(input.password, {
      username: input.username ?? user.username,
      email: input.email ?? user.email,
    });
    if (weak)
      throw new AppError('weak_password', `The password ${weak}`, { errors: [{ field: 'password', message: weak }] });
    passwordHash = await hashPassword(input.password);
  }
  try {
    const updated = await repo.updateUser(ctx.db, user.id, {
      username: input.username,
      email: input.email?.trim(),
      name: input.name,
      timezone: input.timezone,
      password_hash: passwordHash,
    });
    // A new password ends every other log-in session (personal tokens are kept: they are
    // revoked one by one, as integrations depend on them).
    if (passwordHash) await repo.revokeOtherSessions(ctx.db, user.id, principal.tokenId);
    return toUserView(ctx, updated ?? user);
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
}

export async function listUsers(ctx: AppContext, principal: Principal, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 20;
  const after = query.cursor ? String(decodeCursor(query.cursor, ['string'])[0]) : undefined;
  const rows = await repo.listUsers(ctx.db, after, limit);
  return paginate(
    rows,
    limit,
    (row) => [row.username],
    (row) => ({
      username: row.username,
      name: row.name,
      timezone: row.timezone,
      ...(principal.isAdmin ? { email: row.email } : {}),
    }),
  );
}
