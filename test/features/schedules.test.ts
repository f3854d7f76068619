// Schedules: CRUD of weekly hours and overrides, one default per user.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';

const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];

for (const store of STORES) {
  describe(`schedules [${store}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startApp(store);
    });
    after(() => t.close());

    it('a new user has one default schedule: Mon–Fri 09:00–17:00 in their time zone', async () => {
      const { token } = await signUp(t.app, { timezone: 'Asia/Kathmandu' });
      const list = await call(t.app, 'GET', '/api/v1/schedules', { token });
      assert.equal(list.status, 200);
      assert.equal(list.body.data.length, 1);
      const s = list.body.data[0];
      assert.equal(s.is_default, true);
      assert.equal(s.timezone, 'Asia/Kathmandu');
      for (const day of ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'])
        assert.deepEqual(s.weekly[day], NINE_TO_FIVE);
      assert.equal(s.weekly.saturday, undefined);
      assert.deepEqual(s.overrides, []);
    });

    it('creates, reads, patches, replaces and deletes a schedule', async () => {
      const { token } = await signUp(t.app);
      const created = await call(t.app, 'POST', '/api/v1/schedules', {
        token,
        body: {
          name: 'Evenings',
          timezone: 'Europe/Berlin',
          weekly: {
            monday: [
              { start: '18:00', end: '20:00' },
              { start: '17:00', end: '18:30' },
            ],
            sunday: [{ start: '20:00', end: '24:00' }],
          },
          overrides: [{ date: '2026-12-24', intervals: [] }],
        },
      });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body.weekly.monday, [{ start: '17:00', end: '20:00' }], 'overlapping intervals merge');
      assert.deepEqual(created.body.weekly.sunday, [{ start: '20:00', end: '24:00' }], '24:00 is the end of the day');
      assert.equal(created.body.is_default, false);
      const id = created.body.id;
      assert.equal((await call(t.app, 'GET', `/api/v1/schedules/${id}`, { token })).body.name, 'Evenings');

      const patched = await call(t.app, 'PATCH', `/api/v1/schedules/${id}`, { token, body: { name: 'Late' } });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.name, 'Late');
      assert.deepEqual(
        patched.body.overrides,
        [{ date: '2026-12-24', intervals: [] }],
        'PATCH keeps what it is not given',
      );

      const replaced = await call(t.app, 'PUT', `/api/v1/schedules/${id}`, {
        token,
        body: { name: 'Only Tuesdays', timezone: 'UTC', weekly: { tuesday: NINE_TO_FIVE } },
      });
      assert.equal(replaced.status, 200);
      assert.deepEqual(replaced.body.weekly, { tuesday: NINE_TO_FIVE });
      assert.deepEqual(replaced.body.overrides, [], 'PUT clears what it is not given');

      assert.equal((await call(t.app, 'DELETE', `/api/v1/schedules/${id}`, { token })).status, 204);
      assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/schedules/${id}`, { token }), 404));
    });

    it('moving the default unsets the old one; the default cannot be deleted or unset', async () => {
      const { token } = await signUp(t.app);
      const [old] = (await call(t.app, 'GET', '/api/v1/schedules', { token })).body.data;
      const fresh = await call(t.app, 'POST', '/api/v1/schedules', {
        token,
        body: { name: 'New', timezone: 'UTC', weekly: {}, is_default: true },
      });
      assert.equal(fresh.body.is_default, true);
      assert.equal((await call(t.app, 'GET', `/api/v1/schedules/${old.id}`, { token })).body.is_default, false);
      assert.ok(isProblem(await call(t.app, 'DELETE', `/api/v1/schedules/${fresh.body.id}`, { token }), 409));
      assert.ok(
        isProblem(
          await call(t.app, 'PATCH', `/api/v1/schedules/${fresh.body.id}`, { token, body: { is_default: false } }),
          409,
        ),
      );
      assert.equal((await call(t.app, 'DELETE', `/api/v1/schedules/${old.id}`, { token })).status, 204);
    });

    it('refuses bad hours, dates and zones with 400 naming the field, and changes nothing', async () => {
      const { token } = await signUp(t.app);
      const cases: [unknown, string][] = [
        [{ name: 'x', timezone: 'Mars/Base' }, 'timezone'],
        [
          { name: 'x', timezone: 'UTC', weekly: { monday: [{ start: '25:00', end: '26:00' }] } },
          'weekly.monday[0].start',
        ],
        [
          { name: 'x', timezone: 'UTC', weekly: { monday: [{ start: '10:00', end: '09:00' }] } },
          'weekly.monday[0].end',
        ],
        [
          { name: 'x', timezone: 'UTC', weekly: { monday: [{ start: '24:00', end: '24:00' }] } },
          'weekly.monday[0].start',
        ],
        [
          { name: 'x', timezone: 'UTC', weekly: { monday: [{ start: '9:00', end: '10:00' }] } },
          'weekly.monday[0].start',
        ],
        [{ name: 'x', timezone: 'UTC', weekly: { funday: [] } }, 'weekly'],
        [{ name: 'x', timezone: 'UTC', overrides: [{ date: '2026-02-30', intervals: [] }] }, 'overrides[0].date'],
        [
          {
            name: 'x',
            timezone: 'UTC',
            overrides: [
              { date: '2026-03-01', intervals: [] },
              { date: '2026-03-01', intervals: [] },
            ],
          },
          'overrides[1].date',
        ],
        [{ name: '', timezone: 'UTC' }, 'name'],
        [{ name: 'x'.repeat(101), timezone: 'UTC' }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await call(t.app, 'POST', '/api/v1/schedules', { token, body });
        assert.ok(isProblem(res, 400), `${JSON.stringify(body)} -> ${res.status}`);
        assert.ok(
          res.body.errors.some((e: { field: string }) => e.field === field),
          `${field} in ${JSON.stringify(res.body.errors)}`,
        );
      }
      assert.equal((await call(t.app, 'GET', '/api/v1/schedules', { token })).body.data.length, 1);
    });

    it("another user's schedule is a 404 to read, change or delete", async () => {
      const a = await signUp(t.app);
      const b = await signUp(t.app);
      const [mine] = (await call(t.app, 'GET', '/api/v1/schedules', { token: a.token })).body.data;
      assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/schedules/${mine.id}`, { token: b.token }), 404));
      assert.ok(
        isProblem(
          await call(t.app, 'PATCH', `/api/v1/schedules/${mine.id}`, { token: b.token, body: { name: 'x' } }),
          404,
        ),
      );
      assert.ok(
        isProblem(
          await call(t.app, 'PUT', `/api/v1/schedules/${mine.id}`, {
            token: b.token,
            body: { name: 'x', timezone: 'UTC' },
          }),
          404,
        ),
      );
      assert.ok(isProblem(await call(t.app, 'DELETE', `/api/v1/schedules/${mine.id}`, { token: b.token }), 404));
      assert.equal((await call(t.app, 'GET', `/api/v1/schedules/${mine.id}`, { token: a.token })).body.name, mine.name);
    });

    it('every schedule route needs a token', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/schedules'],
        ['POST', '/api/v1/schedules'],
        ['GET', '/api/v1/schedules/00000000-0000-0000-0000-000000000000'],
        ['DELETE', '/api/v1/schedules/00000000-0000-0000-0000-000000000000'],
      ]) {
        assert.ok(
          isProblem(await call(t.app, method as 'GET', url, { body: method === 'POST' ? {} : undefined }), 401),
          `${method} ${url}`,
        );
      }
    });
  });
}
