// Google Calendar over its REST API, linked by OAuth 2 (authorization-code flow, offline
// access): the consent URL, the code exchanged for a refresh token (kept sealed under
// SECRET_KEY), free/busy reads, and the events of bookings put and deleted. Base URLs come
// from the configuration, so tests run against a local stand-in.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../context';
import { parseInstant } from '../../domain/calendar';
import { normalize, type Interval } from '../../domain/intervals';
import { AppError, invalidField } from '../../http/errors';
import { requestText, ResponseError } from '../../http/outbound';
import { seal, sealingKey, unseal } from '../../http/seal';

const SCOPE = 'https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.readonly';
const STATE_TTL_MS = 15 * 60_000;
const TIMEOUT_MS = 15_000;

type Google = NonNullable<AppContext['config']['google']>;

export function googleOf(ctx: AppContext): Google {
  if (!ctx.config.google || !ctx.config.secretKey) {
    throw new AppError(
      'service_unavailable',
      'Google Calendar is not configured here (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, SECRET_KEY)',
    );
  }
  return ctx.config.google;
}

export const redirectUri = (ctx: AppContext) => `${ctx.config.publicUrl}/api/v1/calendars/google/callback`;

const stateMac = (ctx: AppContext, payload: string) =>
  createHmac('sha256', sealingKey('oauth-state', ctx.config.secretKey!)).update(payload).digest('base64url');

/** The consent URL for the user; its state names them, signed and valid 15 minutes. */
export function authorizeUrl(ctx: AppContext, userId: string): string {
  const google = googleOf(ctx);
  const payload = Buffer.from(
    JSON.stringify({ u: userId, e: ctx.now() + STATE_TTL_MS, n: randomBytes(8).toString('hex') }),
  ).toString('base64url');
  const url = new URL(google.authUrl);
  url.search = new URLSearchParams({
    client_id: google.clientId,
    redirect_uri: redirectUri(ctx),
    response_type: 'code',
    scope: SCOPE,
    access_type: 'offline',
    prompt: 'consent',
    state: `${payload}.${stateMac(ctx, payload)}`,
  }).toString();
  return url.toString();
}

/** The user a callback's state was made for; a forged or expired state is a 400. */
export function userOfState(ctx: AppContext, state: string): string {
  googleOf(ctx);
  const [payload, mac] = state.split('.');
  const expected = payload ? stateMac(ctx, payload) : '';
  if (!payload || !mac || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
    throw invalidField('state', 'is not a state this service made');
  }
  const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: string; e?: number };
  if (typeof parsed.u !== 'string' || typeof parsed.e !== 'number' || parsed.e < ctx.now()) {
    throw invalidField('state', 'has expired: start again from /api/v1/calendars/google/authorize');
  }
  return parsed.u;
}

const tokenKey = (ctx: AppContext) => sealingKey('google-refresh-token', ctx.config.secretKey!);
export const sealToken = (ctx: AppContext, token: string) => seal(token, tokenKey(ctx));

async function tokenRequest(
  ctx: AppContext,
  fields: Record<string, string>,
): Promise<{ access_token?: string; refresh_token?: string }> {
  const google = googleOf(ctx);
  const text = await requestText('POST', google.tokenUrl, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
    allowPrivate: ctx.config.outboundAllowPrivate,
    maxBytes: 64 * 1024,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: google.clientId, client_secret: google.clientSecret, ...fields }).toString(),
  });
  return JSON.parse(text) as { access_token?: string; refresh_token?: string };
}

/** Exchanges the callback's code for tokens; Google must give a refresh token (offline access). */
export async function exchangeCode(
  ctx: AppContext,
  code: string,
): Promise<{ refreshToken: string; accessToken: string }> {
  let answer: { access_token?: string; refresh_token?: string };
  try {
    answer = await tokenRequest(ctx, { grant_type: 'authorization_code', code, redirect_uri: redirectUri(ctx) });
  } catch (e) {
    const reason = e instanceof ResponseError ? e.message : 'Google could not be reached';
    throw new AppError(
      'calendar_unreachable',
      `Google refused the authorization code (${reason}): start again from /api/v1/calendars/google/authorize`,
    );
  }
  if (!answer.refresh_token || !answer.access_token)
    throw new AppError('calendar_unreachable', 'Google gave no refresh token (offline access was not granted)');
  return { refreshToken: answer.refresh_token, accessToken: answer.access_token };
}

/** A fresh access token from the sealed refresh token. */
export async function accessToken(ctx: AppContext, sealedRefreshToken: string): Promise<string> {
  const answer = await tokenRequest(ctx, {
    grant_type: 'refresh_token',
    refresh_token: unseal(sealedRefreshToken, tokenKey(ctx)),
  });
  if (!answer.access_token) throw new Error('Google gave no access token');
  return answer.access_token;
}

async function api(ctx: AppContext, token: string, method: string, path: string, body?: unknown): Promise<string> {
  return requestText(method, `${googleOf(ctx).apiUrl}/calendar/v3${path}`, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
    allowPrivate: ctx.config.outboundAllowPrivate,
    maxBytes: 10 * 1024 * 1024,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The calendar's busy time within the horizon (free/busy only: no event details are read). */
export async function freeBusy(
  ctx: AppContext,
  token: string,
  calendarId: string,
  horizon: Interval,
): Promise<Interval[]> {
  const text = await api(ctx, token, 'POST', '/freeBusy', {
    timeMin: new Date(horizon.start).toISOString(),
    timeMax: new Date(horizon.end).toISOString(),
    items: [{ id: calendarId }],
  });
  const answer = JSON.parse(text) as {
    calendars?: Record<string, { busy?: { start: string; end: string }[]; errors?: unknown[] }>;
  };
  const entry = answer.calendars?.[calendarId];
  if (!entry || entry.errors?.length) throw new Error('Google did not answer for this calendar');
  const busy: Interval[] = [];
  for (const b of entry.busy ?? []) {
    const start = parseInstant(b.start);
    const end = parseInstant(b.end);
    if (start !== null && end !== null && end > start) busy.push({ start, end });
  }
  return normalize(busy);
}

/** A booking's event id at Google: its uuid's hex digits (Google wants base32hex, 5 to 1024 characters). */
export const eventIdOf = (bookingId: string) => bookingId.replace(/-/g, '').toLowerCase();

/** Puts the event (updates it, or inserts it with its id when Google has none yet). */
export async function putEvent(
  ctx: AppContext,
  token: string,
  calendarId: string,
  eventId: string,
  event: Record<string, unknown>,
): Promise<void> {
  const path = `/calendars/${encodeURIComponent(calendarId)}/events`;
  try {
    await api(ctx, token, 'PUT', `${path}/${eventId}`, event);
  } catch (e) {
    if (!(e instanceof ResponseError && e.status === 404)) throw e;
    await api(ctx, token, 'POST', path, { ...event, id: eventId });
  }
}

/** Deletes the event; one already gone is fine. */
export async function deleteEvent(ctx: AppContext, token: string, calendarId: string, eventId: string): Promise<void> {
  try {
    await api(ctx, token, 'DELETE', `/calendars/${encodeURIComponent(calendarId)}/events/${eventId}`);
  } catch (e) {
    if (!(e instanceof ResponseError && (e.status === 404 || e.status === 410))) throw e;
  }
}
