// The host's view of everything booked: bookings of event types and meeting occurrences in one
// list, soonest first, paginated; and a block over booked time names what is in the way.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { call, isProblem, startApp, STORES, type TestApp } from '../helpers/app';
import { book, createEventType, newHost, type Host } from './booking-helpers';

for (const store of STORES) {
  describe(`bookings list with meetings [${store}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startApp(store);
    });
    beforeEach(() => t.clock.set('2026-03-01T00:00:00Z'));
    after(() => t.close());

    async function setUp(): Promise<{ host: Host; colleague: Host; slug: string; meetingId: string }> {
      const host = await newHost(t.app, 'UTC');
      const colleague = await newHost(t.app, 'UTC');
      const et = await createEventType(t.app, host, { duration: 30, buffer_before: 15 });
      assert.equal((await book(t.app, host, et.slug, '2026-03-02T09:00:00Z')).status, 201);
      assert.equal((await book(t.app, host, et.slug, '2026-03-04T09:00:00Z')).status, 201);
      const meeting = await call(t.app, 'POST', '/api/v1/meetings', {
        token: host.token,
        body: {
          title: 'Sync',
          start: '2026-03-03T10:00:00Z',
          duration: 30,
          participants: [colleague.username],
          recurrence: 'FREQ=WEEKLY;COUNT=2',
        },
      });
      assert.equal(meeting.status, 201, meeting.text);
      return { host, colleague, slug: et.slug, meetingId: meeting.body.id };
    }

    it('lists bookings and meeting occurrences together, soonest first, for every participant', async () => {
      const { host, colleague, meetingId } = await setUp();
      const mine = await call(t.app, 'GET', '/api/v1/bookings?timezone=UTC', { token: host.token });
      assert.equal(mine.status, 200, mine.text);
      assert.deepEqual(
        mine.body.data.map((x: any) => [x.kind, x.start]),
        [
          ['booking', '2026-03-02T09:00:00Z'],
          ['meeting', '2026-03-03T10:00:00Z'],
          ['booking', '2026-03-04T09:00:00Z'],
          ['meeting', '2026-03-10T10:00:00Z'],
        ],
      );
      const occurrence = mine.body.data[1];
      assert.equal(occurrence.meeting_id, meetingId);
      assert.equal(occurrence.occurrence, 1);
      assert.equal(occurrence.title, 'Sync');
      const theirs = await call(t.app, 'GET', '/api/v1/bookings', { token: colleague.token });
      assert.deepEqual(
        theirs.body.data.map((x: any) => x.kind),
        ['meeting', 'meeting'],
      );
    });

    it('pages through the merged list one at a time, each entry exactly once', async () => {
      const { host } = await setUp();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await call(t.app, 'GET', `/api/v1/bookings?limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
          token: host.token,
        });
        assert.equal(page.status, 200, page.text);
        assert.ok(page.body.data.length <= 1);
        seen.push(...page.body.data.map((x: any) => `${x.kind}:${x.id}`));
        cursor = page.body.next_cursor;
      } while (cursor && seen.length < 20);
      assert.equal(seen.length, 4);
      assert.equal(new Set(seen).size, 4);
    });

    it('filters apply to meetings too; an event type filter leaves them out', async () => {
      const { host, slug, meetingId } = await setUp();
      const byType = await call(t.app, 'GET', `/api/v1/bookings?event_type=${slug}`, { token: host.token });
      assert.deepEqual(
        byType.body.data.map((x: any) => x.kind),
        ['booking', 'booking'],
      );
      const window = await call(t.app, 'GET', '/api/v1/bookings?from=2026-03-03&to=2026-03-03&timezone=UTC', {
        token: host.token,
      });
      assert.deepEqual(
        window.body.data.map((x: any) => x.kind),
        ['meeting'],
      );
      await call(t.app, 'POST', `/api/v1/meetings/${meetingId}/occurrences/2/cancel`, { token: host.token });
      const cancelled = await call(t.app, 'GET', '/api/v1/bookings?status=cancelled', { token: host.token });
      assert.deepEqual(
        cancelled.body.data.map((x: any) => [x.kind, x.occurrence]),
        [['meeting', 2]],
      );
    });

    it('a block over a booking names the booking with its own times, not the buffered hold', async () => {
      const { host } = await setUp();
      const mine = await call(t.app, 'GET', '/api/v1/bookings', { token: host.token });
      const res = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token: host.token,
        body: { date: '2026-03-02', start: '08:00', end: '12:00', timezone: 'UTC' },
      });
      assert.ok(isProblem(res, 409));
      assert.deepEqual(res.body.bookings, [
        { id: mine.body.data[0].id, kind: 'booking', start: '2026-03-02T09:00:00Z', end: '2026-03-02T09:30:00Z' },
      ]);
      // The booking's 15-minute buffer reaches into 08:45-09:00, but the booking itself does not.
      const beside = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
        token: host.token,
        body: { date: '2026-03-02', start: '08:30', end: '09:00', timezone: 'UTC' },
      });
      assert.equal(beside.status, 200, beside.text);
    });
  });
}
