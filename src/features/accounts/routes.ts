// Accounts over HTTP: /auth (sign-up, log-in, log-out), /me, /me/tokens, /users.
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context';
import { CSRF_COOKIE, principalOf, SESSION_COOKIE } from '../../http/auth';
import { PageQuery, pageOf } from '../../http/pagination';
import { IdParams, problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import {
  CreatedTokenSchema,
  LoginBody,
  LoginReply,
  PatchMeBody,
  PublicUserSchema,
  SignupBody,
  SignupReply,
  TokenCreateBody,
  TokenSchema,
  UserSchema,
} from './schemas';
import * as accounts from './service';

function setSessionCookies(ctx: AppContext, reply: FastifyReply, token: string, csrfToken: string) {
  const secure = ctx.config.publicUrl.startsWith('https:');
  const maxAge = ctx.config.sessionTtlSeconds;
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge });
  reply.setCookie(CSRF_COOKIE, csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge });
}

export function accountRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/api/v1/auth/signup',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['accounts'],
        summary: 'Create an account (and sign in)',
        body: SignupBody,
        response: { 201: SignupReply, ...problems(400, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { user, token, csrfToken } = await accounts.signUp(ctx, request.body);
      setSessionCookies(ctx, reply, token, csrfToken);
      return reply.code(201).send({ user, token });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['accounts'],
        summary: 'Log in by username or e-mail',
        description:
          'Answers a bearer token and sets an HttpOnly session cookie plus a readable csrf_token cookie. Failed attempts are rate limited per account and per client address (429 with Retry-After).',
        body: LoginBody,
        response: { 200: LoginReply, ...problems(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { user, token, csrfToken } = await accounts.logIn(ctx, request.body, request.ip);
      setSessionCookies(ctx, reply, token, csrfToken);
      return { token, user, csrf_token: csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke the token or session this request was made with',
        response: { 204: Type.Null(), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      await accounts.logOut(ctx, principalOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    { schema: { tags: ['accounts'], summary: 'Your profile', response: { 200: UserSchema, ...problems(401) } } },
    async (request) => accounts.getMe(ctx, principalOf(request)),
  );

  app.patch(
    '/api/v1/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change your profile',
        description:
          'Changes only the fields given. A new e-mail address or password needs current_password; a new password ends your other log-in sessions. The usernames named in ADMIN_USERNAMES cannot be taken by renaming.',
        body: PatchMeBody,
        response: { 200: UserSchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (request) => accounts.updateMe(ctx, principalOf(request), request.body),
  );

  app.post(
    '/api/v1/me/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create a personal access token',
        description: 'The secret is in `token` and is shown only in this answer; it is stored hashed.',
        body: TokenCreateBody,
        response: { 201: CreatedTokenSchema, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await accounts.createPersonalToken(ctx, principalOf(request), request.body)),
  );

  app.get(
    '/api/v1/me/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Your personal access tokens (without secrets)',
        querystring: PageQuery,
        response: { 200: pageOf(TokenSchema), ...problems(400, 401) },
      },
    },
    async (request) => accounts.listPersonalTokens(ctx, principalOf(request), request.query),
  );

  app.delete(
    '/api/v1/me/tokens/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke a personal access token',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await accounts.revokePersonalToken(ctx, principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['accounts'],
        summary: 'List users',
        description: 'Public profiles, in username order; admins (ADMIN_USERNAMES) also see e-mail addresses.',
        querystring: PageQuery,
        response: { 200: pageOf(PublicUserSchema), ...problems(400, 401) },
      },
    },
    async (request) => accounts.listUsers(ctx, principalOf(request), request.query),
  );
}
