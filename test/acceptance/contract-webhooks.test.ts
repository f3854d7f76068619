// Black-box acceptance tests of SPEC.md §6 Notifications (webhooks) and the "Conventions" it
// relies on, written from the contract (SPEC.md, README.md "Webhooks" and "API conventions")
// only. Deliveries are real HTTP POSTs from the app's dispatcher to a receiver this file runs
// on 127.0.0.1; every wait is a poll with a deadline, never a bare sleep.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { assertHidden, assertProblem, assertValidation } from './assertions';
import { call, signUp, startApp, STORES, type TestApp } from '../helpers/app';

const NOW = '2026-03-01T00:00:00Z'; // a Sunday; 2026-03-02 is a Monday
const MONDAY = '2026-03-02';
const INVITEE = { name: 'Ivy Invitee', email: 'ivy@example.com', timezone: 'Europe/Berlin' };
const DEADLINE_MS = 10_000;
const RETRY_SECONDS = 30; // README: WEBHOOK_RETRY_SECONDS, default 30
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$/;

const ms = (s: string) => Date.parse(s);
const sleep = (m: number) => new Promise((r) => setTimeout(r, m));
const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

/** Polls `probe` every ~20 ms until it answers something truthy; fails after the deadline. */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeout = DEADLINE_MS,
): Promise<T> {
  const end = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    const v = await probe();
    if (v) return v as T;
    last = v;
    if (Date.now() > end)
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(20);
  }
}

// ---- The receiver ---------------------------------------------------------------------------

interface Received {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  text: string;
  body: any;
}

type Reply = { status: number; headers?: Record<string, string> };

class Receiver {
  private server!: Server;
  private port = 0;
  private seq = 0;
  readonly received: Received[] = [];
  /** How a path answers; 200 unless told. */
  readonly replies = new Map<string, () => Reply>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        const path = req.url ?? '';
        this.received.push({ path, method: req.method ?? '', headers: req.headers, raw, text, body });
        const reply = this.replies.get(path)?.() ?? { status: 200 };
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...(reply.headers ?? {}) });
        res.end(reply.status < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A fresh path of its own for one webhook. */
  path(label = 'hook'): string {
    return `/${label}/${++this.seq}`;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async waitFor(path: string, count: number, what = ''): Promise<Received[]> {
    return until(`${count} request(s) on ${path} ${what}`, () => {
      const got = this.on(path);
      return got.length >= count ? got : false;
    });
  }
}

function hmac(secret: string, timestamp: string, raw: Buffer): string {
  return createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), raw]))
    .digest('hex');
}

/** README: X-Slotwise-Signature: sha256=<hex>, HMAC-SHA256 under the secret of `<timestamp>.<body>`. */
function assertSigned(r: Received, secret: string, what = ''): void {
  const ts = String(r.headers['x-slotwise-timestamp'] ?? '');
  assert.match(ts, /^\d{9,11}$/, `${what} X-Slotwise-Timestamp is Unix seconds: ${ts}`);
  const sig = String(r.headers['x-slotwise-signature'] ?? '');
  assert.match(sig, /^sha256=[0-9a-f]{64}$/, `${what} X-Slotwise-Signature: ${sig}`);
  assert.equal(sig, `sha256=${hmac(secret, ts, r.raw)}`, `${what} signature does not verify`);
}

/** The headers and envelope every delivery carries (README "Webhooks"). */
function assertEnvelope(r: Received, event: string, clockMs: number, what = ''): void {
  assert.equal(r.method, 'POST', what);
  assert.match(String(r.headers['content-type'] ?? ''), /json/, `${what} content-type`);
  assert.equal(r.headers['x-slotwise-event'], event, `${what} X-Slotwise-Event`);
  const delivery = r.headers['x-slotwise-delivery'];
  assert.ok(typeof delivery === 'string' && delivery.length > 0, `${what} X-Slotwise-Delivery`);
  // "Unix seconds of the attempt": near the app's clock or the real time.
  const ts = Number(r.headers['x-slotwise-timestamp']) * 1000;
  assert.ok(
    Math.abs(ts - clockMs) <= 300_000 || Math.abs(ts - Date.now()) <= 300_000,
    `${what} X-Slotwise-Timestamp ${r.headers['x-slotwise-timestamp']} is not the time of the attempt`,
  );
  assert.ok(r.body && typeof r.body === 'object', `${what} JSON body: ${r.text}`);
  assert.equal(typeof r.body.id, 'string', `${what} body.id: ${r.text}`);
  assert.equal(r.body.event, event, `${what} body.event: ${r.text}`);
  assert.match(String(r.body.created_at), RFC3339, `${what} body.created_at: ${r.text}`);
  assert.ok(r.body.data && typeof r.body.data === 'object', `${what} body.data: ${r.text}`);
}

// ---- Reading the deliveries log (README names its contents, not every field) ----------------

/** The body the log says was sent: the member holding `{event, data}` (object or JSON text). */
function sentBody(d: any): any {
  for (const v of Object.values(d ?? {})) {
    let x: any = v;
    if (typeof x === 'string') {
      try {
        x = JSON.parse(x);
      } catch {
        continue;
      }
    }
    if (x && typeof x === 'object' && !Array.isArray(x) && 'event' in x && 'data' in x) return x;
  }
  return undefined;
}

/** Whether the entry records the HTTP status `code` (as the last status, anywhere in it). */
function recordsStatus(d: any, code: number): boolean {
  const seen = new Set<any>();
  const walk = (v: any, key: string): boolean => {
    if (v === code && key !== 'attempts') return true;
    if (
      typeof v === 'string' &&
      key !== 'id' &&
      new RegExp(`\\b${code}\\b`).test(v) &&
      key !== 'body' &&
      !/payload|request/.test(key)
    )
      return true;
    if (v && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      return Object.entries(v).some(([k, x]) => k !== 'body' && k !== 'payload' && walk(x, k));
    }
    return false;
  };
  return walk(d, '');
}

