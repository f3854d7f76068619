// Black-box acceptance tests of SPEC.md "Conventions" and §3 Event types and the booking link
// (plus the host-side view of §4), written from the contract (SPEC.md, README.md, the served
// OpenAPI document) only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem, assertValidation, assertHidden } from './assertions';
import { call, PASSWORD, startApp, STORES, type Answer, type TestApp } from '../helpers/app';

const NOW = '2026-03-01T00:00:00Z'; // a Sunday; US DST starts 2026-03-08
const NY = 'America/New_York';
const PUBLIC_URL = 'http://localhost:3000';
const INVITEE = { name: 'Ivy Invitee', email: 'ivy@example.com', timezone: 'Europe/Berlin' };

const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ms = (s: string) => Date.parse(s);
const same = (a: string, b: string) => ms(a) === ms(b);
const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

let n = 0;

for (const store of STORES) {
  describe(`contract: event types and booking (${store})`, () => {
    let t: TestApp;

    async function user(timezone = NY, prefix = 'bk') {
      const username = `${prefix}${++n}x${process.pid % 1000}`;
      const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: { username, email: `${username}@example.com`, password: PASSWORD, timezone },
      });
      assert.equal(res.status, 201, res.text);
      return { username, token: res.body.token as string, user: res.body.user };
    }

    async function eventType(token: string, body: Record<string, unknown>) {
      const res = await call(t.app, 'POST', '/api/v1/event-types', { token, body: { title: 'Intro call', ...body } });
      assert.equal(res.status, 201, res.text);
      return res.body;
    }

    /** A host in New York with an event type; answers the host and the public base path. */
    async function hostWith(body: Record<string, unknown> = {}, timezone = NY) {
      const h = await user(timezone);
      const slug = (body.slug as string) ?? 'intro';
      const et = await eventType(h.token, { slug, ...body });
      return { ...h, et, base: `/api/v1/public/${h.username}/${slug}` };
    }

    async function slots(base: string, query: Record<string, string>) {
      const res = await call(t.app, 'GET', `${base}/slots?${new URLSearchParams(query)}`);
      assert.equal(res.status, 200, res.text);
      return res.body.slots as Array<{ start: string; end: string; seats_left?: number }>;
    }

    async function starts(base: string, date: string, timezone = NY, extra: Record<string, string> = {}) {
      return (await slots(base, { date, timezone, ...extra })).map((s) => s.start);
    }

    function book(base: string, start: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) {
      return call(t.app, 'POST', `${base}/bookings`, { body: { start, invitee: INVITEE, ...extra }, headers });
    }

    async function booked(base: string, start: string, extra: Record<string, unknown> = {}) {
      const res = await book(base, start, extra);
      assert.equal(res.status, 201, res.text);
      return res.body;
    }

    before(async () => {
      t = await startApp(store);
      t.clock.set(NOW);
    });
    after(async () => {
      await t?.close();
    });

    // ---- Event types: CRUD by owner -------------------------------------------------------------

    it('POST /event-types: 201 with every §3 field; GET one and the list show it', async () => {
      const h = await user();
      const body = {
        slug: 'intro-call',
        title: 'Intro <b>call</b> & "more"',
        description: 'Line 1\nLine 2 <script>',
        kind: 'one_on_one',
        durations: [15, 45],
        slot_interval: 15,
        date_range: { type: 'range', start_date: '2026-03-02', end_date: '2026-03-20' },
        single_use: false,
        buffer_before: 5,
        buffer_after: 10,
        min_notice: 120,
        max_per_day: 4,
        location: 'Zoom',
        questions: [{ key: 'topic', label: 'Topic?', type: 'text', required: true }],
        active: true,
      };
      const res = await call(t.app, 'POST', '/api/v1/event-types', { token: h.token, body });
      assert.equal(res.status, 201, res.text);
      const et = res.body;
      assert.equal(typeof et.id, 'string');
      for (const [k, v] of Object.entries(body)) {
        if (k === 'questions') continue;
        assert.deepEqual(et[k], v, `field ${k}: ${res.text}`);
      }
      assert.equal(et.questions.length, 1);
      assert.equal(et.questions[0].key, 'topic');
      assert.equal(et.questions[0].required, true);
      assert.equal(et.duration, 15, 'duration is the first of durations');
      assert.equal(et.owner, h.username);
      assert.equal(et.timezone, NY);
      assert.equal(et.booking_url, `${PUBLIC_URL}/${h.username}/intro-call`);
      const one = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: h.token });
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(one.body, et);
      const list = await call(t.app, 'GET', '/api/v1/event-types', { token: h.token });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(
        list.body.data.map((x: any) => x.id),
        [et.id],
      );
      assert.equal(list.body.next_cursor, null);
    });

    it('POST /event-types defaults (OpenAPI): one_on_one, 30 minutes, active, rolling 60 days', async () => {
      const h = await user();
      const et = await eventType(h.token, { slug: 'plain' });
      assert.equal(et.kind, 'one_on_one');
      assert.equal(et.duration, 30);
      assert.deepEqual(et.durations, [30]);
      assert.equal(et.active, true);
      assert.equal(et.single_use, false);
      assert.equal(et.used, false);
      assert.deepEqual(et.date_range, { type: 'rolling', days: 60 });
      assert.equal(et.buffer_before, 0);
      assert.equal(et.buffer_after, 0);
      assert.equal(et.min_notice, 0);
      assert.equal(et.max_per_day, null);
    });

    it('event type validation: 400 with errors[]; a slug already used is a 409; no token is a 401', async () => {
      const h = await user();
      await eventType(h.token, { slug: 'taken' });
      assertProblem(
        await call(t.app, 'POST', '/api/v1/event-types', { token: h.token, body: { slug: 'taken', title: 'x' } }),
        409,
      );
      // Another user may use the same slug.
      const other = await user();
      await eventType(other.token, { slug: 'taken' });
      const ok = { slug: 'ok', title: 'x' };
      const cases: Array<[string, unknown]> = [
        ['slug', { title: 'x' }],
        ['title', { slug: 'no-title' }],
        ['title', { ...ok, title: '' }],
        ['title', { ...ok, title: 't'.repeat(201) }],
        ['slug', { ...ok, slug: 'Bad Slug' }],
        ['slug', { ...ok, slug: 'a/b' }],
        ['kind', { ...ok, kind: 'webinar' }],
        ['duration', { ...ok, duration: 0 }],
        ['duration', { ...ok, duration: 1441 }],
        ['duration', { ...ok, duration: 'thirty' }],
        ['durations', { ...ok, durations: [] }],
        ['slot_interval', { ...ok, slot_interval: 0 }],
        ['date_range', { ...ok, date_range: { type: 'forever' } }],
        ['date_range', { ...ok, date_range: { type: 'rolling' } }],
        ['date_range', { ...ok, date_range: { type: 'range', start_date: '2026-03-10', end_date: '2026-03-02' } }],
        ['date_range', { ...ok, date_range: { type: 'range', start_date: '2026-02-30', end_date: '2026-03-02' } }],
        ['date_range', { ...ok, date_range: { type: 'dates', dates: ['2026-3-4'] } }],
        ['fixed_slots', { ...ok, fixed_slots: [{ start: '2026-03-04T10:00:00' }] }],
        ['buffer_before', { ...ok, buffer_before: -1 }],
        ['min_notice', { ...ok, min_notice: -5 }],
        ['max_per_day', { ...ok, max_per_day: 0 }],
        ['questions', { ...ok, questions: [{ key: 'Bad Key', label: 'x', type: 'text', required: true }] }],
        ['description', { ...ok, description: 'd'.repeat(5001) }],
      ];
      for (const [field, body] of cases) {
        assertValidation(
          await call(t.app, 'POST', '/api/v1/event-types', { token: h.token, body }),
          field,
          JSON.stringify(body),
        );
      }
      assertProblem(await call(t.app, 'POST', '/api/v1/event-types', { body: ok }), 401);
      assertProblem(await call(t.app, 'GET', '/api/v1/event-types'), 401);
    });

    it('PATCH changes only the fields given; PUT replaces (left-out fields get their defaults)', async () => {
      const h = await user();
      const et = await eventType(h.token, { slug: 'edit-me', duration: 45, buffer_after: 10, location: 'Room 1' });
      const patched = await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, {
        token: h.token,
        body: { title: 'Renamed' },
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.title, 'Renamed');
      assert.equal(patched.body.duration, 45);
      assert.equal(patched.body.buffer_after, 10);
      assert.equal(patched.body.location, 'Room 1');
      assert.equal(patched.body.slug, 'edit-me');
      const put = await call(t.app, 'PUT', `/api/v1/event-types/${et.id}`, {
        token: h.token,
        body: { slug: 'edit-me', title: 'Whole' },
      });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.body.id, et.id);
      assert.equal(put.body.title, 'Whole');
      assert.equal(put.body.duration, 30);
      assert.equal(put.body.buffer_after, 0);
      assert.equal(put.body.location, null);
      const got = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: h.token });
      assert.deepEqual(got.body, put.body);
      assertValidation(
        await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, { token: h.token, body: { duration: -1 } }),
        'duration',
      );
    });

    it('event types are the owner’s only: others get 404/403 and never the content', async () => {
      const h = await user();
      const et = await eventType(h.token, { slug: 'secret-type', title: 'Top secret title' });
      const other = await user();
      assertHidden(await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: other.token }), 'Top secret');
      assertHidden(
        await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, { token: other.token, body: { title: 'Hijacked' } }),
        'Top secret',
      );
      assertHidden(
        await call(t.app, 'PUT', `/api/v1/event-types/${et.id}`, {
          token: other.token,
          body: { slug: 'secret-type', title: 'Hijacked' },
        }),
        'Top secret',
      );
      assertHidden(await call(t.app, 'DELETE', `/api/v1/event-types/${et.id}`, { token: other.token }), 'Top secret');
      const list = await call(t.app, 'GET', '/api/v1/event-types', { token: other.token });
      assert.equal(list.status, 200);
      assert.ok(!list.text.includes('Top secret'), list.text);
      const still = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: h.token });
      assert.equal(still.body.title, 'Top secret title');
      assertProblem(
        await call(t.app, 'GET', '/api/v1/event-types/00000000-0000-4000-8000-000000000000', { token: h.token }),
        404,
      );
      assertProblem(await call(t.app, 'GET', `/api/v1/event-types/${et.id}`), 401);
    });

    it('DELETE → 204; the link then answers 404; bookings already made stay', async () => {
      const h = await hostWith({ slug: 'to-delete' });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const del = await call(t.app, 'DELETE', `/api/v1/event-types/${h.et.id}`, { token: h.token });
      assert.equal(del.status, 204, del.text);
      assertProblem(await call(t.app, 'GET', `/api/v1/event-types/${h.et.id}`, { token: h.token }), 404);
      assertProblem(await call(t.app, 'GET', h.base), 404);
      assertProblem(await book(h.base, '2026-03-02T10:00:00-05:00'), 404);
      const kept = await call(t.app, 'GET', `/api/v1/bookings/${b.id}`, { token: h.token });
      assert.equal(kept.status, 200, kept.text);
      assert.equal(kept.body.status, 'confirmed');
    });

    it('active=false: every public route of the link is a 404; active again: back', async () => {
      const h = await hostWith({ slug: 'paused', active: false });
      assertProblem(await call(t.app, 'GET', h.base), 404);
      assertProblem(await call(t.app, 'GET', `${h.base}/days?month=2026-03&timezone=${NY}`), 404);
      assertProblem(await call(t.app, 'GET', `${h.base}/slots?date=2026-03-02&timezone=${NY}`), 404);
      assertProblem(await book(h.base, '2026-03-02T09:00:00-05:00'), 404);
      const on = await call(t.app, 'PATCH', `/api/v1/event-types/${h.et.id}`, {
        token: h.token,
        body: { active: true },
      });
      assert.equal(on.status, 200, on.text);
      assert.equal((await call(t.app, 'GET', h.base)).status, 200);
      await booked(h.base, '2026-03-02T09:00:00-05:00');
    });

    // ---- The public API ------------------------------------------------------------------------

    it('GET /public/{username}/{slug}: what is being booked; unknown user or slug is a 404', async () => {
      const h = await hostWith({
        slug: 'what',
        description: 'About <this>',
        location: 'Phone',
        durations: [20, 40],
        questions: [{ key: 'why', label: 'Why?', type: 'textarea', required: false }],
      });
      const res = await call(t.app, 'GET', h.base);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.owner, h.username);
      assert.equal(res.body.slug, 'what');
      assert.equal(res.body.title, 'Intro call');
      assert.equal(res.body.description, 'About <this>');
      assert.equal(res.body.kind, 'one_on_one');
      assert.equal(res.body.duration, 20);
      assert.deepEqual(res.body.durations, [20, 40]);
      assert.equal(res.body.location, 'Phone');
      assert.equal(res.body.questions[0].key, 'why');
      assert.equal(res.body.timezone, NY);
      assert.equal(res.body.booking_url, `${PUBLIC_URL}/${h.username}/what`);
      assert.ok(!('email' in res.body), 'the host e-mail is not public');
      assertProblem(await call(t.app, 'GET', `/api/v1/public/${h.username}/nope`), 404);
      assertProblem(await call(t.app, 'GET', `/api/v1/public/nobody-here-${n}/what`), 404);
    });

    it('GET .../days?month: one entry per date of the month, in the asked zone', async () => {
      const h = await hostWith();
      const res = await call(t.app, 'GET', `${h.base}/days?month=2026-03&timezone=${NY}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.timezone, NY);
      assert.equal(res.body.month, '2026-03');
      assert.equal(res.body.days.length, 31);
      res.body.days.forEach((d: any, i: number) => {
        assert.equal(d.date, `2026-03-${String(i + 1).padStart(2, '0')}`);
        assert.equal(typeof d.available, 'boolean');
        const dow = new Date(`${d.date}T12:00:00Z`).getUTCDay();
        assert.equal(d.available, dow >= 1 && dow <= 5, `${d.date}: ${JSON.stringify(d)}`);
      });
      const feb = await call(t.app, 'GET', `${h.base}/days?month=2026-02&timezone=${NY}`);
      assert.equal(feb.status, 200, feb.text);
      assert.equal(feb.body.days.length, 28);
      assert.ok(
        feb.body.days.every((d: any) => d.available === false),
        'February is in the past',
      );
      // Default zone is the host's.
      const dflt = await call(t.app, 'GET', `${h.base}/days?month=2026-03`);
      assert.equal(dflt.status, 200, dflt.text);
      assert.equal(dflt.body.timezone, NY);
      // In Tokyo (+9), NY Friday 2026-03-06 09:00–17:00 is Friday 23:00 to Saturday 07:00: Saturday has slots.
      const tokyo = await call(t.app, 'GET', `${h.base}/days?month=2026-03&timezone=Asia/Tokyo`);
      assert.equal(tokyo.status, 200, tokyo.text);
      const sat = tokyo.body.days.find((d: any) => d.date === '2026-03-07');
      assert.equal(sat.available, true, tokyo.text);
      // Tokyo's Sunday 2026-03-01 is NY's Saturday 10:00 to Sunday 10:00: nothing.
      assert.equal(tokyo.body.days.find((d: any) => d.date === '2026-03-01').available, false, tokyo.text);
      // Tokyo's Monday 2026-03-02 ends at NY Monday 10:00: 09:00–10:00 NY is bookable.
      assert.equal(tokyo.body.days.find((d: any) => d.date === '2026-03-02').available, true, tokyo.text);
      for (const bad of ['month=2026-13', 'month=2026-3', 'month=march', '', 'month=2026-03&timezone=Mars/Base']) {
        assertProblem(await call(t.app, 'GET', `${h.base}/days?${bad}`), 400, bad);
      }
    });

    it('GET .../slots?date: the bookable slots, written in the asked zone with seconds', async () => {
      const h = await hostWith();
      const res = await call(t.app, 'GET', `${h.base}/slots?date=2026-03-02&timezone=${NY}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.timezone, NY);
      const list = res.body.slots;
      assert.equal(list.length, 16);
      assert.equal(list[0].start, '2026-03-02T09:00:00-05:00');
      assert.equal(list[0].end, '2026-03-02T09:30:00-05:00');
      assert.equal(list[15].start, '2026-03-02T16:30:00-05:00');
      assert.equal(list[15].end, '2026-03-02T17:00:00-05:00');
      for (const s of list) {
        assert.match(s.start, RFC3339_SECONDS);
        assert.ok(!('seats_left' in s) || s.seats_left === 1, 'seats_left only for groups');
      }
      const berlin = await slots(h.base, { date: '2026-03-02', timezone: 'Europe/Berlin' });
      assert.equal(berlin[0].start, '2026-03-02T15:00:00+01:00');
      assert.equal(berlin.length, 16);
      const utc = await slots(h.base, { date: '2026-03-02', timezone: 'UTC' });
      assert.ok(/^2026-03-02T14:00:00(Z|\+00:00)$/.test(utc[0].start), utc[0].start);
      assert.deepEqual(await starts(h.base, '2026-03-01'), [], 'Sunday');
      assert.deepEqual(await starts(h.base, '2026-02-27'), [], 'the past');
      for (const bad of [
        'date=2026-02-30',
        'date=03/02/2026',
        'date=2026-03-02&timezone=Nowhere/Land',
        'date=2026-03-02T09:00',
      ]) {
        assertProblem(await call(t.app, 'GET', `${h.base}/slots?${bad}`), 400, bad);
      }
    });

    it('GET .../slots?from&to: DST keeps 09:00 local; more than 93 days is a 400', async () => {
      const h = await hostWith({ date_range: { type: 'indefinite' } });
      const list = await slots(h.base, { from: '2026-03-06', to: '2026-03-09', timezone: NY });
      const firsts = new Map<string, string>();
      for (const s of list) if (!firsts.has(s.start.slice(0, 10))) firsts.set(s.start.slice(0, 10), s.start);
      assert.deepEqual([...firsts.values()], ['2026-03-06T09:00:00-05:00', '2026-03-09T09:00:00-04:00']);
      assert.equal(list.length, 32);
      assert.ok(
        list.every((s, i) => i === 0 || ms(s.start) > ms(list[i - 1].start)),
        'sorted',
      );
      const ok = await call(t.app, 'GET', `${h.base}/slots?from=2026-03-02&to=2026-06-02&timezone=${NY}`);
      assert.equal(ok.status, 200, `a 93-day window: ${ok.text.slice(0, 300)}`);
      assertProblem(
        await call(t.app, 'GET', `${h.base}/slots?from=2026-03-02&to=2026-06-03&timezone=${NY}`),
        400,
        '94 days',
      );
      assertProblem(
        await call(t.app, 'GET', `${h.base}/slots?from=2026-03-09&to=2026-03-02&timezone=${NY}`),
        400,
        'to before from',
      );
    });

    it('duration vs durations: the invitee picks an offered one; one not offered is a 400', async () => {
      const h = await hostWith({ slug: 'choose', durations: [15, 45] });
      const dflt = await slots(h.base, { date: '2026-03-02', timezone: NY });
      assert.equal(ms(dflt[0].end) - ms(dflt[0].start), 15 * 60_000, 'default is the first duration');
      const long = await slots(h.base, { date: '2026-03-02', timezone: NY, duration: '45' });
      assert.ok(long.length > 0);
      assert.ok(long.every((s) => ms(s.end) - ms(s.start) === 45 * 60_000));
      assert.ok(ms(long[long.length - 1].end) <= ms('2026-03-02T17:00:00-05:00'));
      assertProblem(await call(t.app, 'GET', `${h.base}/slots?date=2026-03-02&timezone=${NY}&duration=30`), 400);
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00', { duration: 45 });
      assert.equal(b.duration, 45);
      assert.ok(same(b.end, '2026-03-02T09:45:00-05:00'), b.end);
      assertProblem(await book(h.base, '2026-03-02T13:00:00-05:00', { duration: 30 }), 400, 'duration not offered');
      assertProblem(await book(h.base, '2026-03-02T13:00:00-05:00', { duration: 16 }), 400, 'duration not offered');
    });

    it('slot_interval: minutes between slot starts, independent of the duration', async () => {
      const h = await hostWith({ slug: 'hourly', duration: 60, slot_interval: 20 });
      const s = await starts(h.base, '2026-03-02');
      assert.equal(s[0], '2026-03-02T09:00:00-05:00');
      assert.equal(s[1], '2026-03-02T09:20:00-05:00');
      assert.equal(s[2], '2026-03-02T09:40:00-05:00');
      assert.equal(s[s.length - 1], '2026-03-02T16:00:00-05:00');
      assert.equal(s.length, 22);
      await booked(h.base, '2026-03-02T09:20:00-05:00');
      const after = await starts(h.base, '2026-03-02');
      // 09:20–10:20 is taken: starts from 08:40 < x < 10:20 are gone.
      assert.deepEqual(after.slice(0, 2), ['2026-03-02T10:20:00-05:00', '2026-03-02T10:40:00-05:00']);
      assertProblem(await book(h.base, '2026-03-02T10:00:00-05:00'), 409, 'overlaps the taken hour');
    });

    it('date_range range: both end dates included, counted in the host’s zone', async () => {
      const h = await hostWith({
        slug: 'ranged',
        date_range: { type: 'range', start_date: '2026-03-03', end_date: '2026-03-05' },
      });
      assert.deepEqual(await starts(h.base, '2026-03-02'), []);
      assert.equal((await starts(h.base, '2026-03-03')).length, 16);
      assert.equal((await starts(h.base, '2026-03-05')).length, 16, 'the end date is included');
      assert.deepEqual(await starts(h.base, '2026-03-06'), []);
      // Tokyo's 2026-03-06 morning is NY's 2026-03-05 afternoon: still inside the range.
      const tokyo = await starts(h.base, '2026-03-06', 'Asia/Tokyo');
      assert.ok(tokyo.length > 0, 'host date 03-05 seen from Tokyo');
      assert.ok(
        tokyo.every((s) => ms(s) < ms('2026-03-05T17:00:00-05:00')),
        tokyo.join(),
      );
      assert.equal(tokyo[0], '2026-03-06T00:00:00+09:00');
      assert.equal(tokyo.length, 14);
      // Tokyo's 2026-03-03 is NY's 03-02 (evening) and 03-03 09:00-10:00 (23:00-24:00 Tokyo).
      const tokyo3 = await starts(h.base, '2026-03-03', 'Asia/Tokyo');
      assert.deepEqual(tokyo3, ['2026-03-03T23:00:00+09:00', '2026-03-03T23:30:00+09:00']);
      await booked(h.base, '2026-03-05T16:30:00-05:00');
      assertProblem(await book(h.base, '2026-03-06T09:00:00-05:00'), 409, 'after the range');
      assertProblem(await book(h.base, '2026-03-02T16:30:00-05:00'), 409, 'before the range');
      const days = await call(t.app, 'GET', `${h.base}/days?month=2026-03&timezone=${NY}`);
      const avail = days.body.days.filter((d: any) => d.available).map((d: any) => d.date);
      assert.deepEqual(avail, ['2026-03-03', '2026-03-04', '2026-03-05']);
    });

    it('date_range dates, rolling and indefinite', async () => {
      const d = await hostWith({ slug: 'dates', date_range: { type: 'dates', dates: ['2026-03-04', '2026-03-10'] } });
      const days = await call(t.app, 'GET', `${d.base}/days?month=2026-03&timezone=${NY}`);
      assert.equal(days.status, 200, days.text);
      assert.deepEqual(
        days.body.days.filter((x: any) => x.available).map((x: any) => x.date),
        ['2026-03-04', '2026-03-10'],
      );
      assertProblem(await book(d.base, '2026-03-05T09:00:00-05:00'), 409);
      await booked(d.base, '2026-03-10T09:00:00-04:00');

      // "the next `days` days from today", today being the host's (2026-02-28 in New York at NOW).
      const r3 = await hostWith({ slug: 'rolling3', date_range: { type: 'rolling', days: 3 } });
      const d3 = await call(t.app, 'GET', `${r3.base}/days?month=2026-03&timezone=${NY}`);
      assert.deepEqual(
        d3.body.days.filter((x: any) => x.available).map((x: any) => x.date),
        ['2026-03-02'],
        d3.text,
      );
      const r = await hostWith({ slug: 'rolling', date_range: { type: 'rolling', days: 5 } });
      assert.equal((await starts(r.base, '2026-03-02')).length, 16);
      assert.deepEqual(await starts(r.base, '2026-03-10'), [], 'beyond 5 days');
      assert.deepEqual(await starts(r.base, '2026-03-16'), []);

      const i = await hostWith({ slug: 'forever', date_range: { type: 'indefinite' } });
      assert.equal((await starts(i.base, '2026-09-07')).length, 16, 'half a year ahead');
      await booked(i.base, '2026-09-07T09:00:00-04:00');
      // Default (rolling 60 days): 2026-06-01 is out.
      const dflt = await hostWith({ slug: 'dflt' });
      assert.deepEqual(await starts(dflt.base, '2026-06-01'), []);
    });

    it('fixed_slots: only the explicit starts are offered', async () => {
      const fixed = ['2026-03-04T10:00:00-05:00', '2026-03-04T15:00:00-05:00'];
      const h = await hostWith({ slug: 'one-off', duration: 60, fixed_slots: fixed.map((start) => ({ start })) });
      assert.deepEqual(await starts(h.base, '2026-03-04'), fixed);
      assert.deepEqual(await starts(h.base, '2026-03-05'), []);
      const days = await call(t.app, 'GET', `${h.base}/days?month=2026-03&timezone=${NY}`);
      assert.deepEqual(
        days.body.days.filter((x: any) => x.available).map((x: any) => x.date),
        ['2026-03-04'],
      );
      assertProblem(await book(h.base, '2026-03-04T11:00:00-05:00'), 409, 'not a fixed slot');
      const b = await booked(h.base, '2026-03-04T21:00:00+01:00');
      assert.ok(same(b.end, '2026-03-04T16:00:00-05:00'));
      assert.deepEqual(await starts(h.base, '2026-03-04'), [fixed[0]]);
    });

    it('single_use: the link dies after one booking (410 on every public route)', async () => {
      const h = await hostWith({ slug: 'once', single_use: true });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      assertProblem(await call(t.app, 'GET', h.base), 410);
      assertProblem(await book(h.base, '2026-03-02T10:00:00-05:00'), 410);
      assertProblem(await call(t.app, 'GET', `${h.base}/slots?date=2026-03-02&timezone=${NY}`), 410);
      assertProblem(await call(t.app, 'GET', `${h.base}/days?month=2026-03&timezone=${NY}`), 410);
      const et = await call(t.app, 'GET', `/api/v1/event-types/${h.et.id}`, { token: h.token });
      assert.equal(et.body.used, true);
      // The booking made stays manageable by its invitee.
      const own = await call(t.app, 'GET', pathOf(b.cancel_url));
      assert.equal(own.status, 200, own.text);
    });

    it('buffers: held before and after each booking; no slot is offered that the buffers would clash with', async () => {
      const h = await hostWith({ slug: 'buffered', buffer_after: 30 });
      await booked(h.base, '2026-03-02T10:00:00-05:00');
      const s = await starts(h.base, '2026-03-02');
      assert.ok(s.includes('2026-03-02T09:00:00-05:00'));
      assert.ok(!s.includes('2026-03-02T10:00:00-05:00'));
      assert.ok(!s.includes('2026-03-02T10:30:00-05:00'), 'inside the buffer after');
      assert.ok(!s.includes('2026-03-02T09:30:00-05:00'), 'its own buffer after would overlap the booking');
      assert.ok(s.includes('2026-03-02T11:00:00-05:00'));
      assertProblem(await book(h.base, '2026-03-02T10:30:00-05:00'), 409);

      const b = await hostWith({ slug: 'before', buffer_before: 30 });
      await booked(b.base, '2026-03-02T11:00:00-05:00');
      const s2 = await starts(b.base, '2026-03-02');
      assert.ok(!s2.includes('2026-03-02T10:30:00-05:00'), 'inside the buffer before');
      assert.ok(!s2.includes('2026-03-02T11:30:00-05:00'), 'its own buffer before would overlap the booking');
      assert.ok(s2.includes('2026-03-02T12:00:00-05:00'));
      assert.ok(s2.includes('2026-03-02T10:00:00-05:00'));
    });

    it('min_notice: no slot starts sooner than min_notice minutes from now', async () => {
      const h = await hostWith({ slug: 'notice', min_notice: 24 * 60 });
      t.clock.set('2026-03-02T15:10:00Z'); // Monday 10:10 in New York
      try {
        assert.deepEqual(await starts(h.base, '2026-03-02'), []);
        const tue = await starts(h.base, '2026-03-03');
        assert.equal(tue[0], '2026-03-03T10:30:00-05:00');
        assertProblem(await book(h.base, '2026-03-03T10:00:00-05:00'), 409);
        await booked(h.base, '2026-03-03T10:30:00-05:00');
        // And with no notice, a slot that already started is not bookable.
        const z = await hostWith({ slug: 'nonotice' });
        const today = await starts(z.base, '2026-03-02');
        assert.equal(today[0], '2026-03-02T10:30:00-05:00');
        assertProblem(await book(z.base, '2026-03-02T10:00:00-05:00'), 409, 'started already');
      } finally {
        t.clock.set(NOW);
      }
    });

    it('max_per_day: a full day offers nothing more (counted in the host’s zone)', async () => {
      const h = await hostWith({ slug: 'capped', max_per_day: 2 });
      await booked(h.base, '2026-03-02T09:00:00-05:00');
      assert.equal((await starts(h.base, '2026-03-02')).length, 15);
      await booked(h.base, '2026-03-02T16:30:00-05:00');
      assert.deepEqual(await starts(h.base, '2026-03-02'), []);
      assertProblem(await book(h.base, '2026-03-02T12:00:00-05:00'), 409);
      assert.equal((await starts(h.base, '2026-03-03')).length, 16);
      const days = await call(t.app, 'GET', `${h.base}/days?month=2026-03&timezone=${NY}`);
      assert.equal(days.body.days.find((d: any) => d.date === '2026-03-02').available, false);
      assert.equal(days.body.days.find((d: any) => d.date === '2026-03-03').available, true);
    });

    it('questions: required answers are enforced; answers are returned verbatim', async () => {
      const h = await hostWith({
        slug: 'asks',
        questions: [
          { key: 'topic', label: 'Topic', type: 'text', required: true },
          { key: 'notes', label: 'Notes', type: 'textarea', required: false },
        ],
      });
      assertValidation(await book(h.base, '2026-03-02T09:00:00-05:00'), 'topic', 'required missing');
      assertValidation(
        await book(h.base, '2026-03-02T09:00:00-05:00', { answers: { topic: '' } }),
        'topic',
        'required empty',
      );
      assertValidation(
        await book(h.base, '2026-03-02T09:00:00-05:00', { answers: { notes: 'only optional' } }),
        'topic',
      );
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00', { answers: { topic: '<b>Plans</b> & "more"' } });
      assert.deepEqual(b.answers.topic, '<b>Plans</b> & "more"');
      assert.equal(b.answers.notes ?? undefined, undefined);
    });

    it('group events: seats per slot, seats_left in the slots, no more than seats bookings', async () => {
      const h = await hostWith({ slug: 'class', kind: 'group', seats: 3 });
      const first = (await slots(h.base, { date: '2026-03-02', timezone: NY }))[0];
      assert.equal(first.seats_left, 3);
      const start = '2026-03-02T09:00:00-05:00';
      await booked(h.base, start, { invitee: { ...INVITEE, email: 'a@example.com' } });
      assert.equal((await slots(h.base, { date: '2026-03-02', timezone: NY }))[0].seats_left, 2);
      await booked(h.base, start, { invitee: { ...INVITEE, email: 'b@example.com' } });
      await booked(h.base, start, { invitee: { ...INVITEE, email: 'c@example.com' } });
      const after = await slots(h.base, { date: '2026-03-02', timezone: NY });
      assert.ok(!after.some((s) => s.start === start), 'a full slot is not bookable');
      assert.equal(after[0].seats_left, 3);
      assertProblem(await book(h.base, start, { invitee: { ...INVITEE, email: 'd@example.com' } }), 409);
      const pub = await call(t.app, 'GET', h.base);
      assert.equal(pub.body.kind, 'group');
      assert.equal(pub.body.seats, 3);
    });

    // ---- Booking ---------------------------------------------------------------------------------

    it('POST .../bookings → 201 confirmed with the documented shape and absolute private links', async () => {
      const h = await hostWith({ slug: 'shape', location: 'Zoom' });
      const res = await book(h.base, '2026-03-02T15:00:00+01:00', { guests: ['g1@example.com', 'g2@example.org'] });
      assert.equal(res.status, 201, res.text);
      const b = res.body;
      assert.equal(typeof b.id, 'string');
      assert.equal(b.status, 'confirmed');
      assert.ok(same(b.start, '2026-03-02T09:00:00-05:00'), b.start);
      assert.ok(same(b.end, '2026-03-02T09:30:00-05:00'), b.end);
      assert.match(b.start, RFC3339_SECONDS);
      assert.match(b.end, RFC3339_SECONDS);
      assert.deepEqual(b.event_type, { id: h.et.id, slug: 'shape' });
      assert.deepEqual(b.invitee, INVITEE);
      assert.deepEqual(b.guests, ['g1@example.com', 'g2@example.org']);
      assert.deepEqual(b.answers, {});
      const tokens = new Set<string>();
      for (const key of ['cancel_url', 'reschedule_url', 'ics_url']) {
        const url = b[key];
        assert.equal(typeof url, 'string', key);
        assert.ok(url.startsWith(`${PUBLIC_URL}/`), `${key} absolute under PUBLIC_URL: ${url}`);
        const segments = new URL(url).pathname.split('/');
        const token = [...segments].sort((a, b) => b.length - a.length)[0];
        assert.ok(token, `${key} carries a token: ${url}`);
        assert.match(token!, /^[A-Za-z0-9_~.-]+$/, 'URL-safe');
        // 128 random bits: at least 22 base64url characters or 32 hex digits.
        assert.ok(token!.length >= 22, `${key} token too short: ${token}`);
        tokens.add(token!);
      }
      // Tokens are not derived from the id.
      for (const tk of tokens) assert.ok(!tk.includes(b.id) && !b.id.includes(tk), 'token is not the id');
    });

    it('the private token looks random: different for every booking', async () => {
      const h = await hostWith({ slug: 'rand' });
      const a = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const b = await booked(h.base, '2026-03-02T09:30:00-05:00');
      assert.notEqual(a.cancel_url, b.cancel_url);
      assert.notEqual(a.ics_url, b.ics_url);
      // A guessed or altered token is a 404.
      const url = new URL(a.cancel_url).pathname;
      const altered = url.replace(
        /\/([A-Za-z0-9_-]{22,})\//,
        (_m, tk: string) => `/${tk.slice(0, -1)}${tk.endsWith('A') ? 'B' : 'A'}/`,
      );
      assert.notEqual(altered, url);
      assertProblem(await call(t.app, 'GET', altered), 404);
    });

    it('a slot not offered, or taken, is a 409; nothing is booked', async () => {
      const h = await hostWith({ slug: 'strict' });
      await booked(h.base, '2026-03-02T09:00:00-05:00');
      assertProblem(
        await book(h.base, '2026-03-02T09:00:00-05:00', { invitee: { ...INVITEE, email: 'x@example.com' } }),
        409,
        'taken',
      );
      assertProblem(await book(h.base, '2026-03-02T14:00:00Z'), 409, 'taken, other offset');
      assertProblem(await book(h.base, '2026-03-02T09:10:00-05:00'), 409, 'off the grid');
      assertProblem(await book(h.base, '2026-03-02T08:30:00-05:00'), 409, 'before hours');
      assertProblem(await book(h.base, '2026-03-02T16:45:00-05:00'), 409, 'runs past hours');
      assertProblem(await book(h.base, '2026-03-07T10:00:00-05:00'), 409, 'Saturday');
      assertProblem(await book(h.base, '2026-02-27T10:00:00-05:00'), 409, 'the past');
      const list = await call(t.app, 'GET', '/api/v1/bookings', { token: h.token });
      assert.equal(list.body.data.length, 1, list.text);
    });

    it('bad booking input is a 400: no offset, bad invitee, unknown zone, bad guests', async () => {
      const h = await hostWith({ slug: 'inputs' });
      const s = '2026-03-02T09:00:00-05:00';
      assertValidation(await book(h.base, '2026-03-02T09:00:00'), 'start', 'no offset');
      assertValidation(await book(h.base, '2026-03-02 09:00'), 'start');
      assertValidation(await book(h.base, 'tomorrow'), 'start');
      assertValidation(await call(t.app, 'POST', `${h.base}/bookings`, { body: { start: s } }), 'invitee');
      assertValidation(await book(h.base, s, { invitee: { ...INVITEE, email: 'not-an-email' } }), 'email');
      assertValidation(await book(h.base, s, { invitee: { ...INVITEE, name: '' } }), 'name');
      assertValidation(await book(h.base, s, { invitee: { ...INVITEE, timezone: 'Mars/Base' } }), 'timezone');
      assertValidation(await book(h.base, s, { guests: ['nope'] }), 'guests');
      assertValidation(await book(h.base, s, { invitee: { ...INVITEE, name: 'x'.repeat(201) } }), 'name');
      const stillFree = await starts(h.base, '2026-03-02');
      assert.equal(stillFree[0], s);
    });

    it('GET either private link shows the booking as JSON', async () => {
      const h = await hostWith({ slug: 'show' });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      for (const key of ['cancel_url', 'reschedule_url']) {
        const res = await call(t.app, 'GET', pathOf(b[key]), { headers: { accept: 'application/json' } });
        assert.equal(res.status, 200, `${key}: ${res.text}`);
        assert.equal(res.body.id, b.id);
        assert.equal(res.body.status, 'confirmed');
        assert.ok(same(res.body.start, b.start));
        assert.deepEqual(res.body.invitee, INVITEE);
      }
    });

    it('POST cancel_url {reason} → 200 cancelled; the time is free again; twice is a 409', async () => {
      const h = await hostWith({ slug: 'cancel' });
      const start = '2026-03-02T09:00:00-05:00';
      const b = await booked(h.base, start);
      assert.ok(!(await starts(h.base, '2026-03-02')).includes(start));
      const res = await call(t.app, 'POST', pathOf(b.cancel_url), { body: { reason: 'Sick <b>day</b>' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.id, b.id);
      assert.equal(res.body.status, 'cancelled');
      assert.equal(res.body.cancel_reason, 'Sick <b>day</b>');
      assert.ok((await starts(h.base, '2026-03-02')).includes(start), 'freed');
      const shown = await call(t.app, 'GET', pathOf(b.cancel_url));
      assert.equal(shown.body.status, 'cancelled');
      assertProblem(await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} }), 409, 'twice');
      // Someone else can take the time now.
      await booked(h.base, start, { invitee: { ...INVITEE, email: 'next@example.com' } });
      // A cancelled booking cannot be rescheduled.
      const re = await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-02T10:00:00-05:00' } });
      assert.ok(re.status === 409 || re.status === 410, `reschedule a cancelled booking: ${re.status} ${re.text}`);
    });

    it('POST cancel_url without a body (no reason) → 200', async () => {
      const h = await hostWith({ slug: 'cancel2' });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const res = await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'cancelled');
    });

    it('POST reschedule_url {start} → 200 at the new time; the old time is freed; a taken one is a 409', async () => {
      const h = await hostWith({ slug: 'move' });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const other = await booked(h.base, '2026-03-02T11:00:00-05:00', {
        invitee: { ...INVITEE, email: 'o@example.com' },
      });
      const taken = await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: other.start } });
      assertProblem(taken, 409, 'taken');
      assertProblem(
        await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-02T09:10:00-05:00' } }),
        409,
        'off grid',
      );
      assertValidation(
        await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-02T10:00:00' } }),
        'start',
      );
      const unchanged = await call(t.app, 'GET', pathOf(b.reschedule_url));
      assert.ok(same(unchanged.body.start, '2026-03-02T09:00:00-05:00'), 'nothing changed on 409');
      const res = await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-03T14:00:00-05:00' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.id, b.id);
      assert.equal(res.body.status, 'confirmed');
      assert.ok(same(res.body.start, '2026-03-03T14:00:00-05:00'), res.body.start);
      assert.ok(same(res.body.end, '2026-03-03T14:30:00-05:00'), res.body.end);
      assert.ok((await starts(h.base, '2026-03-02')).includes('2026-03-02T09:00:00-05:00'), 'old time freed');
      assert.ok(!(await starts(h.base, '2026-03-03')).includes('2026-03-03T14:00:00-05:00'), 'new time held');
      const shown = await call(t.app, 'GET', pathOf(res.body.cancel_url ?? b.cancel_url));
      assert.ok(same(shown.body.start, '2026-03-03T14:00:00-05:00'));
    });

    it('reschedule keeps a chosen duration ("the duration stays")', async () => {
      const h = await hostWith({ slug: 'movelong', durations: [30, 60] });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00', { duration: 60 });
      const res = await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-02T13:00:00-05:00' } });
      assert.equal(res.status, 200, res.text);
      assert.ok(same(res.body.end, '2026-03-02T14:00:00-05:00'), res.body.end);
    });

    it('ics_url: text/calendar, never floating, same UID across changes, SEQUENCE grows', async () => {
      const h = await hostWith({ slug: 'ics' });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const parse = (text: string) => {
        const unfolded = text.replace(/\r?\n[ \t]/g, '');
        const lines = unfolded.split(/\r?\n/);
        const get = (name: string) => lines.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
        return { lines, get };
      };
      const check = (res: Answer, expectStartUtc: string) => {
        assert.equal(res.status, 200, res.text);
        assert.match(String(res.headers['content-type']), /^text\/calendar/);
        assert.ok(res.text.includes('BEGIN:VCALENDAR') && res.text.includes('BEGIN:VEVENT'), res.text);
        const { get } = parse(res.text);
        for (const prop of ['DTSTART', 'DTEND']) {
          const line = get(prop);
          assert.ok(line, `${prop} present`);
          const utc = /^[A-Z]+:\d{8}T\d{6}Z$/.test(line!);
          const tzid = /^[A-Z]+;(?:[^:]*;)?TZID=[^:;]+[:;]/.test(line!) && /:\d{8}T\d{6}$/.test(line!);
          assert.ok(utc || tzid, `${prop} is UTC or has a TZID, never floating: ${line}`);
        }
        const dtstart = get('DTSTART')!;
        if (/Z$/.test(dtstart)) assert.equal(dtstart.split(':')[1], expectStartUtc);
        const uid = get('UID')!.split(':').slice(1).join(':');
        const seq = Number(get('SEQUENCE')?.split(':')[1]);
        assert.ok(uid.length > 0);
        assert.ok(Number.isInteger(seq), `SEQUENCE: ${res.text}`);
        return { uid, seq };
      };
      const first = check(await call(t.app, 'GET', pathOf(b.ics_url)), '20260302T140000Z');
      const moved = await call(t.app, 'POST', pathOf(b.reschedule_url), {
        body: { start: '2026-03-04T10:00:00-05:00' },
      });
      assert.equal(moved.status, 200, moved.text);
      const second = check(await call(t.app, 'GET', pathOf(moved.body.ics_url ?? b.ics_url)), '20260304T150000Z');
      assert.equal(second.uid, first.uid, 'UID stays');
      assert.ok(second.seq > first.seq, 'SEQUENCE grows on reschedule');
      // The host's .ics is the same event.
      const hostIcs = check(
        await call(t.app, 'GET', `/api/v1/bookings/${b.id}/invite.ics`, { token: h.token }),
        '20260304T150000Z',
      );
      assert.equal(hostIcs.uid, first.uid);
      const cancelled = await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} });
      assert.equal(cancelled.status, 200, cancelled.text);
      const third = check(await call(t.app, 'GET', pathOf(b.ics_url)), '20260304T150000Z');
      assert.equal(third.uid, first.uid);
      assert.ok(third.seq > second.seq, 'SEQUENCE grows on cancel');
      // README: `METHOD:CANCEL` once cancelled.
      const cancelledIcs = (await call(t.app, 'GET', pathOf(b.ics_url))).text;
      assert.match(cancelledIcs, /^METHOD:CANCEL\r?$/m, cancelledIcs);
      const other = await user();
      assertHidden(
        await call(t.app, 'GET', `/api/v1/bookings/${b.id}/invite.ics`, { token: other.token }),
        'BEGIN:VCALENDAR',
      );
    });

    it('ics for a booking across DST is the right instant', async () => {
      const h = await hostWith({ slug: 'icsdst' });
      const b = await booked(h.base, '2026-03-09T09:00:00-04:00');
      const res = await call(t.app, 'GET', pathOf(b.ics_url));
      const unfolded = res.text.replace(/\r?\n[ \t]/g, '');
      const line = unfolded.split(/\r?\n/).find((l) => l.startsWith('DTSTART'))!;
      assert.ok(line === 'DTSTART:20260309T130000Z' || /TZID=America\/New_York:20260309T090000$/.test(line), line);
    });

    it('Idempotency-Key: the same key and body replays the same status and body; one booking', async () => {
      const h = await hostWith({ slug: 'idem' });
      const headers = { 'idempotency-key': `key-${n}-abc` };
      const first = await book(h.base, '2026-03-02T09:00:00-05:00', {}, headers);
      assert.equal(first.status, 201, first.text);
      const again = await book(h.base, '2026-03-02T09:00:00-05:00', {}, headers);
      assert.equal(again.status, 201, again.text);
      assert.deepEqual(again.body, first.body);
      const list = await call(t.app, 'GET', '/api/v1/bookings', { token: h.token });
      assert.equal(list.body.data.length, 1, list.text);
      // The same key with another body is documented as a 422.
      const reused = await book(h.base, '2026-03-02T10:00:00-05:00', {}, headers);
      assertProblem(reused, 422, 'key reused with another body');
      // A failed answer is replayed too.
      const k2 = { 'idempotency-key': `key-${n}-conflict` };
      const c1 = await book(
        h.base,
        '2026-03-02T09:00:00-05:00',
        { invitee: { ...INVITEE, email: 'z@example.com' } },
        k2,
      );
      assertProblem(c1, 409);
      const c2 = await book(
        h.base,
        '2026-03-02T09:00:00-05:00',
        { invitee: { ...INVITEE, email: 'z@example.com' } },
        k2,
      );
      assert.equal(c2.status, c1.status);
    });

    it('no double booking: many concurrent POSTs for one slot → exactly one 201, the rest 409, no 5xx', async () => {
      const h = await hostWith({ slug: 'race' });
      const start = '2026-03-02T09:00:00-05:00';
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          book(h.base, start, { invitee: { ...INVITEE, email: `r${i}@example.com` } }),
        ),
      );
      const codes = answers.map((a) => a.status).sort();
      assert.equal(codes.filter((c) => c === 201).length, 1, codes.join());
      assert.equal(codes.filter((c) => c === 409).length, 11, codes.join());
      // Overlapping but different starts race too (a 60-minute type on a 30-minute grid).
      const o = await hostWith({ slug: 'race2', duration: 60, slot_interval: 30 });
      const overlapping = await Promise.all(
        ['09:00', '09:30', '10:00', '09:30', '09:00'].map((hm, i) =>
          book(o.base, `2026-03-02T${hm}:00-05:00`, { invitee: { ...INVITEE, email: `o${i}@example.com` } }),
        ),
      );
      const ok = overlapping.filter((a) => a.status === 201).map((a) => a.body);
      assert.ok(
        overlapping.every((a) => a.status === 201 || a.status === 409),
        overlapping.map((a) => a.status).join(),
      );
      for (let i = 0; i < ok.length; i++)
        for (let j = i + 1; j < ok.length; j++)
          assert.ok(
            ms(ok[i].end) <= ms(ok[j].start) || ms(ok[j].end) <= ms(ok[i].start),
            'no overlap among accepted bookings',
          );
    });

    it('group seats under concurrency: exactly `seats` bookings succeed', async () => {
      const h = await hostWith({ slug: 'seatrace', kind: 'group', seats: 3 });
      const answers = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          book(h.base, '2026-03-02T09:00:00-05:00', { invitee: { ...INVITEE, email: `s${i}@example.com` } }),
        ),
      );
      const codes = answers.map((a) => a.status);
      assert.equal(codes.filter((c) => c === 201).length + codes.filter((c) => c === 409).length, 9, codes.join());
      assert.ok(codes.filter((c) => c === 201).length <= 3, `never more than seats: ${codes.join()}`);
    });

    it('group seats under concurrency, repeated: a slot with free seats never answers 409', async () => {
      const failures: string[] = [];
      // The failure is a race on the first hold of a slot: it shows in about one round in 40.
      for (let round = 0; round < 100; round++) {
        const h = await hostWith({ slug: `seatstress${round}`, kind: 'group', seats: 5 });
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            book(h.base, '2026-03-02T09:00:00-05:00', { invitee: { ...INVITEE, email: `s${i}@example.com` } }),
          ),
        );
        const codes = answers.map((a) => a.status);
        const ok = codes.filter((c) => c === 201).length;
        if (ok !== 5 || codes.some((c) => c !== 201 && c !== 409)) {
          const left = (await slots(h.base, { date: '2026-03-02', timezone: NY })).find(
            (x) => x.start === '2026-03-02T09:00:00-05:00',
          );
          failures.push(`round ${round}: ${ok} × 201, seats_left ${left?.seats_left} [${codes.join()}]`);
        }
      }
      assert.deepEqual(failures, []);
    });

    // ---- Host view ---------------------------------------------------------------------------------

    it('GET /bookings: soonest first, paginated, filters from/to/status/event_type', async () => {
      const h = await hostWith({ slug: 'alpha' });
      const beta = await eventType(h.token, { slug: 'beta' });
      const bbase = `/api/v1/public/${h.username}/beta`;
      const b3 = await booked(h.base, '2026-03-04T09:00:00-05:00');
      const b1 = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const b2 = await booked(bbase, '2026-03-03T09:00:00-05:00');
      const b4 = await booked(bbase, '2026-03-05T09:00:00-05:00');
      const c = await call(t.app, 'POST', pathOf(b4.cancel_url), { body: {} });
      assert.equal(c.status, 200);
      const all = await call(t.app, 'GET', '/api/v1/bookings?limit=100', { token: h.token });
      assert.equal(all.status, 200, all.text);
      assert.deepEqual(
        all.body.data.map((x: any) => x.id),
        [b1.id, b2.id, b3.id, b4.id],
      );
      assert.equal(all.body.next_cursor, null);
      // Pagination.
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = cursor ? `limit=1&cursor=${encodeURIComponent(cursor)}` : 'limit=1';
        const page = await call(t.app, 'GET', `/api/v1/bookings?${q}`, { token: h.token });
        assert.equal(page.status, 200, page.text);
        assert.ok(page.body.data.length <= 1);
        seen.push(...page.body.data.map((x: any) => x.id));
        cursor = page.body.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      assert.deepEqual(seen, [b1.id, b2.id, b3.id, b4.id]);
      // Filters.
      const ids = async (q: string) => {
        const res = await call(t.app, 'GET', `/api/v1/bookings?${q}`, { token: h.token });
        assert.equal(res.status, 200, `${q}: ${res.text}`);
        return res.body.data.map((x: any) => x.id);
      };
      assert.deepEqual(await ids(`from=2026-03-03&to=2026-03-04&timezone=${NY}`), [b2.id, b3.id]);
      assert.deepEqual(await ids('status=cancelled'), [b4.id]);
      assert.deepEqual(await ids('status=confirmed'), [b1.id, b2.id, b3.id]);
      assert.deepEqual(await ids('event_type=beta'), [b2.id, b4.id]);
      assert.deepEqual(await ids(`event_type=${beta.id}`), [b2.id, b4.id]);
      assert.deepEqual(await ids('event_type=alpha&status=confirmed&from=2026-03-03'), [b3.id]);
      for (const bad of [
        'limit=0',
        'limit=101',
        'limit=abc',
        'cursor=%%%garbage',
        'status=maybe',
        'from=2026-13-01',
        `timezone=Mars/Base`,
      ]) {
        assertProblem(await call(t.app, 'GET', `/api/v1/bookings?${bad}`, { token: h.token }), 400, bad);
      }
      assertProblem(await call(t.app, 'GET', '/api/v1/bookings'), 401);
    });

    it('GET /bookings/{id}: the host sees it; someone else gets a 404 without the content', async () => {
      const h = await hostWith({ slug: 'mine' });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00', { invitee: { ...INVITEE, name: 'Secret Sam' } });
      const res = await call(t.app, 'GET', `/api/v1/bookings/${b.id}?timezone=${NY}`, { token: h.token });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.id, b.id);
      assert.equal(res.body.start, '2026-03-02T09:00:00-05:00');
      assert.equal(res.body.invitee.name, 'Secret Sam');
      const other = await user();
      assertHidden(await call(t.app, 'GET', `/api/v1/bookings/${b.id}`, { token: other.token }), 'Secret Sam');
      assertHidden(
        await call(t.app, 'POST', `/api/v1/bookings/${b.id}/cancel`, { token: other.token, body: {} }),
        'Secret Sam',
      );
      assertHidden(
        await call(t.app, 'POST', `/api/v1/bookings/${b.id}/reschedule`, {
          token: other.token,
          body: { start: '2026-03-02T10:00:00-05:00' },
        }),
        'Secret Sam',
      );
      const list = await call(t.app, 'GET', '/api/v1/bookings', { token: other.token });
      assert.ok(!list.text.includes('Secret Sam'));
      assertProblem(
        await call(t.app, 'GET', '/api/v1/bookings/00000000-0000-4000-8000-000000000000', { token: h.token }),
        404,
      );
      const still = await call(t.app, 'GET', `/api/v1/bookings/${b.id}`, { token: h.token });
      assert.equal(still.body.status, 'confirmed');
    });

    it('host cancel and reschedule: 200, the time moves or is freed', async () => {
      const h = await hostWith({ slug: 'hostside' });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const moved = await call(t.app, 'POST', `/api/v1/bookings/${b.id}/reschedule`, {
        token: h.token,
        body: { start: '2026-03-02T13:00:00-05:00' },
      });
      assert.equal(moved.status, 200, moved.text);
      assert.ok(same(moved.body.start, '2026-03-02T13:00:00-05:00'));
      assert.ok(moved.body.sequence > b.sequence, 'sequence grows');
      const s = await starts(h.base, '2026-03-02');
      assert.ok(s.includes('2026-03-02T09:00:00-05:00'));
      assert.ok(!s.includes('2026-03-02T13:00:00-05:00'));
      assertProblem(
        await call(t.app, 'POST', `/api/v1/bookings/${b.id}/reschedule`, {
          token: h.token,
          body: { start: '2026-03-07T13:00:00-05:00' },
        }),
        409,
        'Saturday',
      );
      const c = await call(t.app, 'POST', `/api/v1/bookings/${b.id}/cancel`, {
        token: h.token,
        body: { reason: 'Host away' },
      });
      assert.equal(c.status, 200, c.text);
      assert.equal(c.body.status, 'cancelled');
      assert.equal(c.body.cancel_reason, 'Host away');
      assert.ok((await starts(h.base, '2026-03-02')).includes('2026-03-02T13:00:00-05:00'));
      assertProblem(await call(t.app, 'POST', `/api/v1/bookings/${b.id}/cancel`, { token: h.token, body: {} }), 409);
      const inv = await call(t.app, 'GET', pathOf(b.cancel_url));
      assert.equal(inv.body.status, 'cancelled', 'the invitee sees the host’s cancellation');
    });

    it('a booking removes the time from the host’s availability (with buffers)', async () => {
      const h = await hostWith({ slug: 'avail', buffer_after: 15 });
      await booked(h.base, '2026-03-02T10:00:00-05:00');
      const res = await call(
        t.app,
        'GET',
        `/api/v1/users/${h.username}/availability?from=2026-03-02&to=2026-03-02&timezone=${NY}`,
        { token: h.token },
      );
      assert.equal(res.status, 200, res.text);
      const iv = res.body.days[0].intervals.map((i: any) => [i.start, i.end]);
      assert.deepEqual(iv, [
        ['2026-03-02T09:00:00-05:00', '2026-03-02T10:00:00-05:00'],
        ['2026-03-02T10:45:00-05:00', '2026-03-02T17:00:00-05:00'],
      ]);
    });

    it('a host’s own time held elsewhere (another event type) is not offered', async () => {
      const h = await hostWith({ slug: 'first' });
      await eventType(h.token, { slug: 'second', duration: 60 });
      await booked(h.base, '2026-03-02T09:30:00-05:00');
      const second = `/api/v1/public/${h.username}/second`;
      const s = await starts(second, '2026-03-02');
      assert.ok(!s.includes('2026-03-02T09:00:00-05:00'));
      assert.ok(!s.includes('2026-03-02T09:30:00-05:00'));
      assertProblem(await book(second, '2026-03-02T09:00:00-05:00'), 409);
    });

    // ---- More edges ----------------------------------------------------------------------------------

    it('collective: several hosts, a slot is offered only when all are free', async () => {
      const a = await user();
      const b = await user();
      const et = await eventType(a.token, { slug: 'panel', kind: 'collective', hosts: [a.username, b.username] });
      assert.deepEqual([...et.hosts].sort(), [a.username, b.username].sort());
      const base = `/api/v1/public/${a.username}/panel`;
      // OpenAPI: another user listed as a host hosts only once they accept; a collective type
      // offers nothing until all have.
      assert.deepEqual(et.pending_hosts, [b.username]);
      assert.deepEqual(await starts(base, '2026-03-02'), [], 'nothing offered before b accepts');
      assertProblem(await book(base, '2026-03-02T10:00:00-05:00'), 409);
      const pending = await call(t.app, 'GET', '/api/v1/event-types?hosting=pending', { token: b.token });
      assert.equal(pending.status, 200, pending.text);
      assert.deepEqual(
        pending.body.data.map((x: any) => x.id),
        [et.id],
      );
      // A host may read, not change, the owner's event type.
      const read = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: b.token });
      assert.equal(read.status, 200, read.text);
      assertHidden(
        await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, { token: b.token, body: { title: 'Mine' } }),
        'zzz-nothing',
      );
      const acc = await call(t.app, 'POST', `/api/v1/event-types/${et.id}/hosting/accept`, { token: b.token });
      assert.ok(acc.status === 200 || acc.status === 204, `${acc.status} ${acc.text}`);
      const after = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: a.token });
      assert.deepEqual(after.body.pending_hosts, []);
      // A stranger cannot accept hosting it.
      const x = await user();
      assertProblem(await call(t.app, 'POST', `/api/v1/event-types/${et.id}/hosting/accept`, { token: x.token }), 404);
      // b is busy 09:00–10:00 with a booking of their own.
      const bt = await eventType(b.token, { slug: 'own', duration: 60 });
      assert.ok(bt.id);
      await booked(`/api/v1/public/${b.username}/own`, '2026-03-02T09:00:00-05:00');
      const s = await starts(base, '2026-03-02');
      assert.equal(s[0], '2026-03-02T10:00:00-05:00', s.join());
      assertProblem(await book(base, '2026-03-02T09:30:00-05:00'), 409);
      const ok = await booked(base, '2026-03-02T10:00:00-05:00');
      assert.deepEqual([...ok.hosts].sort(), [a.username, b.username].sort());
      // Both hosts' time is now held.
      assertProblem(await book(`/api/v1/public/${b.username}/own`, '2026-03-02T10:00:00-05:00'), 409);
      // Both hosts see it in their host view.
      for (const h of [a, b]) {
        const list = await call(t.app, 'GET', '/api/v1/bookings', { token: h.token });
        assert.ok(
          list.body.data.some((x: any) => x.id === ok.id),
          `${h.username} sees the collective booking`,
        );
      }
    });

    it('round_robin: any one free host takes the booking, spread fairly (README: least recently booked first)', async () => {
      const a = await user();
      const b = await user();
      const rr = await eventType(a.token, { slug: 'sales', kind: 'round_robin', hosts: [a.username, b.username] });
      const base = `/api/v1/public/${a.username}/sales`;
      const acc = await call(t.app, 'POST', `/api/v1/event-types/${rr.id}/hosting/accept`, { token: b.token });
      assert.ok(acc.status === 200 || acc.status === 204, `${acc.status} ${acc.text}`);
      let minute = 0;
      const tick = () => t.clock.set(ms(NOW) + ++minute * 60_000);
      try {
        tick();
        const first = await booked(base, '2026-03-02T09:00:00-05:00');
        assert.equal(first.hosts.length, 1);
        // The same slot is still offered: the other host is free.
        assert.ok((await starts(base, '2026-03-02')).includes('2026-03-02T09:00:00-05:00'));
        tick();
        const second = await booked(base, '2026-03-02T09:00:00-05:00', {
          invitee: { ...INVITEE, email: 'two@example.com' },
        });
        assert.equal(second.hosts.length, 1);
        assert.notEqual(second.hosts[0], first.hosts[0]);
        assert.ok(!(await starts(base, '2026-03-02')).includes('2026-03-02T09:00:00-05:00'), 'both hosts busy');
        assertProblem(
          await book(base, '2026-03-02T09:00:00-05:00', { invitee: { ...INVITEE, email: 'three@example.com' } }),
          409,
        );
        // Fairly: later bookings alternate rather than pile on one host.
        const later: string[] = [];
        for (const hm of ['11:00', '13:00', '15:00', '16:00']) {
          tick();
          later.push(
            (
              await booked(base, `2026-03-03T${hm}:00-05:00`, {
                invitee: { ...INVITEE, email: `rr${hm.slice(0, 2)}@example.com` },
              })
            ).hosts[0],
          );
        }
        assert.equal(later.filter((x) => x === a.username).length, 2, `spread fairly: ${later.join()}`);
        assert.notEqual(later[0], later[1], `least recently booked first: ${later.join()}`);
        assert.equal(later[0], first.hosts[0], `the host booked least recently goes first: ${later.join()}`);
      } finally {
        t.clock.set(NOW);
      }
    });

    it('round_robin: a listed host who has not accepted is never booked; declining takes them off', async () => {
      const a = await user();
      const b = await user();
      const rr = await eventType(a.token, { slug: 'pend', kind: 'round_robin', hosts: [a.username, b.username] });
      const base = `/api/v1/public/${a.username}/pend`;
      const first = await booked(base, '2026-03-04T09:00:00-05:00');
      assert.deepEqual(first.hosts, [a.username]);
      assert.ok(!(await starts(base, '2026-03-04')).includes('2026-03-04T09:00:00-05:00'), 'only a was offered');
      assertProblem(
        await book(base, '2026-03-04T09:00:00-05:00', { invitee: { ...INVITEE, email: 'p2@example.com' } }),
        409,
      );
      const dec = await call(t.app, 'POST', `/api/v1/event-types/${rr.id}/hosting/decline`, { token: b.token });
      assert.ok(dec.status === 200 || dec.status === 204, `${dec.status} ${dec.text}`);
      const et = await call(t.app, 'GET', `/api/v1/event-types/${rr.id}`, { token: a.token });
      assert.deepEqual(et.body.hosts, [a.username]);
      assertProblem(
        await call(t.app, 'POST', `/api/v1/event-types/${rr.id}/hosting/decline`, { token: a.token }),
        409,
        'the owner cannot decline',
      );
    });

    it('schedule_id and schedules: the event type follows the chosen schedules (union, expires_on)', async () => {
      const h = await user();
      const mk = async (weekly: Record<string, unknown>) => {
        const res = await call(t.app, 'POST', '/api/v1/schedules', {
          token: h.token,
          body: { name: 'S', timezone: NY, weekly },
        });
        assert.equal(res.status, 201, res.text);
        return res.body.id as string;
      };
      const sat = await mk({ saturday: [{ start: '10:00', end: '11:00' }] });
      const mon = await mk({ monday: [{ start: '08:00', end: '09:00' }] });
      await eventType(h.token, { slug: 'weekend', schedule_id: sat });
      const wb = `/api/v1/public/${h.username}/weekend`;
      assert.deepEqual(await starts(wb, '2026-03-07'), ['2026-03-07T10:00:00-05:00', '2026-03-07T10:30:00-05:00']);
      assert.deepEqual(await starts(wb, '2026-03-02'), []);
      await eventType(h.token, {
        slug: 'union',
        schedules: [{ schedule_id: sat }, { schedule_id: mon, expires_on: '2026-03-02' }],
      });
      const ub = `/api/v1/public/${h.username}/union`;
      assert.deepEqual(await starts(ub, '2026-03-02'), ['2026-03-02T08:00:00-05:00', '2026-03-02T08:30:00-05:00']);
      assert.deepEqual(await starts(ub, '2026-03-09'), [], 'the Monday schedule expired on 2026-03-02');
      assert.equal((await starts(ub, '2026-03-14')).length, 2);
      // Someone else's schedule cannot be used.
      const other = await user();
      const res = await call(t.app, 'POST', '/api/v1/event-types', {
        token: other.token,
        body: { slug: 'steal', title: 'x', schedule_id: sat },
      });
      assert.ok([400, 404, 403].includes(res.status), `another user's schedule: ${res.status} ${res.text}`);
    });

    it('reschedule may overlap the booking’s own old time', async () => {
      const h = await hostWith({ slug: 'slide', duration: 60, slot_interval: 30 });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const res = await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-02T09:30:00-05:00' } });
      assert.equal(res.status, 200, res.text);
      assert.ok(same(res.body.start, '2026-03-02T09:30:00-05:00'));
      const s = await starts(h.base, '2026-03-02');
      assert.ok(!s.includes('2026-03-02T09:00:00-05:00') && !s.includes('2026-03-02T10:00:00-05:00'));
      assert.ok(s.includes('2026-03-02T10:30:00-05:00'));
    });

    it('concurrent reschedules into one free slot: exactly one wins, no 5xx', async () => {
      const h = await hostWith({ slug: 'rerace' });
      const bs = [];
      for (const hm of ['09:00', '09:30', '10:00', '10:30'])
        bs.push(
          await booked(h.base, `2026-03-02T${hm}:00-05:00`, {
            invitee: { ...INVITEE, email: `m${hm.slice(0, 2)}${hm.slice(3)}@example.com` },
          }),
        );
      const target = '2026-03-02T15:00:00-05:00';
      const answers = await Promise.all(
        bs.map((b) => call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: target } })),
      );
      const codes = answers.map((a) => a.status);
      assert.equal(codes.filter((c) => c === 200).length, 1, codes.join());
      assert.equal(codes.filter((c) => c === 409).length, 3, codes.join());
      const list = await call(t.app, 'GET', '/api/v1/bookings?status=confirmed', { token: h.token });
      assert.equal(list.body.data.filter((x: any) => same(x.start, target)).length, 1);
    });

    it('an instant with any offset names the same slot; the answer is written in the invitee’s zone', async () => {
      const h = await hostWith({ slug: 'offsets' });
      const b = await booked(h.base, '2026-03-02T14:00:00Z');
      assert.equal(b.start, '2026-03-02T15:00:00+01:00', 'written in the invitee zone (Europe/Berlin)');
      assert.equal(b.end, '2026-03-02T15:30:00+01:00');
      const b2 = await booked(h.base, '2026-03-02T20:15:00+05:45', {
        invitee: { ...INVITEE, timezone: 'Asia/Kathmandu' },
      });
      assert.equal(b2.start, '2026-03-02T20:15:00+05:45');
      assert.ok(same(b2.start, '2026-03-02T09:30:00-05:00'));
    });

    it('Idempotency-Key replay is marked Idempotent-Replayed and works for the whole answer', async () => {
      const h = await hostWith({ slug: 'idem2' });
      const headers = { 'idempotency-key': `replay-${n}` };
      const a = await book(h.base, '2026-03-02T11:00:00-05:00', {}, headers);
      const b = await book(h.base, '2026-03-02T11:00:00-05:00', {}, headers);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal(b.body.id, a.body.id);
      assert.equal(b.body.cancel_url, a.body.cancel_url);
      assert.equal(String(b.headers['idempotent-replayed']), 'true');
      // Concurrent requests with one key: never two bookings.
      const k = { 'idempotency-key': `burst-${n}` };
      const burst = await Promise.all(
        Array.from({ length: 5 }, () => book(h.base, '2026-03-02T13:00:00-05:00', {}, k)),
      );
      assert.ok(
        burst.every((r) => r.status === 201 || r.status === 409),
        burst.map((r) => r.status).join(),
      );
      const ids = new Set(burst.filter((r) => r.status === 201).map((r) => r.body.id));
      assert.equal(ids.size, 1);
    });

    it('list of event types is paginated; limit outside 1..100 is a 400', async () => {
      const h = await user();
      for (const slug of ['e1', 'e2', 'e3']) await eventType(h.token, { slug });
      const p1 = await call(t.app, 'GET', '/api/v1/event-types?limit=2', { token: h.token });
      assert.equal(p1.status, 200, p1.text);
      assert.equal(p1.body.data.length, 2);
      assert.equal(typeof p1.body.next_cursor, 'string');
      const p2 = await call(
        t.app,
        'GET',
        `/api/v1/event-types?limit=2&cursor=${encodeURIComponent(p1.body.next_cursor)}`,
        { token: h.token },
      );
      assert.equal(p2.body.data.length, 1);
      assert.equal(p2.body.next_cursor, null);
      assert.deepEqual(
        [...p1.body.data, ...p2.body.data].map((x: any) => x.slug),
        ['e1', 'e2', 'e3'],
      );
      for (const bad of ['limit=0', 'limit=101', 'cursor=not-a-cursor!!']) {
        assertProblem(await call(t.app, 'GET', `/api/v1/event-types?${bad}`, { token: h.token }), 400, bad);
      }
      const clash = await call(t.app, 'PATCH', `/api/v1/event-types/${p2.body.data[0].id}`, {
        token: h.token,
        body: { slug: 'e1' },
      });
      assertProblem(clash, 409, 'renaming onto a used slug');
    });

    it('seats: a cancellation gives the seat back', async () => {
      const h = await hostWith({ slug: 'seatback', kind: 'group', seats: 2 });
      const start = '2026-03-02T09:00:00-05:00';
      const a = await booked(h.base, start, { invitee: { ...INVITEE, email: 'a@example.com' } });
      await booked(h.base, start, { invitee: { ...INVITEE, email: 'b@example.com' } });
      assertProblem(await book(h.base, start, { invitee: { ...INVITEE, email: 'c@example.com' } }), 409);
      assert.equal((await call(t.app, 'POST', pathOf(a.cancel_url), { body: {} })).status, 200);
      const s = (await slots(h.base, { date: '2026-03-02', timezone: NY }))[0];
      assert.equal(s.start, start);
      assert.equal(s.seats_left, 1);
      await booked(h.base, start, { invitee: { ...INVITEE, email: 'c@example.com' } });
    });

    it('slots and the booking agree across the DST change (a 09:00 rule is 09:00 local)', async () => {
      const h = await hostWith({ slug: 'dst' });
      const sun = await starts(h.base, '2026-03-08');
      assert.deepEqual(sun, []);
      const mon = await starts(h.base, '2026-03-09');
      assert.equal(mon[0], '2026-03-09T09:00:00-04:00');
      assert.equal(mon.length, 16);
      assertProblem(await book(h.base, '2026-03-09T08:00:00-04:00'), 409, '08:00 EDT is before hours');
      // 09:00-05:00 is 10:00 EDT: an offered slot, whatever offset it is written in.
      const b = await booked(h.base, '2026-03-09T09:00:00-05:00');
      assert.ok(same(b.start, '2026-03-09T10:00:00-04:00'));
      await booked(h.base, '2026-03-09T13:00:00Z');
    });

    it('max_per_day and date_range dates are counted in the host’s zone, not UTC', async () => {
      // Auckland is UTC+13 in March: 09:00–17:00 there is 20:00–04:00 UTC, across a UTC midnight.
      const h = await hostWith({ slug: 'nz', max_per_day: 1 }, 'Pacific/Auckland');
      const first = await booked(h.base, '2026-03-03T09:00:00+13:00'); // 2026-03-02T20:00Z
      assert.ok(first.id);
      // 16:00 the same Auckland day is 2026-03-03T03:00Z, another UTC date: still the same host day.
      assertProblem(await book(h.base, '2026-03-03T16:00:00+13:00'), 409, 'second booking of the host day');
      assert.deepEqual(await starts(h.base, '2026-03-03', 'Pacific/Auckland'), []);
      await booked(h.base, '2026-03-04T09:00:00+13:00');
    });

    it('string limits and bad bodies: over-long fields 400, NUL 400, non-JSON 415', async () => {
      const h = await hostWith({
        slug: 'limits',
        questions: [{ key: 'q', label: 'Q', type: 'text', required: false }],
      });
      const s = '2026-03-02T09:00:00-05:00';
      assertValidation(await book(h.base, s, { answers: { q: 'a'.repeat(2001) } }), 'answers');
      assertValidation(await book(h.base, s, { invitee: { ...INVITEE, name: 'nul\u0000byte' } }), 'name');
      assertValidation(
        await book(h.base, s, { guests: Array.from({ length: 11 }, (_, i) => `g${i}@example.com`) }),
        'guests',
      );
      const txt = await call(t.app, 'POST', `${h.base}/bookings`, {
        body: 'start=x',
        headers: { 'content-type': 'text/plain' },
      });
      assertProblem(txt, 415);
      const b = await booked(h.base, s);
      assertValidation(
        await call(t.app, 'POST', pathOf(b.cancel_url), { body: { reason: 'r'.repeat(1001) } }),
        'reason',
      );
      assertValidation(
        await call(t.app, 'POST', '/api/v1/event-types', {
          token: h.token,
          body: { slug: 'long-loc', title: 'x', location: 'l'.repeat(501) },
        }),
        'location',
      );
      const still = await call(t.app, 'GET', pathOf(b.cancel_url));
      assert.equal(still.body.status, 'confirmed');
    });

    it('hosts: one_on_one and group have exactly one host; an unknown host is refused', async () => {
      const a = await user();
      const b = await user();
      const two = await call(t.app, 'POST', '/api/v1/event-types', {
        token: a.token,
        body: { slug: 'two', title: 'x', kind: 'one_on_one', hosts: [a.username, b.username] },
      });
      assertValidation(two, 'hosts');
      const ghost = await call(t.app, 'POST', '/api/v1/event-types', {
        token: a.token,
        body: { slug: 'ghost', title: 'x', kind: 'collective', hosts: [a.username, 'no-such-host-zz'] },
      });
      assert.ok(ghost.status === 400 || ghost.status === 404, `${ghost.status} ${ghost.text}`);
      assertProblem(ghost, ghost.status);
    });

    it('the public link /{username}/{slug} is a web page that escapes free text', async () => {
      const h = await hostWith({ slug: 'page', title: 'Hello <script>alert(1)</script>' });
      const res = await call(t.app, 'GET', new URL(h.et.booking_url).pathname);
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.ok(!res.text.includes('<script>alert(1)</script>'), 'the title is escaped in the page');
      const api = await call(t.app, 'GET', h.base);
      assert.equal(api.body.title, 'Hello <script>alert(1)</script>', 'and verbatim in JSON');
    });

    it('GET a private link with ?timezone writes the booking in that zone', async () => {
      const h = await hostWith({ slug: 'tzlink' });
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const res = await call(t.app, 'GET', `${pathOf(b.cancel_url)}?timezone=Asia/Kathmandu`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.start, '2026-03-02T19:45:00+05:45');
      const host = await call(t.app, 'GET', `/api/v1/bookings?timezone=Asia/Tokyo`, { token: h.token });
      assert.equal(host.body.data[0].start, '2026-03-02T23:00:00+09:00');
      assertProblem(await call(t.app, 'GET', `${pathOf(b.cancel_url)}?timezone=Nowhere/Land`), 400);
    });

    it('a slot may cross the host’s local midnight when the hours are continuous', async () => {
      const h = await user();
      const sch = await call(t.app, 'POST', '/api/v1/schedules', {
        token: h.token,
        body: {
          name: 'Night',
          timezone: NY,
          weekly: { monday: [{ start: '22:00', end: '24:00' }], tuesday: [{ start: '00:00', end: '02:00' }] },
        },
      });
      assert.equal(sch.status, 201, sch.text);
      await eventType(h.token, { slug: 'night', duration: 60, slot_interval: 30, schedule_id: sch.body.id });
      const base = `/api/v1/public/${h.username}/night`;
      const mon = await starts(base, '2026-03-02');
      assert.deepEqual(mon, [
        '2026-03-02T22:00:00-05:00',
        '2026-03-02T22:30:00-05:00',
        '2026-03-02T23:00:00-05:00',
        '2026-03-02T23:30:00-05:00',
      ]);
      const b = await booked(base, '2026-03-02T23:30:00-05:00');
      assert.ok(same(b.end, '2026-03-03T00:30:00-05:00'));
      assert.deepEqual(await starts(base, '2026-03-03'), ['2026-03-03T00:30:00-05:00', '2026-03-03T01:00:00-05:00']);
    });

    it('instants: fractional seconds are accepted; free text is returned verbatim', async () => {
      const h = await hostWith({ slug: 'verbatim' });
      const name = `O'Brien <b>&amp; "Co"</b> ✓`;
      const b = await booked(h.base, '2026-03-02T09:00:00.000-05:00', { invitee: { ...INVITEE, name } });
      assert.equal(b.invitee.name, name);
      assert.ok(same(b.start, '2026-03-02T09:00:00-05:00'));
      assert.match(
        b.start,
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/,
        'written with seconds, no fraction needed',
      );
      const host = await call(t.app, 'GET', `/api/v1/bookings/${b.id}`, { token: h.token });
      assert.equal(host.body.invitee.name, name);
    });

    it('GET /bookings: from/to as instants; an unknown event_type is a 400', async () => {
      const h = await hostWith({ slug: 'instants' });
      const b1 = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const b2 = await booked(h.base, '2026-03-02T11:00:00-05:00');
      const res = await call(
        t.app,
        'GET',
        `/api/v1/bookings?from=${encodeURIComponent('2026-03-02T10:00:00-05:00')}&to=${encodeURIComponent('2026-03-02T12:00:00-05:00')}`,
        { token: h.token },
      );
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        res.body.data.map((x: any) => x.id),
        [b2.id],
      );
      const excl = await call(t.app, 'GET', `/api/v1/bookings?to=${encodeURIComponent('2026-03-02T11:00:00-05:00')}`, {
        token: h.token,
      });
      assert.deepEqual(
        excl.body.data.map((x: any) => x.id),
        [b1.id],
        'an instant `to` is excluded',
      );
      assertProblem(
        await call(t.app, 'GET', `/api/v1/bookings?from=${encodeURIComponent('2026-03-02T10:00:00')}`, {
          token: h.token,
        }),
        400,
        'no offset',
      );
      assertProblem(await call(t.app, 'GET', '/api/v1/bookings?event_type=not-mine', { token: h.token }), 400);
    });

    it('bad input is never a 5xx: odd dates, zones, numbers, bodies and paths', async () => {
      const h = await hostWith({ slug: 'fuzz', kind: 'group', seats: 2 });
      const inv = { name: 'x', email: 'x@example.com', timezone: 'UTC' };
      const b = await booked(h.base, '2026-03-02T09:00:00-05:00');
      const tokenPath = new URL(b.cancel_url).pathname.replace(/\/cancel$/, '');
      const cases: Array<[string, string, unknown?]> = [
        ['GET', `${h.base}/days?month=0000-00`],
        ['GET', `${h.base}/days?month=9999-12`],
        ['GET', `${h.base}/days?month=-2026-03`],
        ['GET', `${h.base}/days?month=2026-03&duration=99999`],
        ['GET', `${h.base}/slots?date=9999-12-31`],
        ['GET', `${h.base}/slots?date=0001-01-01`],
        ['GET', `${h.base}/slots?from=2026-03-01`],
        ['GET', `${h.base}/slots?date=2026-03-02&timezone=${encodeURIComponent('../../etc/passwd')}`],
        ['GET', `${h.base}/slots?date=2026-03-02&duration=abc`],
        ['POST', `${h.base}/bookings`, { start: '2026-03-02T09:00:00-05:00', invitee: [] }],
        ['POST', `${h.base}/bookings`, { start: 12345, invitee: inv }],
        ['POST', `${h.base}/bookings`, { start: '2026-03-02T09:00:00+25:00', invitee: inv }],
        ['POST', `${h.base}/bookings`, { start: '9999-12-31T23:59:59Z', invitee: inv }],
        ['POST', `${h.base}/bookings`, { start: '2026-02-30T09:00:00Z', invitee: inv }],
        ['POST', `${h.base}/bookings`, { start: '2026-03-02T09:00:00-05:00', invitee: inv, answers: [] }],
        ['POST', `${h.base}/bookings`, { start: '2026-03-02T09:00:00-05:00', invitee: inv, answers: { a: { b: 1 } } }],
        ['POST', `${h.base}/bookings`, { start: '2026-03-02T09:00:00-05:00', invitee: inv, duration: 1e20 }],
        ['POST', `${h.base}/bookings`, null],
        ['POST', `${h.base}/bookings`, []],
        ['POST', '/api/v1/public/bookings/..%2F..%2Fetc'],
        ['GET', `/api/v1/public/bookings/${'a'.repeat(300)}`],
        ['POST', `${tokenPath}/cancel`, { reason: 5 }],
        ['POST', `${tokenPath}/reschedule`, { start: null }],
        ['POST', `${tokenPath}/reschedule`, []],
        ['GET', '/api/v1/bookings/not-a-uuid'],
        ['POST', '/api/v1/bookings/not-a-uuid/cancel', {}],
        ['GET', '/api/v1/bookings/not-a-uuid/invite.ics'],
        ['GET', '/api/v1/event-types/not-a-uuid'],
        ['GET', '/api/v1/bookings?from=2026-03-05&to=2026-03-01'],
        ['GET', '/api/v1/bookings?from=0000-01-01&to=9999-12-31'],
        [
          'POST',
          '/api/v1/event-types',
          { slug: 'y', title: 'Y', date_range: { type: 'range', start_date: '0000-01-01', end_date: '9999-12-31' } },
        ],
        ['POST', '/api/v1/event-types', { slug: 'z', title: 'Z', fixed_slots: [{ start: '9999-12-31T23:00:00Z' }] }],
        [
          'POST',
          '/api/v1/event-types',
          { slug: 'v', title: 'V', schedules: [{ schedule_id: '00000000-0000-4000-8000-000000000000' }] },
        ],
        ['POST', '/api/v1/event-types', { slug: 'u', title: 'U', durations: [30, 30] }],
        [
          'POST',
          '/api/v1/event-types',
          {
            slug: 'q',
            title: 'Q',
            questions: [
              { key: 'a', label: 'A', type: 'text', required: true },
              { key: 'a', label: 'B', type: 'text', required: true },
            ],
          },
        ],
      ];
      for (const [method, url, body] of cases) {
        const res = await call(t.app, method as any, url, { token: h.token, body });
        const what = `${method} ${url} ${JSON.stringify(body)}`;
        assert.ok(res.status < 500, `${what}: ${res.status} ${res.text}`);
        if (res.status >= 400) assertProblem(res, res.status, what);
      }
    });
  });
}
