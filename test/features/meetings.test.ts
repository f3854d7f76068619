// Meetings between users, as their participants see them: creating one takes everyone's time or
// names every reason it cannot; moving, cancelling and declining give time back; only the
// participants see a meeting and only the organiser changes it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';

const MONDAY = '2026-03-02';
const TUESDAY = '2026-03-03';

for (const store of STORES) {
  describe(`meetings [${store}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startApp(store);
      t.clock.set('2026-03-01T12:00:00Z');
    });
    after(() => t.close());

    /** Sets the hours of dates (UTC wall clock): { '2026-03-02': [['09:00', '11:00']] }. */
    async function setHours(token: string, dates: Record<string, [string, string][]>) {
      const res = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
        token,
        body: {
          timezone: 'UTC',
          dates: Object.entries(dates).map(([date, xs]) => ({
            date,
            intervals: xs.map(([start, end]) => ({ start, end })),
          })),
        },
      });
      assert.equal(res.status, 200, res.text);
    }
    const meet = (token: string, body: Record<string, unknown>, query = '') =>
      call(t.app, 'POST', `/api/v1/meetings${query}`, { token, body: { title: 'Sync', ...body } });
    async function user(hours: Record<string, [string, string][]> = { [MONDAY]: [['00:00', '24:00']] }) {
      const u = await signUp(t.app, { timezone: 'UTC' });
      await setHours(u.token, hours);
      return u;
    }

    it('A free 09–11 and B 10–12 meet at 10–11; then neither has that time, and overlapping or unavailable meetings are refused', async () => {
      const a = await user({ [MONDAY]: [['09:00', '11:00']], [TUESDAY]: [] });
      const b = await user({ [MONDAY]: [['10:00', '12:00']] });
      const overlap = (token: string) =>
        call(
          t.app,
          'GET',
          `/api/v1/availability/overlap?users=${a.username},${b.username}&from=${MONDAY}&to=${MONDAY}&timezone=UTC`,
          { token },
        );
      const before = await overlap(a.token);
      assert.equal(before.status, 200, before.text);
      assert.deepEqual(before.body.days[0].intervals, [{ start: `${MONDAY}T10:00:00Z`, end: `${MONDAY}T11:00:00Z` }]);

      const created = await meet(a.token, {
        start: `${MONDAY}T10:00:00Z`,
        end: `${MONDAY}T11:00:00Z`,
        participants: [b.username],
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.status, 'confirmed');
      assert.equal(created.body.start, `${MONDAY}T10:00:00Z`);
      assert.equal(created.body.end, `${MONDAY}T11:00:00Z`);
      assert.deepEqual(created.body.organizer, { username: a.username, email: `${a.username}@example.com` });
      assert.deepEqual(
        created.body.participants.map((p: any) => [p.username, p.status]),
        [
          [a.username, 'accepted'],
          [b.username, 'accepted'],
        ],
      );
      assert.equal(created.body.recurrence, null);
      assert.equal(created.body.occurrences, undefined);

      const afterwards = await overlap(b.token);
      assert.deepEqual(afterwards.body.days[0].intervals, []);
      const mine = await call(t.app, 'GET', `/api/v1/me/availability?from=${MONDAY}&to=${MONDAY}&timezone=UTC`, {
        token: a.token,
      });
      assert.deepEqual(mine.body.days[0].intervals, [{ start: `${MONDAY}T09:00:00Z`, end: `${MONDAY}T10:00:00Z` }]);

      const clash = await meet(a.token, { start: `${MONDAY}T10:30:00Z`, duration: 60, participants: [a.username] });
      assert.ok(isProblem(clash, 409), clash.text);
      assert.equal(clash.body.type, '/problems/meeting-conflict');
      assert.deepEqual(clash.body.conflicts, [
        { participant: a.username, occurrence: 1, start: `${MONDAY}T10:30:00Z`, reason: 'conflict' },
      ]);
      const tuesday = await meet(a.token, { start: `${TUESDAY}T10:00:00Z`, duration: 30, participants: [a.username] });
      assert.ok(isProblem(tuesday, 409));
      assert.deepEqual(tuesday.body.conflicts, [
        { participant: a.username, occurrence: 1, start: `${TUESDAY}T10:00:00Z`, reason: 'unavailable' },
      ]);
    });

    it('names every participant × occurrence problem, checks no guest, and creates nothing', async () => {
      const a = await user({
        '2026-03-09': [['09:00', '17:00']],
        '2026-03-16': [['09:00', '17:00']],
        [MONDAY]: [['09:00', '17:00']],
      });
      const b = await user({ [MONDAY]: [['09:00', '17:00']], '2026-03-09': [['09:00', '17:00']], '2026-03-16': [] });
      const c = await user({
        [MONDAY]: [['09:00', '17:00']],
        '2026-03-09': [['09:00', '17:00']],
        '2026-03-16': [['09:00', '17:00']],
      });
      const busy = await meet(c.token, { start: '2026-03-09T14:00:00Z', duration: 30, participants: [c.username] });
      assert.equal(busy.status, 201);
      const res = await meet(a.token, {
        start: `${MONDAY}T14:00:00Z`,
        duration: 60,
        recurrence: 'FREQ=WEEKLY;COUNT=3',
        participants: [b.username, c.username, 'outsider@example.org'],
      });
      assert.ok(isProblem(res, 409), res.text);
      assert.deepEqual(res.body.conflicts, [
        { participant: c.username, occurrence: 2, start: '2026-03-09T14:00:00Z', reason: 'conflict' },
        { participant: b.username, occurrence: 3, start: '2026-03-16T14:00:00Z', reason: 'unavailable' },
      ]);
      const list = await call(t.app, 'GET', '/api/v1/meetings', { token: a.token });
      assert.deepEqual(list.body.data, []);
    });

    it('takes participants by username or e-mail; an unknown address is a guest, an unknown name a 400', async () => {
      const a = await user();
      const b = await user();
      const res = await meet(a.token, {
        start: `${MONDAY}T08:00:00Z`,
        duration: 30,
        participants: [`${b.username.toUpperCase()}@EXAMPLE.COM`, 'Guest@Example.org', a.username, b.username],
      });
      assert.equal(res.status, 201, res.text);
      // Another user's e-mail address stays private (as in GET /users): they are named by username.
      assert.deepEqual(res.body.participants, [
        { username: a.username, email: `${a.username}@example.com`, status: 'accepted' },
        { username: b.username, status: 'accepted' },
        { email: 'Guest@Example.org', status: 'invited' },
      ]);
      const seenByB = await call(t.app, 'GET', `/api/v1/meetings/${res.body.id}`, { token: b.token });
      assert.deepEqual(seenByB.body.participants[0], { username: a.username, status: 'accepted' });
      assert.deepEqual(seenByB.body.organizer, { username: a.username });
      assert.equal(seenByB.body.participants[1].email, `${b.username}@example.com`);
      const unknown = await meet(a.token, {
        start: `${MONDAY}T09:00:00Z`,
        duration: 30,
        participants: [b.username, 'no-such-user'],
      });
      assert.ok(isProblem(unknown, 400));
      assert.deepEqual(
        unknown.body.errors.map((e: any) => e.field),
        ['participants[1]'],
      );
    });

    it('an Idempotency-Key replays the first answer instead of creating the meeting twice', async () => {
      const a = await user();
      const body = { title: 'Once', start: `${MONDAY}T07:00:00Z`, duration: 30, participants: [a.username] };
      const send = (b: unknown) =>
        call(t.app, 'POST', '/api/v1/meetings', { token: a.token, body: b, headers: { 'idempotency-key': 'meet-1' } });
      const first = await send(body);
      const again = await send(body);
      assert.equal(first.status, 201, first.text);
      assert.equal(again.status, 201);
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.ok(isProblem(await send({ ...body, title: 'Other' }), 422));
      const list = await call(t.app, 'GET', '/api/v1/meetings', { token: a.token });
      assert.equal(list.body.data.length, 1);
    });

    it('refuses bad input with a 400 problem naming the field', async () => {
      const a = await user();
      const base = { start: `${MONDAY}T10:00:00Z`, duration: 30, participants: [a.username] };
      const cases: [Record<string, unknown>, string, string?][] = [
        [{ ...base, start: `${MONDAY}T10:00:00` }, 'start'],
        [{ ...base, start: '2026-02-27T10:00:00Z' }, 'start'],
        [{ ...base, duration: undefined, end: `${MONDAY}T09:00:00Z` }, 'end'],
        [{ ...base, duration: undefined, end: `${MONDAY}T10:00:00Z` }, 'end'],
        [{ ...base, duration: undefined }, 'end'],
        [{ ...base, end: `${MONDAY}T11:00:00Z` }, 'duration'],
        [{ ...base, duration: 0 }, 'duration'],
        [{ ...base, duration: 1441 }, 'duration'],
        [{ ...base, recurrence: 'FREQ=SOMETIMES;COUNT=2' }, 'recurrence'],
        [{ ...base, recurrence: 'FREQ=WEEKLY;COUNT=2;BYHOUR=9' }, 'recurrence'],
        [{ ...base, recurrence: 'FREQ=WEEKLY' }, 'recurrence'],
        [{ ...base, recurrence: 'FREQ=DAILY;COUNT=101' }, 'recurrence'],
        [{ ...base, recurrence: 'FREQ=WEEKLY;UNTIL=20280101' }, 'recurrence'],
        [{ ...base, recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=3' }, 'recurrence'],
        [{ ...base, participants: [] }, 'participants'],
        [{ ...base, participants: ['bad@address'] }, 'participants[0]'],
        [{ ...base, title: '' }, 'title'],
        [{ ...base, title: 'x'.repeat(201) }, 'title'],
        [{ ...base, description: 'x'.repeat(5001) }, 'description'],
        [{ ...base, start: 42 }, 'start'],
        [base, 'timezone', '?timezone=Mars/Olympus'],
      ];
      for (const [body, field, query] of cases) {
        const res = await meet(a.token, body, query);
        assert.ok(isProblem(res, 400), `${JSON.stringify(body)} -> ${res.status} ${res.text}`);
        assert.ok(
          res.body.errors?.some((e: any) => e.field === field),
          `${field}: ${res.text}`,
        );
      }
      const anonymous = await call(t.app, 'POST', '/api/v1/meetings', { body: base });
      assert.ok(isProblem(anonymous, 401));
      const list = await call(t.app, 'GET', '/api/v1/meetings', { token: a.token });
      assert.deepEqual(list.body.data, []);
    });

    it('answers in the organiser’s zone, or in ?timezone=', async () => {
      const a = await signUp(t.app, { timezone: 'Asia/Kathmandu' });
      const res = await meet(a.token, { start: `${MONDAY}T04:15:00Z`, duration: 45, participants: [a.username] });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.start, `${MONDAY}T10:00:00+05:45`);
      assert.equal(res.body.end, `${MONDAY}T10:45:00+05:45`);
      const inBerlin = await call(t.app, 'GET', `/api/v1/meetings/${res.body.id}?timezone=Europe/Berlin`, {
        token: a.token,
      });
      assert.equal(inBerlin.body.start, `${MONDAY}T05:15:00+01:00`);
    });

    it('shows a meeting to its participants only, and lets only the organiser change it', async () => {
      const a = await user();
      const b = await user();
      const stranger = await user();
      const m = await meet(a.token, { start: `${MONDAY}T13:00:00Z`, duration: 30, participants: [b.username] });
      const url = `/api/v1/meetings/${m.body.id}`;
      assert.equal((await call(t.app, 'GET', url, { token: b.token })).status, 200);
      for (const [method, path, body] of [
        ['GET', url, undefined],
        ['PATCH', url, { title: 'Mine now' }],
        ['POST', `${url}/cancel`, undefined],
        ['POST', `${url}/decline`, undefined],
        ['POST', `${url}/occurrences/1/cancel`, undefined],
      ] as const) {
        const res = await call(t.app, method, path, { token: stranger.token, body });
        assert.ok(isProblem(res, 404), `${method} ${path}: ${res.status}`);
      }
      const strangerList = await call(t.app, 'GET', '/api/v1/meetings', { token: stranger.token });
      assert.deepEqual(strangerList.body.data, []);
      for (const [method, path, body] of [
        ['PATCH', url, { title: 'Mine now' }],
        ['PUT', url, { title: 'x', start: `${MONDAY}T15:00:00Z`, duration: 30, participants: [b.username] }],
        ['POST', `${url}/cancel`, undefined],
        ['PATCH', `${url}/occurrences/1`, { status: 'cancelled' }],
      ] as const) {
        const res = await call(t.app, method, path, { token: b.token, body });
        assert.ok(isProblem(res, 403), `${method} ${path}: ${res.status}`);
      }
      const renamed = await call(t.app, 'PATCH', url, {
        token: a.token,
        body: { title: 'Renamed', description: '<b>agenda</b> & "notes"' },
      });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.title, 'Renamed');
      assert.equal(renamed.body.description, '<b>agenda</b> & "notes"');
      assert.equal(renamed.body.start, `${MONDAY}T13:00:00Z`);
      assert.equal(
        (await call(t.app, 'GET', `/api/v1/meetings/00000000-0000-4000-8000-000000000000`, { token: a.token })).status,
        404,
      );
      assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/meetings/not-a-uuid', { token: a.token }), 400));
    });

    it('moves a meeting by swapping its holds: its own old time does not count, and the old time is freed', async () => {
      const a = await user();
      const b = await user();
      const m = await meet(a.token, { start: `${MONDAY}T09:00:00Z`, duration: 60, participants: [b.username] });
      const moved = await call(t.app, 'PATCH', `/api/v1/meetings/${m.body.id}`, {
        token: a.token,
        body: { start: `${MONDAY}T09:30:00Z` },
      });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.start, `${MONDAY}T09:30:00Z`);
      assert.equal(moved.body.end, `${MONDAY}T10:30:00Z`);
      assert.ok(moved.body.sequence > m.body.sequence);
      const early = await meet(b.token, { start: `${MONDAY}T09:00:00Z`, duration: 30, participants: [b.username] });
      assert.equal(early.status, 201, 'the old time is free again');
      const blocked = await call(t.app, 'PUT', `/api/v1/meetings/${m.body.id}`, {
        token: a.token,
        body: { title: 'Sync', start: `${MONDAY}T08:45:00Z`, duration: 30, participants: [b.username] },
      });
      assert.ok(isProblem(blocked, 409));
      assert.deepEqual(blocked.body.conflicts, [
        { participant: b.username, occurrence: 1, start: `${MONDAY}T08:45:00Z`, reason: 'conflict' },
      ]);
      const past = await call(t.app, 'PATCH', `/api/v1/meetings/${m.body.id}`, {
        token: a.token,
        body: { start: '2026-03-01T09:00:00Z' },
      });
      assert.ok(isProblem(past, 400));
      const still = await call(t.app, 'GET', `/api/v1/meetings/${m.body.id}`, { token: b.token });
      assert.equal(still.body.start, `${MONDAY}T09:30:00Z`);
    });

    it('cancelling (PATCH or POST) frees everyone’s time; a declining participant frees only theirs', async () => {
      const a = await user();
      const b = await user();
      const free = async (who: { token: string; username: string }, start: string) => {
        const probe = await meet(who.token, { start, duration: 15, participants: [who.username] });
        if (probe.status === 201)
          await call(t.app, 'POST', `/api/v1/meetings/${probe.body.id}/cancel`, { token: who.token });
        return probe.status === 201;
      };
      const one = await meet(a.token, { start: `${MONDAY}T15:00:00Z`, duration: 60, participants: [b.username] });
      const declined = await call(t.app, 'POST', `/api/v1/meetings/${one.body.id}/decline`, { token: b.token });
      assert.equal(declined.status, 200, declined.text);
      assert.deepEqual(
        declined.body.participants.map((p: any) => p.status),
        ['accepted', 'declined'],
      );
      assert.equal(await free(b, `${MONDAY}T15:00:00Z`), true);
      assert.equal(await free(a, `${MONDAY}T15:00:00Z`), false);
      assert.ok(
        isProblem(await call(t.app, 'POST', `/api/v1/meetings/${one.body.id}/decline`, { token: a.token }), 400),
      );

      const cancelled = await call(t.app, 'PATCH', `/api/v1/meetings/${one.body.id}`, {
        token: a.token,
        body: { status: 'cancelled' },
      });
      assert.equal(cancelled.body.status, 'cancelled');
      assert.equal(await free(a, `${MONDAY}T15:00:00Z`), true);
      const two = await meet(a.token, { start: `${MONDAY}T16:00:00Z`, duration: 60, participants: [b.username] });
      const again = await call(t.app, 'POST', `/api/v1/meetings/${two.body.id}/cancel`, { token: a.token });
      assert.equal(again.status, 200);
      assert.equal(again.body.status, 'cancelled');
      assert.equal(await free(b, `${MONDAY}T16:00:00Z`), true);
      const change = await call(t.app, 'PATCH', `/api/v1/meetings/${two.body.id}`, {
        token: a.token,
        body: { title: 'Back?' },
      });
      assert.ok(isProblem(change, 409));
      const cancelledOnly = await call(t.app, 'GET', '/api/v1/meetings?status=cancelled', { token: b.token });
      const cancelledIds = cancelledOnly.body.data.map((m: any) => m.id);
      assert.ok(cancelledIds.includes(one.body.id) && cancelledIds.includes(two.body.id));
      assert.ok(cancelledOnly.body.data.every((m: any) => m.status === 'cancelled'));
    });

    it('blocking hours 10, 15 and 17 refuses a meeting at 15:00; blocking an hour that holds a meeting names it', async () => {
      const a = await user({ [MONDAY]: [['09:00', '18:00']] });
      for (const hour of ['10', '15', '17']) {
        const res = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
          token: a.token,
          body: { date: MONDAY, start: `${hour}:00`, end: `${Number(hour) + 1}:00`, timezone: 'UTC' },
        });
        assert.equal(res.status, 200, res.text);
      }
      const refused = await meet(a.token, { start: `${MONDAY}T15:00:00Z`, duration: 30, participants: [a.username] });
      assert.ok(isProblem(refused, 409));
      assert.equal(refused.body.conflicts[0].reason, 'unavailable');
      const m = await meet(a.token, { start: `${MONDAY}T12:00:00Z`, duration: 60, participants: [a.username] });
      assert.equal(m.status, 201, m.text);
      const block = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token: a.token,
        body: { date: MONDAY, start: '12:00', end: '13:00', timezone: 'UTC' },
      });
      assert.ok(isProblem(block, 409), block.text);
      assert.deepEqual(
        block.body.bookings.map((b: any) => [b.kind, b.id, b.occurrence, b.start, b.end]),
        [['meeting', m.body.id, 1, `${MONDAY}T12:00:00Z`, `${MONDAY}T13:00:00Z`]],
      );
    });

    it('of 50 concurrent overlapping meetings of one participant, only non-overlapping ones are confirmed, none fails', async () => {
      const a = await user();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const minutes = 8 * 60 + (i % 10) * 20;
          const start = `${MONDAY}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00Z`;
          return meet(a.token, { start, duration: 60, participants: [a.username] });
        }),
      );
      for (const r of results) assert.ok(r.status === 201 || isProblem(r, 409), `${r.status} ${r.text}`);
      const won = results
        .filter((r) => r.status === 201)
        .map((r) => [Date.parse(r.body.start), Date.parse(r.body.end)] as const);
      assert.ok(won.length >= 1);
      won.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < won.length; i++) assert.ok(won[i]![0] >= won[i - 1]![1], 'confirmed meetings never overlap');
      const listed = await call(t.app, 'GET', '/api/v1/meetings?limit=100', { token: a.token });
      assert.equal(listed.body.data.length, won.length);
    });

    it('pages through 25 meetings 10 at a time, each exactly once and soonest first, while meetings are added', async () => {
      const a = await user({ [MONDAY]: [['00:00', '24:00']], [TUESDAY]: [['00:00', '24:00']] });
      const at = (i: number) => `${TUESDAY}T${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}:00Z`;
      for (let i = 0; i < 25; i++)
        assert.equal((await meet(a.token, { start: at(i), duration: 30, participants: [a.username] })).status, 201);
      const seen: string[] = [];
      const starts: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: any = await call(t.app, 'GET', `/api/v1/meetings?limit=10${cursor ? `&cursor=${cursor}` : ''}`, {
          token: a.token,
        });
        assert.equal(page.status, 200, page.text);
        seen.push(...page.body.data.map((m: any) => m.id));
        starts.push(...page.body.data.map((m: any) => Date.parse(m.start)));
        cursor = page.body.next_cursor;
        if (pages++ === 0) {
          // One added before the cursor must not shift later pages; one added after it shows up.
          assert.equal(
            (await meet(a.token, { start: `${MONDAY}T20:00:00Z`, duration: 30, participants: [a.username] })).status,
            201,
          );
          assert.equal(
            (await meet(a.token, { start: `${TUESDAY}T23:00:00Z`, duration: 30, participants: [a.username] })).status,
            201,
          );
        }
      } while (cursor);
      assert.equal(pages, 3);
      assert.equal(seen.length, 26);
      assert.equal(new Set(seen).size, 26);
      assert.deepEqual(
        starts,
        [...starts].sort((x, y) => x - y),
      );
      for (const q of [
        'limit=0',
        'limit=101',
        'limit=x',
        'cursor=%%%',
        'cursor=WzFd',
        'from=2026-02-30',
        'status=maybe',
      ]) {
        assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/meetings?${q}`, { token: a.token }), 400), q);
      }
    });

    it('filters by from and to (dates in the asked zone), upcoming by default', async () => {
      const a = await user({ [MONDAY]: [['00:00', '24:00']], [TUESDAY]: [['00:00', '24:00']] });
      const mon = await meet(a.token, { start: `${MONDAY}T22:00:00Z`, duration: 30, participants: [a.username] });
      const tue = await meet(a.token, { start: `${TUESDAY}T10:00:00Z`, duration: 30, participants: [a.username] });
      const ids = async (q: string) =>
        (await call(t.app, 'GET', `/api/v1/meetings?${q}`, { token: a.token })).body.data.map((m: any) => m.id);
      assert.deepEqual(await ids(''), [mon.body.id, tue.body.id]);
      assert.deepEqual(await ids(`from=${MONDAY}&to=${MONDAY}&timezone=UTC`), [mon.body.id]);
      // 22:00 UTC on Monday is already Tuesday in Kathmandu.
      assert.deepEqual(await ids(`from=${TUESDAY}&to=${TUESDAY}&timezone=Asia/Kathmandu`), [mon.body.id, tue.body.id]);
      t.clock.set(`${MONDAY}T23:00:00Z`);
      try {
        assert.deepEqual(await ids(''), [tue.body.id]);
      } finally {
        t.clock.set('2026-03-01T12:00:00Z');
      }
    });
  });
}
