// No double booking, ever: many concurrent requests for the same time, on each store, and on
// PostgreSQL across two server processes. Every loser gets a 409 (or 410), never a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, startApp, STORES, type Answer, type TestApp } from '../helpers/app';
import { http, startServer, type ServerProcess } from '../helpers/process';
import { createTestDatabase } from '../helpers/stores';
import { createEventType, createTeamEventType, newHost, type Host } from './booking-helpers';

const MONDAY_MORNING = '2026-03-02T06:00:00Z';

function tally(answers: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

const inviteeNo = (i: number) => ({ name: `Invitee ${i}`, email: `i${i}@example.com`, timezone: 'UTC' });

for (const store of STORES) {
  describe(`booking races [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    before(async () => {
      t = await startApp(store);
      t.clock.set(MONDAY_MORNING);
      host = await newHost(t.app, 'UTC');
    });
    after(() => t.close());

    const post = (slug: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> =>
      call(t.app, 'POST', `/api/v1/public/${host.username}/${slug}/bookings`, { body, headers });

    it('100 concurrent bookings of one slot: exactly one 201 and 99 × 409', async () => {
      await createEventType(t.app, host, { slug: 'hot' });
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) => post('hot', { start: '2026-03-03T10:00:00Z', invitee: inviteeNo(i) })),
      );
      assert.deepEqual(tally(answers), { 201: 1, 409: 99 });
      assert.ok(answers.filter((a) => a.status === 409).every((a) => a.body.type === '/problems/slot-unavailable'));
    });

    it('50 concurrent bookings of different lengths and event types: no two confirmed ones overlap', async () => {
      await createEventType(t.app, host, { slug: 'mixed-a', durations: [15, 30, 45, 60, 90], slot_interval: 15 });
      await createEventType(t.app, host, {
        slug: 'mixed-b',
        durations: [20, 40],
        slot_interval: 5,
        buffer_before: 5,
        buffer_after: 10,
      });
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const requests = Array.from({ length: 50 }, (_, i) => {
        const useA = i % 2 === 0;
        const minute = useA ? 15 * random(12) : 5 * random(36);
        const duration = useA ? [15, 30, 45, 60, 90][random(5)] : [20, 40][random(2)];
        const start = new Date(Date.parse('2026-03-04T09:00:00Z') + minute * 60_000).toISOString();
        return post(useA ? 'mixed-a' : 'mixed-b', { start, duration, invitee: inviteeNo(i) });
      });
      const answers = await Promise.all(requests);
      assert.ok(
        answers.every((a) => a.status === 201 || a.status === 409),
        JSON.stringify(tally(answers)),
      );
      const confirmed = answers.filter((a) => a.status === 201).map((a) => a.body);
      assert.ok(confirmed.length >= 2);
      const list = await call(
        t.app,
        'GET',
        '/api/v1/bookings?from=2026-03-04&to=2026-03-04&status=confirmed&limit=100&timezone=UTC',
        { token: host.token },
      );
      assert.equal(list.body.data.length, confirmed.length);
      const buffers: Record<string, [number, number]> = { 'mixed-a': [0, 0], 'mixed-b': [5, 10] };
      const held = list.body.data
        .map((b: any) => {
          const [before, afterMin] = buffers[b.event_type.slug]!;
          return { start: Date.parse(b.start) - before * 60_000, end: Date.parse(b.end) + afterMin * 60_000 };
        })
        .sort((x: any, y: any) => x.start - y.start);
      for (let i = 1; i < held.length; i++)
        assert.ok(held[i - 1].end <= held[i].start, `bookings ${i - 1} and ${i} overlap`);
    });

    it('seats = 3 with 20 concurrent bookings: exactly 3 get a seat', async () => {
      await createEventType(t.app, host, { slug: 'seats', kind: 'group', seats: 3 });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post('seats', { start: '2026-03-05T10:00:00Z', invitee: inviteeNo(i) })),
      );
      assert.deepEqual(tally(answers), { 201: 3, 409: 17 });
    });

    it('8 concurrent first bookings of a 5-seat group slot, 80 slots in a row: always 5 seats taken, never a 409 with seats left', async () => {
      await createEventType(t.app, host, {
        slug: 'fresh-seats',
        kind: 'group',
        seats: 5,
        date_range: { type: 'indefinite' },
      });
      const failures: string[] = [];
      // Each round is a slot nobody has booked yet: the race is on creating its shared hold.
      for (let round = 0; round < 80; round++) {
        const start = new Date(
          Date.parse('2026-03-23T09:00:00Z') + Math.floor(round / 16) * 86_400_000 + (round % 16) * 1_800_000,
        ).toISOString();
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) => post('fresh-seats', { start, invitee: inviteeNo(i) })),
        );
        const counts = tally(answers);
        if (counts[201] !== 5 || counts[409] !== 3) failures.push(`${start}: ${JSON.stringify(counts)}`);
      }
      assert.deepEqual(failures, []);
    });

    it('max_per_day = 1 holds when 20 invitees book different slots of one day at once', async () => {
      await createEventType(t.app, host, { slug: 'daily', max_per_day: 1 });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post('daily', {
            start: new Date(Date.parse('2026-03-06T09:00:00Z') + i * 30 * 60_000).toISOString(),
            invitee: inviteeNo(i),
          }),
        ),
      );
      assert.deepEqual(tally(answers), { 201: 1, 409: 19 });
    });

    it('a single-use link is used once when 20 invitees book different slots at once', async () => {
      await createEventType(t.app, host, { slug: 'once', single_use: true });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post('once', {
            start: new Date(Date.parse('2026-03-09T09:00:00Z') + i * 30 * 60_000).toISOString(),
            invitee: inviteeNo(i),
          }),
        ),
      );
      const counts = tally(answers);
      assert.equal(counts[201], 1);
      assert.equal((counts[410] ?? 0) + (counts[409] ?? 0), 19, JSON.stringify(counts));
    });

    it('round robin with 2 hosts and 20 concurrent bookings of one slot: each host is booked once', async () => {
      const second = await newHost(t.app, 'UTC');
      await createTeamEventType(t.app, host, [second], { slug: 'rr', kind: 'round_robin' });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post('rr', { start: '2026-03-11T10:00:00Z', invitee: inviteeNo(i) })),
      );
      assert.deepEqual(tally(answers), { 201: 2, 409: 18 });
      const hosts = answers.filter((a) => a.status === 201).map((a) => a.body.hosts[0]);
      assert.deepEqual(hosts.sort(), [host.username, second.username].sort());
    });

    it('collective bookings racing a booking of one of their hosts: never both', async () => {
      const colleague = await newHost(t.app, 'UTC');
      await createTeamEventType(t.app, host, [colleague], { slug: 'pair', kind: 'collective' });
      await createEventType(t.app, colleague, { slug: 'solo' });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2
            ? post('pair', { start: '2026-03-12T10:00:00Z', invitee: inviteeNo(i) })
            : call(t.app, 'POST', `/api/v1/public/${colleague.username}/solo/bookings`, {
                body: { start: '2026-03-12T10:00:00Z', invitee: inviteeNo(i) },
              }),
        ),
      );
      assert.deepEqual(tally(answers), { 201: 1, 409: 19 });
      const mine = await call(t.app, 'GET', '/api/v1/bookings?from=2026-03-12&to=2026-03-12&timezone=UTC', {
        token: host.token,
      });
      const theirs = await call(t.app, 'GET', '/api/v1/bookings?from=2026-03-12&to=2026-03-12&timezone=UTC', {
        token: colleague.token,
      });
      assert.equal(theirs.body.data.length, 1);
      assert.equal(
        mine.body.data.length,
        theirs.body.data[0].hosts.length === 2 ? 1 : 0,
        'a collective booking holds both or neither',
      );
    });

    it('16 bookings rescheduled to one slot at once: exactly one moves, the others keep their time', async () => {
      await createEventType(t.app, host, { slug: 'move' });
      const booked = [];
      for (let i = 0; i < 16; i++) {
        const start = new Date(Date.parse('2026-03-13T09:00:00Z') + i * 30 * 60_000).toISOString();
        booked.push((await post('move', { start, invitee: inviteeNo(i) })).body);
      }
      const target = '2026-03-16T09:00:00Z';
      const answers = await Promise.all(
        booked.map((b) => call(t.app, 'POST', new URL(b.reschedule_url).pathname, { body: { start: target } })),
      );
      assert.deepEqual(tally(answers), { 200: 1, 409: 15 });
      const list = await call(
        t.app,
        'GET',
        '/api/v1/bookings?from=2026-03-13&to=2026-03-16&event_type=move&limit=100&timezone=UTC',
        { token: host.token },
      );
      assert.equal(list.body.data.length, 16);
      assert.equal(list.body.data.filter((b: any) => b.start === '2026-03-16T09:00:00Z').length, 1);
    });

    it('20 concurrent retries with one Idempotency-Key make one booking', async () => {
      await createEventType(t.app, host, { slug: 'retry' });
      const body = { start: '2026-03-10T10:00:00Z', invitee: inviteeNo(1) };
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => post('retry', body, { 'idempotency-key': 'same-key-1' })),
      );
      const ok = answers.filter((a) => a.status === 201);
      assert.ok(ok.length >= 1);
      assert.equal(new Set(ok.map((a) => a.body.id)).size, 1);
      assert.ok(
        answers.every(
          (a) => a.status === 201 || (a.status === 409 && a.body.type === '/problems/idempotency-key-in-progress'),
        ),
      );
      const list = await call(t.app, 'GET', '/api/v1/bookings?from=2026-03-10&to=2026-03-10&timezone=UTC', {
        token: host.token,
      });
      assert.equal(list.body.data.length, 1);
    });
  });
}

/** The first Monday at least four weeks from now, so a real clock always sees it in the future. */
function futureMonday(): string {
  let day = Date.now() + 28 * 86_400_000;
  while (new Date(day).getUTCDay() !== 1) day += 86_400_000;
  return new Date(day).toISOString().slice(0, 10);
}

if (STORES.includes('postgres')) {
  describe('booking races across two server processes [postgres]', () => {
    let servers: ServerProcess[] = [];
    let drop: () => Promise<void>;
    before(async () => {
      const created = await createTestDatabase();
      drop = created.drop;
      const env = { DATABASE_URL: created.url, PUBLIC_URL: 'http://localhost:3000' };
      servers = await Promise.all([startServer(env), startServer(env)]);
    });
    after(async () => {
      for (const s of servers) {
        s.child.kill('SIGTERM');
        await s.exited;
      }
      await drop();
    });

    it('100 bookings of one slot sent to two processes: exactly one 201 and 99 × 409', async () => {
      const [a, b] = servers as [ServerProcess, ServerProcess];
      const signup = await http(a.base, 'POST', '/api/v1/auth/signup', {
        username: 'twoproc',
        email: 'twoproc@example.com',
        password: 'correct horse battery staple',
        timezone: 'UTC',
      });
      assert.equal(signup.status, 201);
      const et = await http(
        a.base,
        'POST',
        '/api/v1/event-types',
        { slug: 'hot', title: 'Hot', date_range: { type: 'indefinite' } },
        signup.body.token,
      );
      assert.equal(et.status, 201);
      const start = `${futureMonday()}T10:00:00Z`;
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          http(i % 2 ? a.base : b.base, 'POST', '/api/v1/public/twoproc/hot/bookings', {
            start,
            invitee: inviteeNo(i),
          }),
        ),
      );
      assert.deepEqual(tally(answers), { 201: 1, 409: 99 });
      const seats = await http(
        b.base,
        'POST',
        '/api/v1/event-types',
        { slug: 'seats', title: 'Seats', kind: 'group', seats: 3, date_range: { type: 'indefinite' } },
        signup.body.token,
      );
      assert.equal(seats.status, 201);
      const seatAnswers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          http(i % 2 ? a.base : b.base, 'POST', '/api/v1/public/twoproc/seats/bookings', {
            start: `${futureMonday()}T14:00:00Z`,
            invitee: inviteeNo(i),
          }),
        ),
      );
      assert.deepEqual(tally(seatAnswers), { 201: 3, 409: 17 });
    });
  });
}
