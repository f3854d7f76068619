// Webhook deliveries survive the process: a booking's delivery that could not be sent yet
// is still sent after the process is killed with -9 and started again; and processes sharing
// one PostgreSQL send each delivery once between them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, http as call, startServer } from './helpers/process';
import { createTestDatabase, STORES } from './helpers/stores';

const PASSWORD = 'correct horse battery staple';

for (const store of STORES) {
  describe(`webhook durability [${store}]`, () => {
    it('kill -9 after the booking was acknowledged: the delivery is sent by the next process', async () => {
      const db = store === 'postgres' ? await createTestDatabase() : null;
      const env: Record<string, string> = db
        ? { DATABASE_URL: db.url, DELIVERY_RETRY_SECONDS: '1' }
        : { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'slotwise-wh-')), DELIVERY_RETRY_SECONDS: '1' };
      // The receiver is down at first: the first attempt fails and the delivery waits for its retry.
      const port = await freePort();
      const received: any[] = [];
      const receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          received.push(JSON.parse(body));
          res.writeHead(200).end();
        });
      });
      let server = await startServer(env);
      try {
        const host = await call(server.base, 'POST', '/api/v1/auth/signup', {
          username: 'durable',
          email: 'd@example.com',
          password: PASSWORD,
          timezone: 'UTC',
        });
        const token = host.body.token;
        const allDay = [{ start: '00:00', end: '24:00' }];
        const weekly = Object.fromEntries(
          ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, allDay]),
        );
        const schedule = await call(
          server.base,
          'POST',
          '/api/v1/schedules',
          { name: 'Always', timezone: 'UTC', weekly, is_default: true },
          token,
        );
        assert.equal(schedule.status, 201);
        assert.equal(
          (
            await call(
              server.base,
              'POST',
              '/api/v1/event-types',
              { slug: 'quick', title: 'Quick', duration: 15 },
              token,
            )
          ).status,
          201,
        );
        const hook = await call(
          server.base,
          'POST',
          '/api/v1/webhooks',
          { url: `http://127.0.0.1:${port}/hook`, events: ['booking.created'] },
          token,
        );
        assert.equal(hook.status, 201);
        const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
        const slots = await call(server.base, 'GET', `/api/v1/public/durable/quick/slots?date=${day}&timezone=UTC`);
        const booked = await call(server.base, 'POST', '/api/v1/public/durable/quick/bookings', {
          start: slots.body.slots[0].start,
          invitee: { name: 'I', email: 'i@example.com', timezone: 'UTC' },
        });
        assert.equal(booked.status, 201);
        // The first attempt fails (nothing listens), and is recorded.
        const deadline = Date.now() + 10_000;
        let log: any[] = [];
        while (Date.now() < deadline) {
          log = (await call(server.base, 'GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, undefined, token)).body
            .data;
          if (log[0]?.attempts >= 1 && log[0].error) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(log[0]?.status, 'pending', JSON.stringify(log));
        server.child.kill('SIGKILL');
        await server.exited;

        await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', () => r()));
        server = await startServer(env);
        const until = Date.now() + 15_000;
        while (received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        assert.equal(received.length >= 1, true, 'delivered after the restart');
        assert.equal(received[0].event, 'booking.created');
        assert.equal(received[0].data.booking.id, booked.body.id);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
        receiver.close();
        await db?.drop();
      }
    });
  });
}

describe('webhook dispatchers of two processes on one PostgreSQL', { skip: !STORES.includes('postgres') }, () => {
  it('send each delivery once, none twice', async () => {
    const db = await createTestDatabase();
    const received: string[] = [];
    let inFlight = 0;
    let most = 0;
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        inFlight++;
        most = Math.max(most, inFlight);
        received.push(JSON.parse(body).id);
        setTimeout(() => {
          inFlight--;
          res.writeHead(200).end();
        }, 50); // slow enough for both dispatchers to be at work at once
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const env = { DATABASE_URL: db.url };
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    try {
      const host = await call(a.base, 'POST', '/api/v1/auth/signup', {
        username: 'twoproc',
        email: 't@example.com',
        password: PASSWORD,
        timezone: 'UTC',
      });
      const token = host.body.token;
      const allDay = [{ start: '00:00', end: '24:00' }];
      const weekly = Object.fromEntries(
        ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, allDay]),
      );
      await call(
        a.base,
        'POST',
        '/api/v1/schedules',
        { name: 'Always', timezone: 'UTC', weekly, is_default: true },
        token,
      );
      await call(a.base, 'POST', '/api/v1/event-types', { slug: 'quick', title: 'Quick', duration: 15 }, token);
      // Several webhooks, so that deliveries of different webhooks are in flight at once.
      for (let i = 0; i < 4; i++)
        assert.equal(
          (await call(a.base, 'POST', '/api/v1/webhooks', { url: `${url}?w=${i}`, events: ['booking.created'] }, token))
            .status,
          201,
        );
      const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      const slots = (
        await call(a.base, 'GET', `/api/v1/public/twoproc/quick/slots?date=${date}&timezone=UTC`)
      ).body.slots.slice(0, 10);
      await Promise.all(
        slots.map((s: { start: string }, i: number) =>
          call(i % 2 ? a.base : b.base, 'POST', '/api/v1/public/twoproc/quick/bookings', {
            start: s.start,
            invitee: { name: 'I', email: `i${i}@example.com`, timezone: 'UTC' },
          }),
        ),
      );
      const deadline = Date.now() + 20_000;
      while (received.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1000)); // anything sent twice would arrive by now
      assert.equal(received.length, 40, 'ten bookings to four webhooks');
      assert.equal(new Set(received).size, 40, 'no delivery twice');
      assert.ok(most > 1, 'deliveries were in flight at the same time');
    } finally {
      for (const s of [a, b]) {
        s.child.kill('SIGTERM');
        await s.exited;
      }
      receiver.close();
      await db.drop();
    }
  });
});
