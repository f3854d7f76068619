// The web booking page at /{username}/{slug} and its two static assets. The page works
// without an account, by keyboard, on a phone; it only calls the public booking API.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import type { AppContext } from '../../context';
import { AppError } from '../../http/errors';
import type { TypedApp } from '../../http/typed-app';
import { describeLink } from '../bookings/public';
import { bookingPage, hostPage, notFoundPage } from './page';

const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function webRoutes(app: TypedApp, ctx: AppContext): void {
  const assets = {
    'booking.js': { type: 'text/javascript; charset=utf-8', body: fs.readFileSync(path.join(ASSETS, 'booking.js')) },
    'booking.css': { type: 'text/css; charset=utf-8', body: fs.readFileSync(path.join(ASSETS, 'booking.css')) },
    'host.js': { type: 'text/javascript; charset=utf-8', body: fs.readFileSync(path.join(ASSETS, 'host.js')) },
    'host.css': { type: 'text/css; charset=utf-8', body: fs.readFileSync(path.join(ASSETS, 'host.css')) },
  };
  for (const [name, asset] of Object.entries(assets)) {
    app.get(`/assets/${name}`, { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=300').headers(SECURITY_HEADERS).send(asset.body),
    );
  }

  app.get(
    '/app',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['web'],
        summary: 'The host pages: sign up or log in, event types, availability, bookings (HTML)',
        produces: ['text/html'],
      },
    },
    async (_request, reply) => reply.headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(hostPage()),
  );

  app.get(
    '/:username/:slug',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['web'],
        summary: 'The booking page of a link (HTML)',
        params: Type.Object({ username: Type.String({ maxLength: 100 }), slug: Type.String({ maxLength: 100 }) }),
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      reply.headers(SECURITY_HEADERS).type('text/html; charset=utf-8');
      try {
        const link = await describeLink(ctx, request.params.username, request.params.slug);
        return reply.send(bookingPage(link));
      } catch (error) {
        if (error instanceof AppError && (error.status === 404 || error.status === 410)) {
          return reply.code(error.status).send(notFoundPage());
        }
        throw error;
      }
    },
  );
}
