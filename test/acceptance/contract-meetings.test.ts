// Black-box acceptance tests of SPEC.md "Conventions" and §4 Meetings between users, written
// from the contract (SPEC.md, README.md, the served OpenAPI document) only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem, assertValidation, assertHidden } from './assertions';
import { call, PASSWORD, startApp, STORES, type TestApp } from '../helpers/app';

const NOW = '2026-03-01T00:00:00Z'; // a Sunday; US DST starts 2026-03-08, EU 2026-03-29
const NY = 'America/New_York';

const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const ms = (s: string) => Date.parse(s);
const same = (a: string, b: string) => ms(a) === ms(b);

type U = { username: string; token: string; email: string };

let n = 0;

for (const store of STORES) {
  describe(`contract: meetings (${store})`, () => {
    let t: TestApp;

    async function user(timezone = NY, prefix = 'mt'): Promise<U> {
      const username = `${prefix}${++n}x${process.pid % 1000}`;
      const email = `${username}@example.com`;
      const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: { username, email, password: PASSWORD, timezone },
      });
      assert.equal(res.status, 201, res.text);
      return { username, token: res.body.token as string, email };
    }

    function create(token: string, body: Record<string, unknown>, query = '', headers?: Record<string, string>) {
      return call(t.app, 'POST', `/api/v1/meetings${query}`, { token, body: { title: 'Sync', ...body }, headers });
    }

    async function meeting(token: string, body: Record<string, unknown>, query = '') {
      const res = await create(token, body, query);
      assert.equal(res.status, 201, res.text);
      return res.body;
    }

    /** The free intervals of a user on one date in New York, as [start, end] strings. */
    async function free(who: U, date: string, timezone = NY): Promise<string[][]> {
      const res = await call(t.app, 'GET', `/api/v1/me/availability?from=${date}&to=${date}&timezone=${timezone}`, {
        token: who.token,
      });
      assert.equal(res.status, 200, res.text);
      return res.body.days[0].intervals.map((i: any) => [i.start, i.end]);
    }

    const FULL = (date: string, off = '-05:00') => [[`${date}T09:00:00${off}`, `${date}T17:00:00${off}`]];
    const GAP = (date: string, from: string, to: string, off = '-05:00') => [
      [`${date}T09:00:00${off}`, `${date}T${from}:00${off}`],
      [`${date}T${to}:00${off}`, `${date}T17:00:00${off}`],
    ];

    function participant(m: any, who: U) {
      return m.participants.find((p: any) => p.username === who.username);
    }

    before(async () => {
      t = await startApp(store);
      t.clock.set(NOW);
    });
    after(async () => {
      await t?.close();
    });

    // ---- Creation ---------------------------------------------------------------------------

    it('POST /meetings → 201: organiser is a participant, users accepted, guests invited', async () => {
      const a = await user();
      const b = await user();
      const res = await create(a.token, {
        title: 'Plan <b>Q2</b> & "more"',
        description: 'Agenda:\n1. <script>',
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username, 'Guest.Person@Example.org'],
      });
      assert.equal(res.status, 201, res.text);
      const m = res.body;
      assert.equal(typeof m.id, 'string');
      assert.equal(m.title, 'Plan <b>Q2</b> & "more"');
      assert.equal(m.description, 'Agenda:\n1. <script>');
      assert.equal(m.start, '2026-03-03T10:00:00-05:00');
      assert.equal(m.end, '2026-03-03T10:30:00-05:00');
      assert.equal(m.timezone, NY);
      assert.equal(m.organizer.username, a.username);
      assert.ok(m.organizer.email === undefined || m.organizer.email === a.email, res.text);
      assert.equal(m.recurrence, null);
      assert.equal(m.status, 'confirmed');
      assert.equal(typeof m.sequence, 'number');
      assert.equal(m.participants.length, 3, res.text);
      // SPEC lists `email` for every participant; the OpenAPI document narrows it: "Shown for
      // guests, for yourself, and to admins; other users are named by username".
      assert.deepEqual(participant(m, a), { username: a.username, email: a.email, status: 'accepted' });
      const pb = participant(m, b);
      assert.equal(pb?.status, 'accepted', res.text);
      assert.ok(pb.email === undefined || pb.email === b.email, res.text);
      const guest = m.participants.find((p: any) => !p.username);
      assert.ok(guest, res.text);
      assert.equal(guest.email.toLowerCase(), 'guest.person@example.org');
      assert.equal(guest.status, 'invited');
      for (const who of [a, b]) {
        const got = await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: who.token });
        assert.equal(got.status, 200, got.text);
        assert.equal(got.body.id, m.id);
        assert.equal(got.body.start, m.start);
        assert.equal(got.body.participants.length, 3);
        assert.deepEqual(
          participant(got.body, who),
          { username: who.username, email: who.email, status: 'accepted' },
          'you see your own e-mail',
        );
      }
      // b does not learn a's e-mail address unless shown to everyone; guests' addresses are shown.
      const asB = await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: b.token });
      assert.ok(
        asB.body.participants.some((p: any) => !p.username && p.email.toLowerCase() === 'guest.person@example.org'),
      );
    });

    it('instants in a meeting answer carry seconds and the asked zone’s offset (created_at, updated_at too)', async () => {
      const a = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [a.username],
      });
      for (const key of ['start', 'end', 'created_at', 'updated_at']) {
        assert.match(m[key], RFC3339_SECONDS, `${key}: ${m[key]}`);
        assert.ok(m[key].endsWith('-05:00'), `${key} in New York's offset: ${m[key]}`);
      }
    });

    it('end or duration; ?timezone= writes the answer in that zone', async () => {
      const a = await user();
      const byEnd = await meeting(
        a.token,
        { start: '2026-03-03T14:00:00Z', end: '2026-03-03T09:45:00-05:00', participants: [a.username] },
        '?timezone=Asia/Tokyo',
      );
      assert.equal(byEnd.start, '2026-03-03T23:00:00+09:00');
      assert.equal(byEnd.end, '2026-03-03T23:45:00+09:00');
      assert.equal(byEnd.timezone, 'Asia/Tokyo');
      const utc = await call(t.app, 'GET', `/api/v1/meetings/${byEnd.id}?timezone=UTC`, { token: a.token });
      assert.ok(/^2026-03-03T14:00:00(Z|\+00:00)$/.test(utc.body.start), utc.body.start);
      const dflt = await call(t.app, 'GET', `/api/v1/meetings/${byEnd.id}`, { token: a.token });
      assert.equal(dflt.body.start, '2026-03-03T09:00:00-05:00', 'default: the organiser’s zone');
      assertProblem(
        await call(t.app, 'GET', `/api/v1/meetings/${byEnd.id}?timezone=Mars/Base`, { token: a.token }),
        400,
      );
    });

    it('participants: an e-mail of an account is that user; a name that is no user is a 400 naming participants[i]', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T11:00:00-05:00',
        duration: 30,
        participants: [b.email.toUpperCase(), a.username],
      });
      assert.equal(m.participants.length, 2, `organiser listed once: ${JSON.stringify(m.participants)}`);
      assert.equal(participant(m, b)?.status, 'accepted', JSON.stringify(m.participants));
      assert.deepEqual(
        await free(b, '2026-03-03'),
        GAP('2026-03-03', '11:00', '11:30'),
        'b is a user whose time is held',
      );
      const bad = await create(a.token, {
        start: '2026-03-03T13:00:00-05:00',
        duration: 30,
        participants: [b.username, 'no-such-user-zz'],
      });
      assertValidation(bad, 'participants[1]');
    });

    it('guests are not checked: a guest-only meeting needs only the organiser', async () => {
      const a = await user();
      const m = await meeting(a.token, {
        start: '2026-03-04T10:00:00-05:00',
        duration: 60,
        participants: ['outsider@example.net'],
      });
      assert.equal(m.participants.length, 2);
      assert.ok(participant(m, a));
      assert.equal(m.participants.find((p: any) => p.email === 'outsider@example.net')?.status, 'invited');
    });

    it('creation input errors are 400s: past start, no offset, bad times, bad recurrence, no token 401', async () => {
      const a = await user();
      const ok = { title: 'x', start: '2026-03-03T10:00:00-05:00', duration: 30, participants: [a.username] };
      const cases: Array<[string, Record<string, unknown>]> = [
        ['start', { ...ok, start: '2026-02-27T10:00:00-05:00' }],
        ['start', { ...ok, start: '2026-03-03T10:00:00' }],
        ['start', { ...ok, start: 'soon' }],
        ['end', { ...ok, duration: undefined, end: '2026-03-03T10:30:00' }],
        ['end', { ...ok, duration: undefined, end: '2026-03-03T09:30:00-05:00' }],
        ['end', { ...ok, duration: undefined, end: '2026-03-03T10:00:00-05:00' }],
        ['end', { ...ok, duration: undefined, end: '2026-03-04T10:01:00-05:00' }],
        ['duration', { ...ok, duration: 0 }],
        ['duration', { ...ok, duration: 1441 }],
        ['title', { ...ok, title: '' }],
        ['title', { ...ok, title: 't'.repeat(201) }],
        ['description', { ...ok, description: 'd'.repeat(5001) }],
        ['participants', { ...ok, participants: 'bob' }],
        ['recurrence', { ...ok, recurrence: 'FREQ=WEEKLY' }],
        ['recurrence', { ...ok, recurrence: 'FREQ=HOURLY;COUNT=3' }],
        ['recurrence', { ...ok, recurrence: 'FREQ=WEEKLY;COUNT=101' }],
        ['recurrence', { ...ok, recurrence: 'FREQ=DAILY;COUNT=400' }],
        ['recurrence', { ...ok, recurrence: 'FREQ=WEEKLY;INTERVAL=100;COUNT=2' }],
        ['recurrence', { ...ok, recurrence: 'FREQ=WEEKLY;COUNT=3;UNTIL=20260401T000000Z' }],
        ['recurrence', { ...ok, recurrence: 'FREQ=WEEKLY;BYDAY=WE;COUNT=3' }],
        ['recurrence', { ...ok, recurrence: 'FREQ=WEEKLY;COUNT=3;BYSETPOS=1' }],
        ['recurrence', { ...ok, recurrence: 'nonsense' }],
      ];
      for (const [field, body] of cases) {
        const res = await call(t.app, 'POST', '/api/v1/meetings', { token: a.token, body });
        assertValidation(res, field, JSON.stringify(body));
      }
      const noEnd = { ...ok } as Record<string, unknown>;
      delete noEnd.duration;
      assertProblem(
        await call(t.app, 'POST', '/api/v1/meetings', { token: a.token, body: noEnd }),
        400,
        'neither end nor duration',
      );
      assertProblem(await call(t.app, 'POST', '/api/v1/meetings', { body: ok }), 401);
      const list = await call(t.app, 'GET', '/api/v1/meetings', { token: a.token });
      assert.deepEqual(list.body.data, [], 'nothing was created');
    });

    // ---- Conflicts ----------------------------------------------------------------------------

    it('409 lists every participant × occurrence problem (conflict vs unavailable) and creates nothing', async () => {
      const a = await user();
      const b = await user();
      const c = await user();
      const d = await user();
      // b is busy at occurrence 1 (a meeting with c).
      await meeting(b.token, { start: '2026-03-03T10:00:00-05:00', duration: 60, participants: [c.username] });
      // d is not available on 2026-03-10 (occurrence 2).
      const off = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token: d.token,
        body: { dates: [{ date: '2026-03-10', intervals: [] }] },
      });
      assert.equal(off.status, 200, off.text);
      const before = await free(d, '2026-03-03');
      const res = await create(a.token, {
        start: '2026-03-03T10:30:00-05:00',
        duration: 30,
        participants: [b.username, c.username, d.username, 'guest@example.org'],
        recurrence: 'FREQ=WEEKLY;COUNT=3',
      });
      assertProblem(res, 409);
      assert.match(res.body.type, /meeting[-_]conflict/);
      const conflicts = res.body.conflicts;
      assert.ok(Array.isArray(conflicts), res.text);
      const key = (x: any) => {
        const who = [b, c, d].find((u) => x.participant === u.username || x.participant === u.email);
        return `${who?.username ?? x.participant}#${x.occurrence}@${new Date(ms(x.start)).toISOString()}:${x.reason}`;
      };
      assert.deepEqual(
        conflicts.map(key).sort(),
        [
          `${b.username}#1@2026-03-03T15:30:00.000Z:conflict`,
          `${c.username}#1@2026-03-03T15:30:00.000Z:conflict`,
          `${d.username}#2@2026-03-10T14:30:00.000Z:unavailable`,
        ].sort(),
        res.text,
      );
      for (const x of conflicts) assert.match(x.start, RFC3339_SECONDS);
      // Nothing created: no meeting, d's time untouched.
      const list = await call(t.app, 'GET', '/api/v1/meetings', { token: a.token });
      assert.deepEqual(list.body.data, []);
      assert.deepEqual(await free(d, '2026-03-03'), before);
      assert.deepEqual(await free(a, '2026-03-03'), FULL('2026-03-03'));
    });

    it('the organiser is checked too: outside their hours is `unavailable`', async () => {
      const a = await user();
      const b = await user('Europe/Berlin');
      // Saturday, and 18:00 New York (Sunday 00:00 Berlin).
      const res = await create(a.token, {
        start: '2026-03-07T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
      });
      assertProblem(res, 409);
      const got = res.body.conflicts.map((x: any) => `${x.participant}:${x.occurrence}:${x.reason}`).sort();
      const names = (u: U) => [u.username, u.email];
      assert.equal(got.length, 2, res.text);
      assert.ok(
        res.body.conflicts.every((x: any) => x.reason === 'unavailable' && x.occurrence === 1),
        res.text,
      );
      assert.ok(res.body.conflicts.some((x: any) => names(a).includes(x.participant)));
      assert.ok(res.body.conflicts.some((x: any) => names(b).includes(x.participant)));
      // A daily series into the weekend: only occurrences 5 and 6 (Sat, Sun) are a problem.
      const daily = await create(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [a.username],
        recurrence: 'FREQ=DAILY;COUNT=6',
      });
      assertProblem(daily, 409);
      assert.deepEqual(daily.body.conflicts.map((x: any) => x.occurrence).sort(), [5, 6], daily.text);
    });

    it('a booking holds the time against meetings and a meeting against bookings', async () => {
      const a = await user();
      const b = await user();
      const et = await call(t.app, 'POST', '/api/v1/event-types', {
        token: b.token,
        body: { slug: 'chat', title: 'Chat' },
      });
      assert.equal(et.status, 201, et.text);
      const base = `/api/v1/public/${b.username}/chat`;
      const invitee = { name: 'Ivy', email: 'ivy@example.com', timezone: NY };
      const bk = await call(t.app, 'POST', `${base}/bookings`, {
        body: { start: '2026-03-03T10:00:00-05:00', invitee },
      });
      assert.equal(bk.status, 201, bk.text);
      const res = await create(a.token, {
        start: '2026-03-03T10:15:00-05:00',
        duration: 30,
        participants: [b.username],
      });
      assertProblem(res, 409);
      assert.equal(res.body.conflicts.length, 1, res.text);
      assert.equal(res.body.conflicts[0].reason, 'conflict');
      assert.equal(res.body.conflicts[0].occurrence, 1);
      assert.ok(same(res.body.conflicts[0].start, '2026-03-03T10:15:00-05:00'));
      // The other way round: a meeting takes the slot away from the booking page.
      await meeting(a.token, { start: '2026-03-03T14:00:00-05:00', duration: 60, participants: [b.username] });
      const slots = await call(t.app, 'GET', `${base}/slots?date=2026-03-03&timezone=${NY}`);
      const starts = slots.body.slots.map((s: any) => s.start);
      assert.ok(
        !starts.includes('2026-03-03T14:00:00-05:00') && !starts.includes('2026-03-03T14:30:00-05:00'),
        starts.join(),
      );
      assert.ok(starts.includes('2026-03-03T15:00:00-05:00'));
      const taken = await call(t.app, 'POST', `${base}/bookings`, {
        body: { start: '2026-03-03T14:30:00-05:00', invitee },
      });
      assertProblem(taken, 409);
    });

    it('a meeting removes the time from every participant’s availability and from the overlap', async () => {
      const a = await user();
      const b = await user();
      await meeting(a.token, {
        start: '2026-03-04T13:00:00-05:00',
        end: '2026-03-04T14:30:00-05:00',
        participants: [b.username, 'g@example.org'],
      });
      assert.deepEqual(await free(a, '2026-03-04'), GAP('2026-03-04', '13:00', '14:30'));
      assert.deepEqual(await free(b, '2026-03-04'), GAP('2026-03-04', '13:00', '14:30'));
      const ov = await call(
        t.app,
        'GET',
        `/api/v1/availability/overlap?users=${a.username},${b.username}&from=2026-03-04&to=2026-03-04&timezone=${NY}`,
        { token: a.token },
      );
      assert.equal(ov.status, 200, ov.text);
      assert.deepEqual(
        ov.body.days[0].intervals.map((i: any) => [i.start, i.end]),
        GAP('2026-03-04', '13:00', '14:30'),
      );
    });

    it('many concurrent meetings for one person’s time: exactly one 201, the rest 409, no 5xx', async () => {
      const b = await user();
      const organisers = [];
      for (let i = 0; i < 6; i++) organisers.push(await user());
      const answers = await Promise.all(
        organisers.map((o) =>
          create(o.token, { start: '2026-03-05T10:00:00-05:00', duration: 30, participants: [b.username] }),
        ),
      );
      const codes = answers.map((r) => r.status);
      assert.equal(codes.filter((c) => c === 201).length, 1, codes.join());
      assert.equal(codes.filter((c) => c === 409).length, 5, codes.join());
      assert.deepEqual(await free(b, '2026-03-05'), GAP('2026-03-05', '10:00', '10:30'));
    });

    it('Idempotency-Key on POST /meetings replays the first answer (same id)', async () => {
      const a = await user();
      const headers = { 'idempotency-key': `meet-${n}` };
      const body = { start: '2026-03-05T11:00:00-05:00', duration: 30, participants: [a.username] };
      const first = await create(a.token, body, '', headers);
      const again = await create(a.token, body, '', headers);
      assert.equal(first.status, 201, first.text);
      assert.equal(again.status, 201, again.text);
      assert.deepEqual(again.body, first.body);
      const list = await call(t.app, 'GET', '/api/v1/meetings', { token: a.token });
      assert.equal(list.body.data.length, 1);
    });

    // ---- Series and DST ---------------------------------------------------------------------------

    it('a weekly series across 2026-03-08 keeps its New York local time; occurrences listed', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 45,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=3',
      });
      assert.equal(m.recurrence, 'FREQ=WEEKLY;COUNT=3');
      assert.equal(m.status, 'confirmed');
      assert.deepEqual(
        m.occurrences.map((o: any) => [o.number, o.start, o.end, o.status]),
        [
          [1, '2026-03-03T10:00:00-05:00', '2026-03-03T10:45:00-05:00', 'confirmed'],
          [2, '2026-03-10T10:00:00-04:00', '2026-03-10T10:45:00-04:00', 'confirmed'],
          [3, '2026-03-17T10:00:00-04:00', '2026-03-17T10:45:00-04:00', 'confirmed'],
        ],
      );
      const utc = await call(t.app, 'GET', `/api/v1/meetings/${m.id}?timezone=UTC`, { token: b.token });
      assert.deepEqual(
        utc.body.occurrences.map((o: any) => o.start.replace('+00:00', 'Z')),
        ['2026-03-03T15:00:00Z', '2026-03-10T14:00:00Z', '2026-03-17T14:00:00Z'],
      );
      assert.deepEqual(await free(b, '2026-03-10'), GAP('2026-03-10', '10:00', '10:45', '-04:00'));
      assert.deepEqual(await free(b, '2026-03-17'), GAP('2026-03-17', '10:00', '10:45', '-04:00'));
    });

    it('a series is expanded in the organiser’s zone (Berlin), whatever the participants’ zones', async () => {
      const a = await user('Europe/Berlin');
      // a New York participant available around the clock on the days concerned
      const b = await user();
      const all = [{ start: '00:00', end: '24:00' }];
      const put = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token: b.token,
        body: {
          dates: ['2026-03-03', '2026-03-10', '2026-03-17', '2026-03-24', '2026-03-31'].map((date) => ({
            date,
            intervals: all,
          })),
        },
      });
      assert.equal(put.status, 200, put.text);
      const m = await meeting(a.token, {
        start: '2026-03-03T16:00:00+01:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=5',
      });
      assert.deepEqual(
        m.occurrences.map((o: any) => o.start),
        [
          '2026-03-03T16:00:00+01:00',
          '2026-03-10T16:00:00+01:00',
          '2026-03-17T16:00:00+01:00',
          '2026-03-24T16:00:00+01:00',
          '2026-03-31T16:00:00+02:00',
        ],
      );
      const ny = await call(t.app, 'GET', `/api/v1/meetings/${m.id}?timezone=${NY}`, { token: b.token });
      assert.deepEqual(
        ny.body.occurrences.map((o: any) => o.start),
        [
          '2026-03-03T10:00:00-05:00',
          '2026-03-10T11:00:00-04:00',
          '2026-03-17T11:00:00-04:00',
          '2026-03-24T11:00:00-04:00',
          '2026-03-31T10:00:00-04:00',
        ],
      );
    });

    it('a monthly series with BYDAY=-1FR and an UNTIL bound', async () => {
      const a = await user();
      const m = await meeting(a.token, {
        start: '2026-03-27T15:00:00-04:00',
        duration: 30,
        participants: [a.username],
        recurrence: 'FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20260601T000000Z',
      });
      assert.deepEqual(
        m.occurrences.map((o: any) => o.start),
        ['2026-03-27T15:00:00-04:00', '2026-04-24T15:00:00-04:00', '2026-05-29T15:00:00-04:00'],
      );
    });

    // ---- Listing -----------------------------------------------------------------------------------

    it('GET /meetings: upcoming by default, soonest first, paginated; from/to/status filter', async () => {
      const a = await user();
      const b = await user();
      const early = await meeting(a.token, {
        title: 'early',
        start: '2026-03-02T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
      });
      const m3 = await meeting(a.token, {
        title: 'thu',
        start: '2026-03-05T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
      });
      const m1 = await meeting(b.token, {
        title: 'tue',
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [a.username],
      });
      const series = await meeting(a.token, {
        title: 'series',
        start: '2026-03-02T15:00:00-05:00',
        duration: 30,
        participants: [a.username],
        recurrence: 'FREQ=DAILY;COUNT=4',
      });
      const gone = await meeting(a.token, {
        title: 'gone',
        start: '2026-03-04T10:00:00-05:00',
        duration: 30,
        participants: [a.username],
      });
      const c = await call(t.app, 'POST', `/api/v1/meetings/${gone.id}/cancel`, { token: a.token });
      assert.equal(c.status, 200, c.text);
      // Monday 11:00 New York: `early` is over, the series (15:00 daily) is not.
      t.clock.set('2026-03-02T16:00:00Z');
      try {
        const titles = async (q: string, who = a) => {
          const res = await call(t.app, 'GET', `/api/v1/meetings?${q}`, { token: who.token });
          assert.equal(res.status, 200, `${q}: ${res.text}`);
          return res.body.data.map((m: any) => m.title);
        };
        assert.deepEqual(await titles('status=confirmed'), ['series', 'tue', 'thu']);
        const dflt = await titles('');
        assert.ok(!dflt.includes('early'), `upcoming by default: ${dflt.join()}`);
        assert.deepEqual(
          dflt.filter((x: string) => x !== 'gone'),
          ['series', 'tue', 'thu'],
        );
        assert.deepEqual(await titles('status=cancelled'), ['gone']);
        assert.deepEqual(await titles(`from=2026-03-02&to=2026-03-03&timezone=${NY}&status=confirmed`), [
          'early',
          'series',
          'tue',
        ]);
        assert.deepEqual(await titles(`from=2026-03-05&to=2026-03-05&timezone=${NY}`), ['series', 'thu']);
        assert.deepEqual(
          await titles('status=confirmed', b),
          ['early', 'tue', 'thu'].filter((x) => x !== 'early'),
        );
        // Pagination: the same order page by page.
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const q: string = `status=confirmed&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page = await call(t.app, 'GET', `/api/v1/meetings?${q}`, { token: a.token });
          assert.equal(page.status, 200, page.text);
          seen.push(...page.body.data.map((m: any) => m.id));
          cursor = page.body.next_cursor;
          pages++;
        } while (cursor && pages < 10);
        assert.deepEqual(seen, [series.id, m1.id, m3.id]);
        for (const bad of [
          'limit=0',
          'limit=101',
          'limit=x',
          'cursor=%%bad%%',
          'status=maybe',
          'from=2026-02-30',
          'timezone=Mars/Base',
        ]) {
          assertProblem(await call(t.app, 'GET', `/api/v1/meetings?${bad}`, { token: a.token }), 400, bad);
        }
        assertProblem(await call(t.app, 'GET', '/api/v1/meetings'), 401);
        const outsider = await user();
        assert.deepEqual(await titles('', outsider), []);
        assert.ok(early.id);
      } finally {
        t.clock.set(NOW);
      }
    });

    it('the host-side view GET /bookings lists meeting occurrences too', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=2',
      });
      const res = await call(t.app, 'GET', '/api/v1/bookings', { token: b.token });
      assert.equal(res.status, 200, res.text);
      const mine = res.body.data.filter((x: any) => x.meeting_id === m.id || x.id === m.id);
      assert.equal(mine.length, 2, res.text);
      assert.deepEqual(
        mine.map((x: any) => x.start),
        ['2026-03-03T10:00:00-05:00', '2026-03-10T10:00:00-04:00'],
      );
    });

    // ---- Visibility and changes --------------------------------------------------------------------

    it('visibility: a non-participant gets a 404 everywhere, never the content', async () => {
      const a = await user();
      const b = await user();
      const x = await user();
      const m = await meeting(a.token, {
        title: 'Hush hush',
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
      });
      assertHidden(await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: x.token }), 'Hush');
      assertHidden(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, { token: x.token, body: { title: 'Mine now' } }),
        'Hush',
      );
      assertHidden(
        await call(t.app, 'PUT', `/api/v1/meetings/${m.id}`, {
          token: x.token,
          body: { title: 'Mine', start: '2026-03-03T10:00:00-05:00', duration: 30, participants: [x.username] },
        }),
        'Hush',
      );
      assertHidden(await call(t.app, 'POST', `/api/v1/meetings/${m.id}/cancel`, { token: x.token }), 'Hush');
      assertHidden(await call(t.app, 'POST', `/api/v1/meetings/${m.id}/decline`, { token: x.token }), 'Hush');
      assertHidden(
        await call(t.app, 'POST', `/api/v1/meetings/${m.id}/occurrences/1/cancel`, { token: x.token }),
        'Hush',
      );
      assertProblem(
        await call(t.app, 'GET', '/api/v1/meetings/00000000-0000-4000-8000-000000000000', { token: a.token }),
        404,
      );
      assertProblem(await call(t.app, 'GET', `/api/v1/meetings/${m.id}`), 401);
      const still = await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: a.token });
      assert.equal(still.body.title, 'Hush hush');
      assert.equal(still.body.status, 'confirmed');
    });

    it('PATCH/PUT/cancel are the organiser’s: another participant gets a 403', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        title: 'Keep',
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
      });
      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, { token: b.token, body: { title: 'Changed' } }),
        403,
      );
      assertProblem(
        await call(t.app, 'PUT', `/api/v1/meetings/${m.id}`, {
          token: b.token,
          body: { title: 'Changed', start: m.start, duration: 30, participants: [b.username] },
        }),
        403,
      );
      assertProblem(await call(t.app, 'POST', `/api/v1/meetings/${m.id}/cancel`, { token: b.token }), 403);
      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, { token: b.token, body: { status: 'cancelled' } }),
        403,
      );
      const still = await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: b.token });
      assert.equal(still.body.title, 'Keep');
      assert.equal(still.body.status, 'confirmed');
    });

    it('PATCH: the fields given; a move is checked like creation (409 lists problems, nothing changes), own time never conflicts', async () => {
      const a = await user();
      const b = await user();
      const c = await user();
      const m = await meeting(a.token, {
        title: 'Old',
        start: '2026-03-03T10:00:00-05:00',
        duration: 60,
        participants: [b.username],
      });
      const renamed = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { title: 'New <title>' },
      });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.title, 'New <title>');
      assert.equal(renamed.body.start, m.start);
      assert.equal(renamed.body.end, m.end);
      assert.deepEqual(renamed.body.participants, m.participants);
      assert.ok(renamed.body.sequence > m.sequence, 'sequence grows');
      // b is busy at 14:00 with c.
      await meeting(c.token, { start: '2026-03-03T14:00:00-05:00', duration: 30, participants: [b.username] });
      const clash = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { start: '2026-03-03T13:30:00-05:00' },
      });
      assertProblem(clash, 409);
      assert.deepEqual(
        clash.body.conflicts.map((x: any) => [x.occurrence, x.reason]),
        [[1, 'conflict']],
        clash.text,
      );
      assert.ok([b.username, b.email].includes(clash.body.conflicts[0].participant));
      const unchanged = await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: a.token });
      assert.equal(unchanged.body.start, m.start);
      assert.deepEqual(await free(b, '2026-03-03'), [
        ['2026-03-03T09:00:00-05:00', '2026-03-03T10:00:00-05:00'],
        ['2026-03-03T11:00:00-05:00', '2026-03-03T14:00:00-05:00'],
        ['2026-03-03T14:30:00-05:00', '2026-03-03T17:00:00-05:00'],
      ]);
      // Overlapping its own old time is fine.
      const slide = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { start: '2026-03-03T10:30:00-05:00' },
      });
      assert.equal(slide.status, 200, slide.text);
      assert.equal(slide.body.start, '2026-03-03T10:30:00-05:00');
      assert.equal(slide.body.end, '2026-03-03T11:30:00-05:00', 'the length stays');
      assert.deepEqual(await free(b, '2026-03-03'), [
        ['2026-03-03T09:00:00-05:00', '2026-03-03T10:30:00-05:00'],
        ['2026-03-03T11:30:00-05:00', '2026-03-03T14:00:00-05:00'],
        ['2026-03-03T14:30:00-05:00', '2026-03-03T17:00:00-05:00'],
      ]);
      assertValidation(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
          token: a.token,
          body: { start: '2026-02-20T10:00:00-05:00' },
        }),
        'start',
        'a past start',
      );
      assertValidation(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
          token: a.token,
          body: { start: '2026-03-04T10:00:00' },
        }),
        'start',
      );
      assertValidation(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, { token: a.token, body: { title: '' } }),
        'title',
      );
    });

    it('PUT replaces the meeting: a removed participant is freed, a new one is checked', async () => {
      const a = await user();
      const b = await user();
      const c = await user();
      const d = await user();
      const m = await meeting(a.token, {
        title: 'Team',
        start: '2026-03-04T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
      });
      await meeting(d.token, { start: '2026-03-04T10:00:00-05:00', duration: 30, participants: [d.username] });
      const busy = await call(t.app, 'PUT', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { title: 'Team', start: m.start, duration: 30, participants: [c.username, d.username] },
      });
      assertProblem(busy, 409);
      assert.equal(busy.body.conflicts.length, 1, busy.text);
      assert.ok([d.username, d.email].includes(busy.body.conflicts[0].participant));
      assert.deepEqual(await free(b, '2026-03-04'), GAP('2026-03-04', '10:00', '10:30'), 'nothing changed');
      const res = await call(t.app, 'PUT', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { title: 'Team v2', start: m.start, duration: 30, participants: [c.username] },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.title, 'Team v2');
      assert.equal(res.body.description, '', 'PUT: a left-out field is reset');
      assert.deepEqual(res.body.participants.map((p: any) => p.username).sort(), [a.username, c.username].sort());
      assert.deepEqual(await free(b, '2026-03-04'), FULL('2026-03-04'), 'removed participant freed');
      assert.deepEqual(await free(c, '2026-03-04'), GAP('2026-03-04', '10:00', '10:30'));
      assertHidden(
        await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: b.token }),
        'Team v2',
        'a removed participant no longer sees it',
      );
    });

    it('cancel with PATCH {status: "cancelled"} frees everyone; a cancelled meeting cannot change (409)', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=2',
      });
      const res = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { status: 'cancelled' },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'cancelled');
      for (const who of [a, b]) {
        assert.deepEqual(await free(who, '2026-03-03'), FULL('2026-03-03'));
        assert.deepEqual(await free(who, '2026-03-10'), FULL('2026-03-10', '-04:00'));
      }
      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, { token: a.token, body: { title: 'Back?' } }),
        409,
      );
      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, { token: a.token, body: { status: 'confirmed' } }),
        409,
      );
      assertProblem(
        await call(t.app, 'PUT', `/api/v1/meetings/${m.id}`, {
          token: a.token,
          body: { title: 'x', start: m.start, duration: 30, participants: [b.username] },
        }),
        409,
      );
      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/1`, {
          token: a.token,
          body: { start: '2026-03-03T11:00:00-05:00' },
        }),
        409,
      );
      const seen = await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: b.token });
      assert.equal(seen.body.status, 'cancelled');
      // The time can be booked again by someone else.
      await meeting(b.token, { start: '2026-03-03T10:00:00-05:00', duration: 30, participants: [a.username] });
    });

    it('POST .../cancel frees the time; cancelling twice answers the cancelled meeting', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-05T15:00:00-05:00',
        duration: 60,
        participants: [b.username],
      });
      const res = await call(t.app, 'POST', `/api/v1/meetings/${m.id}/cancel`, { token: a.token });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'cancelled');
      assert.deepEqual(await free(b, '2026-03-05'), FULL('2026-03-05'));
      const twice = await call(t.app, 'POST', `/api/v1/meetings/${m.id}/cancel`, { token: a.token });
      assert.equal(twice.status, 200, twice.text);
      assert.equal(twice.body.status, 'cancelled');
    });

    it('decline: a participant’s time is freed, they stay listed as declined and still see it', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-05T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=DAILY;COUNT=2',
      });
      const res = await call(t.app, 'POST', `/api/v1/meetings/${m.id}/decline`, { token: b.token });
      assert.equal(res.status, 200, res.text);
      assert.equal(participant(res.body, b).status, 'declined');
      assert.equal(res.body.status, 'confirmed');
      assert.deepEqual(await free(b, '2026-03-05'), FULL('2026-03-05'));
      assert.deepEqual(await free(b, '2026-03-06'), FULL('2026-03-06'));
      assert.deepEqual(await free(a, '2026-03-05'), GAP('2026-03-05', '10:00', '10:30'));
      const seen = await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: b.token });
      assert.equal(seen.status, 200);
      assertProblem(
        await call(t.app, 'POST', `/api/v1/meetings/${m.id}/decline`, { token: a.token }),
        400,
        'organiser cancels instead',
      );
    });

    // ---- One occurrence at a time --------------------------------------------------------------------

    it('PATCH occurrences/{n}: moves only that occurrence; the old time is freed', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=3',
      });
      const res = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/2`, {
        token: a.token,
        body: { start: '2026-03-11T14:00:00-04:00' },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        res.body.occurrences.map((o: any) => [o.number, o.start, o.end, o.status]),
        [
          [1, '2026-03-03T10:00:00-05:00', '2026-03-03T10:30:00-05:00', 'confirmed'],
          [2, '2026-03-11T14:00:00-04:00', '2026-03-11T14:30:00-04:00', 'confirmed'],
          [3, '2026-03-17T10:00:00-04:00', '2026-03-17T10:30:00-04:00', 'confirmed'],
        ],
      );
      assert.deepEqual(await free(b, '2026-03-10'), FULL('2026-03-10', '-04:00'));
      assert.deepEqual(await free(b, '2026-03-11'), GAP('2026-03-11', '14:00', '14:30', '-04:00'));
      // Moving onto a time someone holds is a 409 naming the occurrence.
      const c = await user();
      await meeting(c.token, { start: '2026-03-17T15:00:00-04:00', duration: 30, participants: [b.username] });
      const clash = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/3`, {
        token: a.token,
        body: { start: '2026-03-17T15:00:00-04:00' },
      });
      assertProblem(clash, 409);
      assert.deepEqual(
        clash.body.conflicts.map((x: any) => [x.occurrence, x.reason]),
        [[3, 'conflict']],
        clash.text,
      );
      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/4`, {
          token: a.token,
          body: { start: '2026-03-24T10:00:00-04:00' },
        }),
        404,
        'no occurrence 4',
      );
      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/1`, {
          token: b.token,
          body: { start: '2026-03-03T11:00:00-05:00' },
        }),
        403,
      );
      assertValidation(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/1`, {
          token: a.token,
          body: { start: '2026-03-03T11:00:00' },
        }),
        'start',
      );
    });

    it('cancel one occurrence (POST and PATCH status); a cancelled one cannot be moved; none left cancels the series', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=3',
      });
      const one = await call(t.app, 'POST', `/api/v1/meetings/${m.id}/occurrences/2/cancel`, { token: a.token });
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(
        one.body.occurrences.map((o: any) => o.status),
        ['confirmed', 'cancelled', 'confirmed'],
      );
      assert.equal(one.body.status, 'confirmed');
      assert.deepEqual(await free(b, '2026-03-10'), FULL('2026-03-10', '-04:00'));
      assert.deepEqual(await free(b, '2026-03-17'), GAP('2026-03-17', '10:00', '10:30', '-04:00'));
      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/2`, {
          token: a.token,
          body: { start: '2026-03-10T11:00:00-04:00' },
        }),
        409,
      );
      const p = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/1`, {
        token: a.token,
        body: { status: 'cancelled' },
      });
      assert.equal(p.status, 200, p.text);
      assert.deepEqual(
        p.body.occurrences.map((o: any) => o.status),
        ['cancelled', 'cancelled', 'confirmed'],
      );
      const last = await call(t.app, 'POST', `/api/v1/meetings/${m.id}/occurrences/3/cancel`, { token: a.token });
      assert.equal(last.status, 200, last.text);
      assert.equal(last.body.status, 'cancelled', 'a series with no confirmed occurrence left is cancelled');
    });

    it('?scope=following: move or cancel an occurrence and every later one', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=4',
      });
      const moved = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/2?scope=following`, {
        token: a.token,
        body: { start: '2026-03-11T13:00:00-04:00', duration: 45 },
      });
      assert.equal(moved.status, 200, moved.text);
      assert.deepEqual(
        moved.body.occurrences.map((o: any) => [o.number, o.start, o.end]),
        [
          [1, '2026-03-03T10:00:00-05:00', '2026-03-03T10:30:00-05:00'],
          [2, '2026-03-11T13:00:00-04:00', '2026-03-11T13:45:00-04:00'],
          [3, '2026-03-18T13:00:00-04:00', '2026-03-18T13:45:00-04:00'],
          [4, '2026-03-25T13:00:00-04:00', '2026-03-25T13:45:00-04:00'],
        ],
      );
      assert.deepEqual(await free(b, '2026-03-17'), FULL('2026-03-17', '-04:00'));
      assert.deepEqual(await free(b, '2026-03-18'), GAP('2026-03-18', '13:00', '13:45', '-04:00'));
      const cut = await call(t.app, 'POST', `/api/v1/meetings/${m.id}/occurrences/3/cancel?scope=following`, {
        token: a.token,
      });
      assert.equal(cut.status, 200, cut.text);
      assert.deepEqual(
        cut.body.occurrences.map((o: any) => o.status),
        ['confirmed', 'confirmed', 'cancelled', 'cancelled'],
      );
      assert.deepEqual(await free(b, '2026-03-25'), FULL('2026-03-25', '-04:00'));
    });

    it('a started occurrence cannot be moved (409)', async () => {
      const a = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 60,
        participants: [a.username],
        recurrence: 'FREQ=DAILY;COUNT=2',
      });
      t.clock.set('2026-03-03T15:30:00Z'); // 10:30 New York, occurrence 1 under way
      try {
        assertProblem(
          await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/1`, {
            token: a.token,
            body: { start: '2026-03-03T14:00:00-05:00' },
          }),
          409,
        );
        const ok = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}/occurrences/2`, {
          token: a.token,
          body: { start: '2026-03-04T14:00:00-05:00' },
        });
        assert.equal(ok.status, 200, ok.text);
      } finally {
        t.clock.set(NOW);
      }
    });

    it('PATCH a new start re-expands the whole series; recurrence null makes it a one-off', async () => {
      const a = await user();
      const b = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=3',
      });
      const moved = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { start: '2026-03-04T09:00:00-05:00', recurrence: 'FREQ=WEEKLY;COUNT=2' },
      });
      assert.equal(moved.status, 200, moved.text);
      assert.deepEqual(
        moved.body.occurrences.map((o: any) => o.start),
        ['2026-03-04T09:00:00-05:00', '2026-03-11T09:00:00-04:00'],
      );
      assert.deepEqual(await free(b, '2026-03-17'), FULL('2026-03-17', '-04:00'), 'old occurrences freed');
      assert.deepEqual(await free(b, '2026-03-03'), FULL('2026-03-03'));
      assert.deepEqual(await free(b, '2026-03-11'), [['2026-03-11T09:30:00-04:00', '2026-03-11T17:00:00-04:00']]);
      const single = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { recurrence: null },
      });
      assert.equal(single.status, 200, single.text);
      assert.equal(single.body.recurrence, null);
      assert.ok(!single.body.occurrences || single.body.occurrences.length <= 1, single.text);
      assert.deepEqual(await free(b, '2026-03-11'), FULL('2026-03-11', '-04:00'));
      assert.deepEqual(await free(b, '2026-03-04'), [['2026-03-04T09:30:00-05:00', '2026-03-04T17:00:00-05:00']]);
    });

    it('a local time skipped by spring-forward is left out; every occurrence keeps 02:30 local', async () => {
      const a = await user();
      const all = [{ start: '00:00', end: '24:00' }];
      const put = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token: a.token,
        body: {
          dates: ['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'].map((date) => ({ date, intervals: all })),
        },
      });
      assert.equal(put.status, 200, put.text);
      const m = await meeting(a.token, {
        start: '2026-03-07T02:30:00-05:00',
        duration: 30,
        participants: [a.username],
        recurrence: 'FREQ=DAILY;COUNT=3',
      });
      const local = m.occurrences.map((o: any) => o.start);
      assert.ok(
        local.every((s: string) => s.slice(11, 19) === '02:30:00'),
        local.join(),
      );
      assert.ok(
        !local.some((s: string) => s.startsWith('2026-03-08')),
        `the skipped 02:30 on 2026-03-08 is left out: ${local.join()}`,
      );
      assert.equal(local[0], '2026-03-07T02:30:00-05:00');
      assert.equal(local[1], '2026-03-09T02:30:00-04:00');
    });

    it('GET /meetings by default includes a meeting under way (an occurrence ends after now)', async () => {
      const a = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 60,
        participants: [a.username],
      });
      t.clock.set('2026-03-03T15:30:00Z');
      try {
        const list = await call(t.app, 'GET', '/api/v1/meetings', { token: a.token });
        assert.deepEqual(
          list.body.data.map((x: any) => x.id),
          [m.id],
        );
        t.clock.set('2026-03-03T16:00:00Z');
        const later = await call(t.app, 'GET', '/api/v1/meetings', { token: a.token });
        assert.deepEqual(later.body.data, [], 'ended exactly now: no longer upcoming');
      } finally {
        t.clock.set(NOW);
      }
    });

    it('PATCH participants: a new one is checked (409), a removed one is freed', async () => {
      const a = await user();
      const b = await user();
      const c = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=2',
      });
      // c is not available on the second occurrence.
      await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token: c.token,
        body: { dates: [{ date: '2026-03-10', intervals: [] }] },
      });
      const clash = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { participants: [b.username, c.username] },
      });
      assertProblem(clash, 409);
      assert.deepEqual(
        clash.body.conflicts.map((x: any) => [x.occurrence, x.reason]),
        [[2, 'unavailable']],
        clash.text,
      );
      assert.ok([c.username, c.email].includes(clash.body.conflicts[0].participant));
      assert.deepEqual(await free(c, '2026-03-03'), FULL('2026-03-03'), 'nothing changed');
      const swap = await call(t.app, 'PATCH', `/api/v1/meetings/${m.id}`, {
        token: a.token,
        body: { participants: [a.username, 'x@example.org'] },
      });
      assert.equal(swap.status, 200, swap.text);
      assert.deepEqual(await free(b, '2026-03-03'), FULL('2026-03-03'));
      assert.deepEqual(await free(b, '2026-03-10'), FULL('2026-03-10', '-04:00'));
      assert.deepEqual(await free(a, '2026-03-10'), GAP('2026-03-10', '10:00', '10:30', '-04:00'));
    });

    it('touching is not overlapping: a meeting may start when a booking ends, but not inside its buffer', async () => {
      const a = await user();
      const b = await user();
      const et = await call(t.app, 'POST', '/api/v1/event-types', {
        token: b.token,
        body: { slug: 'buf', title: 'Buf', buffer_after: 15 },
      });
      assert.equal(et.status, 201, et.text);
      await meeting(a.token, { start: '2026-03-03T09:00:00-05:00', duration: 30, participants: [b.username] });
      const adj = await meeting(a.token, {
        start: '2026-03-03T09:30:00-05:00',
        duration: 30,
        participants: [b.username],
      });
      assert.ok(adj.id, 'back to back');
      const bk = await call(t.app, 'POST', `/api/v1/public/${b.username}/buf/bookings`, {
        body: { start: '2026-03-03T11:00:00-05:00', invitee: { name: 'I', email: 'i@example.com', timezone: NY } },
      });
      assert.equal(bk.status, 201, bk.text);
      const inBuffer = await create(a.token, {
        start: '2026-03-03T11:30:00-05:00',
        duration: 30,
        participants: [b.username],
      });
      assertProblem(inBuffer, 409, 'inside the booking’s buffer after');
      assert.equal(inBuffer.body.conflicts[0].reason, 'conflict');
      const afterBuffer = await meeting(a.token, {
        start: '2026-03-03T11:45:00-05:00',
        duration: 15,
        participants: [b.username],
      });
      assert.ok(afterBuffer.id);
    });

    it('end and duration together is a 400 (give one of them)', async () => {
      const a = await user();
      const res = await create(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        end: '2026-03-03T10:30:00-05:00',
        duration: 30,
        participants: [a.username],
      });
      assertProblem(res, 400);
    });

    it('GET /meetings from/to are dates in `timezone`', async () => {
      const a = await user();
      const put = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token: a.token,
        body: { dates: [{ date: '2026-03-03', intervals: [{ start: '20:00', end: '24:00' }] }] },
      });
      assert.equal(put.status, 200, put.text);
      const m = await meeting(a.token, {
        start: '2026-03-03T23:00:00-05:00',
        duration: 30,
        participants: [a.username],
      }); // 2026-03-04T04:00Z
      const ids = async (q: string) =>
        (await call(t.app, 'GET', `/api/v1/meetings?${q}`, { token: a.token })).body.data.map((x: any) => x.id);
      assert.deepEqual(await ids(`from=2026-03-03&to=2026-03-03&timezone=${NY}`), [m.id]);
      assert.deepEqual(await ids(`from=2026-03-04&to=2026-03-04&timezone=${NY}`), []);
      assert.deepEqual(await ids('from=2026-03-04&to=2026-03-04&timezone=UTC'), [m.id]);
      assert.deepEqual(await ids('from=2026-03-03&to=2026-03-03&timezone=UTC'), []);
      assert.deepEqual(await ids('from=2026-03-04&to=2026-03-04'), [], 'default zone: yours (New York)');
    });

    it('bad input is never a 5xx: odd recurrences, participants, numbers and paths', async () => {
      const a = await user();
      const m = await meeting(a.token, {
        start: '2026-03-03T10:00:00-05:00',
        duration: 30,
        participants: [a.username],
        recurrence: 'FREQ=DAILY;COUNT=2',
      });
      const ok = { title: 'x', start: '2026-03-03T10:00:00-05:00', duration: 30, participants: [a.username] };
      const cases: Array<[string, string, unknown?]> = [
        ['POST', '/api/v1/meetings', { ...ok, recurrence: 'FREQ=DAILY;COUNT=2;UNTIL=x' }],
        ['POST', '/api/v1/meetings', { ...ok, recurrence: 'FREQ=DAILY;UNTIL=99991231T000000Z' }],
        ['POST', '/api/v1/meetings', { ...ok, recurrence: 'RRULE:FREQ=DAILY;COUNT=2' }],
        ['POST', '/api/v1/meetings', { ...ok, recurrence: 'FREQ=DAILY;COUNT=0' }],
        ['POST', '/api/v1/meetings', { ...ok, recurrence: 'FREQ=DAILY;COUNT=2;BYDAY=XX' }],
        ['POST', '/api/v1/meetings', { ...ok, recurrence: 'FREQ=WEEKLY;COUNT=2;WKST=ZZ' }],
        ['POST', '/api/v1/meetings', { ...ok, recurrence: 'FREQ=MONTHLY;BYMONTHDAY=32;COUNT=2' }],
        ['POST', '/api/v1/meetings', { ...ok, recurrence: 'FREQ=DAILY;COUNT=2;COUNT=3' }],
        ['POST', '/api/v1/meetings', { ...ok, participants: ['', ' '] }],
        ['POST', '/api/v1/meetings', { ...ok, participants: ['@', 'a@', '@b', 'x y@z.com'] }],
        [
          'POST',
          '/api/v1/meetings',
          { ...ok, participants: Array.from({ length: 51 }, (_, i) => `g${i}@example.com`) },
        ],
        ['POST', '/api/v1/meetings', { ...ok, duration: 30.5 }],
        ['POST', '/api/v1/meetings', { ...ok, start: '9999-12-31T23:00:00Z' }],
        ['POST', '/api/v1/meetings', null],
        ['POST', '/api/v1/meetings', []],
        ['GET', '/api/v1/meetings/not-a-uuid'],
        ['PATCH', `/api/v1/meetings/${m.id}/occurrences/0`, { start: '2026-03-03T11:00:00-05:00' }],
        ['PATCH', `/api/v1/meetings/${m.id}/occurrences/99999999999`, {}],
        ['PATCH', `/api/v1/meetings/${m.id}/occurrences/abc`, {}],
        [
          'PATCH',
          `/api/v1/meetings/${m.id}/occurrences/1`,
          { start: '2026-03-03T11:00:00-05:00', end: '2026-03-03T10:00:00-05:00' },
        ],
        ['PATCH', `/api/v1/meetings/${m.id}/occurrences/1?scope=sideways`, { start: '2026-03-03T11:00:00-05:00' }],
        ['PATCH', `/api/v1/meetings/${m.id}`, { recurrence: 'FREQ=YEARLY;COUNT=2' }],
        ['PATCH', `/api/v1/meetings/${m.id}`, { participants: [] }],
        ['PATCH', `/api/v1/meetings/${m.id}`, { status: 'maybe' }],
        ['GET', '/api/v1/meetings?from=2026-03-05&to=2026-03-01'],
        ['GET', '/api/v1/meetings?from=0000-01-01&to=9999-12-31'],
      ];
      for (const [method, url, body] of cases) {
        const res = await call(t.app, method as any, url, { token: a.token, body });
        const what = `${method} ${url} ${JSON.stringify(body)?.slice(0, 200)}`;
        assert.ok(res.status < 500, `${what}: ${res.status} ${res.text}`);
        if (res.status >= 400) assertProblem(res, res.status, what);
        if (method !== 'GET')
          assert.ok(res.status >= 400, `${what} should be refused: ${res.status} ${res.text.slice(0, 200)}`);
      }
      const after = await call(t.app, 'GET', `/api/v1/meetings/${m.id}`, { token: a.token });
      assert.deepEqual(
        after.body.occurrences.map((o: any) => [o.start, o.status]),
        m.occurrences.map((o: any) => [o.start, o.status]),
        'nothing changed',
      );
    });
  });
}
