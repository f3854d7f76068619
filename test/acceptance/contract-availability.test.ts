// Black-box acceptance tests of SPEC.md "Conventions" and §2 Availability, written from the
// contract (SPEC.md, README.md, the served OpenAPI document) only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem, assertValidation } from './assertions';
import { call, PASSWORD, startApp, STORES, type Answer, type TestApp } from '../helpers/app';

const NOW = '2026-03-01T00:00:00Z'; // a Sunday; US DST starts 2026-03-08, EU 2026-03-29
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];

function assertNotFoundOrForbidden(res: Answer, secret: string, what = ''): void {
  assert.ok(res.status === 404 || res.status === 403, `${what} expected 404/403, got ${res.status}: ${res.text}`);
  assertProblem(res, res.status, what);
  assert.ok(!res.text.includes(secret), `${what} leaks content: ${res.text}`);
}

const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const z = (s: string) => s.replace(/\+00:00$/, 'Z');
const hours = (weekly: any, day: string) => weekly?.[day] ?? [];

let n = 0;

for (const store of STORES) {
  describe(`contract: availability (${store})`, () => {
    let t: TestApp;

    async function user(timezone = 'America/New_York', prefix = 'av') {
      const username = `${prefix}${++n}x${process.pid % 1000}`;
      const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: { username, email: `${username}@example.com`, password: PASSWORD, timezone },
      });
      assert.equal(res.status, 201, res.text);
      return { username, token: res.body.token as string, user: res.body.user };
    }

    async function avail(token: string, from: string, to: string, timezone?: string, path = '/api/v1/me/availability') {
      const q = new URLSearchParams({ from, to });
      if (timezone) q.set('timezone', timezone);
      return call(t.app, 'GET', `${path}?${q}`, { token });
    }

    /** The days of an availability answer as {date: [[start, end], ...]}. */
    function days(res: Answer, norm = (s: string) => s): Record<string, string[][]> {
      assert.equal(res.status, 200, res.text);
      const out: Record<string, string[][]> = {};
      for (const d of res.body.days) out[d.date] = d.intervals.map((i: any) => [norm(i.start), norm(i.end)]);
      return out;
    }

    async function defaultSchedule(token: string) {
      const res = await call(t.app, 'GET', '/api/v1/schedules?limit=100', { token });
      assert.equal(res.status, 200, res.text);
      const defaults = res.body.data.filter((s: any) => s.is_default === true);
      assert.equal(defaults.length, 1, `exactly one default schedule: ${res.text}`);
      return defaults[0];
    }

    function dateResult(res: Answer): Record<string, Array<[string, string]>> {
      const out: Record<string, Array<[string, string]>> = {};
      assert.ok(Array.isArray(res.body?.dates), res.text);
      for (const d of res.body.dates) out[d.date] = d.intervals.map((i: any) => [i.start, i.end]);
      return out;
    }

    before(async () => {
      t = await startApp(store);
      t.clock.set(NOW);
    });
    after(async () => {
      await t?.close();
    });

    // ---- Schedules ---------------------------------------------------------------------------

    it('a new user has one default schedule: Mon–Fri 09:00–17:00 in their time zone', async () => {
      for (const tz of ['America/New_York', 'Asia/Kathmandu']) {
        const { token } = await user(tz);
        const list = await call(t.app, 'GET', '/api/v1/schedules', { token });
        assert.equal(list.status, 200, list.text);
        assert.equal(list.body.data.length, 1);
        assert.equal(list.body.next_cursor, null);
        const s = list.body.data[0];
        assert.equal(s.is_default, true);
        assert.equal(s.timezone, tz);
        for (const day of WEEKDAYS) assert.deepEqual(hours(s.weekly, day), NINE_TO_FIVE, day);
        assert.deepEqual(hours(s.weekly, 'saturday'), []);
        assert.deepEqual(hours(s.weekly, 'sunday'), []);
        assert.deepEqual(s.overrides ?? [], []);
        const one = await call(t.app, 'GET', `/api/v1/schedules/${s.id}`, { token });
        assert.equal(one.status, 200, one.text);
        assert.deepEqual(one.body, s);
      }
    });

    it('POST /schedules creates (201) a non-default schedule; a weekday left out has no hours', async () => {
      const { token } = await user();
      const body = {
        name: 'Evenings <& "quotes">',
        timezone: 'Europe/Berlin',
        weekly: {
          tuesday: [{ start: '18:00', end: '20:00' }],
          saturday: [
            { start: '10:00', end: '12:00' },
            { start: '13:00', end: '24:00' },
          ],
        },
        overrides: [
          { date: '2026-03-10', intervals: [] },
          { date: '2026-03-14', intervals: [{ start: '08:00', end: '09:30' }] },
        ],
      };
      const res = await call(t.app, 'POST', '/api/v1/schedules', { token, body });
      assert.equal(res.status, 201, res.text);
      const s = res.body;
      assert.equal(typeof s.id, 'string');
      assert.equal(s.name, body.name);
      assert.equal(s.timezone, 'Europe/Berlin');
      assert.equal(s.is_default, false);
      assert.deepEqual(hours(s.weekly, 'tuesday'), body.weekly.tuesday);
      assert.deepEqual(hours(s.weekly, 'saturday'), body.weekly.saturday);
      for (const day of ['monday', 'wednesday', 'thursday', 'friday', 'sunday'])
        assert.deepEqual(hours(s.weekly, day), [], day);
      const overrides = [...s.overrides].sort((a: any, b: any) => a.date.localeCompare(b.date));
      assert.deepEqual(overrides, body.overrides);
      const got = await call(t.app, 'GET', `/api/v1/schedules/${s.id}`, { token });
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, s);
      const list = await call(t.app, 'GET', '/api/v1/schedules', { token });
      assert.equal(list.body.data.length, 2);
      assert.equal(list.body.data.filter((x: any) => x.is_default).length, 1);
    });

    it('schedule validation: 400 with errors[] for bad names, zones, times and dates', async () => {
      const { token } = await user();
      const ok = { name: 'x', timezone: 'UTC' };
      const cases: Array<[string, unknown]> = [
        ['name', { timezone: 'UTC' }],
        ['name', { ...ok, name: '' }],
        ['name', { ...ok, name: 'n'.repeat(101) }],
        ['timezone', { name: 'x' }],
        ['timezone', { ...ok, timezone: 'Mars/Olympus' }],
        ['timezone', { ...ok, timezone: 'EST5EDT-not' }],
        ['weekly', { ...ok, weekly: { funday: NINE_TO_FIVE } }],
        ['weekly', { ...ok, weekly: { monday: [{ start: '9:00', end: '17:00' }] } }],
        ['weekly', { ...ok, weekly: { monday: [{ start: '25:00', end: '26:00' }] } }],
        ['weekly', { ...ok, weekly: { monday: [{ start: '09:60', end: '17:00' }] } }],
        ['weekly', { ...ok, weekly: { monday: [{ start: '17:00', end: '09:00' }] } }],
        ['weekly', { ...ok, weekly: { monday: [{ start: '09:00', end: '09:00' }] } }],
        ['weekly', { ...ok, weekly: { monday: [{ start: '09:00' }] } }],
        ['weekly', { ...ok, weekly: { monday: [{ start: '24:00', end: '24:00' }] } }],
        ['weekly', { ...ok, weekly: { monday: [{ start: '09:00', end: '24:01' }] } }],
        ['overrides', { ...ok, overrides: [{ date: '2026-02-30', intervals: [] }] }],
        ['overrides', { ...ok, overrides: [{ date: '2026-3-1', intervals: [] }] }],
        ['overrides', { ...ok, overrides: [{ date: '2026-03-01' }] }],
        ['overrides', { ...ok, overrides: [{ date: '2026-03-01', intervals: [{ start: '10:00', end: '09:00' }] }] }],
        ['name', { ...ok, name: 'nul\u0000' }],
      ];
      for (const [field, body] of cases) {
        assertValidation(await call(t.app, 'POST', '/api/v1/schedules', { token, body }), field, JSON.stringify(body));
      }
      assertProblem(await call(t.app, 'POST', '/api/v1/schedules', { body: ok }), 401);
    });

    it('PATCH changes only the fields given', async () => {
      const { token } = await user();
      const created = await call(t.app, 'POST', '/api/v1/schedules', {
        token,
        body: {
          name: 'Before',
          timezone: 'Europe/Berlin',
          weekly: { monday: NINE_TO_FIVE, friday: [{ start: '10:00', end: '11:00' }] },
          overrides: [{ date: '2026-03-20', intervals: [] }],
        },
      });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id;
      const renamed = await call(t.app, 'PATCH', `/api/v1/schedules/${id}`, { token, body: { name: 'After' } });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.name, 'After');
      assert.equal(renamed.body.timezone, 'Europe/Berlin');
      assert.deepEqual(renamed.body.weekly, created.body.weekly);
      assert.deepEqual(renamed.body.overrides, created.body.overrides);
      assert.equal(renamed.body.is_default, false);

      const retz = await call(t.app, 'PATCH', `/api/v1/schedules/${id}`, { token, body: { timezone: 'Asia/Tokyo' } });
      assert.equal(retz.status, 200, retz.text);
      assert.equal(retz.body.name, 'After');
      assert.equal(retz.body.timezone, 'Asia/Tokyo');
      assert.deepEqual(retz.body.weekly, created.body.weekly);

      const reweek = await call(t.app, 'PATCH', `/api/v1/schedules/${id}`, {
        token,
        body: { weekly: { sunday: [{ start: '12:00', end: '13:00' }] } },
      });
      assert.equal(reweek.status, 200, reweek.text);
      assert.deepEqual(hours(reweek.body.weekly, 'sunday'), [{ start: '12:00', end: '13:00' }]);
      assert.deepEqual(reweek.body.overrides, created.body.overrides, 'overrides untouched by a weekly PATCH');
      assert.equal(reweek.body.name, 'After');

      const got = await call(t.app, 'GET', `/api/v1/schedules/${id}`, { token });
      assert.deepEqual(got.body, reweek.body);
      assertValidation(
        await call(t.app, 'PATCH', `/api/v1/schedules/${id}`, { token, body: { timezone: 'No/Where' } }),
        'timezone',
      );
      assertValidation(await call(t.app, 'PATCH', `/api/v1/schedules/${id}`, { token, body: { name: '' } }), 'name');
    });

    it('PUT replaces: weekly hours and overrides left out are cleared; name and timezone are required', async () => {
      const { token } = await user();
      const created = await call(t.app, 'POST', '/api/v1/schedules', {
        token,
        body: {
          name: 'Full',
          timezone: 'UTC',
          weekly: { monday: NINE_TO_FIVE },
          overrides: [{ date: '2026-03-20', intervals: [] }],
        },
      });
      const id = created.body.id;
      const put = await call(t.app, 'PUT', `/api/v1/schedules/${id}`, {
        token,
        body: { name: 'Bare', timezone: 'Europe/London' },
      });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.body.name, 'Bare');
      assert.equal(put.body.timezone, 'Europe/London');
      for (const day of [...WEEKDAYS, 'saturday', 'sunday']) assert.deepEqual(hours(put.body.weekly, day), [], day);
      assert.deepEqual(put.body.overrides, []);
      assert.equal(put.body.id, id);
      const put2 = await call(t.app, 'PUT', `/api/v1/schedules/${id}`, {
        token,
        body: { name: 'Again', timezone: 'UTC', weekly: { wednesday: NINE_TO_FIVE } },
      });
      assert.equal(put2.status, 200, put2.text);
      assert.deepEqual(hours(put2.body.weekly, 'wednesday'), NINE_TO_FIVE);
      assert.deepEqual(hours(put2.body.weekly, 'monday'), []);
      assertValidation(
        await call(t.app, 'PUT', `/api/v1/schedules/${id}`, { token, body: { timezone: 'UTC' } }),
        'name',
      );
      assertValidation(await call(t.app, 'PUT', `/api/v1/schedules/${id}`, { token, body: { name: 'x' } }), 'timezone');
      const got = await call(t.app, 'GET', `/api/v1/schedules/${id}`, { token });
      assert.equal(got.body.name, 'Again');
    });

    it('the default moves with is_default; it cannot be unset or deleted (409); others delete (204)', async () => {
      const { token } = await user();
      const first = await defaultSchedule(token);
      const second = await call(t.app, 'POST', '/api/v1/schedules', {
        token,
        body: { name: 'B', timezone: 'UTC', is_default: true },
      });
      assert.equal(second.status, 201, second.text);
      assert.equal(second.body.is_default, true);
      assert.equal((await defaultSchedule(token)).id, second.body.id);
      const firstNow = await call(t.app, 'GET', `/api/v1/schedules/${first.id}`, { token });
      assert.equal(firstNow.body.is_default, false);

      const back = await call(t.app, 'PATCH', `/api/v1/schedules/${first.id}`, { token, body: { is_default: true } });
      assert.equal(back.status, 200, back.text);
      assert.equal(back.body.is_default, true);
      assert.equal((await defaultSchedule(token)).id, first.id);

      assertProblem(
        await call(t.app, 'PATCH', `/api/v1/schedules/${first.id}`, { token, body: { is_default: false } }),
        409,
      );
      assert.equal((await defaultSchedule(token)).id, first.id);
      assertProblem(await call(t.app, 'DELETE', `/api/v1/schedules/${first.id}`, { token }), 409);
      const del = await call(t.app, 'DELETE', `/api/v1/schedules/${second.body.id}`, { token });
      assert.equal(del.status, 204, del.text);
      assertProblem(await call(t.app, 'GET', `/api/v1/schedules/${second.body.id}`, { token }), 404);
      assertProblem(await call(t.app, 'DELETE', `/api/v1/schedules/${second.body.id}`, { token }), 404);
    });

    it('concurrent default switches leave exactly one default, never a 5xx', async () => {
      const { token } = await user();
      const created = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          call(t.app, 'POST', '/api/v1/schedules', {
            token,
            body: { name: `race${i}`, timezone: 'UTC', is_default: true },
          }),
        ),
      );
      for (const r of created) assert.ok(r.status === 201 || r.status === 409, `POST ${r.status} ${r.text}`);
      const list = await call(t.app, 'GET', '/api/v1/schedules?limit=100', { token });
      assert.equal(list.body.data.filter((x: any) => x.is_default === true).length, 1, list.text);
      const patched = await Promise.all(
        list.body.data.map((x: any) =>
          call(t.app, 'PATCH', `/api/v1/schedules/${x.id}`, { token, body: { is_default: true } }),
        ),
      );
      for (const r of patched) assert.ok(r.status === 200 || r.status === 409, `PATCH ${r.status} ${r.text}`);
      const after = await call(t.app, 'GET', '/api/v1/schedules?limit=100', { token });
      assert.equal(after.body.data.filter((x: any) => x.is_default === true).length, 1, after.text);
    });

    it("another user's schedule is 404 (or 403) for every verb, never its content, and stays unchanged", async () => {
      const alice = await user();
      const bob = await user();
      const secret = `alice-private-${n}`;
      const created = await call(t.app, 'POST', '/api/v1/schedules', {
        token: alice.token,
        body: { name: secret, timezone: 'UTC', weekly: { monday: NINE_TO_FIVE } },
      });
      const id = created.body.id;
      const url = `/api/v1/schedules/${id}`;
      assertNotFoundOrForbidden(await call(t.app, 'GET', url, { token: bob.token }), secret, 'GET');
      assertNotFoundOrForbidden(
        await call(t.app, 'PATCH', url, { token: bob.token, body: { name: 'pwned' } }),
        secret,
        'PATCH',
      );
      assertNotFoundOrForbidden(
        await call(t.app, 'PUT', url, { token: bob.token, body: { name: 'pwned', timezone: 'UTC' } }),
        secret,
        'PUT',
      );
      assertNotFoundOrForbidden(await call(t.app, 'DELETE', url, { token: bob.token }), secret, 'DELETE');
      const bobs = await call(t.app, 'GET', '/api/v1/schedules', { token: bob.token });
      assert.ok(!bobs.text.includes(secret));
      const still = await call(t.app, 'GET', url, { token: alice.token });
      assert.equal(still.status, 200);
      assert.deepEqual(still.body, created.body);
      // Another user's default cannot be touched either.
      const aliceDefault = await defaultSchedule(alice.token);
      assertNotFoundOrForbidden(
        await call(t.app, 'PATCH', `/api/v1/schedules/${aliceDefault.id}`, {
          token: bob.token,
          body: { is_default: true },
        }),
        '"weekly"',
        'PATCH default',
      );
      assert.equal((await defaultSchedule(alice.token)).id, aliceDefault.id);
    });

    it('an unknown schedule id is a 404; a malformed one a 400 (or 404); no credentials a 401', async () => {
      const { token } = await user();
      assertProblem(await call(t.app, 'GET', '/api/v1/schedules/00000000-0000-4000-8000-000000000000', { token }), 404);
      for (const id of ['nope', '1', "1' OR '1'='1", '%00']) {
        const res = await call(t.app, 'GET', `/api/v1/schedules/${encodeURIComponent(id)}`, { token });
        assert.ok(res.status === 400 || res.status === 404, `${id}: ${res.text}`);
        assertProblem(res, res.status, id);
      }
      assertProblem(await call(t.app, 'GET', '/api/v1/schedules'), 401);
      const d = await defaultSchedule(token);
      assertProblem(await call(t.app, 'GET', `/api/v1/schedules/${d.id}`), 401);
    });

    it('schedules list: pages with limit and next_cursor, each schedule exactly once', async () => {
      const { token } = await user();
      for (let i = 0; i < 4; i++) {
        assert.equal(
          (await call(t.app, 'POST', '/api/v1/schedules', { token, body: { name: `s${i}`, timezone: 'UTC' } })).status,
          201,
        );
      }
      const ids: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const res: Answer = await call(
          t.app,
          'GET',
          `/api/v1/schedules?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { token },
        );
        assert.equal(res.status, 200, res.text);
        ids.push(...res.body.data.map((s: any) => s.id));
        sizes.push(res.body.data.length);
        cursor = res.body.next_cursor;
        assert.ok(sizes.length < 10);
      } while (cursor !== null);
      assert.equal(ids.length, 5, `ids ${ids.join(' ')}`);
      assert.equal(new Set(ids).size, 5, `no schedule twice: ${ids.join(' ')}`);
      assert.deepEqual(sizes, [2, 2, 1]);
      const all = await call(t.app, 'GET', '/api/v1/schedules', { token });
      assert.equal(all.body.data.length, 5);
      assert.equal(all.body.next_cursor, null);
    });

    it('schedules list: bad limit or cursor is a 400', async () => {
      const { token } = await user();
      for (const limit of ['0', '101', 'x', '-5', '2.5', '']) {
        assertValidation(
          await call(t.app, 'GET', `/api/v1/schedules?limit=${limit}`, { token }),
          'limit',
          `limit=${limit}`,
        );
      }
      for (const c of ['garbage', 'AAAA', '{}']) {
        assertProblem(
          await call(t.app, 'GET', `/api/v1/schedules?cursor=${encodeURIComponent(c)}`, { token }),
          400,
          `cursor=${c}`,
        );
      }
    });

    it('the default schedule drives availability; a non-default one does not', async () => {
      const { token } = await user('UTC');
      await call(t.app, 'POST', '/api/v1/schedules', {
        token,
        body: { name: 'other', timezone: 'UTC', weekly: { sunday: NINE_TO_FIVE } },
      });
      const d = await defaultSchedule(token);
      const res = await call(t.app, 'PATCH', `/api/v1/schedules/${d.id}`, {
        token,
        body: { weekly: { saturday: [{ start: '10:00', end: '12:00' }] } },
      });
      assert.equal(res.status, 200, res.text);
      const got = days(await avail(token, '2026-03-06', '2026-03-08', 'UTC'), z);
      assert.deepEqual(got, {
        '2026-03-06': [],
        '2026-03-07': [['2026-03-07T10:00:00Z', '2026-03-07T12:00:00Z']],
        '2026-03-08': [],
      });
    });

    // ---- Show availability ---------------------------------------------------------------------

    it('shows one entry per date, sorted, RFC 3339 instants with seconds in the asked zone', async () => {
      const { token } = await user('America/New_York');
      const res = await avail(token, '2026-03-02', '2026-03-07', 'America/New_York');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.timezone, 'America/New_York');
      assert.deepEqual(
        res.body.days.map((d: any) => d.date),
        ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07'],
      );
      for (const d of res.body.days.slice(0, 5)) {
        assert.deepEqual(d.intervals, [{ start: `${d.date}T09:00:00-05:00`, end: `${d.date}T17:00:00-05:00` }]);
      }
      assert.deepEqual(res.body.days[5].intervals, []);
    });

    it('timezone omitted means the user’s own zone', async () => {
      const { token } = await user('Asia/Kathmandu');
      const res = await avail(token, '2026-03-02', '2026-03-02');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.timezone, 'Asia/Kathmandu');
      assert.deepEqual(res.body.days, [
        { date: '2026-03-02', intervals: [{ start: '2026-03-02T09:00:00+05:45', end: '2026-03-02T17:00:00+05:45' }] },
      ]);
    });

    it('answers in another asked zone, UTC written as Z or +00:00', async () => {
      const { token } = await user('Europe/Berlin');
      const ktm = await avail(token, '2026-03-02', '2026-03-02', 'Asia/Kathmandu');
      assert.equal(ktm.body.timezone, 'Asia/Kathmandu');
      assert.deepEqual(days(ktm), { '2026-03-02': [['2026-03-02T13:45:00+05:45', '2026-03-02T21:45:00+05:45']] });
      for (const tz of ['UTC', 'Etc/UTC']) {
        const utc = await avail(token, '2026-03-02', '2026-03-03', tz);
        assert.equal(utc.status, 200, utc.text);
        for (const d of utc.body.days)
          for (const i of d.intervals) {
            assert.match(i.start, /(Z|\+00:00)$/);
            assert.match(i.start, RFC3339_SECONDS);
          }
        assert.deepEqual(days(utc, z), {
          '2026-03-02': [['2026-03-02T08:00:00Z', '2026-03-02T16:00:00Z']],
          '2026-03-03': [['2026-03-03T08:00:00Z', '2026-03-03T16:00:00Z']],
        });
      }
    });

    it('any IANA name is accepted, including Etc/GMT±N and backward links', async () => {
      const { token } = await user('UTC');
      const cases: Array<[string, string]> = [
        ['Etc/GMT+5', '-05:00'],
        ['Etc/GMT-14', '+14:00'],
        ['Asia/Calcutta', '+05:30'],
        ['America/Argentina/Buenos_Aires', '-03:00'],
        ['Pacific/Chatham', '+13:45'],
      ];
      for (const [tz, offset] of cases) {
        const res = await avail(token, '2026-03-03', '2026-03-03', tz);
        assert.equal(res.status, 200, `${tz}: ${res.text}`);
        assert.equal(res.body.timezone, tz);
        for (const d of res.body.days)
          for (const i of d.intervals) {
            assert.ok(i.start.endsWith(offset) && i.end.endsWith(offset), `${tz}: ${JSON.stringify(i)}`);
          }
        assert.ok(res.body.days[0].intervals.length > 0, `${tz}: ${res.text}`);
      }
    });

    it('a date runs from local midnight to local midnight in the asked zone: intervals are cut at the range ends', async () => {
      const { token } = await user('America/New_York');
      // NY Mon 09:00–17:00 EST = 19:30 Mon – 03:30 Tue in Kolkata (+05:30).
      const one = await avail(token, '2026-03-02', '2026-03-02', 'Asia/Kolkata');
      assert.deepEqual(days(one), { '2026-03-02': [['2026-03-02T19:30:00+05:30', '2026-03-03T00:00:00+05:30']] });
    });

    it('every interval lies within the date it is listed under (split at local midnight)', async () => {
      const { token } = await user('America/New_York');
      const two = await avail(token, '2026-03-02', '2026-03-03', 'Asia/Kolkata');
      assert.deepEqual(days(two), {
        '2026-03-02': [['2026-03-02T19:30:00+05:30', '2026-03-03T00:00:00+05:30']],
        '2026-03-03': [
          ['2026-03-03T00:00:00+05:30', '2026-03-03T03:30:00+05:30'],
          ['2026-03-03T19:30:00+05:30', '2026-03-04T00:00:00+05:30'],
        ],
      });
    });

    it('DST spring forward: 09:00 stays 09:00 local; the day has 23 hours', async () => {
      const { token } = await user('America/New_York');
      const put = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: { dates: [{ date: '2026-03-08', intervals: [{ start: '00:00', end: '24:00' }] }] },
      });
      assert.equal(put.status, 200, put.text);
      const res = await avail(token, '2026-03-06', '2026-03-09', 'America/New_York');
      assert.deepEqual(days(res), {
        '2026-03-06': [['2026-03-06T09:00:00-05:00', '2026-03-06T17:00:00-05:00']],
        '2026-03-07': [],
        '2026-03-08': [['2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00']],
        '2026-03-09': [['2026-03-09T09:00:00-04:00', '2026-03-09T17:00:00-04:00']],
      });
      const [s, e] = days(res)['2026-03-08'][0];
      assert.equal(Date.parse(e) - Date.parse(s), 23 * 3600_000);
    });

    it('DST fall back: the day has 25 hours; offsets change with the instant', async () => {
      const { token } = await user('America/New_York');
      const put = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: { dates: [{ date: '2026-11-01', intervals: [{ start: '00:00', end: '24:00' }] }] },
      });
      assert.equal(put.status, 200, put.text);
      const res = await avail(token, '2026-10-30', '2026-11-02', 'America/New_York');
      assert.deepEqual(days(res), {
        '2026-10-30': [['2026-10-30T09:00:00-04:00', '2026-10-30T17:00:00-04:00']],
        '2026-10-31': [],
        '2026-11-01': [['2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00']],
        '2026-11-02': [['2026-11-02T09:00:00-05:00', '2026-11-02T17:00:00-05:00']],
      });
      const [s, e] = days(res)['2026-11-01'][0];
      assert.equal(Date.parse(e) - Date.parse(s), 25 * 3600_000);
    });

    it('README: a time skipped by spring-forward contributes nothing; a repeated one counts twice', async () => {
      const a = await user('America/New_York');
      const b = await user('America/New_York');
      const put = (token: string, date: string, start: string, end: string) =>
        call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token,
          body: { dates: [{ date, intervals: [{ start, end }] }] },
        });
      assert.equal((await put(a.token, '2026-03-08', '01:30', '02:30')).status, 200);
      assert.equal((await put(b.token, '2026-03-08', '02:00', '03:00')).status, 200);
      assert.equal((await put(a.token, '2026-11-01', '01:00', '02:00')).status, 200);
      assert.deepEqual(days(await avail(a.token, '2026-03-08', '2026-03-08', 'UTC'), z), {
        '2026-03-08': [['2026-03-08T06:30:00Z', '2026-03-08T07:00:00Z']],
      });
      assert.deepEqual(days(await avail(b.token, '2026-03-08', '2026-03-08', 'UTC'), z), { '2026-03-08': [] });
      assert.deepEqual(days(await avail(a.token, '2026-11-01', '2026-11-01', 'America/New_York')), {
        '2026-11-01': [['2026-11-01T01:00:00-04:00', '2026-11-01T02:00:00-05:00']],
      });
    });

    it('DST in Europe: a 23-hour 2026-03-29 in Berlin', async () => {
      const { token } = await user('Europe/Berlin');
      await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: { dates: [{ date: '2026-03-29', intervals: [{ start: '00:00', end: '24:00' }] }] },
      });
      const res = await avail(token, '2026-03-29', '2026-03-30', 'Europe/Berlin');
      assert.deepEqual(days(res), {
        '2026-03-29': [['2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00']],
        '2026-03-30': [['2026-03-30T09:00:00+02:00', '2026-03-30T17:00:00+02:00']],
      });
    });

    it('the past is excluded; past dates still get an (empty) entry; a wholly past range is a 400', async () => {
      const { token } = await user('America/New_York');
      t.clock.set('2026-03-02T15:00:00Z'); // Mon 10:00 EST
      try {
        const res = await avail(token, '2026-02-27', '2026-03-03', 'America/New_York');
        assert.deepEqual(days(res), {
          '2026-02-27': [],
          '2026-02-28': [],
          '2026-03-01': [],
          '2026-03-02': [['2026-03-02T10:00:00-05:00', '2026-03-02T17:00:00-05:00']],
          '2026-03-03': [['2026-03-03T09:00:00-05:00', '2026-03-03T17:00:00-05:00']],
        });
        t.clock.set('2026-03-02T23:00:00Z'); // Mon 18:00 EST
        const late = await avail(token, '2026-03-02', '2026-03-02', 'America/New_York');
        assert.deepEqual(days(late), { '2026-03-02': [] });
        assertValidation(await avail(token, '2026-02-01', '2026-02-27', 'America/New_York'), undefined, 'wholly past');
      } finally {
        t.clock.set(NOW);
      }
    });

    it('a window of 93 days is fine; 94 or more is a 400; from after to is a 400', async () => {
      const { token } = await user('UTC');
      const ok = await avail(token, '2026-03-02', '2026-06-02', 'UTC');
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.days.length, 93);
      const dates = ok.body.days.map((d: any) => d.date);
      assert.deepEqual(dates, [...dates].sort());
      assert.equal(new Set(dates).size, 93);
      assertValidation(await avail(token, '2026-03-02', '2026-06-03', 'UTC'), undefined, '94 days');
      assertValidation(await avail(token, '2026-03-02', '2027-03-02', 'UTC'), undefined, 'a year');
      assertValidation(await avail(token, '2026-03-05', '2026-03-04', 'UTC'), undefined, 'from > to');
      const other = await user('UTC');
      const path = `/api/v1/users/${other.username}/availability`;
      assert.equal((await avail(token, '2026-03-02', '2026-06-02', 'UTC', path)).body.days.length, 93);
      assertValidation(await avail(token, '2026-03-02', '2026-06-03', 'UTC', path), undefined, '94 days (users/{u})');
    });

    it('bad from/to/timezone are 400 validation problems; no credentials a 401', async () => {
      const { token, username } = await user('UTC');
      const bad: Array<[string, string]> = [
        ['from', 'to=2026-03-05&timezone=UTC'],
        ['to', 'from=2026-03-05&timezone=UTC'],
        ['from', 'from=2026-02-30&to=2026-03-05'],
        ['from', 'from=2026-3-2&to=2026-03-05'],
        ['from', 'from=20260302&to=2026-03-05'],
        ['from', 'from=2026-03-02T00:00:00Z&to=2026-03-05'],
        ['to', 'from=2026-03-02&to=tomorrow'],
        ['timezone', 'from=2026-03-02&to=2026-03-05&timezone=Mars/Olympus'],
        ['timezone', 'from=2026-03-02&to=2026-03-05&timezone='],
        ['timezone', 'from=2026-03-02&to=2026-03-05&timezone=%2B05:00'],
        ['timezone', 'from=2026-03-02&to=2026-03-05&timezone=europe%2Fberlin-x'],
        ['timezone', 'from=2026-03-02&to=2026-03-05&timezone=UTC%00'],
      ];
      for (const path of ['/api/v1/me/availability', `/api/v1/users/${username}/availability`]) {
        for (const [field, q] of bad) {
          assertValidation(await call(t.app, 'GET', `${path}?${q}`, { token }), field, `${path}?${q}`);
        }
        assertProblem(await call(t.app, 'GET', `${path}?from=2026-03-02&to=2026-03-05`), 401);
      }
    });

    it("another user's availability is free/busy only, the same free time the owner sees; unknown user 404", async () => {
      const host = await user('Europe/Berlin');
      const viewer = await user('America/New_York');
      await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token: host.token,
        body: { date: '2026-03-03', start: '12:00', end: '13:00' },
      });
      const own = await avail(host.token, '2026-03-02', '2026-03-04', 'UTC');
      const seen = await avail(
        viewer.token,
        '2026-03-02',
        '2026-03-04',
        'UTC',
        `/api/v1/users/${host.username}/availability`,
      );
      assert.equal(seen.status, 200, seen.text);
      assert.deepEqual(days(seen, z), days(own, z));
      assert.deepEqual(Object.keys(seen.body).sort(), ['days', 'timezone']);
      for (const d of seen.body.days) {
        assert.deepEqual(Object.keys(d).sort(), ['date', 'intervals']);
        for (const i of d.intervals) assert.deepEqual(Object.keys(i).sort(), ['end', 'start']);
      }
      const defaulted = await avail(
        viewer.token,
        '2026-03-02',
        '2026-03-02',
        undefined,
        `/api/v1/users/${host.username}/availability`,
      );
      assert.equal(defaulted.body.timezone, 'America/New_York', 'defaults to the asking user’s zone');
      assertProblem(
        await avail(viewer.token, '2026-03-02', '2026-03-04', 'UTC', '/api/v1/users/nosuchuser999/availability'),
        404,
      );
    });

    it('a confirmed meeting removes its time from every participant’s availability', async () => {
      const a = await user('America/New_York');
      const b = await user('America/New_York');
      const m = await call(t.app, 'POST', '/api/v1/meetings', {
        token: a.token,
        body: {
          title: 'sync',
          start: '2026-03-03T10:00:00-05:00',
          end: '2026-03-03T11:00:00-05:00',
          participants: [b.username],
        },
      });
      assert.equal(m.status, 201, m.text);
      for (const who of [a, b]) {
        assert.deepEqual(days(await avail(who.token, '2026-03-03', '2026-03-03', 'America/New_York')), {
          '2026-03-03': [
            ['2026-03-03T09:00:00-05:00', '2026-03-03T10:00:00-05:00'],
            ['2026-03-03T11:00:00-05:00', '2026-03-03T17:00:00-05:00'],
          ],
        });
      }
    });

    // ---- Overlap ---------------------------------------------------------------------------------

    it('overlap of two users in different zones: the common part, one entry per date', async () => {
      const ny = await user('America/New_York');
      const be = await user('Europe/Berlin');
      const res = await call(
        t.app,
        'GET',
        `/api/v1/availability/overlap?users=${ny.username},${be.username}&from=2026-03-06&to=2026-03-09&timezone=UTC`,
        { token: ny.token },
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.timezone, 'UTC');
      // Berlin 09–17 CET = 08–16Z; New York 09–17 EST = 14–22Z, EDT from 03-08 = 13–21Z.
      assert.deepEqual(days(res, z), {
        '2026-03-06': [['2026-03-06T14:00:00Z', '2026-03-06T16:00:00Z']],
        '2026-03-07': [],
        '2026-03-08': [],
        '2026-03-09': [['2026-03-09T13:00:00Z', '2026-03-09T16:00:00Z']],
      });
    });

    it('overlap of N users, partial overlaps count; min_duration leaves shorter ones out', async () => {
      const a = await user('America/New_York');
      const b = await user('Europe/London');
      const c = await user('UTC');
      const put = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token: c.token,
        body: {
          dates: [
            {
              date: '2026-03-03',
              intervals: [
                { start: '10:00', end: '14:30' },
                { start: '15:00', end: '15:45' },
                { start: '16:00', end: '20:00' },
              ],
            },
          ],
        },
      });
      assert.equal(put.status, 200, put.text);
      const base = `/api/v1/availability/overlap?users=${a.username},${b.username},${c.username}&from=2026-03-02&to=2026-03-03&timezone=America/New_York`;
      const all = await call(t.app, 'GET', base, { token: a.token });
      // a: 14–22Z; b: 09–17Z; c on 03-02: 09–17Z, on 03-03: 10–14:30, 15–15:45, 16–20Z.
      assert.deepEqual(days(all), {
        '2026-03-02': [['2026-03-02T09:00:00-05:00', '2026-03-02T12:00:00-05:00']],
        '2026-03-03': [
          ['2026-03-03T09:00:00-05:00', '2026-03-03T09:30:00-05:00'],
          ['2026-03-03T10:00:00-05:00', '2026-03-03T10:45:00-05:00'],
          ['2026-03-03T11:00:00-05:00', '2026-03-03T12:00:00-05:00'],
        ],
      });
      const min45 = await call(t.app, 'GET', `${base}&min_duration=45`, { token: a.token });
      assert.deepEqual(days(min45), {
        '2026-03-02': [['2026-03-02T09:00:00-05:00', '2026-03-02T12:00:00-05:00']],
        '2026-03-03': [
          ['2026-03-03T10:00:00-05:00', '2026-03-03T10:45:00-05:00'],
          ['2026-03-03T11:00:00-05:00', '2026-03-03T12:00:00-05:00'],
        ],
      });
      const min61 = await call(t.app, 'GET', `${base}&min_duration=61`, { token: a.token });
      assert.deepEqual(days(min61), {
        '2026-03-02': [['2026-03-02T09:00:00-05:00', '2026-03-02T12:00:00-05:00']],
        '2026-03-03': [],
      });
      const min181 = await call(t.app, 'GET', `${base}&min_duration=181`, { token: a.token });
      assert.deepEqual(days(min181), { '2026-03-02': [], '2026-03-03': [] });
    });

    it('overlap: any signed-in user may ask; timezone defaults to theirs; the past is excluded', async () => {
      const a = await user('UTC');
      const b = await user('UTC');
      const viewer = await user('Asia/Tokyo');
      t.clock.set('2026-03-02T12:30:00Z');
      try {
        const res = await call(
          t.app,
          'GET',
          `/api/v1/availability/overlap?users=${a.username},${b.username}&from=2026-03-02&to=2026-03-03&timezone=UTC`,
          {
            token: viewer.token,
          },
        );
        assert.deepEqual(days(res, z), {
          '2026-03-02': [['2026-03-02T12:30:00Z', '2026-03-02T17:00:00Z']],
          '2026-03-03': [['2026-03-03T09:00:00Z', '2026-03-03T17:00:00Z']],
        });
        const tokyo = await call(
          t.app,
          'GET',
          `/api/v1/availability/overlap?users=${a.username},${b.username}&from=2026-03-03&to=2026-03-03`,
          {
            token: viewer.token,
          },
        );
        assert.equal(tokyo.status, 200, tokyo.text);
        assert.equal(tokyo.body.timezone, 'Asia/Tokyo');
        assert.deepEqual(days(tokyo), {
          '2026-03-03': [
            ['2026-03-03T00:00:00+09:00', '2026-03-03T02:00:00+09:00'],
            ['2026-03-03T18:00:00+09:00', '2026-03-04T00:00:00+09:00'],
          ],
        });
      } finally {
        t.clock.set(NOW);
      }
    });

    it('overlap: fewer than two users is a 400; an unknown user is a 404; bad parameters are 400', async () => {
      const a = await user('UTC');
      const b = await user('UTC');
      const q = '&from=2026-03-02&to=2026-03-03&timezone=UTC';
      const url = (users: string, rest = q) => `/api/v1/availability/overlap?users=${users}${rest}`;
      for (const users of [a.username, '', ',', `${a.username},`]) {
        assertProblem(await call(t.app, 'GET', url(users), { token: a.token }), 400, `users=${users}`);
      }
      assertProblem(
        await call(t.app, 'GET', `/api/v1/availability/overlap?from=2026-03-02&to=2026-03-03`, { token: a.token }),
        400,
        'no users',
      );
      const unknown = await call(t.app, 'GET', url(`${a.username},nosuchuser999`), { token: a.token });
      assertProblem(unknown, 404);
      for (const m of ['-1', 'abc', '1.5', '1441']) {
        assertValidation(
          await call(t.app, 'GET', url(`${a.username},${b.username}`, `${q}&min_duration=${m}`), { token: a.token }),
          'min_duration',
          m,
        );
      }
      assertValidation(
        await call(t.app, 'GET', url(`${a.username},${b.username}`, '&from=2026-03-02&to=2026-06-03&timezone=UTC'), {
          token: a.token,
        }),
        undefined,
        '94 days',
      );
      assertValidation(
        await call(
          t.app,
          'GET',
          url(`${a.username},${b.username}`, '&from=2026-03-02&to=2026-03-03&timezone=Nowhere/Town'),
          { token: a.token },
        ),
        'timezone',
      );
      assertProblem(await call(t.app, 'GET', url(`${a.username},${b.username}`)), 401);
      const ok = await call(t.app, 'GET', url(`${a.username},${b.username}`), { token: a.token });
      assert.equal(ok.status, 200, ok.text);
    });

    // ---- Date-level editing ------------------------------------------------------------------------

    it('PUT /me/availability/dates replaces the hours of dates ([] = unavailable), as default-schedule overrides', async () => {
      const { token } = await user('America/New_York');
      const res = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: {
          dates: [
            { date: '2026-03-04', intervals: [] },
            {
              date: '2026-03-03',
              intervals: [
                { start: '13:00', end: '14:00' },
                { start: '10:00', end: '12:00' },
              ],
            },
          ],
        },
      });
      assert.equal(res.status, 200, res.text);
      const r = dateResult(res);
      assert.deepEqual(r['2026-03-03'], [
        ['10:00', '12:00'],
        ['13:00', '14:00'],
      ]);
      assert.deepEqual(r['2026-03-04'], []);
      const again = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: { dates: [{ date: '2026-03-03', intervals: [{ start: '15:00', end: '16:00' }] }] },
      });
      assert.equal(again.status, 200, again.text);
      assert.deepEqual(dateResult(again)['2026-03-03'], [['15:00', '16:00']], 'replace, not merge');
      assert.deepEqual(days(await avail(token, '2026-03-02', '2026-03-04', 'America/New_York')), {
        '2026-03-02': [['2026-03-02T09:00:00-05:00', '2026-03-02T17:00:00-05:00']],
        '2026-03-03': [['2026-03-03T15:00:00-05:00', '2026-03-03T16:00:00-05:00']],
        '2026-03-04': [],
      });
      const d = await defaultSchedule(token);
      const overrides = Object.fromEntries(d.overrides.map((o: any) => [o.date, o.intervals]));
      assert.deepEqual(overrides['2026-03-03'], [{ start: '15:00', end: '16:00' }]);
      assert.deepEqual(overrides['2026-03-04'], []);
      assert.deepEqual(hours(d.weekly, 'tuesday'), NINE_TO_FIVE, 'weekly hours untouched');
    });

    it('PUT dates: times are wall-clock in the given timezone', async () => {
      const { token } = await user('America/New_York');
      const res = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: {
          timezone: 'Asia/Tokyo',
          dates: [{ date: '2026-03-20', intervals: [{ start: '09:00', end: '10:00' }] }],
        },
      });
      assert.equal(res.status, 200, res.text);
      const tokyo = await avail(token, '2026-03-20', '2026-03-20', 'Asia/Tokyo');
      assert.deepEqual(days(tokyo), { '2026-03-20': [['2026-03-20T09:00:00+09:00', '2026-03-20T10:00:00+09:00']] });
    });

    it('PUT dates validation: 400 with errors[]', async () => {
      const { token } = await user();
      const cases: Array<[string, unknown]> = [
        ['dates', {}],
        ['dates', { dates: [] }],
        ['dates', { dates: [{ date: '2026-02-30', intervals: [] }] }],
        ['dates', { dates: [{ date: '03/03/2026', intervals: [] }] }],
        ['dates', { dates: [{ date: '2026-03-03' }] }],
        ['dates', { dates: [{ date: '2026-03-03', intervals: [{ start: '12:00', end: '11:00' }] }] }],
        ['dates', { dates: [{ date: '2026-03-03', intervals: [{ start: '12:00', end: '12:00' }] }] }],
        ['dates', { dates: [{ date: '2026-03-03', intervals: [{ start: '7:00', end: '11:00' }] }] }],
        ['dates', { dates: [{ date: '2026-03-03', intervals: [{ start: '07:00', end: '24:30' }] }] }],
        [
          'dates',
          {
            dates: [
              { date: '2026-03-03', intervals: [{ start: '2026-03-03T07:00:00Z', end: '2026-03-03T08:00:00Z' }] },
            ],
          },
        ],
        ['timezone', { timezone: 'Nowhere/Town', dates: [{ date: '2026-03-03', intervals: [] }] }],
        [
          'dates',
          {
            dates: Array.from({ length: 367 }, (_, i) => ({
              date: new Date(Date.UTC(2026, 2, 2 + i)).toISOString().slice(0, 10),
              intervals: [],
            })),
          },
        ],
      ];
      for (const [field, body] of cases) {
        assertValidation(
          await call(t.app, 'PUT', '/api/v1/me/availability/dates', { token, body }),
          field,
          JSON.stringify(body),
        );
      }
      assertProblem(
        await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          body: { dates: [{ date: '2026-03-03', intervals: [] }] },
        }),
        401,
      );
      const d = await defaultSchedule(token);
      assert.deepEqual(d.overrides, [], 'nothing stored by refused edits');
    });

    it('POST intervals: a date without an override starts from its weekly hours; touching intervals merge (201)', async () => {
      const { token } = await user('America/New_York');
      const res = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { date: '2026-03-02', start: '17:00', end: '18:00' },
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body, { dates: [{ date: '2026-03-02', intervals: [{ start: '09:00', end: '18:00' }] }] });
      assert.deepEqual(days(await avail(token, '2026-03-02', '2026-03-02')), {
        '2026-03-02': [['2026-03-02T09:00:00-05:00', '2026-03-02T18:00:00-05:00']],
      });
    });

    it('POST intervals: overlapping merge, disjoint ones are added, an engulfing one replaces them', async () => {
      const { token } = await user('America/New_York');
      const post = (body: unknown) => call(t.app, 'POST', '/api/v1/me/availability/intervals', { token, body });
      const overlap = await post({ date: '2026-03-05', start: '16:00', end: '19:00' });
      assert.equal(overlap.status, 201, overlap.text);
      assert.deepEqual(dateResult(overlap), { '2026-03-05': [['09:00', '19:00']] });
      const early = await post({ date: '2026-03-05', start: '06:00', end: '07:00' });
      assert.equal(early.status, 201, early.text);
      assert.deepEqual(dateResult(early), {
        '2026-03-05': [
          ['06:00', '07:00'],
          ['09:00', '19:00'],
        ],
      });
      const late = await post({ date: '2026-03-05', start: '20:00', end: '21:00' });
      assert.deepEqual(dateResult(late), {
        '2026-03-05': [
          ['06:00', '07:00'],
          ['09:00', '19:00'],
          ['20:00', '21:00'],
        ],
      });
      const engulf = await post({ date: '2026-03-05', start: '05:00', end: '22:00' });
      assert.equal(engulf.status, 201, engulf.text);
      assert.deepEqual(dateResult(engulf), { '2026-03-05': [['05:00', '22:00']] });
      const bridge = await post({ date: '2026-03-05', start: '22:00', end: '24:00' });
      assert.deepEqual(dateResult(bridge), { '2026-03-05': [['05:00', '24:00']] });
    });

    it('POST intervals: one already fully covered is a 409 and changes nothing', async () => {
      const { token } = await user('America/New_York');
      for (const body of [
        { date: '2026-03-02', start: '10:00', end: '11:00' },
        { date: '2026-03-02', start: '09:00', end: '17:00' },
        { start: '2026-03-02T14:00:00Z', end: '2026-03-02T22:00:00Z' },
      ]) {
        assertProblem(
          await call(t.app, 'POST', '/api/v1/me/availability/intervals', { token, body }),
          409,
          JSON.stringify(body),
        );
      }
      assert.deepEqual((await defaultSchedule(token)).overrides, []);
    });

    it('POST intervals on a date made unavailable, or a weekend, starts from that date’s hours', async () => {
      const { token } = await user('America/New_York');
      await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: { dates: [{ date: '2026-03-04', intervals: [] }] },
      });
      const off = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { date: '2026-03-04', start: '10:00', end: '11:00' },
      });
      assert.equal(off.status, 201, off.text);
      assert.deepEqual(dateResult(off), { '2026-03-04': [['10:00', '11:00']] });
      const sat = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { date: '2026-03-07', start: '10:00', end: '12:00' },
      });
      assert.equal(sat.status, 201, sat.text);
      assert.deepEqual(dateResult(sat), { '2026-03-07': [['10:00', '12:00']] });
    });

    it('POST intervals as instants: any offset, may cross midnight (every affected date answered)', async () => {
      const { token } = await user('America/New_York');
      const cross = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { start: '2026-03-06T22:00:00-05:00', end: '2026-03-07T02:00:00-05:00' },
      });
      assert.equal(cross.status, 201, cross.text);
      assert.deepEqual(dateResult(cross), {
        '2026-03-06': [
          ['09:00', '17:00'],
          ['22:00', '24:00'],
        ],
        '2026-03-07': [['00:00', '02:00']],
      });
      assert.deepEqual(
        cross.body.dates.map((d: any) => d.date),
        ['2026-03-06', '2026-03-07'],
      );
      // 20:00–22:00Z on 2026-03-10 is 16:00–18:00 EDT: merges with 09:00–17:00.
      const utc = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { start: '2026-03-10T20:00:00Z', end: '2026-03-10T22:00:00+00:00' },
      });
      assert.equal(utc.status, 201, utc.text);
      assert.deepEqual(dateResult(utc), { '2026-03-10': [['09:00', '18:00']] });
      assert.deepEqual(days(await avail(token, '2026-03-06', '2026-03-07', 'UTC'), z), {
        '2026-03-06': [['2026-03-06T14:00:00Z', '2026-03-06T22:00:00Z']],
        '2026-03-07': [['2026-03-07T03:00:00Z', '2026-03-07T07:00:00Z']],
      });
    });

    it('POST intervals as instants spanning several days: every affected date is answered', async () => {
      const { token } = await user('America/New_York');
      const res = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { start: '2026-03-21T20:00:00-04:00', end: '2026-03-23T08:00:00-04:00' },
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(dateResult(res), {
        '2026-03-21': [['20:00', '24:00']],
        '2026-03-22': [['00:00', '24:00']],
        '2026-03-23': [
          ['00:00', '08:00'],
          ['09:00', '17:00'],
        ],
      });
      // Shown as one continuous free time, cut only at local midnights.
      assert.deepEqual(days(await avail(token, '2026-03-21', '2026-03-23')), {
        '2026-03-21': [['2026-03-21T20:00:00-04:00', '2026-03-22T00:00:00-04:00']],
        '2026-03-22': [['2026-03-22T00:00:00-04:00', '2026-03-23T00:00:00-04:00']],
        '2026-03-23': [
          ['2026-03-23T00:00:00-04:00', '2026-03-23T08:00:00-04:00'],
          ['2026-03-23T09:00:00-04:00', '2026-03-23T17:00:00-04:00'],
        ],
      });
    });

    it('date-level edits land on whichever schedule is the default', async () => {
      const { token } = await user('America/New_York');
      const old = await defaultSchedule(token);
      const created = await call(t.app, 'POST', '/api/v1/schedules', {
        token,
        body: {
          name: 'new default',
          timezone: 'America/New_York',
          weekly: { saturday: NINE_TO_FIVE },
          is_default: true,
        },
      });
      assert.equal(created.status, 201, created.text);
      const res = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { date: '2026-03-07', start: '17:00', end: '18:00' },
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(
        dateResult(res),
        { '2026-03-07': [['09:00', '18:00']] },
        'starts from the new default’s weekly hours',
      );
      const now = await call(t.app, 'GET', `/api/v1/schedules/${created.body.id}`, { token });
      assert.deepEqual(now.body.overrides, [{ date: '2026-03-07', intervals: [{ start: '09:00', end: '18:00' }] }]);
      const before = await call(t.app, 'GET', `/api/v1/schedules/${old.id}`, { token });
      assert.deepEqual(before.body.overrides, []);
    });

    it('POST intervals: a timezone in the body applies; omitted, it is the user’s own', async () => {
      const { token } = await user('America/New_York');
      // Berlin 23:00–23:30 CET on 03-11 = 22:00–22:30Z = 18:00–18:30 EDT.
      const res = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { date: '2026-03-11', start: '23:00', end: '23:30', timezone: 'Europe/Berlin' },
      });
      assert.equal(res.status, 201, res.text);
      const own = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { date: '2026-03-12', start: '18:00', end: '18:30' },
      });
      assert.equal(own.status, 201, own.text);
      assert.deepEqual(dateResult(own), {
        '2026-03-12': [
          ['09:00', '17:00'],
          ['18:00', '18:30'],
        ],
      });
      assert.deepEqual(days(await avail(token, '2026-03-11', '2026-03-12', 'UTC'), z), {
        '2026-03-11': [
          ['2026-03-11T13:00:00Z', '2026-03-11T21:00:00Z'],
          ['2026-03-11T22:00:00Z', '2026-03-11T22:30:00Z'],
        ],
        '2026-03-12': [
          ['2026-03-12T13:00:00Z', '2026-03-12T21:00:00Z'],
          ['2026-03-12T22:00:00Z', '2026-03-12T22:30:00Z'],
        ],
      });
    });

    it('README: edit answers list each affected date with its hours in the asked zone', async () => {
      const { token } = await user('America/New_York');
      // Berlin 23:00–23:30 on 03-11; New York's 09:00–17:00 EDT that day is 14:00–22:00 in Berlin.
      const res = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
        token,
        body: { date: '2026-03-11', start: '23:00', end: '23:30', timezone: 'Europe/Berlin' },
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(dateResult(res), {
        '2026-03-11': [
          ['14:00', '22:00'],
          ['23:00', '23:30'],
        ],
      });
    });

    for (const kind of ['intervals', 'blocks'] as const) {
      it(`POST ${kind} validation: no offset, end before start, mixed forms, bad times are 400`, async () => {
        const { token } = await user('America/New_York');
        const cases: Array<[string | undefined, unknown]> = [
          ['start', { start: '2026-03-10T20:00:00', end: '2026-03-10T22:00:00' }],
          ['end', { start: '2026-03-10T20:00:00Z', end: '2026-03-10T22:00:00' }],
          [undefined, { start: '2026-03-10T22:00:00Z', end: '2026-03-10T20:00:00Z' }],
          [undefined, { start: '2026-03-10T22:00:00Z', end: '2026-03-10T22:00:00Z' }],
          ['end', { start: '2026-03-10T20:00:00Z' }],
          ['start', { end: '2026-03-10T20:00:00Z' }],
          [undefined, { date: '2026-03-10', start: '2026-03-10T20:00:00Z', end: '2026-03-10T22:00:00Z' }],
          [undefined, { start: '20:00', end: '22:00' }],
          ['date', { date: '2026-02-30', start: '10:00', end: '11:00' }],
          [undefined, { date: '2026-03-10', start: '11:00', end: '10:00' }],
          [undefined, { date: '2026-03-10', start: '9:00', end: '10:00' }],
          [undefined, { date: '2026-03-10', start: '24:00', end: '24:00' }],
          [undefined, { date: '2026-03-10', start: '10:00', end: '25:00' }],
          ['timezone', { date: '2026-03-10', start: '10:00', end: '11:00', timezone: 'Nowhere/Town' }],
          ['timezone', { start: '2026-03-10T20:00:00Z', end: '2026-03-10T22:00:00Z', timezone: 'Nowhere/Town' }],
          [undefined, { start: 'not a time', end: 'either' }],
          [undefined, { start: '2026-13-10T20:00:00Z', end: '2026-13-10T22:00:00Z' }],
        ];
        for (const [field, body] of cases) {
          assertValidation(
            await call(t.app, 'POST', `/api/v1/me/availability/${kind}`, { token, body }),
            field,
            JSON.stringify(body),
          );
        }
        assertProblem(
          await call(t.app, 'POST', `/api/v1/me/availability/${kind}`, {
            body: { date: '2026-03-10', start: '10:00', end: '11:00' },
          }),
          401,
        );
        assert.deepEqual((await defaultSchedule(token)).overrides, [], 'nothing stored by refused edits');
      });
    }

    it('POST blocks subtracts the range and answers 200 {dates}', async () => {
      const { token } = await user('America/New_York');
      const res = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token,
        body: { date: '2026-03-16', start: '12:00', end: '13:00' },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, {
        dates: [
          {
            date: '2026-03-16',
            intervals: [
              { start: '09:00', end: '12:00' },
              { start: '13:00', end: '17:00' },
            ],
          },
        ],
      });
      assert.deepEqual(days(await avail(token, '2026-03-16', '2026-03-16')), {
        '2026-03-16': [
          ['2026-03-16T09:00:00-04:00', '2026-03-16T12:00:00-04:00'],
          ['2026-03-16T13:00:00-04:00', '2026-03-16T17:00:00-04:00'],
        ],
      });
      const whole = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token,
        body: { date: '2026-03-17', start: '00:00', end: '24:00' },
      });
      assert.equal(whole.status, 200, whole.text);
      assert.deepEqual(dateResult(whole), { '2026-03-17': [] });
      const nothing = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token,
        body: { date: '2026-03-21', start: '10:00', end: '11:00' },
      });
      assert.equal(nothing.status, 200, nothing.text);
      assert.deepEqual(dateResult(nothing), { '2026-03-21': [] });
    });

    it('hourly blocking ("block slots 10, 15, 17 on 2026-04-25") is three blocks', async () => {
      const { token } = await user('Europe/Berlin');
      await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: { dates: [{ date: '2026-04-25', intervals: [{ start: '08:00', end: '20:00' }] }] },
      });
      let last: Answer | undefined;
      for (const h of ['10', '15', '17']) {
        last = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
          token,
          body: { date: '2026-04-25', start: `${h}:00`, end: `${Number(h) + 1}:00` },
        });
        assert.equal(last.status, 200, last.text);
      }
      assert.deepEqual(dateResult(last!), {
        '2026-04-25': [
          ['08:00', '10:00'],
          ['11:00', '15:00'],
          ['16:00', '17:00'],
          ['18:00', '20:00'],
        ],
      });
      assert.deepEqual(days(await avail(token, '2026-04-25', '2026-04-25')), {
        '2026-04-25': [
          ['2026-04-25T08:00:00+02:00', '2026-04-25T10:00:00+02:00'],
          ['2026-04-25T11:00:00+02:00', '2026-04-25T15:00:00+02:00'],
          ['2026-04-25T16:00:00+02:00', '2026-04-25T17:00:00+02:00'],
          ['2026-04-25T18:00:00+02:00', '2026-04-25T20:00:00+02:00'],
        ],
      });
    });

    it('a block given as instants may cross midnight; every affected date is answered', async () => {
      const { token } = await user('America/New_York');
      await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: { dates: [{ date: '2026-03-14', intervals: [{ start: '00:00', end: '03:00' }] }] },
      });
      const res = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token,
        body: { start: '2026-03-13T20:00:00Z', end: '2026-03-14T05:00:00Z' }, // Fri 16:00 – Sat 01:00 EDT
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(dateResult(res), { '2026-03-13': [['09:00', '16:00']], '2026-03-14': [['01:00', '03:00']] });
    });

    it('a block over a confirmed meeting is a 409 listing it in bookings[] and changes nothing', async () => {
      const a = await user('America/New_York');
      const b = await user('America/New_York');
      const m = await call(t.app, 'POST', '/api/v1/meetings', {
        token: a.token,
        body: { title: 'standup', start: '2026-03-18T10:00:00-04:00', duration: 30, participants: [b.username] },
      });
      assert.equal(m.status, 201, m.text);
      const res = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token: b.token,
        body: { date: '2026-03-18', start: '09:00', end: '12:00' },
      });
      assertProblem(res, 409);
      assert.ok(Array.isArray(res.body.bookings), res.text);
      assert.equal(res.body.bookings.length, 1);
      const bk = res.body.bookings[0];
      assert.equal(typeof bk.id, 'string');
      assert.equal(Date.parse(bk.start), Date.parse('2026-03-18T14:00:00Z'));
      assert.equal(Date.parse(bk.end), Date.parse('2026-03-18T14:30:00Z'));
      assert.match(bk.start, RFC3339_SECONDS);
      assert.equal(bk.start, '2026-03-18T10:00:00-04:00', 'in the offset of the asked (own) zone');
      assert.deepEqual((await defaultSchedule(b.token)).overrides, []);
      // Half-open: blocks that only touch the meeting are fine.
      const before = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token: b.token,
        body: { date: '2026-03-18', start: '09:00', end: '10:00' },
      });
      assert.equal(before.status, 200, before.text);
      const afterIt = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token: b.token,
        body: { date: '2026-03-18', start: '10:30', end: '12:00' },
      });
      assert.equal(afterIt.status, 200, afterIt.text);
      assert.deepEqual(dateResult(afterIt), {
        '2026-03-18': [
          ['10:00', '10:30'],
          ['12:00', '17:00'],
        ],
      });
    });

    it('a cancelled meeting no longer blocks: the block answers 200', async () => {
      const a = await user('America/New_York');
      const b = await user('America/New_York');
      const m = await call(t.app, 'POST', '/api/v1/meetings', {
        token: a.token,
        body: {
          title: 'cancelled later',
          start: '2026-03-19T10:00:00-04:00',
          duration: 30,
          participants: [b.username],
        },
      });
      assert.equal(m.status, 201, m.text);
      assert.equal((await call(t.app, 'POST', `/api/v1/meetings/${m.body.id}/cancel`, { token: a.token })).status, 200);
      const res = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token: b.token,
        body: { date: '2026-03-19', start: '09:00', end: '12:00' },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(dateResult(res), { '2026-03-19': [['12:00', '17:00']] });
    });

    it('the weekly hours are wall-clock in the schedule’s own time zone', async () => {
      const { token } = await user('America/New_York');
      const d = await defaultSchedule(token);
      const res = await call(t.app, 'PATCH', `/api/v1/schedules/${d.id}`, {
        token,
        body: { timezone: 'Europe/Berlin' },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(days(await avail(token, '2026-03-02', '2026-03-02', 'UTC'), z), {
        '2026-03-02': [['2026-03-02T08:00:00Z', '2026-03-02T16:00:00Z']],
      });
    });

    it('concurrent edits of one date: never a 5xx, and no acknowledged interval is lost', async () => {
      const { token } = await user('UTC');
      const hoursAdded = [8, 10, 12, 14, 16, 18, 20, 22];
      const answers = await Promise.all(
        hoursAdded.map((h) =>
          call(t.app, 'POST', '/api/v1/me/availability/intervals', {
            token,
            body: {
              date: '2026-03-28',
              start: `${String(h).padStart(2, '0')}:00`,
              end: `${String(h).padStart(2, '0')}:30`,
            },
          }),
        ),
      );
      for (const r of answers) {
        assert.ok(r.status === 201 || r.status === 409, `${r.status} ${r.text}`);
        if (r.status === 409) assertProblem(r, 409);
      }
      const shown = days(await avail(token, '2026-03-28', '2026-03-28', 'UTC'), z)['2026-03-28'];
      hoursAdded.forEach((h, i) => {
        if (answers[i].status !== 201) return;
        const hh = String(h).padStart(2, '0');
        assert.ok(
          shown.some(([s, e]) => s === `2026-03-28T${hh}:00:00Z` && e === `2026-03-28T${hh}:30:00Z`),
          `interval ${hh}:00 acknowledged (201) but lost: ${JSON.stringify(shown)}`,
        );
      });
    });

    it('fields a client may not set (an owner) are ignored or refused, never obeyed', async () => {
      const alice = await user();
      const bob = await user();
      const res = await call(t.app, 'POST', '/api/v1/schedules', {
        token: bob.token,
        body: {
          name: 'planted',
          timezone: 'UTC',
          user_id: alice.user.id,
          owner: alice.username,
          owner_id: alice.user.id,
        },
      });
      assert.ok(res.status === 201 || res.status === 400, res.text);
      const aliceList = await call(t.app, 'GET', '/api/v1/schedules', { token: alice.token });
      assert.ok(!aliceList.text.includes('planted'), 'not created for alice');
    });

    // ---- Limits and robustness ------------------------------------------------------------------------

    it('bodies over the limit are 413; a non-JSON body is 415', async () => {
      const { token } = await user();
      const big = JSON.stringify({ dates: [{ date: '2026-03-03', intervals: [] }], pad: 'x'.repeat(150_000) });
      for (const [method, url] of [
        ['PUT', '/api/v1/me/availability/dates'],
        ['POST', '/api/v1/me/availability/intervals'],
        ['POST', '/api/v1/schedules'],
      ] as const) {
        assertProblem(
          await call(t.app, method, url, { token, body: big, headers: { 'content-type': 'application/json' } }),
          413,
          url,
        );
        assertProblem(
          await call(t.app, method, url, { token, body: 'date=2026-03-03', headers: { 'content-type': 'text/plain' } }),
          415,
          url,
        );
      }
    });

    it('no input to the availability endpoints gives a 500', async () => {
      const { token, username } = await user();
      const junk: unknown[] = [
        null,
        [],
        'x',
        7,
        { dates: null },
        { dates: [null] },
        { dates: [{ date: null, intervals: null }] },
        { dates: [{ date: '2026-03-03', intervals: [null, 1, 'x'] }] },
        { dates: [{ date: '9999-12-31', intervals: [{ start: '00:00', end: '24:00' }] }] },
        { dates: [{ date: '0000-01-01', intervals: [] }] },
        { start: '+275760-09-13T00:00:00Z', end: '+275760-09-13T01:00:00Z' },
        { start: '9999-12-31T23:00:00Z', end: '9999-12-31T23:59:59Z' },
        { start: '1970-01-01T00:00:00Z', end: '2100-01-01T00:00:00Z' },
        { start: '2026-03-03T10:00:00+99:99', end: '2026-03-03T11:00:00+99:99' },
        { start: '2026-03-03T10:00:00.123456789Z', end: '2026-03-03T11:00:00.5+14:00' },
        { start: ['a'], end: { b: 1 }, date: 5, timezone: ['UTC'] },
        { date: '2026-03-03', start: '10:00', end: '11:00', timezone: '\u0000' },
        { date: '2026-03-03', start: '10:00\u0000', end: '11:00' },
        { name: null, timezone: null, weekly: null, overrides: null },
        { name: 'x', timezone: 'UTC', weekly: { monday: 'all day' } },
        { name: 'x', timezone: 'UTC', weekly: { monday: [{ start: 900, end: 1700 }] } },
        {
          name: 'x',
          timezone: 'UTC',
          overrides: [
            { date: '2026-03-03', intervals: [{ start: '00:00', end: '24:00' }] },
            { date: '2026-03-03', intervals: [] },
          ],
        },
        {
          name: 'x',
          timezone: 'UTC',
          weekly: {
            monday: [
              { start: '09:00', end: '12:00' },
              { start: '11:00', end: '13:00' },
            ],
          },
        },
        { name: 'x', timezone: 'UTC', is_default: 'yes' },
        {
          dates: [{ date: '2026-03-08', intervals: [{ start: '02:00', end: '02:30' }] }],
          timezone: 'America/New_York',
        },
        {
          dates: [{ date: '2026-11-01', intervals: [{ start: '01:00', end: '01:30' }] }],
          timezone: 'America/New_York',
        },
        { date: '2026-03-08', start: '02:15', end: '02:45', timezone: 'America/New_York' },
        { date: '2026-11-01', start: '01:15', end: '01:45', timezone: 'America/New_York' },
        { date: '2026-03-08', start: '02:15', end: '03:45', timezone: 'America/New_York' },
        { name: 'x', timezone: 'UTC', __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } },
      ];
      const d = await defaultSchedule(token);
      const targets: Array<[string, string]> = [
        ['PUT', '/api/v1/me/availability/dates'],
        ['POST', '/api/v1/me/availability/intervals'],
        ['POST', '/api/v1/me/availability/blocks'],
        ['POST', '/api/v1/schedules'],
        ['PATCH', `/api/v1/schedules/${d.id}`],
        ['PUT', `/api/v1/schedules/${d.id}`],
      ];
      for (const [method, url] of targets) {
        for (const body of junk) {
          const res = await call(t.app, method as any, url, {
            token,
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          assert.ok(res.status < 500, `${method} ${url} ${JSON.stringify(body)} → ${res.status} ${res.text}`);
          if (res.status >= 400) assertProblem(res, res.status, `${method} ${url} ${JSON.stringify(body)}`);
        }
      }
      const queries = [
        'from=2026-03-02&to=2026-03-02&timezone=Europe/Berlin&timezone=UTC',
        'from[]=2026-03-02&to=2026-03-02',
        'from=2026-03-02&to=2026-03-02&timezone=..%2F..%2Fetc',
        'from=9999-12-30&to=9999-12-31',
        'from=0001-01-01&to=0001-01-02',
        'from=2026-03-02%00&to=2026-03-03',
        `from=2026-03-02&to=2026-03-03&timezone=${'A'.repeat(70)}`,
      ];
      for (const q of queries) {
        for (const path of [
          '/api/v1/me/availability',
          `/api/v1/users/${username}/availability`,
          `/api/v1/availability/overlap?users=${username},${username}&x=1`,
        ]) {
          const url = path.includes('?') ? `${path}&${q}` : `${path}?${q}`;
          const res = await call(t.app, 'GET', url, { token });
          assert.ok(res.status < 500, `GET ${url} → ${res.status} ${res.text}`);
          if (res.status >= 400) assertProblem(res, res.status, url);
        }
      }
    });
  });
}
