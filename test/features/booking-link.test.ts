// The public booking link's API as an invitee uses it: what is booked, month view, slots,
// booking with questions, Idempotency-Key, and every refusal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, startApp, STORES, type TestApp } from '../helpers/app';
import { requestHash, storedKeyOf } from '../../src/http/idempotency';
import { book, createEventType, invitee, newHost, type Host } from './booking-helpers';

for (const store of STORES) {
  describe(`booking link [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    let base: string;
    before(async () => {
      t = await startApp(store);
      t.clock.set('2026-03-02T06:00:00Z');
      host = await newHost(t.app);
      await createEventType(t.app, host, {
        slug: 'intro',
        title: 'Intro',
        description: 'Let us talk',
        location: 'Zoom',
        durations: [30, 60],
        questions: [
          { key: 'topic', label: 'Topic', type: 'text', required: true },
          { key: 'size', label: 'Team size', type: 'number', required: false },
          { key: 'plan', label: 'Plan', type: 'select', required: false, options: ['free', 'pro'] },
          { key: 'terms', label: 'Terms', type: 'checkbox', required: false },
        ],
      });
      base = `/api/v1/public/${host.username}/intro`;
    });
    after(() => t.close());

    describe('what is booked', () => {
      it('describes the link without private details', async () => {
        const res = await call(t.app, 'GET', base);
        assert.equal(res.status, 200);
        assert.equal(res.body.title, 'Intro');
        assert.equal(res.body.owner, host.username);
        assert.equal(res.body.duration, 30);
        assert.deepEqual(res.body.durations, [30, 60]);
        assert.equal(res.body.timezone, 'Europe/Berlin');
        assert.equal(res.body.questions.length, 4);
        assert.ok(!('id' in res.body) && !JSON.stringify(res.body).includes('@example.com'));
      });

      it('an unknown or inactive link is a 404', async () => {
        assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/public/${host.username}/nope`), 404));
        assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/public/nobody-at-all/intro'), 404));
        const et = await createEventType(t.app, host, { slug: 'paused', active: false });
        for (const url of [
          `/api/v1/public/${host.username}/paused`,
          `/api/v1/public/${host.username}/paused/slots?date=2026-03-03`,
        ]) {
          assert.ok(isProblem(await call(t.app, 'GET', url), 404), url);
        }
        assert.ok(isProblem(await book(t.app, host, 'paused', '2026-03-03T09:00:00+01:00'), 404));
        assert.ok(et.id);
      });
    });

    describe('month view and slots', () => {
      it('answers one entry per date of the month, in the asked zone', async () => {
        const res = await call(t.app, 'GET', `${base}/days?month=2026-02&timezone=Asia/Tokyo`);
        assert.equal(res.status, 200);
        assert.equal(res.body.timezone, 'Asia/Tokyo');
        assert.equal(res.body.month, '2026-02');
        assert.equal(res.body.days.length, 28);
        assert.ok(
          res.body.days.every((d: any) => d.available === false),
          'February is past',
        );
        const march = await call(t.app, 'GET', `${base}/days?month=2026-03&timezone=Asia/Tokyo`);
        const available = march.body.days.filter((d: any) => d.available).map((d: any) => d.date);
        // Berlin 09:00-17:00 is 17:00-01:00 in Tokyo: Saturdays get the last hour of Fridays.
        assert.ok(available.includes('2026-03-07'));
        assert.ok(!available.includes('2026-03-08'));
      });

      it('lists the slots of a date or of from..to in the asked zone', async () => {
        const one = await call(t.app, 'GET', `${base}/slots?date=2026-03-03&timezone=America/New_York`);
        assert.equal(one.status, 200);
        assert.equal(one.body.timezone, 'America/New_York');
        assert.equal(one.body.slots[0].start, '2026-03-03T03:00:00-05:00');
        assert.equal(one.body.slots[0].end, '2026-03-03T03:30:00-05:00');
        const range = await call(t.app, 'GET', `${base}/slots?from=2026-03-02&to=2026-03-08&timezone=UTC`);
        assert.equal(range.body.slots.length, 5 * 16);
        const widest = await call(t.app, 'GET', `${base}/slots?from=2026-03-02&to=2026-06-02`);
        assert.equal(widest.status, 200, '93 days is allowed');
      });

      it('the edges of the calendar answer 200, beyond them 400', async () => {
        const late = await call(t.app, 'GET', `${base}/slots?date=2200-12-31&timezone=Pacific/Kiritimati`);
        assert.equal(late.status, 200);
        assert.deepEqual(late.body.slots, []);
        const early = await call(t.app, 'GET', `${base}/days?month=1900-01&timezone=Pacific/Pago_Pago`);
        assert.equal(early.status, 200);
        assert.equal(early.body.days.length, 31);
        assert.ok(isProblem(await call(t.app, 'GET', `${base}/slots?date=1899-12-31`), 400));
        assert.ok(isProblem(await call(t.app, 'GET', `${base}/days?month=2201-01`), 400));
      });

      it('refuses bad queries with 400 naming the field', async () => {
        const cases: [string, string][] = [
          ['days?month=2026-13', 'month'],
          ['days?month=march', 'month'],
          ['days', 'month'],
          ['days?month=2026-03&timezone=Mars/Base', 'timezone'],
          ['slots?date=2026-02-30', 'date'],
          ['slots?date=tomorrow', 'date'],
          ['slots?from=2026-03-02', 'to'],
          ['slots?from=2026-03-10&to=2026-03-02', 'to'],
          ['slots?from=2026-03-02&to=2026-06-03', 'to'],
          ['slots?date=2026-03-02&from=2026-03-02&to=2026-03-03', 'date'],
          ['slots?date=2026-03-02&timezone=Nowhere', 'timezone'],
          [`slots?date=2026-03-02&timezone=${'x'.repeat(65)}`, 'timezone'],
          ['slots?date=2026-03-02&duration=45', 'duration'],
          ['slots', 'from'],
        ];
        for (const [query, field] of cases) {
          const res = await call(t.app, 'GET', `${base}/${query}`);
          assert.ok(isProblem(res, 400), `${query} -> ${res.status}`);
          assert.ok(
            res.body.errors.some((e: any) => e.field === field),
            `${query} names ${field}: ${JSON.stringify(res.body.errors)}`,
          );
        }
      });
    });

    describe('booking', () => {
      it('books an offered slot: 201 with the booking and absolute private links', async () => {
        const res = await book(t.app, host, 'intro', '2026-03-03T09:00:00+01:00', {
          invitee: { name: `<b>O'Brien & "Sons"</b>`, email: 'ob@example.com', timezone: 'America/New_York' },
          guests: ['g1@example.com'],
          answers: { topic: 'Pricing <script>', size: 12, plan: 'pro', terms: true },
        });
        assert.equal(res.status, 201, res.text);
        const b = res.body;
        assert.equal(b.status, 'confirmed');
        assert.equal(b.start, '2026-03-03T03:00:00-05:00', "answered in the invitee's zone");
        assert.equal(b.end, '2026-03-03T03:30:00-05:00');
        assert.deepEqual(b.event_type.slug, 'intro');
        assert.equal(b.invitee.name, `<b>O'Brien & "Sons"</b>`);
        assert.deepEqual(b.guests, ['g1@example.com']);
        assert.deepEqual(b.answers, { topic: 'Pricing <script>', size: 12, plan: 'pro', terms: true });
        assert.equal(b.location, 'Zoom');
        for (const key of ['cancel_url', 'reschedule_url', 'ics_url']) {
          assert.ok(b[key].startsWith('http://localhost:3000/'), key);
          const token = new URL(b[key]).pathname.split('/')[5]!;
          assert.match(token, /^[A-Za-z0-9_-]{22,}$/, 'at least 128 random bits, URL-safe');
        }
      });

      it('a taken slot is a 409 problem', async () => {
        assert.equal(
          (await book(t.app, host, 'intro', '2026-03-03T10:00:00+01:00', { answers: { topic: 'a' } })).status,
          201,
        );
        const again = await book(t.app, host, 'intro', '2026-03-03T10:00:00+01:00', { answers: { topic: 'b' } });
        assert.ok(isProblem(again, 409));
        assert.equal(again.body.type, '/problems/slot-unavailable');
      });

      it('refuses bad bookings with 400 naming the field, and books nothing', async () => {
        const good = { start: '2026-03-04T09:00:00+01:00', invitee, answers: { topic: 'x' } };
        const cases: [Record<string, unknown>, string][] = [
          [{ start: '2026-03-04T09:00:00' }, 'start'],
          [{ start: '2026-02-30T09:00:00Z' }, 'start'],
          [{ start: 'soon' }, 'start'],
          [{ start: undefined }, 'start'],
          [{ invitee: { ...invitee, timezone: 'Mars/Base' } }, 'invitee.timezone'],
          [{ invitee: { ...invitee, email: 'not-an-email' } }, 'invitee.email'],
          [{ invitee: { ...invitee, name: 'x'.repeat(201) } }, 'invitee.name'],
          [{ invitee: { ...invitee, name: '' } }, 'invitee.name'],
          [{ invitee: undefined }, 'invitee'],
          [{ duration: 45 }, 'duration'],
          [{ guests: ['nope'] }, 'guests[0]'],
          [{ answers: {} }, 'answers.topic'],
          [{ answers: { topic: '   ' } }, 'answers.topic'],
          [{ answers: { topic: 'x', unknown: 'y' } }, 'answers.unknown'],
          [{ answers: { topic: 'x', size: 'twelve' } }, 'answers.size'],
          [{ answers: { topic: 'x', plan: 'gold' } }, 'answers.plan'],
          [{ answers: { topic: 'x', terms: 'yes' } }, 'answers.terms'],
          [{ answers: { topic: 'x'.repeat(2001) } }, 'answers.topic'],
        ];
        for (const [change, field] of cases) {
          const res = await call(t.app, 'POST', `${base}/bookings`, { body: { ...good, ...change } });
          assert.ok(isProblem(res, 400), `${JSON.stringify(change).slice(0, 80)} -> ${res.status}`);
          assert.ok(
            res.body.errors.some((e: any) => e.field === field),
            `${field}: ${JSON.stringify(res.body.errors)}`,
          );
        }
        const notJson = await t.app.inject({
          method: 'POST',
          url: `${base}/bookings`,
          headers: { 'content-type': 'text/plain' },
          payload: 'hi',
        });
        assert.equal(notJson.statusCode, 415);
        const list = await call(t.app, 'GET', '/api/v1/bookings?from=2026-03-04&to=2026-03-04', { token: host.token });
        assert.equal(list.body.data.length, 0);
      });
    });

    describe('slot cap', () => {
      it('a window with more than 5000 slots is a 400 naming to; a shorter one and the month view answer', async () => {
        const fresh = await newHost(t.app);
        await createEventType(t.app, fresh, { slug: 'minutes', duration: 1, date_range: { type: 'indefinite' } });
        const link = `/api/v1/public/${fresh.username}/minutes`;
        // Mon–Fri 09:00–17:00: 480 one-minute slots a weekday; 15 weekdays are 7200.
        const long = await call(t.app, 'GET', `${link}/slots?from=2026-03-02&to=2026-03-20&timezone=Europe/Berlin`);
        assert.ok(isProblem(long, 400), `${long.status}`);
        assert.deepEqual(
          long.body.errors.map((e: any) => e.field),
          ['to'],
        );
        const short = await call(t.app, 'GET', `${link}/slots?from=2026-03-02&to=2026-03-11&timezone=Europe/Berlin`);
        assert.equal(short.status, 200);
        assert.equal(short.body.slots.length, 8 * 480);
        const month = await call(t.app, 'GET', `${link}/days?month=2026-03&timezone=Europe/Berlin`);
        assert.equal(month.status, 200);
        assert.equal(month.body.days.filter((d: any) => d.available).length, 22, 'every weekday from March 2');
      });
    });

    describe('Idempotency-Key', () => {
      const body = (start: string) => ({ start, invitee, answers: { topic: 'retry' } });

      it('the same key and body replays the first answer: one booking, same id', async () => {
        const headers = { 'idempotency-key': 'k-replay' };
        const first = await call(t.app, 'POST', `${base}/bookings`, {
          body: body('2026-03-05T09:00:00+01:00'),
          headers,
        });
        const second = await call(t.app, 'POST', `${base}/bookings`, {
          body: body('2026-03-05T09:00:00+01:00'),
          headers,
        });
        assert.equal(first.status, 201);
        assert.equal(second.status, 201);
        assert.deepEqual(second.body, first.body);
        assert.equal(second.headers['idempotent-replayed'], 'true');
        const list = await call(t.app, 'GET', '/api/v1/bookings?from=2026-03-05&to=2026-03-05', { token: host.token });
        assert.equal(list.body.data.length, 1);
      });

      it('at rest, neither the key nor the answer (with the invitee links) can be read from the database', async () => {
        const key = 'k-at-rest-3f9a';
        const first = await call(t.app, 'POST', `${base}/bookings`, {
          body: body('2026-03-05T11:00:00+01:00'),
          headers: { 'idempotency-key': key },
        });
        assert.equal(first.status, 201, first.text);
        const secret = new URL(first.body.cancel_url).pathname.split('/').find((part: string) => part.length >= 20);
        assert.ok(secret, `a token in ${first.body.cancel_url}`);
        const rows = await t.store.db.query<Record<string, unknown>>('SELECT * FROM idempotency_keys');
        const dump = JSON.stringify(rows);
        assert.ok(!dump.includes(key), 'the key is stored hashed');
        assert.ok(!dump.includes(secret!), 'the token is not stored in clear');
        assert.ok(!dump.includes(first.body.id), 'nor anything else of the answer');
        const replay = await call(t.app, 'POST', `${base}/bookings`, {
          body: body('2026-03-05T11:00:00+01:00'),
          headers: { 'idempotency-key': key },
        });
        assert.deepEqual(replay.body, first.body, 'the key unseals it');
      });

      it('the same key with another body is refused with 422', async () => {
        const headers = { 'idempotency-key': 'k-other' };
        assert.equal(
          (await call(t.app, 'POST', `${base}/bookings`, { body: body('2026-03-05T10:00:00+01:00'), headers })).status,
          201,
        );
        const other = await call(t.app, 'POST', `${base}/bookings`, {
          body: body('2026-03-05T11:00:00+01:00'),
          headers,
        });
        assert.ok(isProblem(other, 422));
        assert.equal(other.body.type, '/problems/idempotency-key-reused');
      });

      it('a refusal is replayed too, with the same status and body', async () => {
        const headers = { 'idempotency-key': 'k-refused' };
        const taken = body('2026-03-05T09:00:00+01:00');
        const first = await call(t.app, 'POST', `${base}/bookings`, { body: taken, headers });
        const second = await call(t.app, 'POST', `${base}/bookings`, { body: taken, headers });
        assert.ok(isProblem(first, 409) && isProblem(second, 409));
        assert.deepEqual(second.body, first.body);
      });

      it('keys expire after 24 hours', async () => {
        const headers = { 'idempotency-key': 'k-expiry' };
        const slot = body('2026-03-06T09:00:00+01:00');
        assert.equal((await call(t.app, 'POST', `${base}/bookings`, { body: slot, headers })).status, 201);
        t.clock.set('2026-03-03T05:59:00Z');
        assert.equal(
          (await call(t.app, 'POST', `${base}/bookings`, { body: slot, headers })).status,
          201,
          'replayed within 24 h',
        );
        t.clock.set('2026-03-03T06:01:00Z');
        const late = await call(t.app, 'POST', `${base}/bookings`, { body: slot, headers });
        assert.ok(isProblem(late, 409), 'after 24 h the key is new, and the slot is taken');
        t.clock.set('2026-03-02T06:00:00Z');
      });

      it('the order of fields in the body does not make it another request', async () => {
        const headers = { 'idempotency-key': 'k-order' };
        const one = {
          start: '2026-03-06T11:00:00+01:00',
          invitee: { name: 'A', email: 'a@example.com', timezone: 'UTC' },
          answers: { topic: 't' },
        };
        const same = {
          answers: { topic: 't' },
          invitee: { timezone: 'UTC', email: 'a@example.com', name: 'A' },
          start: '2026-03-06T11:00:00+01:00',
        };
        const first = await call(t.app, 'POST', `${base}/bookings`, { body: one, headers });
        const second = await call(t.app, 'POST', `${base}/bookings`, { body: same, headers });
        assert.equal(first.status, 201);
        assert.equal(second.status, 201);
        assert.equal(second.body.id, first.body.id);
      });

      it('a key left without an answer (its request died) is taken over by a retry after 60 seconds', async () => {
        const slot = body('2026-03-09T09:00:00+01:00');
        const scope = `POST ${base}/bookings`;
        const claim = (key: string, payload: unknown) =>
          t.store.db.query(
            'INSERT INTO idempotency_keys (scope, key, request_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
            [
              scope,
              storedKeyOf(scope, key),
              requestHash(payload),
              new Date('2026-03-02T06:00:00Z'),
              new Date('2026-03-03T06:00:00Z'),
            ],
          );
        // What a process that died after claiming the key leaves behind.
        await claim('k-stale', slot);
        await claim('k-stale-other', body('2026-03-09T10:00:00+01:00'));
        const headers = { 'idempotency-key': 'k-stale' };
        try {
          t.clock.set('2026-03-02T06:00:59Z');
          const early = await call(t.app, 'POST', `${base}/bookings`, { body: slot, headers });
          assert.ok(isProblem(early, 409));
          assert.equal(
            early.body.type,
            '/problems/idempotency-key-in-progress',
            'within the lease the first request may still run',
          );
          t.clock.set('2026-03-02T06:01:01Z');
          const retry = await call(t.app, 'POST', `${base}/bookings`, { body: slot, headers });
          assert.equal(retry.status, 201, retry.text);
          const replay = await call(t.app, 'POST', `${base}/bookings`, { body: slot, headers });
          assert.equal(replay.headers['idempotent-replayed'], 'true');
          assert.equal(replay.body.id, retry.body.id);
          const other = await call(t.app, 'POST', `${base}/bookings`, {
            body: slot,
            headers: { 'idempotency-key': 'k-stale-other' },
          });
          assert.ok(isProblem(other, 422), 'another body never takes a key over');
        } finally {
          t.clock.set('2026-03-02T06:00:00Z');
        }
      });

      it('a malformed key is a 400', async () => {
        const res = await call(t.app, 'POST', `${base}/bookings`, {
          body: body('2026-03-06T10:00:00+01:00'),
          headers: { 'idempotency-key': 'x'.repeat(201) },
        });
        assert.ok(isProblem(res, 400));
        assert.equal(res.body.errors[0].field, 'Idempotency-Key');
      });
    });
  });
}
