// Event types as their owner sees them: create, read, list, change, delete, and every refusal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';
import { acceptHosting, createEventType, createSchedule, newHost, type Host } from './booking-helpers';

for (const store of STORES) {
  describe(`event types [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    before(async () => {
      t = await startApp(store);
      t.clock.set('2026-03-02T06:00:00Z');
      host = await newHost(t.app);
    });
    after(() => t.close());

    it('creates an event type with sensible defaults and reads it back', async () => {
      const res = await call(t.app, 'POST', '/api/v1/event-types', {
        token: host.token,
        body: { slug: 'intro', title: 'Intro <call>' },
      });
      assert.equal(res.status, 201);
      const et = res.body;
      assert.equal(et.slug, 'intro');
      assert.equal(et.title, 'Intro <call>');
      assert.equal(et.kind, 'one_on_one');
      assert.equal(et.duration, 30);
      assert.deepEqual(et.durations, [30]);
      assert.deepEqual(et.hosts, [host.username]);
      assert.equal(et.schedule_id, null);
      assert.deepEqual(et.date_range, { type: 'rolling', days: 60 });
      assert.equal(et.active, true);
      assert.equal(et.booking_url, `http://localhost:3000/${host.username}/intro`);
      const read = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: host.token });
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, et);
    });

    it('stores every field of the spec', async () => {
      const schedule = await createSchedule(t.app, host, {
        timezone: 'Europe/Berlin',
        weekly: { saturday: [{ start: '10:00', end: '12:00' }] },
      });
      const body = {
        slug: 'workshop',
        title: 'Workshop',
        description: 'A long one',
        kind: 'group',
        seats: 5,
        durations: [60, 90],
        duration: 90,
        slot_interval: 15,
        schedules: [{ schedule_id: schedule.id, expires_on: '2026-06-30' }],
        date_range: { type: 'range', start_date: '2026-03-01', end_date: '2026-03-31' },
        single_use: true,
        buffer_before: 10,
        buffer_after: 5,
        min_notice: 120,
        max_per_day: 3,
        location: 'Room 1',
        questions: [{ key: 'topic', label: 'Topic', type: 'select', required: true, options: ['a', 'b'] }],
        active: false,
      };
      const res = await call(t.app, 'POST', '/api/v1/event-types', { token: host.token, body });
      assert.equal(res.status, 201, res.text);
      const et = res.body;
      assert.equal(et.duration, 90);
      assert.deepEqual(et.durations, [90, 60]);
      assert.equal(et.schedule_id, schedule.id);
      assert.deepEqual(et.schedules, [{ schedule_id: schedule.id, expires_on: '2026-06-30' }]);
      for (const key of [
        'kind',
        'seats',
        'slot_interval',
        'date_range',
        'single_use',
        'buffer_before',
        'buffer_after',
        'min_notice',
        'max_per_day',
        'location',
        'active',
      ] as const) {
        assert.deepEqual(et[key], body[key], key);
      }
      assert.deepEqual(et.questions, body.questions);
      assert.equal(et.used, false);
    });

    it('ignores fields a client may not set, and fills question defaults', async () => {
      const other = await newHost(t.app);
      const res = await call(t.app, 'POST', '/api/v1/event-types', {
        token: host.token,
        body: {
          slug: 'sneaky',
          title: 'T',
          owner: other.username,
          used: true,
          id: '00000000-0000-4000-8000-000000000000',
          questions: [{ key: 'q', label: 'Q' }],
        },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.owner, host.username);
      assert.equal(res.body.used, false);
      assert.notEqual(res.body.id, '00000000-0000-4000-8000-000000000000');
      assert.deepEqual(res.body.questions, [{ key: 'q', label: 'Q', type: 'text', required: false }]);
    });

    it('offers fixed slots written in the asked time zone', async () => {
      const et = await createEventType(t.app, host, {
        fixed_slots: [{ start: '2026-03-10T15:00:00Z' }, { start: '2026-03-09T10:00:00+01:00' }],
      });
      assert.deepEqual(et.fixed_slots, [
        { start: '2026-03-09T10:00:00+01:00' },
        { start: '2026-03-10T16:00:00+01:00' },
      ]);
      const inNy = await call(t.app, 'GET', `/api/v1/event-types/${et.id}?timezone=America/New_York`, {
        token: host.token,
      });
      assert.deepEqual(inNy.body.fixed_slots, [
        { start: '2026-03-09T05:00:00-04:00' },
        { start: '2026-03-10T11:00:00-04:00' },
      ]);
    });

    it('lists your event types page by page, and only yours', async () => {
      const owner = await newHost(t.app);
      const other = await newHost(t.app);
      await createEventType(t.app, other);
      for (let i = 0; i < 3; i++) await createEventType(t.app, owner, { slug: `p${i}` });
      const first = await call(t.app, 'GET', '/api/v1/event-types?limit=2', { token: owner.token });
      assert.equal(first.status, 200);
      assert.deepEqual(
        first.body.data.map((e: any) => e.slug),
        ['p0', 'p1'],
      );
      const second = await call(t.app, 'GET', `/api/v1/event-types?limit=2&cursor=${first.body.next_cursor}`, {
        token: owner.token,
      });
      assert.deepEqual(
        second.body.data.map((e: any) => e.slug),
        ['p2'],
      );
      assert.equal(second.body.next_cursor, null);
      for (const q of ['limit=0', 'limit=101', 'cursor=%%%', 'cursor=WzFd']) {
        assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/event-types?${q}`, { token: owner.token }), 400), q);
      }
    });

    it('PATCH changes only the fields given; PUT resets the others', async () => {
      const et = await createEventType(t.app, host, { buffer_before: 15, location: 'Zoom' });
      const patched = await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, {
        token: host.token,
        body: { title: 'New title', max_per_day: 2 },
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.title, 'New title');
      assert.equal(patched.body.max_per_day, 2);
      assert.equal(patched.body.buffer_before, 15);
      assert.equal(patched.body.location, 'Zoom');
      const put = await call(t.app, 'PUT', `/api/v1/event-types/${et.id}`, {
        token: host.token,
        body: { slug: et.slug, title: 'Replaced' },
      });
      assert.equal(put.status, 200);
      assert.equal(put.body.buffer_before, 0);
      assert.equal(put.body.location, null);
      assert.equal(put.body.max_per_day, null);
    });

    it('deletes an event type; its link is gone', async () => {
      const et = await createEventType(t.app, host);
      const del = await call(t.app, 'DELETE', `/api/v1/event-types/${et.id}`, { token: host.token });
      assert.equal(del.status, 204);
      assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: host.token }), 404));
      assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/public/${host.username}/${et.slug}`), 404));
    });

    it('refuses a slug the owner already uses with 409, while another user may use it', async () => {
      await createEventType(t.app, host, { slug: 'taken' });
      const again = await call(t.app, 'POST', '/api/v1/event-types', {
        token: host.token,
        body: { slug: 'taken', title: 'x' },
      });
      assert.ok(isProblem(again, 409));
      const other = await newHost(t.app);
      await createEventType(t.app, other, { slug: 'taken' });
      const et = await createEventType(t.app, host, { slug: 'free' });
      const rename = await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, {
        token: host.token,
        body: { slug: 'taken' },
      });
      assert.ok(isProblem(rename, 409));
    });

    it('refuses bad input with 400 naming the field', async () => {
      const mine = await createSchedule(t.app, host, { timezone: 'UTC' });
      const stranger = await newHost(t.app);
      const theirs = await createSchedule(t.app, stranger, { timezone: 'UTC' });
      const cases: [Record<string, unknown>, string][] = [
        [{ slug: 'Bad Slug' }, 'slug'],
        [{ slug: '-x' }, 'slug'],
        [{ slug: 'x'.repeat(101) }, 'slug'],
        [{ title: 'x'.repeat(201) }, 'title'],
        [{ description: 'x'.repeat(5001) }, 'description'],
        [{ kind: 'party' }, 'kind'],
        [{ seats: 4 }, 'seats'],
        [{ kind: 'group', seats: 0 }, 'seats'],
        [{ duration: 0 }, 'duration'],
        [{ duration: '30' }, 'duration'],
        [{ durations: [30, 60], duration: 45 }, 'duration'],
        [{ durations: [30, 30] }, 'durations'],
        [{ slot_interval: 0 }, 'slot_interval'],
        [{ schedule_id: 'nope' }, 'schedule_id'],
        [{ schedule_id: mine.id, schedules: [{ schedule_id: mine.id }] }, 'schedules'],
        [{ schedule_id: theirs.id }, 'schedules[0].schedule_id'],
        [{ schedules: [{ schedule_id: mine.id, expires_on: '2026-02-30' }] }, 'schedules[0].expires_on'],
        [{ date_range: { type: 'rolling', days: 0 } }, 'date_range'],
        [{ date_range: { type: 'range', start_date: '2026-03-10', end_date: '2026-03-01' } }, 'date_range.end_date'],
        [{ date_range: { type: 'range', start_date: '2026-02-30', end_date: '2026-03-01' } }, 'date_range.start_date'],
        [{ date_range: { type: 'dates', dates: ['2026-13-01'] } }, 'date_range.dates[0]'],
        [{ date_range: { type: 'sometimes' } }, 'date_range'],
        [{ fixed_slots: [{ start: '2026-03-10T10:00:00' }] }, 'fixed_slots[0].start'],
        [{ buffer_before: -1 }, 'buffer_before'],
        [{ min_notice: 525_601 }, 'min_notice'],
        [{ max_per_day: 0 }, 'max_per_day'],
        [{ location: 'x'.repeat(501) }, 'location'],
        [{ questions: [{ key: 'a', label: 'A', type: 'select', required: true }] }, 'questions[0].options'],
        [
          {
            questions: [
              { key: 'a', label: 'A' },
              { key: 'a', label: 'B' },
            ],
          },
          'questions[1].key',
        ],
        [{ questions: [{ key: 'Bad Key', label: 'A' }] }, 'questions[0].key'],
        [{ kind: 'round_robin', hosts: ['no-such-user-here'] }, 'hosts[0]'],
        [{ hosts: [host.username, stranger.username] }, 'hosts'],
        [{ hosts: [stranger.username] }, 'hosts'],
        [{ kind: 'group', seats: 3, hosts: [stranger.username] }, 'hosts'],
        [{ kind: 'round_robin', hosts: [stranger.username], schedule_id: mine.id }, 'schedules'],
        [{ active: 'yes' }, 'active'],
      ];
      for (const [extra, field] of cases) {
        const res = await call(t.app, 'POST', '/api/v1/event-types', {
          token: host.token,
          body: { slug: 'valid-slug', title: 'T', ...extra },
        });
        assert.ok(isProblem(res, 400), `${JSON.stringify(extra)} -> ${res.status} ${res.text}`);
        assert.ok(
          res.body.errors.some((e: any) => e.field === field),
          `${JSON.stringify(extra)} names ${field}: ${JSON.stringify(res.body.errors)}`,
        );
      }
      const list = await call(t.app, 'GET', '/api/v1/event-types?limit=100', { token: host.token });
      assert.ok(!list.body.data.some((e: any) => e.slug === 'valid-slug'), 'nothing was created');
      const bad = await call(
        t.app,
        'GET',
        `/api/v1/event-types/${(await createEventType(t.app, host)).id}?timezone=Mars/Base`,
        { token: host.token },
      );
      assert.ok(isProblem(bad, 400));
    });

    it('a schedule an event type uses cannot be deleted (409)', async () => {
      const schedule = await createSchedule(t.app, host, { timezone: 'UTC' });
      await createEventType(t.app, host, { schedule_id: schedule.id });
      const del = await call(t.app, 'DELETE', `/api/v1/schedules/${schedule.id}`, { token: host.token });
      assert.ok(isProblem(del, 409));
    });

    /** Runs `fn` while a trigger does `action` just before each matching row is inserted: a concurrent delete, made deterministic. */
    async function whileInserting<T>(table: string, when: string, action: string, fn: () => Promise<T>): Promise<T> {
      const name = `race_${Math.random().toString(36).slice(2, 10)}`;
      await t.store.db.query(
        `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${action}; RETURN NEW; END $$`,
      );
      await t.store.db.query(
        `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}()`,
      );
      try {
        return await fn();
      } finally {
        await t.store.db.query(`DROP TRIGGER ${name} ON ${table}`);
        await t.store.db.query(`DROP FUNCTION ${name}()`);
      }
    }

    it('a schedule deleted while the event type is saved is a 409, not a 500', async () => {
      const et = await createEventType(t.app, host);
      const schedule = await createSchedule(t.app, host, { timezone: 'UTC' });
      const res = await whileInserting(
        'event_type_schedules',
        `NEW.schedule_id = '${schedule.id}'`,
        `DELETE FROM schedules WHERE id = NEW.schedule_id`,
        () =>
          call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, {
            token: host.token,
            body: { schedule_id: schedule.id, title: 'Changed' },
          }),
      );
      assert.ok(isProblem(res, 409), `${res.status} ${res.text}`);
      const unchanged = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: host.token });
      assert.equal(unchanged.body.title, et.title, 'nothing was saved');
    });

    it('a link deleted while a booking of it is saved is a 409, not a 500', async () => {
      const et = await createEventType(t.app, host);
      const res = await whileInserting(
        'bookings',
        `NEW.event_type_id = '${et.id}'`,
        `DELETE FROM event_types WHERE id = NEW.event_type_id`,
        () =>
          call(t.app, 'POST', `/api/v1/public/${host.username}/${et.slug}/bookings`, {
            body: {
              start: '2026-03-03T09:00:00+01:00',
              invitee: { name: 'I', email: 'i@example.com', timezone: 'UTC' },
            },
          }),
      );
      assert.ok(isProblem(res, 409), `${res.status} ${res.text}`);
    });

    describe('hosting by consent', () => {
      it('a listed host finds the invitation, may read but not change it, and accepts', async () => {
        const owner = await newHost(t.app);
        const colleague = await newHost(t.app);
        const stranger = await newHost(t.app);
        const et = await createEventType(t.app, owner, {
          kind: 'collective',
          hosts: [owner.username, colleague.username],
        });
        assert.deepEqual(et.hosts, [owner.username, colleague.username]);
        assert.deepEqual(et.pending_hosts, [colleague.username], 'the owner hosts at once; the colleague is asked');
        const listOf = async (who: Host, query: string) =>
          (await call(t.app, 'GET', `/api/v1/event-types?${query}`, { token: who.token })).body.data.map(
            (e: any) => e.id,
          );
        assert.deepEqual(await listOf(colleague, 'hosting=pending'), [et.id]);
        assert.deepEqual(await listOf(colleague, 'hosting=accepted'), []);
        assert.deepEqual(await listOf(colleague, ''), [], 'not among their own');
        assert.deepEqual(await listOf(owner, 'hosting=pending'), []);
        assert.ok(
          isProblem(await call(t.app, 'GET', '/api/v1/event-types?hosting=maybe', { token: colleague.token }), 400),
        );

        const read = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: colleague.token });
        assert.equal(read.status, 200);
        assert.equal(read.body.owner, owner.username);
        assert.ok(
          isProblem(
            await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, {
              token: colleague.token,
              body: { title: 'mine' },
            }),
            403,
          ),
        );
        assert.ok(
          isProblem(
            await call(t.app, 'PUT', `/api/v1/event-types/${et.id}`, {
              token: colleague.token,
              body: { slug: 'x', title: 'mine' },
            }),
            403,
          ),
        );
        assert.ok(
          isProblem(await call(t.app, 'DELETE', `/api/v1/event-types/${et.id}`, { token: colleague.token }), 403),
        );
        for (const path of ['', '/hosting/accept', '/hosting/decline']) {
          const res = await call(t.app, path ? 'POST' : 'GET', `/api/v1/event-types/${et.id}${path}`, {
            token: stranger.token,
          });
          assert.ok(isProblem(res, 404), `a stranger: ${path} -> ${res.status}`);
        }

        const accepted = await acceptHosting(t.app, colleague, et.id);
        assert.deepEqual(accepted.pending_hosts, []);
        assert.deepEqual(
          (await acceptHosting(t.app, colleague, et.id)).pending_hosts,
          [],
          'accepting again changes nothing',
        );
        assert.deepEqual(await listOf(colleague, 'hosting=pending'), []);
        assert.deepEqual(await listOf(colleague, 'hosting=accepted'), [et.id]);
        const edited = await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, {
          token: owner.token,
          body: { title: 'Renamed', hosts: [colleague.username, owner.username] },
        });
        assert.equal(edited.status, 200, edited.text);
        assert.deepEqual(edited.body.pending_hosts, [], 'changes by the owner keep the consent given');
      });

      it('a host declines (or leaves): they are taken off; the owner may ask again; the owner cannot decline', async () => {
        const owner = await newHost(t.app);
        const colleague = await newHost(t.app);
        const et = await createEventType(t.app, owner, {
          kind: 'round_robin',
          hosts: [owner.username, colleague.username],
        });
        const declined = await call(t.app, 'POST', `/api/v1/event-types/${et.id}/hosting/decline`, {
          token: colleague.token,
        });
        assert.equal(declined.status, 204);
        assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: colleague.token }), 404));
        const now = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: owner.token });
        assert.deepEqual(now.body.hosts, [owner.username]);
        const again = await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, {
          token: owner.token,
          body: { hosts: [owner.username, colleague.username] },
        });
        assert.deepEqual(again.body.pending_hosts, [colleague.username]);
        await acceptHosting(t.app, colleague, et.id);
        const left = await call(t.app, 'POST', `/api/v1/event-types/${et.id}/hosting/decline`, {
          token: colleague.token,
        });
        assert.equal(left.status, 204, 'an accepted host may leave too');
        assert.ok(
          isProblem(
            await call(t.app, 'POST', `/api/v1/event-types/${et.id}/hosting/decline`, { token: owner.token }),
            409,
          ),
        );
        assert.deepEqual(
          (await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: owner.token })).body.hosts,
          [owner.username],
        );
      });
    });

    describe('security', () => {
      it("another user's event type is a 404 for reading, changing and deleting", async () => {
        const et = await createEventType(t.app, host);
        const { token } = await signUp(t.app);
        assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token }), 404));
        assert.ok(
          isProblem(
            await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, { token, body: { title: 'mine' } }),
            404,
          ),
        );
        assert.ok(
          isProblem(
            await call(t.app, 'PUT', `/api/v1/event-types/${et.id}`, { token, body: { slug: 'x', title: 'mine' } }),
            404,
          ),
        );
        assert.ok(isProblem(await call(t.app, 'DELETE', `/api/v1/event-types/${et.id}`, { token }), 404));
        const still = await call(t.app, 'GET', `/api/v1/event-types/${et.id}`, { token: host.token });
        assert.equal(still.body.title, et.title);
      });

      it('every route needs authentication', async () => {
        const et = await createEventType(t.app, host);
        for (const [method, url] of [
          ['GET', '/api/v1/event-types'],
          ['POST', '/api/v1/event-types'],
          ['GET', `/api/v1/event-types/${et.id}`],
          ['PATCH', `/api/v1/event-types/${et.id}`],
          ['PUT', `/api/v1/event-types/${et.id}`],
          ['DELETE', `/api/v1/event-types/${et.id}`],
          ['POST', `/api/v1/event-types/${et.id}/hosting/accept`],
          ['POST', `/api/v1/event-types/${et.id}/hosting/decline`],
        ] as const) {
          const res = await call(t.app, method, url, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
          assert.ok(isProblem(res, 401), `${method} ${url} -> ${res.status}`);
        }
      });

      it('an id that is not a uuid is a 400, an unknown one a 404', async () => {
        assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/event-types/123', { token: host.token }), 400));
        assert.ok(
          isProblem(
            await call(t.app, 'GET', '/api/v1/event-types/00000000-0000-4000-8000-000000000000', { token: host.token }),
            404,
          ),
        );
      });
    });
  });
}
