// Operations: liveness, readiness (the database answers) and Prometheus metrics.
import { Type } from 'typebox';
import client from 'prom-client';
import type { AppContext } from '../../context';
import { AppError } from '../../http/errors';
import { problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';

export function opsRoutes(app: TypedApp, ctx: AppContext): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const total = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    duration.observe(labels, reply.elapsedTime / 1000);
    total.inc(labels);
  });

  const Status = Type.Object({ status: Type.String() });
  app.get(
    '/healthz',
    {
      config: { auth: 'none' },
      schema: { tags: ['operations'], summary: 'The process is up', response: { 200: Status } },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { auth: 'none' },
      schema: { tags: ['operations'], summary: 'The database answers', response: { 200: Status, ...problems(503) } },
    },
    async () => {
      try {
        await ctx.db.ping();
      } catch {
        throw new AppError('service_unavailable', 'The database does not answer');
      }
      return { status: 'ready' };
    },
  );
  app.get(
    '/metrics',
    {
      config: { auth: 'none' },
      schema: { tags: ['operations'], summary: 'Prometheus metrics', produces: ['text/plain'] },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}
