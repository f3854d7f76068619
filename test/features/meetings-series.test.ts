// Recurring meetings: a series keeps its local time across DST, and can be changed or cancelled
// as a whole, one occurrence at a time, or from one occurrence on; its time shows in bookings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { meetingBookingsOf } from '../../src/features/meetings/repository';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';

for (const store of STORES) {
  describe(`meeting series [${store}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startApp(store);
      t.clock.set('2026-03-01T12:00:00Z');
    });
    after(() => t.close());

    const meet = (token: string, body: Record<string, unknown>) =>
      call(t.app, 'POST', '/api/v1/meetings', { token, body: { title: 'Weekly', ...body } });
    const times = (m: any) => m.occurrences.map((o: any) => [o.number, o.start, o.status]);
    /** Whether `who` can still take [start, +15 min) (a probe meeting, cancelled again). */
    async function isFree(who: { token: string; username: string }, start: string): Promise<boolean> {
      const probe = await meet(who.token, { start, duration: 15, participants: [who.username] });
      if (probe.status === 201)
        await call(t.app, 'POST', `/api/v1/meetings/${probe.body.id}/cancel`, { token: who.token });
      else assert.ok(isProblem(probe, 409), probe.text);
      return probe.status === 201;
    }

    it('a weekly series across the New York DST change keeps 09:00 local for everyone', async () => {
      const a = await signUp(t.app, { timezone: 'America/New_York' });
      const b = await signUp(t.app, { timezone: 'America/New_York' });
      const res = await meet(a.token, {
        start: '2026-03-02T09:00:00-05:00',
        duration: 60,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=3',
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.recurrence, 'FREQ=WEEKLY;COUNT=3');
      assert.deepEqual(times(res.body), [
        [1, '2026-03-02T09:00:00-05:00', 'confirmed'],
        [2, '2026-03-09T09:00:00-04:00', 'confirmed'],
        [3, '2026-03-16T09:00:00-04:00', 'confirmed'],
      ]);
      assert.equal(res.body.occurrences[1].end, '2026-03-09T10:00:00-04:00');
      // Both hold 09:00 New York time after the change (13:00 UTC), not 14:00 UTC.
      assert.equal(await isFree(b, '2026-03-09T13:00:00Z'), false);
      assert.equal(await isFree(b, '2026-03-09T14:00:00Z'), true);
    });

    it('a Berlin series across 2026-03-29 keeps 10:00 local; a series answers in ?timezone= too', async () => {
      const a = await signUp(t.app, { timezone: 'Europe/Berlin' });
      const res = await call(t.app, 'POST', '/api/v1/meetings?timezone=UTC', {
        token: a.token,
        body: {
          title: 'Stand-up',
          start: '2026-03-26T10:00:00+01:00',
          duration: 15,
          participants: [a.username],
          recurrence: 'FREQ=DAILY;INTERVAL=4;COUNT=2',
        },
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(times(res.body), [
        [1, '2026-03-26T09:00:00Z', 'confirmed'],
        [2, '2026-03-30T08:00:00Z', 'confirmed'],
      ]);
    });

    it('a series that cannot be held names every occurrence and participant in the way', async () => {
      const a = await signUp(t.app, { timezone: 'UTC' });
      const b = await signUp(t.app, { timezone: 'UTC' });
      // Default hours are Mon–Fri 09–17: a daily 16:30 series of 4 from Thursday hits the weekend for both.
      const res = await meet(a.token, {
        start: '2026-03-05T16:30:00Z',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=DAILY;COUNT=4',
      });
      assert.ok(isProblem(res, 409));
      assert.deepEqual(
        res.body.conflicts.map((c: any) => [c.participant, c.occurrence, c.reason]),
        [
          [a.username, 3, 'unavailable'],
          [b.username, 3, 'unavailable'],
          [a.username, 4, 'unavailable'],
          [b.username, 4, 'unavailable'],
        ],
      );
      assert.equal(res.body.conflicts[0].start, '2026-03-07T16:30:00Z');
    });

    it('cancels one occurrence, moves one, and changes or cancels from one occurrence on', async () => {
      const a = await signUp(t.app, { timezone: 'America/New_York' });
      const b = await signUp(t.app, { timezone: 'America/New_York' });
      const created = await meet(a.token, {
        start: '2026-03-02T09:00:00-05:00',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=5',
      });
      assert.equal(created.status, 201, created.text);
      const url = `/api/v1/meetings/${created.body.id}`;

      const one = await call(t.app, 'POST', `${url}/occurrences/2/cancel`, { token: a.token });
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(
        one.body.occurrences.map((o: any) => o.status),
        ['confirmed', 'cancelled', 'confirmed', 'confirmed', 'confirmed'],
      );
      assert.equal(one.body.status, 'confirmed');
      assert.equal(await isFree(b, '2026-03-09T09:00:00-04:00'), true);
      assert.equal(await isFree(b, '2026-03-16T09:00:00-04:00'), false);

      const moved = await call(t.app, 'PATCH', `${url}/occurrences/3`, {
        token: a.token,
        body: { start: '2026-03-17T11:00:00-04:00' },
      });
      assert.equal(moved.status, 200, moved.text);
      assert.deepEqual(moved.body.occurrences[2], {
        number: 3,
        start: '2026-03-17T11:00:00-04:00',
        end: '2026-03-17T11:30:00-04:00',
        status: 'confirmed',
      });
      assert.equal(await isFree(b, '2026-03-16T09:00:00-04:00'), true);
      assert.equal(await isFree(b, '2026-03-17T11:15:00-04:00'), false);

      // From occurrence 4 on, 15 minutes later each week: overlapping their own old time is no obstacle.
      const later = await call(t.app, 'PATCH', `${url}/occurrences/4?scope=following`, {
        token: a.token,
        body: { start: '2026-03-23T09:15:00-04:00' },
      });
      assert.equal(later.status, 200, later.text);
      assert.deepEqual(times(later.body), [
        [1, '2026-03-02T09:00:00-05:00', 'confirmed'],
        [2, '2026-03-09T09:00:00-04:00', 'cancelled'],
        [3, '2026-03-17T11:00:00-04:00', 'confirmed'],
        [4, '2026-03-23T09:15:00-04:00', 'confirmed'],
        [5, '2026-03-30T09:15:00-04:00', 'confirmed'],
      ]);

      const ended = await call(t.app, 'POST', `${url}/occurrences/4/cancel?scope=following`, { token: a.token });
      assert.deepEqual(
        ended.body.occurrences.map((o: any) => o.status),
        ['confirmed', 'cancelled', 'confirmed', 'cancelled', 'cancelled'],
      );
      assert.equal(await isFree(b, '2026-03-30T09:15:00-04:00'), true);

      const byParticipant = await call(t.app, 'PATCH', `${url}/occurrences/1`, {
        token: b.token,
        body: { status: 'cancelled' },
      });
      assert.ok(isProblem(byParticipant, 403));
      assert.ok(
        isProblem(await call(t.app, 'PATCH', `${url}/occurrences/9`, { token: a.token, body: { duration: 15 } }), 404),
      );
      assert.ok(
        isProblem(await call(t.app, 'PATCH', `${url}/occurrences/2`, { token: a.token, body: { duration: 15 } }), 409),
      );
      assert.ok(
        isProblem(
          await call(t.app, 'PATCH', `${url}/occurrences/1?scope=all`, { token: a.token, body: { duration: 15 } }),
          400,
        ),
      );

      const rest = await call(t.app, 'POST', `${url}/occurrences/1/cancel`, { token: a.token });
      assert.equal(rest.body.occurrences.filter((o: any) => o.status === 'confirmed').length, 1);
      const last = await call(t.app, 'POST', `${url}/occurrences/3/cancel`, { token: a.token });
      assert.equal(last.body.status, 'cancelled', 'a series with nothing left is cancelled');
    });

    it('moving an occurrence onto another one of the same series is a conflict', async () => {
      const a = await signUp(t.app, { timezone: 'UTC' });
      const created = await meet(a.token, {
        start: '2026-03-02T10:00:00Z',
        duration: 60,
        participants: [a.username],
        recurrence: 'FREQ=DAILY;COUNT=2',
      });
      const res = await call(t.app, 'PATCH', `/api/v1/meetings/${created.body.id}/occurrences/1`, {
        token: a.token,
        body: { start: '2026-03-03T10:30:00Z' },
      });
      assert.ok(isProblem(res, 409));
      assert.deepEqual(res.body.conflicts, [
        { participant: a.username, occurrence: 1, start: '2026-03-03T10:30:00Z', reason: 'conflict' },
      ]);
    });

    it('re-timing the whole series replaces its occurrences and swaps every hold', async () => {
      const a = await signUp(t.app, { timezone: 'UTC' });
      const b = await signUp(t.app, { timezone: 'UTC' });
      const created = await meet(a.token, {
        start: '2026-03-02T10:00:00Z',
        duration: 60,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=3',
      });
      const res = await call(t.app, 'PATCH', `/api/v1/meetings/${created.body.id}`, {
        token: a.token,
        body: { start: '2026-03-03T10:30:00Z', recurrence: 'FREQ=WEEKLY;COUNT=2' },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(times(res.body), [
        [1, '2026-03-03T10:30:00Z', 'confirmed'],
        [2, '2026-03-10T10:30:00Z', 'confirmed'],
      ]);
      assert.equal(res.body.end, '2026-03-03T11:30:00Z');
      assert.equal(await isFree(b, '2026-03-16T10:00:00Z'), true);
      assert.equal(await isFree(b, '2026-03-10T11:00:00Z'), false);
      const oneOff = await call(t.app, 'PATCH', `/api/v1/meetings/${created.body.id}`, {
        token: a.token,
        body: { recurrence: null },
      });
      assert.equal(oneOff.body.recurrence, null);
      assert.equal(oneOff.body.occurrences, undefined);
      assert.equal(await isFree(b, '2026-03-10T11:00:00Z'), true);
      const added = await call(t.app, 'PATCH', `/api/v1/meetings/${created.body.id}`, {
        token: a.token,
        body: { participants: ['guest@example.net'] },
      });
      assert.deepEqual(
        added.body.participants.map((p: any) => p.status),
        ['accepted', 'invited'],
      );
      assert.equal(await isFree(b, '2026-03-03T10:30:00Z'), true, 'a removed participant is freed');
    });

    it('a participant added to a series is checked at every upcoming occurrence and then holds them', async () => {
      const a = await signUp(t.app, { timezone: 'UTC' });
      const c = await signUp(t.app, { timezone: 'UTC' });
      const created = await meet(a.token, {
        start: '2026-03-02T15:00:00Z',
        duration: 30,
        participants: [a.username],
        recurrence: 'FREQ=WEEKLY;COUNT=3',
      });
      assert.equal(
        (await meet(c.token, { start: '2026-03-09T15:00:00Z', duration: 60, participants: [c.username] })).status,
        201,
      );
      const url = `/api/v1/meetings/${created.body.id}`;
      const refused = await call(t.app, 'PATCH', url, { token: a.token, body: { participants: [c.username] } });
      assert.ok(isProblem(refused, 409));
      assert.deepEqual(refused.body.conflicts, [
        { participant: c.username, occurrence: 2, start: '2026-03-09T15:00:00Z', reason: 'conflict' },
      ]);
      await call(t.app, 'POST', `${url}/occurrences/2/cancel`, { token: a.token });
      const added = await call(t.app, 'PATCH', url, { token: a.token, body: { participants: [c.username] } });
      assert.equal(added.status, 200, added.text);
      assert.equal(await isFree(c, '2026-03-16T15:00:00Z'), false);
    });

    it('every occurrence appears among each participant’s bookings (meetingBookingsOf)', async () => {
      const a = await signUp(t.app, { timezone: 'UTC' });
      const b = await signUp(t.app, { timezone: 'UTC' });
      const created = await meet(a.token, {
        start: '2026-03-04T13:00:00Z',
        duration: 30,
        participants: [b.username],
        recurrence: 'FREQ=WEEKLY;COUNT=3',
      });
      await call(t.app, 'POST', `/api/v1/meetings/${created.body.id}/occurrences/2/cancel`, { token: a.token });
      const rows = await meetingBookingsOf(t.store.db, b.user.id);
      assert.deepEqual(
        rows.map((r) => [
          r.kind,
          r.meeting_id,
          r.occurrence,
          new Date(r.start).toISOString(),
          r.status,
          r.organizer_username,
        ]),
        [
          ['meeting', created.body.id, 1, '2026-03-04T13:00:00.000Z', 'confirmed', a.username],
          ['meeting', created.body.id, 2, '2026-03-11T13:00:00.000Z', 'cancelled', a.username],
          ['meeting', created.body.id, 3, '2026-03-18T13:00:00.000Z', 'confirmed', a.username],
        ],
      );
      const window = await meetingBookingsOf(t.store.db, b.user.id, {
        from: Date.parse('2026-03-10T00:00:00Z'),
        status: 'confirmed',
      });
      assert.deepEqual(
        window.map((r) => r.occurrence),
        [3],
      );
      await call(t.app, 'POST', `/api/v1/meetings/${created.body.id}/decline`, { token: b.token });
      assert.deepEqual((await meetingBookingsOf(t.store.db, b.user.id, { status: 'confirmed' })).length, 0);
      assert.deepEqual((await meetingBookingsOf(t.store.db, a.user.id, { status: 'confirmed' })).length, 2);
    });
  });
}
