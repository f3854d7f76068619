// buildApp: the whole HTTP application from a config and a store, without a port, so tests
// and the server build the same thing.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from './config';
import type { AppContext } from './context';
import type { Database } from './db';
import { registerAuth } from './http/auth';
import { registerProblemHandlers, sendProblem } from './http/problem-handler';
import { AppError } from './http/errors';
import { redactSecrets } from './http/redact';
import { acceptEmptyJson, installValidators, refuseUnstorableInput } from './http/validation';
import { accountRoutes } from './features/accounts/routes';
import { resolveToken } from './features/accounts/service';
import { opsRoutes } from './features/ops/routes';
import { eventTypeRoutes } from './features/event-types/routes';
import { publicBookingRoutes } from './features/bookings/public-routes';
import { hostBookingRoutes } from './features/bookings/host-routes';
import { scheduleRoutes } from './features/schedules/routes';
import { availabilityRoutes } from './features/availability/routes';
import { meetingRoutes } from './features/meetings/routes';
import { webRoutes } from './features/web/routes';
import { webhookRoutes } from './features/webhooks/routes';
import { WebhookDispatcher } from './features/webhooks/dispatcher';
import { emailRoutes } from './features/emails/routes';
import { calendarRoutes } from './features/calendars/routes';
import { CalendarRefresher } from './features/calendars/refresher';
import { CalendarWriter } from './features/calendars/writes';
import { EmailSender } from './features/emails/sender';

export interface BuildOptions {
  config: AppConfig;
  db: Database;
  /** The clock; tests may stand at a chosen instant. */
  now?: () => number;
  /** false for no logs (tests); by default JSON logs at config.logLevel. */
  logger?: false;
  /** Where the JSON logs go (default: standard output). */
  logStream?: NodeJS.WritableStream;
  /** false: no background workers (webhook deliveries, e-mail) in this app. */
  workers?: false;
}

export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  const ctx: AppContext = { db, config, now: options.now ?? Date.now };
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Invitee links carry their secret in the path: logs get it masked.
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({
          method: req.method,
          url: redactSecrets(req.url),
          remote_address: req.ip,
        }),
      },
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Malformed URLs and over-long path parameters are answered as problems too.
    frameworkErrors: (error, _request, reply) =>
      sendProblem(reply, new AppError(error.statusCode === 414 ? 'uri_too_long' : 'bad_request', error.message)),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installValidators(app);
  refuseUnstorableInput(app);
  // JSON only: a text/plain body is a 415, not a string handed to a JSON schema.
  app.removeContentTypeParser('text/plain');
  acceptEmptyJson(app);
  registerProblemHandlers(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Slotwise scheduling API',
        version: '1.0.0',
        description:
          'Availability, booking links, meetings and calendars. Errors are application/problem+json (RFC 9457). ' +
          'Authenticate with `Authorization: Bearer <token>` (or `Token <token>`), or the session cookie plus `X-CSRF-Token` on writes.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(async (docs) => {
    // The documentation pages are public; routes declare their auth, and these cannot otherwise.
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), auth: 'none' };
    });
    await docs.register(swaggerUi, { routePrefix: '/api/docs' });
  });
  app.get('/api/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, async () => app.swagger());

  registerAuth(app, (token) => resolveToken(ctx, token));
  opsRoutes(app, ctx);
  accountRoutes(app, ctx);
  eventTypeRoutes(app, ctx);
  publicBookingRoutes(app, ctx);
  hostBookingRoutes(app, ctx);
  scheduleRoutes(app, ctx);
  availabilityRoutes(app, ctx);
  meetingRoutes(app, ctx);
  webRoutes(app, ctx);
  webhookRoutes(app, ctx);
  emailRoutes(app, ctx);
  calendarRoutes(app, ctx);

  // Every process works off the shared queues: webhook deliveries, calendar reads and writes, and e-mail when SMTP is set.
  const workers = [
    new WebhookDispatcher(ctx, app.log),
    new CalendarRefresher(ctx, app.log),
    new CalendarWriter(ctx, app.log),
    ...(config.smtpUrl ? [new EmailSender(ctx, app.log, config.smtpUrl)] : []),
  ];
  if (options.workers !== false)
    app.addHook('onReady', async () => {
      for (const w of workers) w.start();
    });
  app.addHook('onClose', async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await db.close();
  });
  return app;
}
