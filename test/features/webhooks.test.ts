// Webhooks as an integrator uses them: subscribe a URL, receive signed deliveries of what
// happens to bookings and meetings, read the delivery log; failures are retried with growing
// delays and end as failed; deliveries are written with the change, so none is lost.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';
import { MAX_ATTEMPTS, retryDelayMs } from '../../src/jobs/retry';
import { book, createEventType, newHost, type Host } from './booking-helpers';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

/** A local receiver: records what it gets, answers with `status()` (200 by default). */
async function receiver() {
  const got: Received[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    got,
    answer(code: number) {
      status = code;
    },
    /** Waits until `n` requests have arrived (or fails after 10 s). */
    async waitFor(n: number): Promise<Received[]> {
      const deadline = Date.now() + 10_000;
      while (got.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(got.length >= n, `expected ${n} deliveries, got ${got.length}`);
      return got;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function verify(r: Received, secret: string): void {
  const timestamp = String(r.headers['x-slotwise-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`;
  assert.equal(r.headers['x-slotwise-signature'], expected, 'HMAC-SHA256 of timestamp.body');
  assert.equal(r.headers['x-slotwise-event'], r.json.event);
  assert.equal(r.headers['x-slotwise-delivery'], r.json.id);
  assert.equal(r.headers['content-type'], 'application/json');
}

for (const store of STORES) {
  describe(`webhooks [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    let hook: Awaited<ReturnType<typeof receiver>>;
    /** The delivery log once `done(log)` holds (polled: the outcome is recorded just after the receiver answers). */
    async function logWhen(id: string, done: (log: any[]) => boolean): Promise<any[]> {
      let log: any[] = [];
      for (let i = 0; i < 250; i++) {
        log = (await call(t.app, 'GET', `/api/v1/webhooks/${id}/deliveries`, { token: host.token })).body.data;
        if (done(log)) return log;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.fail(`delivery log never settled: ${JSON.stringify(log)}`);
    }

    before(async () => {
      t = await startApp(store);
      t.clock.set('2026-03-02T06:00:00Z');
      host = await newHost(t.app);
      await createEventType(t.app, host, { slug: 'intro', title: 'Intro' });
      hook = await receiver();
    });
    after(async () => {
      await t.close();
      await hook.close();
    });
    // Each test's webhooks go with it, whether it passed or not, so they cannot hear the next one's events.
    afterEach(async () => {
      const list = await call(t.app, 'GET', '/api/v1/webhooks?limit=100', { token: host.token });
      for (const w of list.body.data) await call(t.app, 'DELETE', `/api/v1/webhooks/${w.id}`, { token: host.token });
    });

    it('CRUD: the secret is shown once; bad input is a 400 naming the field; another user sees nothing', async () => {
      const created = await call(t.app, 'POST', '/api/v1/webhooks', {
        token: host.token,
        body: { url: 'https://example.com/x', events: ['booking.created'] },
      });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.secret, /^whsec_/);
      assert.equal(created.body.active, true);
      const id = created.body.id;
      const read = await call(t.app, 'GET', `/api/v1/webhooks/${id}`, { token: host.token });
      assert.equal(read.status, 200);
      assert.equal(read.body.secret, undefined, 'not shown again');
      assert.deepEqual(read.body.events, ['booking.created']);
      const patched = await call(t.app, 'PATCH', `/api/v1/webhooks/${id}`, {
        token: host.token,
        body: { events: ['meeting.*'], active: false },
      });
      assert.equal(patched.status, 200);
      assert.deepEqual(
        [patched.body.events, patched.body.active, patched.body.url],
        [['meeting.*'], false, 'https://example.com/x'],
      );
      const list = await call(t.app, 'GET', '/api/v1/webhooks', { token: host.token });
      assert.ok(list.body.data.some((w: any) => w.id === id));

      for (const [body, field] of [
        [{ url: 'ftp://example.com', events: ['booking.created'] }, 'url'],
        [{ url: 'not a url', events: ['booking.created'] }, 'url'],
        [{ url: 'https://u:p@example.com', events: ['booking.created'] }, 'url'],
        [{ url: 'https://example.com', events: ['booking.exploded'] }, 'events'],
        [{ url: 'https://example.com', events: [] }, 'events'],
        [{ events: ['booking.created'] }, 'url'],
      ] as const) {
        const res = await call(t.app, 'POST', '/api/v1/webhooks', { token: host.token, body });
        assert.ok(isProblem(res, 400), `${JSON.stringify(body)}: ${res.status} ${res.text}`);
        assert.ok(
          res.body.errors.some((e: any) => e.field.startsWith(field)),
          JSON.stringify(res.body.errors),
        );
      }

      // Cursors a client crafts: a 400, never a 500 (a bigint and a timestamptz the database would refuse).
      const crafted = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
      for (const cursor of [crafted([1.5]), crafted([1e19]), crafted([-1])]) {
        assert.ok(
          isProblem(
            await call(t.app, 'GET', `/api/v1/webhooks/${id}/deliveries?cursor=${cursor}`, { token: host.token }),
            400,
          ),
        );
      }
      for (const cursor of [crafted(['2024-13-45 99:99:99+00', id]), crafted(['0000-01-01 00:00:00+00', id])]) {
        assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/webhooks?cursor=${cursor}`, { token: host.token }), 400));
        assert.ok(
          isProblem(await call(t.app, 'GET', `/api/v1/schedules?cursor=${cursor}`, { token: host.token }), 400),
        );
      }

      const other = await signUp(t.app);
      assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/webhooks/${id}`, { token: other.token }), 404));
      assert.ok(isProblem(await call(t.app, 'DELETE', `/api/v1/webhooks/${id}`, { token: other.token }), 404));
      assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/webhooks/${id}/deliveries`, { token: other.token }), 404));
      assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/webhooks'), 401));
      assert.equal((await call(t.app, 'DELETE', `/api/v1/webhooks/${id}`, { token: host.token })).status, 204);
      assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/webhooks/${id}`, { token: host.token }), 404));
    });

    it('a booking created, rescheduled and cancelled is delivered three times, signed, and logged', async () => {
      const secret = 'test-secret-123';
      const created = await call(t.app, 'POST', '/api/v1/webhooks', {
        token: host.token,
        body: { url: hook.url, events: ['booking.created', 'booking.rescheduled', 'booking.cancelled'], secret },
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.secret, secret);
      const before = hook.got.length;

      const booked = await book(t.app, host, 'intro', '2026-03-04T10:00:00+01:00');
      assert.equal(booked.status, 201, booked.text);
      const [first] = (await hook.waitFor(before + 1)).slice(before);
      verify(first!, secret);
      assert.equal(first!.json.event, 'booking.created');
      assert.equal(first!.json.data.booking.id, booked.body.id);
      assert.equal(first!.json.data.booking.start, '2026-03-04T09:00:00Z', 'times in UTC');
      assert.equal(first!.json.data.booking.invitee.email, booked.body.invitee.email);
      assert.ok(!first!.body.includes(new URL(booked.body.cancel_url).pathname.split('/')[5]!), 'no invitee token');

      const token = new URL(booked.body.reschedule_url).pathname.split('/')[5];
      const moved = await call(t.app, 'POST', `/api/v1/public/bookings/${token}/reschedule`, {
        body: { start: '2026-03-04T11:00:00+01:00' },
      });
      assert.equal(moved.status, 200, moved.text);
      const cancelled = await call(t.app, 'POST', `/api/v1/public/bookings/${token}/cancel`, {
        body: { reason: 'sorry' },
      });
      assert.equal(cancelled.status, 200, cancelled.text);
      const all = (await hook.waitFor(before + 3)).slice(before);
      assert.deepEqual(
        all.map((r) => r.json.event),
        ['booking.created', 'booking.rescheduled', 'booking.cancelled'],
      );
      for (const r of all) verify(r, secret);
      assert.deepEqual(all[1]!.json.data.previous, { start: '2026-03-04T09:00:00Z', end: '2026-03-04T09:30:00Z' });
      assert.equal(all[1]!.json.data.booking.start, '2026-03-04T10:00:00Z');
      assert.equal(all[2]!.json.data.booking.status, 'cancelled');
      assert.equal(new Set(all.map((r) => r.json.id)).size, 3, 'one id per delivery');

      const log = await logWhen(created.body.id, (l) => l.length === 3 && l.every((d) => d.status !== 'pending'));
      assert.deepEqual(
        log.map((d: any) => [d.event, d.status, d.attempts, d.response_status]),
        [
          ['booking.cancelled', 'delivered', 1, 200],
          ['booking.rescheduled', 'delivered', 1, 200],
          ['booking.created', 'delivered', 1, 200],
        ],
      );
      assert.equal(log[2].payload.data.booking.id, booked.body.id);
    });

    it('only subscribed events, only active webhooks, only the users involved', async () => {
      const onlyCancel = await call(t.app, 'POST', '/api/v1/webhooks', {
        token: host.token,
        body: { url: `${hook.url}?only-cancel`, events: ['booking.cancelled'] },
      });
      const paused = await call(t.app, 'POST', '/api/v1/webhooks', {
        token: host.token,
        body: { url: `${hook.url}?paused`, events: ['*'], active: false },
      });
      const stranger = await signUp(t.app);
      await call(t.app, 'POST', '/api/v1/webhooks', {
        token: stranger.token,
        body: { url: `${hook.url}?stranger`, events: ['*'] },
      });
      const before = hook.got.length;
      const booked = await book(t.app, host, 'intro', '2026-03-05T10:00:00+01:00');
      assert.equal(booked.status, 201);
      const token = new URL(booked.body.cancel_url).pathname.split('/')[5];
      await call(t.app, 'POST', `/api/v1/public/bookings/${token}/cancel`, { body: {} });
      await hook.waitFor(before + 1);
      await new Promise((r) => setTimeout(r, 600)); // several dispatcher rounds: nothing else may come
      const got = hook.got.slice(before);
      assert.deepEqual(
        got.map((r) => r.json.event),
        ['booking.cancelled'],
      );
      assert.equal(
        (await call(t.app, 'GET', `/api/v1/webhooks/${paused.body.id}/deliveries`, { token: host.token })).body.data
          .length,
        0,
      );
      assert.deepEqual(
        (await logWhen(onlyCancel.body.id, (l) => l.length > 0)).map((d) => d.event),
        ['booking.cancelled'],
      );
    });

    it("meetings: every participant who subscribed hears of it, without others' e-mail addresses", async () => {
      const a = await signUp(t.app, { timezone: 'UTC' });
      const b = await signUp(t.app, { timezone: 'UTC' });
      for (const u of [a, b]) {
        await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token: u.token,
          body: { timezone: 'UTC', dates: [{ date: '2026-03-09', intervals: [{ start: '09:00', end: '12:00' }] }] },
        });
      }
      await call(t.app, 'POST', '/api/v1/webhooks', {
        token: b.token,
        body: { url: `${hook.url}?b`, events: ['meeting.*'] },
      });
      const before = hook.got.length;
      const meeting = await call(t.app, 'POST', '/api/v1/meetings', {
        token: a.token,
        body: { title: 'Sync', start: '2026-03-09T10:00:00Z', end: '2026-03-09T10:30:00Z', participants: [b.username] },
      });
      assert.equal(meeting.status, 201, meeting.text);
      await call(t.app, 'POST', `/api/v1/meetings/${meeting.body.id}/cancel`, { token: a.token });
      const got = (await hook.waitFor(before + 2)).slice(before);
      assert.deepEqual(
        got.map((r) => r.json.event),
        ['meeting.created', 'meeting.cancelled'],
      );
      assert.equal(got[0]!.json.data.meeting.id, meeting.body.id);
      assert.ok(!got[0]!.body.includes(`${a.username}@example.com`), "the organizer's address is not b's to see");
    });

    it('a failing receiver is retried after growing delays, then the delivery is failed; it can be sent again', async () => {
      const failing = await receiver();
      failing.answer(500);
      try {
        const created = await call(t.app, 'POST', '/api/v1/webhooks', {
          token: host.token,
          body: { url: failing.url, events: ['booking.created'] },
        });
        const id = created.body.id;
        await book(t.app, host, 'intro', '2026-03-06T10:00:00+01:00');
        await failing.waitFor(1);
        // An attempt's outcome is recorded when the next attempt is set from it (the lease, 60 s, is no retry delay).
        const recorded = (n: number) => (l: any[]) =>
          l[0]?.attempts === n &&
          (l[0].status !== 'pending' ||
            Date.parse(l[0].next_attempt_at) - Date.parse(l[0].last_attempt_at) === retryDelayMs(n));
        let [d] = await logWhen(id, recorded(1));
        assert.deepEqual([d.status, d.attempts, d.response_status, d.error], ['pending', 1, 500, 'HTTP 500']);
        assert.equal(Date.parse(d.next_attempt_at) - Date.parse('2026-03-02T06:00:00Z'), retryDelayMs(1));

        // Not due yet: nothing is sent until the clock reaches the next attempt.
        await new Promise((r) => setTimeout(r, 400));
        assert.equal(failing.got.length, 1);
        for (let n = 1; n < MAX_ATTEMPTS; n++) {
          t.clock.set(Date.parse(d.next_attempt_at));
          await failing.waitFor(n + 1);
          [d] = await logWhen(id, recorded(n + 1));
          if (n + 1 < MAX_ATTEMPTS)
            assert.equal(Date.parse(d.next_attempt_at) - Date.parse(d.last_attempt_at), retryDelayMs(n + 1));
        }
        assert.deepEqual([d.status, d.attempts, d.next_attempt_at], ['failed', MAX_ATTEMPTS, null]);
        assert.equal(new Set(failing.got.map((r) => r.json.id)).size, 1, 'every attempt is the same delivery');

        failing.answer(204);
        const again = await call(t.app, 'POST', `/api/v1/webhooks/${id}/deliveries/${d.id}/redeliver`, {
          token: host.token,
        });
        assert.equal(again.status, 202, again.text);
        await failing.waitFor(MAX_ATTEMPTS + 1);
        [d] = await logWhen(id, (l) => l[0]?.status === 'delivered');
        assert.deepEqual([d.status, d.attempts, d.response_status], ['delivered', 1, 204]);
      } finally {
        t.clock.set('2026-03-02T06:00:00Z');
        await failing.close();
      }
    });

    it('a change that fails at COMMIT leaves no delivery (and no e-mail) behind: they are written in its transaction', async () => {
      const created = await call(t.app, 'POST', '/api/v1/webhooks', {
        token: host.token,
        body: { url: `${hook.url}?tx`, events: ['*'] },
      });
      // A deferred check that fails at COMMIT, after the booking's rows and its notifications were written.
      await t.store.db.query(`CREATE OR REPLACE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.invitee_email = 'fail-at-commit@example.com' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NEW; END $$`);
      await t.store.db.query(`CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON bookings DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()`);
      try {
        const emailsBefore = await t.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM emails');
        const failed = await book(t.app, host, 'intro', '2026-03-10T10:00:00+01:00', {
          invitee: { name: 'F', email: 'fail-at-commit@example.com', timezone: 'UTC' },
        });
        assert.equal(failed.status, 500, 'an unexpected database failure');
        const ok = await book(t.app, host, 'intro', '2026-03-10T10:00:00+01:00');
        assert.equal(ok.status, 201, 'the slot was never taken');
        const log = await logWhen(created.body.id, (l) => l.length > 0 && l.every((d) => d.status !== 'pending'));
        assert.deepEqual(
          log.map((d: any) => [d.event, d.payload.data.booking.id]),
          [['booking.created', ok.body.id]],
        );
        const emailsAfter = await t.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM emails');
        assert.equal(emailsAfter[0]!.n - emailsBefore[0]!.n, 2, "only the good booking's two e-mails");
      } finally {
        await t.store.db.query('DROP TRIGGER refuse_at_commit ON bookings');
      }
    });

    it('at most 20 webhooks per user; a pending delivery cannot be redelivered', async () => {
      for (let i = 0; i < 20; i++) {
        const res = await call(t.app, 'POST', '/api/v1/webhooks', {
          token: host.token,
          body: { url: `${hook.url}?n=${i}`, events: ['booking.cancelled'] },
        });
        assert.equal(res.status, 201, res.text);
      }
      const more = await call(t.app, 'POST', '/api/v1/webhooks', {
        token: host.token,
        body: { url: hook.url, events: ['booking.created'] },
      });
      assert.ok(isProblem(more, 409), more.text);
      const dead = await call(
        t.app,
        'PATCH',
        `/api/v1/webhooks/${(await call(t.app, 'GET', '/api/v1/webhooks', { token: host.token })).body.data[0].id}`,
        {
          token: host.token,
          body: { url: 'http://127.0.0.1:9/never', events: ['booking.created'] },
        },
      );
      assert.equal(dead.status, 200);
      await book(t.app, host, 'intro', '2026-03-11T10:00:00+01:00');
      const [d] = await logWhen(dead.body.id, (l) => l[0]?.attempts === 1 && l[0].error !== null);
      assert.equal(d.status, 'pending');
      assert.ok(
        isProblem(
          await call(t.app, 'POST', `/api/v1/webhooks/${dead.body.id}/deliveries/${d.id}/redeliver`, {
            token: host.token,
          }),
          409,
        ),
      );
    });
  });
}
