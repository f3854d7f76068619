// Google Calendar, against a local stand-in of Google's OAuth and Calendar APIs: the consent
// URL, the callback that links the primary calendar (refresh token sealed), its free/busy
// blocking availability, and bookings written into it and deleted from it.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, startApp, STORES, type TestApp } from '../helpers/app';
import { book, createEventType, newHost, type Host } from './booking-helpers';

/** The parts of Google this service uses: token endpoint, freeBusy, events. */
async function googleStandIn() {
  const state = {
    busy: [] as { start: string; end: string }[],
    events: new Map<string, any>(),
    tokenRequests: [] as URLSearchParams[],
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const json = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (url.pathname === '/token') {
        const form = new URLSearchParams(body);
        state.tokenRequests.push(form);
        if (form.get('client_id') !== 'cid' || form.get('client_secret') !== 'csecret')
          return json(401, { error: 'invalid_client' });
        if (form.get('grant_type') === 'authorization_code' && form.get('code') === 'good-code')
          return json(200, { access_token: 'at-1', refresh_token: 'rt-secret-1', expires_in: 3600 });
        if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'rt-secret-1')
          return json(200, { access_token: 'at-2', expires_in: 3600 });
        return json(400, { error: 'invalid_grant' });
      }
      if (!/^Bearer at-[12]$/.test(String(req.headers.authorization))) return json(401, { error: 'unauthenticated' });
      if (url.pathname === '/calendar/v3/freeBusy' && req.method === 'POST') {
        const ask = JSON.parse(body);
        // Like Google: the events in the calendar are busy time too (the bookings written there included).
        const events = [...state.events.values()].map((e) => ({ start: e.start.dateTime, end: e.end.dateTime }));
        return json(200, {
          kind: 'calendar#freeBusy',
          timeMin: ask.timeMin,
          timeMax: ask.timeMax,
          calendars: { [ask.items[0].id]: { busy: [...state.busy, ...events] } },
        });
      }
      const m = /^\/calendar\/v3\/calendars\/primary\/events(?:\/([^/]+))?$/.exec(url.pathname);
      if (m) {
        const id = m[1];
        if (req.method === 'POST' && !id) {
          const event = JSON.parse(body);
          state.events.set(event.id, event);
          return json(200, event);
        }
        if (req.method === 'PUT' && id) {
          if (!state.events.has(id)) return json(404, { error: 'not found' });
          state.events.set(id, { ...JSON.parse(body), id });
          return json(200, state.events.get(id));
        }
        if (req.method === 'DELETE' && id)
          return state.events.delete(id) ? res.writeHead(204).end() : json(410, { error: 'gone' });
      }
      json(404, { error: 'no such endpoint' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

for (const store of STORES) {
  describe(`Google Calendar [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    let g: Awaited<ReturnType<typeof googleStandIn>>;
    before(async () => {
      g = await googleStandIn();
      t = await startApp(store, {
        GOOGLE_CLIENT_ID: 'cid',
        GOOGLE_CLIENT_SECRET: 'csecret',
        GOOGLE_AUTH_URL: `${g.base}/auth`,
        GOOGLE_TOKEN_URL: `${g.base}/token`,
        GOOGLE_API_URL: g.base,
        SECRET_KEY: 'a-test-secret-key-of-at-least-32-characters',
      });
      t.clock.set('2026-03-02T06:00:00Z');
      host = await newHost(t.app, 'UTC');
    });
    after(async () => {
      await t.close();
      await g.close();
    });

    const day = async (date: string) =>
      (
        await call(t.app, 'GET', `/api/v1/me/availability?from=${date}&to=${date}&timezone=UTC`, { token: host.token })
      ).body.days[0].intervals.map((i: any) => `${i.start.slice(11, 16)}-${i.end.slice(11, 16)}`);

    it('consent, callback, free/busy: the primary calendar is linked and its busy time counts; the refresh token is sealed', async () => {
      const authorize = await call(t.app, 'GET', '/api/v1/calendars/google/authorize', { token: host.token });
      assert.equal(authorize.status, 200, authorize.text);
      const consent = new URL(authorize.body.url);
      assert.equal(consent.origin + consent.pathname, `${g.base}/auth`);
      assert.equal(consent.searchParams.get('client_id'), 'cid');
      assert.equal(consent.searchParams.get('redirect_uri'), 'http://localhost:3000/api/v1/calendars/google/callback');
      assert.equal(consent.searchParams.get('access_type'), 'offline');
      const state = consent.searchParams.get('state')!;

      assert.ok(
        isProblem(await call(t.app, 'GET', `/api/v1/calendars/google/callback?code=good-code&state=${state}x`), 400),
        'a forged state',
      );
      assert.ok(
        isProblem(await call(t.app, 'GET', `/api/v1/calendars/google/callback?code=bad-code&state=${state}`), 422),
        'a refused code',
      );
      assert.ok(
        isProblem(
          await call(t.app, 'GET', `/api/v1/calendars/google/callback?error=access_denied&state=${state}`),
          400,
        ),
      );

      g.state.busy = [{ start: '2026-03-04T10:00:00Z', end: '2026-03-04T11:30:00Z' }];
      const linked = await call(
        t.app,
        'GET',
        `/api/v1/calendars/google/callback?code=good-code&state=${encodeURIComponent(state)}`,
      );
      assert.equal(linked.status, 201, linked.text);
      assert.deepEqual([linked.body.provider, linked.body.status, linked.body.busy_intervals], ['google', 'ok', 1]);
      assert.deepEqual(await day('2026-03-04'), ['09:00-10:00', '11:30-17:00']);
      const [row] = await t.store.db.query<Record<string, unknown>>('SELECT * FROM calendars WHERE id = $1', [
        linked.body.id,
      ]);
      assert.ok(!JSON.stringify(row).includes('rt-secret-1'), 'the refresh token is stored sealed');

      g.state.busy = [];
      const again = await call(t.app, 'POST', `/api/v1/calendars/${linked.body.id}/sync`, { token: host.token });
      assert.deepEqual([again.body.status, again.body.busy_intervals], ['ok', 0]);
      assert.equal(g.state.tokenRequests.at(-1)!.get('grant_type'), 'refresh_token', 'a read uses the refresh token');
    });

    it('chosen for writing, it gets each booking as an event, moved with it and deleted when cancelled', async () => {
      const [cal] = (await call(t.app, 'GET', '/api/v1/calendars', { token: host.token })).body.data;
      assert.equal(
        (
          await call(t.app, 'PATCH', `/api/v1/calendars/${cal.id}`, {
            token: host.token,
            body: { write_bookings: true },
          })
        ).status,
        200,
      );
      await createEventType(t.app, host, { slug: 'intro', title: 'Intro', duration: 60, slot_interval: 30 });
      const booked = await book(t.app, host, 'intro', '2026-03-05T09:00:00Z');
      assert.equal(booked.status, 201, booked.text);
      const id = booked.body.id.replace(/-/g, '');
      const until = async (ok: () => boolean) => {
        for (let i = 0; i < 250 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
        assert.ok(ok());
      };
      await until(() => g.state.events.has(id));
      assert.equal(g.state.events.get(id).start.dateTime, '2026-03-05T09:00:00.000Z');
      assert.match(g.state.events.get(id).summary, /^Intro with /);

      // Read back, Google shows the booking as busy: moving it onto part of its own time still works.
      assert.equal(
        (await call(t.app, 'POST', `/api/v1/calendars/${cal.id}/sync`, { token: host.token })).body.busy_intervals,
        1,
      );
      const moved = await call(t.app, 'POST', `/api/v1/bookings/${booked.body.id}/reschedule`, {
        token: host.token,
        body: { start: '2026-03-05T09:30:00Z' },
      });
      assert.equal(moved.status, 200, moved.text);
      await until(() => g.state.events.get(id)?.start.dateTime === '2026-03-05T09:30:00.000Z');

      assert.equal(
        (await call(t.app, 'POST', `/api/v1/bookings/${booked.body.id}/cancel`, { token: host.token, body: {} }))
          .status,
        200,
      );
      await until(() => !g.state.events.has(id));
    });
  });
}

describe('Google Calendar not configured', () => {
  it('is a 503, and the configuration must be whole', async () => {
    const t = await startApp(STORES[0]!);
    try {
      const host = await newHost(t.app);
      assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/calendars/google/authorize', { token: host.token }), 503));
    } finally {
      await t.close();
    }
    const { loadConfig } = await import('../../src/config');
    assert.throws(() => loadConfig({ GOOGLE_CLIENT_ID: 'x', GOOGLE_CLIENT_SECRET: 'y' }), /SECRET_KEY/);
    assert.throws(() => loadConfig({ GOOGLE_CLIENT_ID: 'x' }), /GOOGLE_CLIENT_SECRET/);
    assert.throws(() => loadConfig({ SECRET_KEY: 'short' }), /SECRET_KEY/);
  });
});
