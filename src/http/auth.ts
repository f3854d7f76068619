// Authentication for every route, decided per route (config.auth), never by URL prefix:
// a bearer token (`Authorization: Bearer` or `Token`) or the session cookie. Writes made
// with the cookie must echo the session's CSRF token in X-CSRF-Token.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors';

export const SESSION_COOKIE = 'session';
export const CSRF_COOKIE = 'csrf_token';

export interface Principal {
  userId: string;
  username: string;
  timezone: string;
  isAdmin: boolean;
  tokenId: string;
  tokenKind: 'session' | 'personal';
  csrfToken: string | null;
  via: 'header' | 'cookie';
}

/** 'required' (the default), 'optional' (public routes that answer more to a signed-in user) or 'none'. */
export type AuthMode = 'required' | 'optional' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type TokenResolver = (token: string) => Promise<Omit<Principal, 'via'> | null>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerToken(request: FastifyRequest): string | null | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The signed-in user, or a 401. For handlers of routes whose auth is 'required'. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated');
  return request.principal;
}

export function registerAuth(app: FastifyInstance, resolve: TokenResolver): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const mode: AuthMode = request.routeOptions.config?.auth ?? 'required';
    if (mode === 'none' || request.is404) return;
    const fromHeader = bearerToken(request);
    const fromCookie = request.cookies?.[SESSION_COOKIE];
    const token = fromHeader ?? fromCookie;
    if (fromHeader === null) {
      if (mode === 'required') throw new AppError('unauthenticated', 'Use "Authorization: Bearer <token>"');
      return;
    }
    if (!token) {
      if (mode === 'required') throw new AppError('unauthenticated', 'Sign in or send a token');
      return;
    }
    const found = await resolve(token);
    if (!found) {
      // A bad token on an optional route is still a client error worth telling about.
      throw new AppError('unauthenticated', 'The token is invalid, expired or revoked');
    }
    const via = fromHeader ? 'header' : 'cookie';
    if (via === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !found.csrfToken || !sameSecret(sent, found.csrfToken)) {
        throw new AppError('csrf_token_missing', 'Cookie-authenticated writes must send the X-CSRF-Token header');
      }
    }
    request.principal = { ...found, via };
  });
}
