// Linked calendars (read-only iCalendar feeds): their busy time blocks availability, slots
// and meetings; they are read again in the background; a feed that fails keeps its last
// busy time and says so; unlinking frees the time.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';
import { createEventType, newHost, type Host } from './booking-helpers';

const ics = (...events: [string, string][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    ...events.flatMap(([start, end], i) => [
      'BEGIN:VEVENT',
      `UID:e${i}@test`,
      'DTSTAMP:20260101T000000Z',
      `DTSTART:${start}`,
      `DTEND:${end}`,
      'SUMMARY:Private',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ].join('\r\n');

/** A feed server: `feed.body` is served at /secret/basic.ics; `feed.status` answers instead when not 200. */
async function feedServer() {
  const state = { body: ics(), status: 200, reads: 0 };
  const server = http.createServer((req, res) => {
    state.reads++;
    if (state.status !== 200) return res.writeHead(state.status).end('down');
    res
      .writeHead(200, { 'content-type': 'text/calendar' })
      .end(req.url === '/secret/basic.ics' ? state.body : 'not a calendar');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    state,
    url: `${base}/secret/basic.ics`,
    base,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

for (const store of STORES) {
  describe(`linked calendars [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    let feed: Awaited<ReturnType<typeof feedServer>>;
    before(async () => {
      feed = await feedServer();
      t = await startApp(store, { CALENDAR_REFRESH_SECONDS: '60' });
      t.clock.set('2026-03-02T06:00:00Z');
      host = await newHost(t.app, 'UTC'); // Mon–Fri 09:00–17:00 UTC
      await createEventType(t.app, host, { slug: 'intro', title: 'Intro', duration: 60 });
    });
    after(async () => {
      await t.close();
      await feed.close();
    });

    const day = async (date: string, token = host.token, user?: string) => {
      const path = user ? `/api/v1/users/${user}/availability` : '/api/v1/me/availability';
      const res = await call(t.app, 'GET', `${path}?from=${date}&to=${date}&timezone=UTC`, { token });
      assert.equal(res.status, 200, res.text);
      return res.body.days[0].intervals.map((i: any) => `${i.start.slice(11, 16)}-${i.end.slice(11, 16)}`);
    };
    const slots = async (date: string) =>
      (
        await call(t.app, 'GET', `/api/v1/public/${host.username}/intro/slots?date=${date}&timezone=UTC`)
      ).body.slots.map((s: any) => s.start.slice(11, 16));

    it('linking reads the feed at once; its busy time blocks availability, slots and meetings, for others too', async () => {
      feed.state.body = ics(['20260304T100000Z', '20260304T110000Z'], ['20260305T090000Z', '20260305T170000Z']);
      const linked = await call(t.app, 'POST', '/api/v1/calendars', {
        token: host.token,
        body: { provider: 'ics', url: feed.url, name: 'Work' },
      });
      assert.equal(linked.status, 201, linked.text);
      assert.deepEqual([linked.body.status, linked.body.busy_intervals, linked.body.name], ['ok', 2, 'Work']);
      assert.ok(!linked.body.url.includes('secret'), 'the feed URL is a secret: shown as scheme and host');

      assert.deepEqual(await day('2026-03-04'), ['09:00-10:00', '11:00-17:00']);
      assert.deepEqual(await day('2026-03-05'), []);
      const viewer = await signUp(t.app);
      assert.deepEqual(await day('2026-03-04', viewer.token, host.username), ['09:00-10:00', '11:00-17:00']);
      assert.deepEqual(await slots('2026-03-04'), ['09:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
      const taken = await call(t.app, 'POST', `/api/v1/public/${host.username}/intro/bookings`, {
        body: { start: '2026-03-04T10:00:00Z', invitee: { name: 'I', email: 'i@example.com', timezone: 'UTC' } },
      });
      assert.ok(isProblem(taken, 409), 'a busy slot cannot be booked');

      const other = await signUp(t.app, { timezone: 'UTC' });
      const meeting = await call(t.app, 'POST', '/api/v1/meetings', {
        token: other.token,
        body: {
          title: 'Sync',
          start: '2026-03-04T10:00:00Z',
          end: '2026-03-04T10:30:00Z',
          participants: [host.username],
        },
      });
      assert.ok(isProblem(meeting, 409), meeting.text);
      assert.equal(meeting.body.conflicts[0].reason, 'conflict');
      assert.ok(!JSON.stringify(meeting.body).includes('Private'), 'no titles of the busy time');
    });

    it('the feed is read again in the background; a failing feed keeps its busy time and says so', async () => {
      const [cal] = (await call(t.app, 'GET', '/api/v1/calendars', { token: host.token })).body.data;
      feed.state.body = ics(['20260304T130000Z', '20260304T140000Z']);
      const reads = feed.state.reads;
      t.clock.set(Date.parse(cal.next_sync_at) + 1000);
      for (let i = 0; i < 500 && feed.state.reads === reads; i++) await new Promise((r) => setTimeout(r, 20));
      let now: any;
      for (let i = 0; i < 250; i++) {
        now = (await call(t.app, 'GET', `/api/v1/calendars/${cal.id}`, { token: host.token })).body;
        if (now.synced_at !== cal.synced_at) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(now.busy_intervals, 1);
      assert.deepEqual(await day('2026-03-04'), ['09:00-13:00', '14:00-17:00']);

      feed.state.status = 503;
      const failed = await call(t.app, 'POST', `/api/v1/calendars/${cal.id}/sync`, { token: host.token });
      assert.equal(failed.status, 200);
      assert.deepEqual([failed.body.status, failed.body.error, failed.body.busy_intervals], ['error', 'HTTP 503', 1]);
      assert.deepEqual(
        await day('2026-03-04'),
        ['09:00-13:00', '14:00-17:00'],
        'the busy time read before still counts',
      );
      feed.state.status = 200;
      const back = await call(t.app, 'POST', `/api/v1/calendars/${cal.id}/sync`, { token: host.token });
      assert.deepEqual([back.body.status, back.body.error], ['ok', null]);
    });

    it('bad links are refused and change nothing; others cannot see yours; unlinking frees the time', async () => {
      for (const [body, status, field] of [
        [{ provider: 'ics', url: 'ftp://example.com/x.ics' }, 400, 'url'],
        [{ provider: 'ics', url: 'not a url' }, 400, 'url'],
        [{ provider: 'google', url: feed.url }, 400, 'provider'],
        [{ provider: 'ics' }, 400, 'url'],
        [{ provider: 'ics', url: `${feed.base}/other.ics` }, 422, 'url'],
        [{ provider: 'ics', url: 'http://127.0.0.1:9/none.ics' }, 422, 'url'],
      ] as const) {
        const res = await call(t.app, 'POST', '/api/v1/calendars', { token: host.token, body });
        assert.ok(isProblem(res, status), `${JSON.stringify(body)}: ${res.status} ${res.text}`);
        assert.ok(
          res.body.errors?.some((e: any) => e.field === field),
          JSON.stringify(res.body),
        );
      }
      const list = (await call(t.app, 'GET', '/api/v1/calendars', { token: host.token })).body.data;
      assert.equal(list.length, 1);
      const stranger = await signUp(t.app);
      assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/calendars/${list[0].id}`, { token: stranger.token }), 404));
      assert.ok(
        isProblem(await call(t.app, 'DELETE', `/api/v1/calendars/${list[0].id}`, { token: stranger.token }), 404),
      );
      assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/calendars'), 401));
      const readOnly = await call(t.app, 'PATCH', `/api/v1/calendars/${list[0].id}`, {
        token: host.token,
        body: { write_bookings: true },
      });
      assert.ok(isProblem(readOnly, 400), 'a feed is read-only: bookings cannot be written into it');
      const renamed = await call(t.app, 'PATCH', `/api/v1/calendars/${list[0].id}`, {
        token: host.token,
        body: { name: 'Office' },
      });
      assert.equal(renamed.body.name, 'Office');
      assert.equal((await call(t.app, 'DELETE', `/api/v1/calendars/${list[0].id}`, { token: host.token })).status, 204);
      assert.deepEqual(await day('2026-03-04'), ['09:00-17:00']);
    });
  });
}