const eventOf = (d: any): string | undefined => d?.event ?? sentBody(d)?.event;

for (const store of STORES) {
  describe(`contract: webhooks (${store})`, () => {
    let t: TestApp;
    const rx = new Receiver();

    before(async () => {
      await rx.start();
      t = await startApp(store);
      t.clock.set(NOW);
    });
    beforeEach(() => {
      t.clock.set(NOW);
    });
    after(async () => {
      await t?.close();
      await rx.stop();
    });

    async function host(timezone = 'UTC') {
      const h = await signUp(t.app, { timezone });
      const et = await call(t.app, 'POST', '/api/v1/event-types', {
        token: h.token,
        body: { slug: 'intro', title: 'Intro call' },
      });
      assert.equal(et.status, 201, et.text);
      return { ...h, et: et.body, base: `/api/v1/public/${h.username}/intro` };
    }

    async function book(base: string, start: string) {
      const res = await call(t.app, 'POST', `${base}/bookings`, { body: { start, invitee: INVITEE } });
      assert.equal(res.status, 201, res.text);
      return res.body;
    }

    async function hook(token: string, path: string, events: string[], extra: Record<string, unknown> = {}) {
      const res = await call(t.app, 'POST', '/api/v1/webhooks', {
        token,
        body: { url: rx.url(path), events, ...extra },
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(typeof res.body.secret, 'string', `the secret is shown in the answer that sets it: ${res.text}`);
      return { id: res.body.id as string, secret: res.body.secret as string, path, body: res.body };
    }

    async function deliveries(token: string, id: string, query = '') {
      const res = await call(t.app, 'GET', `/api/v1/webhooks/${id}/deliveries${query}`, { token });
      assert.equal(res.status, 200, res.text);
      assert.ok(Array.isArray(res.body?.data), `{data, next_cursor}: ${res.text}`);
      return res.body.data as any[];
    }

    /**
     * Whether attempt `n` of a delivery has its outcome in the log: finished, or pending with a
     * next attempt that is not the 60-second claim lease of an attempt still in flight (README:
     * the retry delays are 30 s × 3^k, never 60 s).
     */
    function settled(x: any, n: number): boolean {
      if (x.attempts !== n) return false;
      if (x.status !== 'pending') return true;
      return typeof x.next_attempt_at === 'string' && ms(x.next_attempt_at) !== t.clock.now() + 60_000;
    }

    /** Polls the log until one delivery (by id) satisfies `ok`. */
    async function logUntil(token: string, hookId: string, deliveryId: string, ok: (d: any) => boolean, what: string) {
      return until(what, async () => {
        const d = (await deliveries(token, hookId)).find((x) => x.id === deliveryId);
        return d && ok(d) ? d : false;
      });
    }

    // ---- CRUD ----------------------------------------------------------------------------------

    it('POST /webhooks: 201 with the subscription and a generated whsec_ secret shown only then; GET one and the list', async () => {
      const u = await signUp(t.app);
      const url = rx.url(rx.path('crud'));
      const res = await call(t.app, 'POST', '/api/v1/webhooks', {
        token: u.token,
        body: { url, events: ['booking.created', 'meeting.*'] },
      });
      assert.equal(res.status, 201, res.text);
      const wh = res.body;
      assert.equal(typeof wh.id, 'string');
      assert.equal(wh.url, url);
      assert.deepEqual(wh.events, ['booking.created', 'meeting.*']);
      assert.equal(wh.active, true, 'active by default');
      assert.match(wh.secret, /^whsec_.+/, 'a secret is generated as whsec_...');
      const secret = wh.secret as string;

      const one = await call(t.app, 'GET', `/api/v1/webhooks/${wh.id}`, { token: u.token });
      assert.equal(one.status, 200, one.text);
      assert.equal(one.body.id, wh.id);
      assert.equal(one.body.url, url);
      assert.deepEqual(one.body.events, ['booking.created', 'meeting.*']);
      assert.equal(one.body.active, true);
      assert.ok(!one.text.includes(secret), `GET shows the secret: ${one.text}`);

      const list = await call(t.app, 'GET', '/api/v1/webhooks', { token: u.token });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(
        list.body.data.map((x: any) => x.id),
        [wh.id],
      );
      assert.equal(list.body.next_cursor, null);
      assert.ok(!list.text.includes(secret), `the list shows the secret: ${list.text}`);

      // A secret given is the one used, and shown in that answer only.
      const given = await call(t.app, 'POST', '/api/v1/webhooks', {
        token: u.token,
        body: { url, events: ['*'], secret: 'my-own-secret-0123456789', active: false },
      });
      assert.equal(given.status, 201, given.text);
      assert.equal(given.body.secret, 'my-own-secret-0123456789');
      assert.equal(given.body.active, false);
      assert.deepEqual(given.body.events, ['*']);
      const again = await call(t.app, 'GET', `/api/v1/webhooks/${given.body.id}`, { token: u.token });
      assert.ok(!again.text.includes('my-own-secret-0123456789'), again.text);
    });

    it('PATCH changes the fields given; DELETE → 204, then 404 everywhere', async () => {
      const u = await signUp(t.app);
      const url = rx.url(rx.path('crud'));
      const wh = await call(t.app, 'POST', '/api/v1/webhooks', {
        token: u.token,
        body: { url, events: ['booking.*'] },
      });
      assert.equal(wh.status, 201, wh.text);
      const id = wh.body.id;

      const p1 = await call(t.app, 'PATCH', `/api/v1/webhooks/${id}`, {
        token: u.token,
        body: { events: ['booking.cancelled'] },
      });
      assert.equal(p1.status, 200, p1.text);
      assert.deepEqual(p1.body.events, ['booking.cancelled']);
      assert.equal(p1.body.url, url, 'url unchanged');
      assert.equal(p1.body.active, true, 'active unchanged');
      assert.ok(!p1.text.includes(wh.body.secret), `a PATCH that does not set the secret does not show it: ${p1.text}`);

      const url2 = rx.url(rx.path('crud'));
      const p2 = await call(t.app, 'PATCH', `/api/v1/webhooks/${id}`, {
        token: u.token,
        body: { url: url2, active: false },
      });
      assert.equal(p2.status, 200, p2.text);
      assert.equal(p2.body.url, url2);
      assert.equal(p2.body.active, false);
      assert.deepEqual(p2.body.events, ['booking.cancelled'], 'events unchanged');

      const p3 = await call(t.app, 'PATCH', `/api/v1/webhooks/${id}`, {
        token: u.token,
        body: { secret: 'rotated-secret-abcdef' },
      });
      assert.equal(p3.status, 200, p3.text);
      assert.equal(p3.body.secret, 'rotated-secret-abcdef', 'the answer that sets the secret shows it');

      const got = await call(t.app, 'GET', `/api/v1/webhooks/${id}`, { token: u.token });
      assert.equal(got.status, 200, got.text);
      assert.equal(got.body.url, url2);
      assert.equal(got.body.active, false);
      assert.deepEqual(got.body.events, ['booking.cancelled']);
      assert.ok(!got.text.includes('rotated-secret-abcdef'), got.text);

      assertValidation(
        await call(t.app, 'PATCH', `/api/v1/webhooks/${id}`, {
          token: u.token,
          body: { events: ['booking.exploded'] },
        }),
        'events',
      );
      assertValidation(
        await call(t.app, 'PATCH', `/api/v1/webhooks/${id}`, { token: u.token, body: { url: 'not a url' } }),
        'url',
      );

      const del = await call(t.app, 'DELETE', `/api/v1/webhooks/${id}`, { token: u.token });
      assert.equal(del.status, 204, del.text);
      assertProblem(await call(t.app, 'GET', `/api/v1/webhooks/${id}`, { token: u.token }), 404);
      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/webhooks/${id}`, { token: u.token, body: { active: true } }),
        404,
      );
      assertProblem(await call(t.app, 'DELETE', `/api/v1/webhooks/${id}`, { token: u.token }), 404);
      assertProblem(await call(t.app, 'GET', `/api/v1/webhooks/${id}/deliveries`, { token: u.token }), 404);
      const list = await call(t.app, 'GET', '/api/v1/webhooks', { token: u.token });
      assert.deepEqual(list.body.data, []);
    });

    it('webhooks are their owner’s only: others get 404 and never the content; no token is a 401', async () => {
      const owner = await signUp(t.app);
      const secretPath = rx.path('private-hook-zz');
      const wh = await hook(owner.token, secretPath, ['*']);
      const other = await signUp(t.app);
      const base = `/api/v1/webhooks/${wh.id}`;
      for (const [method, url, body] of [
        ['GET', base, undefined],
        ['PATCH', base, { url: rx.url(rx.path('hijack')) }],
        ['PATCH', base, { active: false }],
        ['DELETE', base, undefined],
        ['GET', `${base}/deliveries`, undefined],
      ] as const) {
        const res = await call(t.app, method, url, { token: other.token, body });
        assert.equal(res.status, 404, `${method} ${url} by another user: ${res.status} ${res.text}`);
        assertHidden(res, 'private-hook-zz', `${method} ${url}`);
      }
      const theirs = await call(t.app, 'GET', '/api/v1/webhooks', { token: other.token });
      assert.equal(theirs.status, 200, theirs.text);
      assert.deepEqual(theirs.body.data, [], 'another user’s list is empty');
      const still = await call(t.app, 'GET', base, { token: owner.token });
      assert.equal(still.status, 200, still.text);
      assert.equal(still.body.url, rx.url(secretPath));
      assert.equal(still.body.active, true);

      assertProblem(await call(t.app, 'GET', '/api/v1/webhooks'), 401);
      assertProblem(
        await call(t.app, 'POST', '/api/v1/webhooks', { body: { url: rx.url(rx.path()), events: ['*'] } }),
        401,
      );
      assertProblem(await call(t.app, 'GET', base), 401);
      assertProblem(await call(t.app, 'PATCH', base, { body: { active: false } }), 401);
      assertProblem(await call(t.app, 'DELETE', base), 401);
      assertProblem(await call(t.app, 'GET', `${base}/deliveries`), 401);
      assertProblem(await call(t.app, 'GET', '/api/v1/webhooks', { token: 'sws_not-a-real-token' }), 401);
      assertProblem(
        await call(t.app, 'GET', '/api/v1/webhooks/00000000-0000-4000-8000-000000000000', { token: owner.token }),
        404,
      );
    });

    it('bad url or events are a 400 problem+json naming the field; bad list parameters are a 400', async () => {
      const u = await signUp(t.app);
      const url = rx.url(rx.path('bad'));
      const cases: Array<[string, unknown]> = [
        ['url', { events: ['*'] }],
        ['url', { url: 'not a url', events: ['*'] }],
        ['url', { url: '', events: ['*'] }],
        ['url', { url: 12345, events: ['*'] }],
        ['url', { url: '/relative/path', events: ['*'] }],
        ['url', { url: 'ftp://example.com/hook', events: ['*'] }],
        ['events', { url }],
        ['events', { url, events: 'booking.created' }],
        ['events', { url, events: ['booking.exploded'] }],
        ['events', { url, events: ['booking.created', 'nope'] }],
        ['events', { url, events: ['meeting.*x'] }],
        ['events', { url, events: [42] }],
        ['active', { url, events: ['*'], active: 'yes' }],
        ['secret', { url, events: ['*'], secret: 5 }],
        ['url', { url: 'http://exa\u0000mple.com/', events: ['*'] }],
      ];
      for (const [field, body] of cases) {
        assertValidation(
          await call(t.app, 'POST', '/api/v1/webhooks', { token: u.token, body }),
          field,
          JSON.stringify(body),
        );
      }
      const list = await call(t.app, 'GET', '/api/v1/webhooks', { token: u.token });
      assert.deepEqual(list.body.data, [], 'nothing was created');
      // Every documented event name and wildcard is accepted.
      const all = [
        'booking.created',
        'booking.rescheduled',
        'booking.cancelled',
        'meeting.created',
        'meeting.updated',
        'meeting.cancelled',
        'booking.*',
        'meeting.*',
        '*',
      ];
      await hook(u.token, rx.path('all'), all);
      await hook(u.token, rx.path('all'), ['*']);
      await hook(u.token, rx.path('all'), ['meeting.updated']);
      const p1 = await call(t.app, 'GET', '/api/v1/webhooks?limit=2', { token: u.token });
      assert.equal(p1.status, 200, p1.text);
      assert.equal(p1.body.data.length, 2);
      assert.equal(typeof p1.body.next_cursor, 'string');
      const p2 = await call(
        t.app,
        'GET',
        `/api/v1/webhooks?limit=2&cursor=${encodeURIComponent(p1.body.next_cursor)}`,
        { token: u.token },
      );
      assert.equal(p2.status, 200, p2.text);
      assert.equal(p2.body.data.length, 1);
      assert.equal(p2.body.next_cursor, null);
      assert.equal(new Set([...p1.body.data, ...p2.body.data].map((x: any) => x.id)).size, 3);
      for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor!!']) {
        assertProblem(await call(t.app, 'GET', `/api/v1/webhooks?${bad}`, { token: u.token }), 400, bad);
      }
      const id = p1.body.data[0].id;
      for (const bad of ['limit=0', 'limit=101', 'cursor=not-a-cursor!!']) {
        assertProblem(
          await call(t.app, 'GET', `/api/v1/webhooks/${id}/deliveries?${bad}`, { token: u.token }),
          400,
          `deliveries ${bad}`,
        );
      }
      for (const [method, path] of [
        ['GET', '/api/v1/webhooks/not-a-uuid'],
        ['GET', '/api/v1/webhooks/not-a-uuid/deliveries'],
        ['PATCH', '/api/v1/webhooks/not-a-uuid'],
        ['POST', `/api/v1/webhooks/${id}/deliveries/not-a-uuid/redeliver`],
      ] as const) {
        const res = await call(t.app, method, path, {
          token: u.token,
          body: method === 'PATCH' ? { active: false } : method === 'POST' ? {} : undefined,
        });
        assert.ok(res.status === 400 || res.status === 404, `${method} ${path}: ${res.status} ${res.text}`);
        assertProblem(res, res.status, `${method} ${path}`);
      }
    });

    // ---- Deliveries ----------------------------------------------------------------------------

    it('booking.created / rescheduled / cancelled: signed POSTs with the headers, the envelope and UTC times, in order', async () => {
      const h = await host();
      const wh = await hook(h.token, rx.path('booking'), ['booking.*']);
      const b = await book(h.base, `${MONDAY}T10:00:00+01:00`); // 09:00Z
      const moved = await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: `${MONDAY}T11:00:00Z` } });
      assert.equal(moved.status, 200, moved.text);
      const cancelled = await call(t.app, 'POST', pathOf(b.cancel_url), { body: { reason: 'Cannot make it' } });
      assert.equal(cancelled.status, 200, cancelled.text);

      const got = await rx.waitFor(wh.path, 3, 'booking created, rescheduled, cancelled');
      assert.deepEqual(
        got.map((r) => r.headers['x-slotwise-event']),
        ['booking.created', 'booking.rescheduled', 'booking.cancelled'],
        'per webhook, deliveries are first attempted in the order of the events',
      );
      const [c, r, x] = got;
      for (const [req, event] of [
        [c, 'booking.created'],
        [r, 'booking.rescheduled'],
        [x, 'booking.cancelled'],
      ] as const) {
        assertEnvelope(req, event, ms(NOW), event);
        assertSigned(req, wh.secret, event);
        const bk = req.body.data.booking;
        assert.ok(bk && typeof bk === 'object', `${event}: data.booking: ${req.text}`);
        assert.equal(bk.id, b.id, `${event}: the booking`);
        assert.match(bk.start, UTC_INSTANT, `${event}: times in UTC: ${bk.start}`);
        assert.match(bk.end, UTC_INSTANT, `${event}: times in UTC: ${bk.end}`);
      }
      const ids = new Set(got.map((q) => q.headers['x-slotwise-delivery']));
      assert.equal(ids.size, 3, 'each event is a delivery of its own');
      assert.equal(new Set(got.map((q) => q.body.id)).size, 3, 'each event has an id of its own');

      assert.equal(ms(c.body.data.booking.start), ms(`${MONDAY}T09:00:00Z`));
      assert.equal(ms(c.body.data.booking.end), ms(`${MONDAY}T09:30:00Z`));
      assert.equal(c.body.data.booking.status, 'confirmed');
      assert.equal(c.body.data.previous, undefined, 'data.previous only on booking.rescheduled');

      assert.equal(ms(r.body.data.booking.start), ms(`${MONDAY}T11:00:00Z`));
      assert.equal(ms(r.body.data.booking.end), ms(`${MONDAY}T11:30:00Z`));
      const prev = r.body.data.previous;
      assert.ok(prev && typeof prev === 'object', `data.previous on booking.rescheduled: ${r.text}`);
      assert.match(prev.start, UTC_INSTANT);
      assert.match(prev.end, UTC_INSTANT);
      assert.equal(ms(prev.start), ms(`${MONDAY}T09:00:00Z`), 'previous.start');
      assert.equal(ms(prev.end), ms(`${MONDAY}T09:30:00Z`), 'previous.end');

      assert.equal(x.body.data.booking.status, 'cancelled');
      assert.equal(ms(x.body.data.booking.start), ms(`${MONDAY}T11:00:00Z`));
    });

    it('a host’s own cancellation and reschedule are delivered too; a rotated secret signs later deliveries', async () => {
      const h = await host();
      const wh = await hook(h.token, rx.path('hostside'), ['booking.rescheduled', 'booking.cancelled']);
      const b = await book(h.base, `${MONDAY}T13:00:00Z`);
      const mv = await call(t.app, 'POST', `/api/v1/bookings/${b.id}/reschedule`, {
        token: h.token,
        body: { start: `${MONDAY}T14:00:00Z` },
      });
      assert.equal(mv.status, 200, mv.text);
      const [r] = await rx.waitFor(wh.path, 1, 'booking.rescheduled');
      assertEnvelope(r, 'booking.rescheduled', ms(NOW));
      assertSigned(r, wh.secret);
      assert.equal(ms(r.body.data.previous.start), ms(`${MONDAY}T13:00:00Z`));

      const rot = await call(t.app, 'PATCH', `/api/v1/webhooks/${wh.id}`, {
        token: h.token,
        body: { secret: 'whsec_rotated-for-test' },
      });
      assert.equal(rot.status, 200, rot.text);
      const cx = await call(t.app, 'POST', `/api/v1/bookings/${b.id}/cancel`, { token: h.token, body: {} });
      assert.equal(cx.status, 200, cx.text);
      const got = await rx.waitFor(wh.path, 2, 'booking.cancelled');
      assertEnvelope(got[1], 'booking.cancelled', ms(NOW));
      assertSigned(got[1], 'whsec_rotated-for-test', 'after rotation');
      assert.notEqual(
        got[1].headers['x-slotwise-signature'],
        `sha256=${hmac(wh.secret, String(got[1].headers['x-slotwise-timestamp']), got[1].raw)}`,
      );
      assert.equal(got.length, 2, 'booking.created was not subscribed');
    });

    it('only subscribed events reach a webhook; other users’ webhooks get nothing; the log is the record', async () => {
      const h = await host();
      const all = await hook(h.token, rx.path('sub-all'), ['*']);
      const onlyCancel = await hook(h.token, rx.path('sub-cancel'), ['booking.cancelled']);
      const onlyMeetings = await hook(h.token, rx.path('sub-meet'), ['meeting.*']);
      const onlyCreated = await hook(h.token, rx.path('sub-created'), ['booking.created']);
      const stranger = await signUp(t.app);
      const theirs = await hook(stranger.token, rx.path('sub-stranger'), ['*']);

      const key = { 'idempotency-key': `wh-${h.username}` };
      const first = await call(t.app, 'POST', `${h.base}/bookings`, {
        body: { start: `${MONDAY}T15:00:00Z`, invitee: INVITEE },
        headers: key,
      });
      assert.equal(first.status, 201, first.text);
      const b = first.body;
      // A replay (same Idempotency-Key) books nothing, and a refused booking (409) commits nothing: no delivery.
      const replay = await call(t.app, 'POST', `${h.base}/bookings`, {
        body: { start: `${MONDAY}T15:00:00Z`, invitee: INVITEE },
        headers: key,
      });
      assert.equal(replay.status, 201, replay.text);
      assert.equal(replay.body.id, b.id);
      const taken = await call(t.app, 'POST', `${h.base}/bookings`, {
        body: { start: `${MONDAY}T15:00:00Z`, invitee: { ...INVITEE, email: 'late@example.com' } },
      });
      assertProblem(taken, 409, 'the slot is taken');
      const cx = await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} });
      assert.equal(cx.status, 200, cx.text);

      // Delivery rows are written with the change (README "Durable"), so the logs are complete now.
      const logAll = await deliveries(h.token, all.id);
      assert.deepEqual(
        logAll.map(eventOf),
        ['booking.cancelled', 'booking.created'],
        'newest first; one booking.created despite the replay and the 409',
      );
      assert.deepEqual((await deliveries(h.token, onlyCancel.id)).map(eventOf), ['booking.cancelled']);
      assert.deepEqual((await deliveries(h.token, onlyCreated.id)).map(eventOf), ['booking.created']);
      assert.deepEqual(await deliveries(h.token, onlyMeetings.id), []);
      assert.deepEqual(await deliveries(stranger.token, theirs.id), []);

      await rx.waitFor(all.path, 2);
      const [cancelReq] = await rx.waitFor(onlyCancel.path, 1);
      const [createdReq] = await rx.waitFor(onlyCreated.path, 1);
      assert.equal(cancelReq.headers['x-slotwise-event'], 'booking.cancelled');
      assertSigned(cancelReq, onlyCancel.secret);
      assert.equal(createdReq.headers['x-slotwise-event'], 'booking.created');
      assertSigned(createdReq, onlyCreated.secret);
      assert.equal(rx.on(onlyMeetings.path).length, 0, 'meeting.* got a booking event');
      assert.equal(rx.on(theirs.path).length, 0, 'another user’s webhook got this host’s booking');
      // Each webhook signs with its own secret.
      assert.throws(() => assertSigned(cancelReq, all.secret));
    });

    it('inactive or deleted webhooks get nothing; reactivated, only later events are sent', async () => {
      const h = await host();
      const marker = await hook(h.token, rx.path('marker'), ['*']);
      const inactive = await hook(h.token, rx.path('inactive'), ['*'], { active: false });
      const paused = await hook(h.token, rx.path('paused'), ['*']);
      const deleted = await hook(h.token, rx.path('deleted'), ['*']);
      const off = await call(t.app, 'PATCH', `/api/v1/webhooks/${paused.id}`, {
        token: h.token,
        body: { active: false },
      });
      assert.equal(off.status, 200, off.text);
      assert.equal((await call(t.app, 'DELETE', `/api/v1/webhooks/${deleted.id}`, { token: h.token })).status, 204);

      const b = await book(h.base, `${MONDAY}T16:00:00Z`);
      await rx.waitFor(marker.path, 1, 'the active webhook');
      for (const w of [inactive, paused]) {
        const log = await deliveries(h.token, w.id);
        assert.ok(
          !log.some((d) => d.status === 'pending' || d.status === 'delivered'),
          `an inactive webhook has deliveries: ${JSON.stringify(log)}`,
        );
      }
      assert.equal(rx.on(inactive.path).length, 0, 'inactive since creation');
      assert.equal(rx.on(paused.path).length, 0, 'deactivated by PATCH');
      assert.equal(rx.on(deleted.path).length, 0, 'deleted');

      const on = await call(t.app, 'PATCH', `/api/v1/webhooks/${paused.id}`, {
        token: h.token,
        body: { active: true },
      });
      assert.equal(on.status, 200, on.text);
      assert.equal(on.body.active, true);
      const cx = await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} });
      assert.equal(cx.status, 200, cx.text);
      await rx.waitFor(marker.path, 2, 'the active webhook, cancellation');
      const [first] = await rx.waitFor(paused.path, 1, 'the reactivated webhook');
      assert.equal(
        first.headers['x-slotwise-event'],
        'booking.cancelled',
        'the event missed while inactive is not sent later',
      );
      assertSigned(first, paused.secret);
      assert.deepEqual((await deliveries(h.token, paused.id)).map(eventOf), ['booking.cancelled']);
      assert.equal(rx.on(inactive.path).length, 0);
    });

    it('meeting.created / updated / cancelled reach every participant’s subscribed webhook, without other users’ e-mail', async () => {
      const a = await signUp(t.app, { timezone: 'UTC' });
      const b = await signUp(t.app, { timezone: 'UTC' });
      const c = await signUp(t.app, { timezone: 'UTC' });
      const aEmail = a.user.email ?? `${a.username}@example.com`;
      const bEmail = b.user.email ?? `${b.username}@example.com`;
      const ha = await hook(a.token, rx.path('meet-a'), ['meeting.*']);
      const haBookings = await hook(a.token, rx.path('meet-a-bookings'), ['booking.*']);
      const hb = await hook(b.token, rx.path('meet-b'), ['meeting.created', 'meeting.cancelled']);
      const hc = await hook(c.token, rx.path('meet-c'), ['*']);

      const m = await call(t.app, 'POST', '/api/v1/meetings', {
        token: a.token,
        body: {
          title: 'Planning',
          start: `${MONDAY}T10:00:00+01:00`,
          end: `${MONDAY}T10:30:00+01:00`,
          participants: [b.username],
        },
      });
      assert.equal(m.status, 201, m.text);
      const ch = await call(t.app, 'PATCH', `/api/v1/meetings/${m.body.id}`, {
        token: a.token,
        body: { title: 'Planning (moved)', start: `${MONDAY}T12:00:00Z`, end: `${MONDAY}T12:45:00Z` },
      });
      assert.equal(ch.status, 200, ch.text);
      const cx = await call(t.app, 'POST', `/api/v1/meetings/${m.body.id}/cancel`, { token: a.token, body: {} });
      assert.equal(cx.status, 200, cx.text);

      const ga = await rx.waitFor(ha.path, 3, 'organiser: created, updated, cancelled');
      assert.deepEqual(
        ga.map((r) => r.headers['x-slotwise-event']),
        ['meeting.created', 'meeting.updated', 'meeting.cancelled'],
      );
      const gb = await rx.waitFor(hb.path, 2, 'participant: created, cancelled');
      assert.deepEqual(
        gb.map((r) => r.headers['x-slotwise-event']),
        ['meeting.created', 'meeting.cancelled'],
      );

      for (const [req, secret, who, otherEmail] of [
        ...ga.map((r) => [r, ha.secret, 'organiser', bEmail] as const),
        ...gb.map((r) => [r, hb.secret, 'participant', aEmail] as const),
      ]) {
        const event = String(req.headers['x-slotwise-event']);
        assertEnvelope(req, event, ms(NOW), `${who} ${event}`);
        assertSigned(req, secret, `${who} ${event}`);
        const mt = req.body.data.meeting;
        assert.ok(mt && typeof mt === 'object', `${who} ${event}: data.meeting: ${req.text}`);
        assert.equal(mt.id, m.body.id);
        assert.match(mt.start, UTC_INSTANT, `${who} ${event}: times in UTC: ${mt.start}`);
        assert.match(mt.end, UTC_INSTANT, `${who} ${event}: times in UTC: ${mt.end}`);
        assert.ok(Array.isArray(mt.participants), `${who} ${event}: participants as the API shows them`);
        assert.ok(
          !req.text.toLowerCase().includes(otherEmail.toLowerCase()),
          `${who} ${event} shows another user’s e-mail ${otherEmail}: ${req.text}`,
        );
      }
      assert.equal(ms(ga[0].body.data.meeting.start), ms(`${MONDAY}T09:00:00Z`));
      assert.equal(ga[0].body.data.meeting.title, 'Planning');
      assert.equal(ga[1].body.data.meeting.title, 'Planning (moved)');
      assert.equal(ms(ga[1].body.data.meeting.start), ms(`${MONDAY}T12:00:00Z`));
      assert.equal(ga[2].body.data.meeting.status, 'cancelled');
      assert.equal(gb[1].body.data.meeting.status, 'cancelled');

      assert.deepEqual(
        (await deliveries(b.token, hb.id)).map(eventOf),
        ['meeting.cancelled', 'meeting.created'],
        'meeting.updated was not subscribed',
      );
      assert.deepEqual(await deliveries(c.token, hc.id), [], 'a user outside the meeting hears nothing');
      assert.deepEqual(await deliveries(a.token, haBookings.id), [], 'booking.* does not match meeting events');

      // A participant declining is a meeting.updated for the organiser.
      const m2 = await call(t.app, 'POST', '/api/v1/meetings', {
        token: a.token,
        body: { title: 'Review', start: `${MONDAY}T14:00:00Z`, end: `${MONDAY}T14:30:00Z`, participants: [b.username] },
      });
      assert.equal(m2.status, 201, m2.text);
      const dec = await call(t.app, 'POST', `/api/v1/meetings/${m2.body.id}/decline`, { token: b.token, body: {} });
      assert.ok(dec.status === 200 || dec.status === 204, `${dec.status} ${dec.text}`);
      const ga2 = await rx.waitFor(ha.path, 5, 'organiser: second meeting created, declined');
      assert.deepEqual(
        ga2.slice(3).map((r) => r.headers['x-slotwise-event']),
        ['meeting.created', 'meeting.updated'],
      );
      const declined = ga2[4].body.data.meeting;
      assert.equal(declined.id, m2.body.id);
      const pb = declined.participants.find((p: any) => p.username === b.username);
      assert.equal(pb?.status, 'declined', JSON.stringify(declined.participants));
      assert.ok(!ga2[4].text.toLowerCase().includes(bEmail.toLowerCase()));
    });

    it('GET .../deliveries: newest first, with status, attempts, the last HTTP status and the body sent', async () => {
      const h = await host();
      const wh = await hook(h.token, rx.path('log'), ['*']);
      const b = await book(h.base, `${MONDAY}T09:30:00Z`);
      const [req] = await rx.waitFor(wh.path, 1);
      const did = String(req.headers['x-slotwise-delivery']);
      const d = await logUntil(
        h.token,
        wh.id,
        did,
        (x) => x.status === 'delivered',
        'the delivery recorded as delivered',
      );
      assert.equal(d.attempts, 1, JSON.stringify(d));
      assert.ok(recordsStatus(d, 200), `the last HTTP status (200) is in the log: ${JSON.stringify(d)}`);
      const sent = sentBody(d);
      assert.ok(sent, `the body sent is in the log: ${JSON.stringify(d)}`);
      assert.deepEqual(sent, req.body, 'the logged body is the body sent');
      assert.equal(eventOf(d), 'booking.created');

      const cx = await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} });
      assert.equal(cx.status, 200, cx.text);
      const got = await rx.waitFor(wh.path, 2);
      const did2 = String(got[1].headers['x-slotwise-delivery']);
      await logUntil(h.token, wh.id, did2, (x) => x.status === 'delivered', 'the second delivery delivered');
      const res = await call(t.app, 'GET', `/api/v1/webhooks/${wh.id}/deliveries`, { token: h.token });
      assert.equal(res.status, 200, res.text);
      assert.ok('next_cursor' in res.body, `{data, next_cursor}: ${res.text}`);
      assert.equal(res.body.next_cursor, null);
      assert.deepEqual(
        res.body.data.map((x: any) => x.id),
        [did2, did],
        'newest first',
      );
      const p1 = await call(t.app, 'GET', `/api/v1/webhooks/${wh.id}/deliveries?limit=1`, { token: h.token });
      assert.equal(p1.status, 200, p1.text);
      assert.deepEqual(
        p1.body.data.map((x: any) => x.id),
        [did2],
      );
      assert.equal(typeof p1.body.next_cursor, 'string');
      const p2 = await call(
        t.app,
        'GET',
        `/api/v1/webhooks/${wh.id}/deliveries?limit=1&cursor=${encodeURIComponent(p1.body.next_cursor)}`,
        { token: h.token },
      );
      assert.deepEqual(
        p2.body.data.map((x: any) => x.id),
        [did],
      );
      assert.equal(p2.body.next_cursor, null);
    });

    it('a receiver answering 500 is retried after 30 s, then 3× longer, with the same delivery id; a later 2xx is recorded as delivered', async () => {
      const h = await host();
      const path = rx.path('retry');
      let answer = 500;
      rx.replies.set(path, () => ({ status: answer }));
      const wh = await hook(h.token, path, ['booking.created']);
      const b = await book(h.base, `${MONDAY}T10:30:00Z`);

      const [first] = await rx.waitFor(path, 1, 'first attempt');
      assertEnvelope(first, 'booking.created', ms(NOW));
      assertSigned(first, wh.secret, 'attempt 1');
      const did = String(first.headers['x-slotwise-delivery']);
      const d1 = await logUntil(h.token, wh.id, did, (x) => settled(x, 1), 'the outcome of attempt 1');
      assert.equal(d1.status, 'pending', JSON.stringify(d1));
      assert.ok(recordsStatus(d1, 500), `the last HTTP status (500) is in the log: ${JSON.stringify(d1)}`);
      assert.match(d1.next_attempt_at, RFC3339);
      assert.equal(
        ms(d1.next_attempt_at) - ms(NOW),
        RETRY_SECONDS * 1000,
        `first retry after 30 s: ${d1.next_attempt_at}`,
      );

      // Not due yet: nothing more is sent until the clock reaches next_attempt_at.
      t.clock.set(ms(d1.next_attempt_at) - 1000);
      await sleep(300);
      assert.equal(rx.on(path).length, 1, 'retried before next_attempt_at');

      t.clock.set(d1.next_attempt_at);
      const [, second] = await rx.waitFor(path, 2, 'second attempt');
      assert.equal(second.headers['x-slotwise-delivery'], did, 'every attempt of one delivery has the same id');
      assert.equal(second.body.id, first.body.id, 'the same event');
      assertSigned(second, wh.secret, 'attempt 2');
      assert.ok(
        Number(second.headers['x-slotwise-timestamp']) >= Number(first.headers['x-slotwise-timestamp']),
        'each attempt is stamped with its own time',
      );
      const d2 = await logUntil(h.token, wh.id, did, (x) => settled(x, 2), 'the outcome of attempt 2');
      assert.equal(d2.status, 'pending', JSON.stringify(d2));
      assert.ok(recordsStatus(d2, 500), `the last HTTP status (500) is in the log: ${JSON.stringify(d2)}`);
      assert.equal(
        ms(d2.next_attempt_at) - ms(d1.next_attempt_at),
        3 * RETRY_SECONDS * 1000,
        `then 3× longer: ${d2.next_attempt_at}`,
      );

      answer = 200;
      t.clock.set(d2.next_attempt_at);
      const [, , third] = await rx.waitFor(path, 3, 'third attempt');
      assert.equal(third.headers['x-slotwise-delivery'], did);
      assertSigned(third, wh.secret, 'attempt 3');
      assert.equal(third.body.data.booking.id, b.id);
      const d3 = await logUntil(h.token, wh.id, did, (x) => x.status === 'delivered', 'delivered after the retry');
      assert.equal(d3.attempts, 3, JSON.stringify(d3));
      assert.ok(recordsStatus(d3, 200), `the last HTTP status (200) is in the log: ${JSON.stringify(d3)}`);
      const log = await deliveries(h.token, wh.id);
      assert.equal(log.length, 1, 'one delivery, several attempts');
    });

    it('after 8 failed attempts a delivery is failed; redirects are not followed', async () => {
      const h = await host();
      const path = rx.path('dead');
      const target = rx.path('redirect-target');
      rx.replies.set(path, () => ({ status: 503 }));
      const wh = await hook(h.token, path, ['booking.created']);
      const redirecting = rx.path('redirecting');
      rx.replies.set(redirecting, () => ({ status: 302, headers: { location: rx.url(target) } }));
      const wr = await hook(h.token, redirecting, ['booking.created']);
      await book(h.base, `${MONDAY}T11:30:00Z`);

      const [r1] = await rx.waitFor(redirecting, 1, 'the redirected attempt');
      const rd = await logUntil(
        h.token,
        wr.id,
        String(r1.headers['x-slotwise-delivery']),
        (x) => settled(x, 1),
        'the outcome of the redirected attempt',
      );
      assert.equal(rd.status, 'pending', `a 302 is not a success: ${JSON.stringify(rd)}`);
      assert.ok(recordsStatus(rd, 302), `the last HTTP status (302) is in the log: ${JSON.stringify(rd)}`);
      assert.equal(ms(rd.next_attempt_at) - ms(NOW), RETRY_SECONDS * 1000, 'retried after 30 s like any failure');
      assert.equal(rx.on(target).length, 0, 'the redirect was followed');
      // Silence the redirecting webhook from here on.
      assert.equal(
        (await call(t.app, 'PATCH', `/api/v1/webhooks/${wr.id}`, { token: h.token, body: { active: false } })).status,
        200,
      );

      const [first] = await rx.waitFor(path, 1);
      const did = String(first.headers['x-slotwise-delivery']);
      let expectedDelay = RETRY_SECONDS * 1000;
      let d: any;
      for (let attempt = 1; attempt <= 8; attempt++) {
        await rx.waitFor(path, attempt, `attempt ${attempt}`);
        d = await logUntil(h.token, wh.id, did, (x) => settled(x, attempt), `the outcome of attempt ${attempt}`);
        if (attempt < 8) {
          assert.equal(d.status, 'pending', `after attempt ${attempt}: ${JSON.stringify(d)}`);
          assert.equal(
            ms(d.next_attempt_at) - t.clock.now(),
            expectedDelay,
            `delay after attempt ${attempt}: ${d.next_attempt_at}`,
          );
          expectedDelay *= 3;
          t.clock.set(d.next_attempt_at);
        }
      }
      assert.equal(d.status, 'failed', `8 attempts in all, then failed: ${JSON.stringify(d)}`);
      assert.equal(d.attempts, 8);
      assert.ok(recordsStatus(d, 503), `the last HTTP status (503) is in the log: ${JSON.stringify(d)}`);
      assert.ok(rx.on(path).every((r) => r.headers['x-slotwise-delivery'] === did));
      assert.equal(rx.on(path).length, 8);
    });

    it('POST .../deliveries/{id}/redeliver sends a finished delivery again; only its owner may', async () => {
      const h = await host();
      const wh = await hook(h.token, rx.path('redeliver'), ['booking.created']);
      const b = await book(h.base, `${MONDAY}T12:30:00Z`);
      const [first] = await rx.waitFor(wh.path, 1);
      const did = String(first.headers['x-slotwise-delivery']);
      await logUntil(h.token, wh.id, did, (x) => x.status === 'delivered', 'delivered');

      const other = await signUp(t.app);
      const stolen = await call(t.app, 'POST', `/api/v1/webhooks/${wh.id}/deliveries/${did}/redeliver`, {
        token: other.token,
        body: {},
      });
      assert.equal(stolen.status, 404, stolen.text);
      assertProblem(stolen, 404);
      assertProblem(
        await call(t.app, 'POST', `/api/v1/webhooks/${wh.id}/deliveries/${did}/redeliver`, { body: {} }),
        401,
      );
      assert.equal(rx.on(wh.path).length, 1);

      const again = await call(t.app, 'POST', `/api/v1/webhooks/${wh.id}/deliveries/${did}/redeliver`, {
        token: h.token,
        body: {},
      });
      assert.ok(again.status >= 200 && again.status < 300, `${again.status} ${again.text}`);
      const [, second] = await rx.waitFor(wh.path, 2, 'the redelivery');
      assertEnvelope(second, 'booking.created', ms(NOW), 'redelivery');
      assertSigned(second, wh.secret, 'redelivery');
      assert.equal(second.body.data.booking.id, b.id);
      assert.equal(second.body.id, first.body.id, 'the same event is sent again');
    });
  });
}
