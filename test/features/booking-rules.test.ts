// One test per booking rule, as an invitee sees it through the public link: what is offered
// (GET .../slots and .../days) and what is accepted (POST .../bookings) always agree.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { call, isProblem, startApp, STORES, type TestApp } from '../helpers/app';
import {
  acceptHosting,
  book,
  createEventType,
  createSchedule,
  createTeamEventType,
  newHost,
  slotStarts,
  slots,
  type Host,
} from './booking-helpers';

// Monday 2026-03-02, 07:00 in Berlin: hosts have Mon–Fri 09:00–17:00 in their own zone.
const MONDAY_MORNING = '2026-03-02T06:00:00Z';
const BERLIN = 'timezone=Europe/Berlin';

for (const store of STORES) {
  describe(`booking rules [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    before(async () => {
      t = await startApp(store);
    });
    beforeEach(async () => {
      t.clock.set(MONDAY_MORNING);
      host = await newHost(t.app);
    });
    after(() => t.close());

    async function availableDays(slug: string, month: string, who = host): Promise<string[]> {
      const res = await call(t.app, 'GET', `/api/v1/public/${who.username}/${slug}/days?month=${month}&${BERLIN}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(
        res.body.days.length,
        Number(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate()),
      );
      return res.body.days.filter((d: any) => d.available).map((d: any) => d.date);
    }

    it("offers the schedule's hours on a grid of the duration, and accepts exactly what it offers", async () => {
      const et = await createEventType(t.app, host, { slug: 'grid' });
      const starts = await slotStarts(t.app, host, 'grid', `date=2026-03-02&${BERLIN}`);
      assert.equal(starts.length, 16);
      assert.equal(starts[0], '2026-03-02T09:00:00+01:00');
      assert.equal(starts[15], '2026-03-02T16:30:00+01:00');
      const offTheGrid = await book(t.app, host, et.slug, '2026-03-02T09:10:00+01:00');
      assert.ok(isProblem(offTheGrid, 409));
      const outside = await book(t.app, host, et.slug, '2026-03-02T17:00:00+01:00');
      assert.ok(isProblem(outside, 409));
      const ok = await book(t.app, host, et.slug, '2026-03-02T08:00:00Z');
      assert.equal(ok.status, 201);
      assert.equal(ok.body.start, '2026-03-02T09:00:00+01:00');
      assert.ok(
        !(await slotStarts(t.app, host, 'grid', `date=2026-03-02&${BERLIN}`)).includes('2026-03-02T09:00:00+01:00'),
      );
    });

    it('slot_interval sets the grid and durations let the invitee choose', async () => {
      await createEventType(t.app, host, { slug: 'choose', durations: [30, 60], slot_interval: 15 });
      const thirty = await slots(t.app, host, 'choose', `date=2026-03-02&${BERLIN}`);
      assert.equal(thirty[1].start, '2026-03-02T09:15:00+01:00');
      assert.equal(thirty.at(-1).start, '2026-03-02T16:30:00+01:00');
      const sixty = await slots(t.app, host, 'choose', `date=2026-03-02&${BERLIN}&duration=60`);
      assert.equal(sixty.at(-1).start, '2026-03-02T16:00:00+01:00');
      assert.equal(sixty[0].end, '2026-03-02T10:00:00+01:00');
      const res = await book(t.app, host, 'choose', '2026-03-02T10:15:00+01:00', { duration: 60 });
      assert.equal(res.status, 201);
      assert.equal(res.body.end, '2026-03-02T11:15:00+01:00');
      const wrong = await book(t.app, host, 'choose', '2026-03-02T13:00:00+01:00', { duration: 45 });
      assert.ok(isProblem(wrong, 400));
      assert.equal(wrong.body.errors[0].field, 'duration');
      assert.ok(
        isProblem(
          await call(t.app, 'GET', `/api/v1/public/${host.username}/choose/slots?date=2026-03-02&duration=45`),
          400,
        ),
      );
    });

    it('buffers keep time free around each booking', async () => {
      await createEventType(t.app, host, { slug: 'buffered', buffer_before: 15, buffer_after: 15 });
      assert.equal((await book(t.app, host, 'buffered', '2026-03-02T10:00:00+01:00')).status, 201);
      const starts = await slotStarts(t.app, host, 'buffered', `date=2026-03-02&${BERLIN}`);
      assert.ok(starts.includes('2026-03-02T09:00:00+01:00'));
      assert.ok(!starts.includes('2026-03-02T09:30:00+01:00'), "its buffer after would touch the booking's buffer");
      assert.ok(!starts.includes('2026-03-02T10:30:00+01:00'));
      assert.ok(starts.includes('2026-03-02T11:00:00+01:00'));
      assert.ok(isProblem(await book(t.app, host, 'buffered', '2026-03-02T10:30:00+01:00'), 409));
      // Another event type of the same host without buffers still cannot use the buffered time.
      await createEventType(t.app, host, { slug: 'plain', slot_interval: 15 });
      const plain = await slotStarts(t.app, host, 'plain', `date=2026-03-02&${BERLIN}`);
      assert.ok(!plain.includes('2026-03-02T10:30:00+01:00'));
      assert.ok(plain.includes('2026-03-02T10:45:00+01:00'));
    });

    it('minimum notice hides slots that start too soon', async () => {
      await createEventType(t.app, host, { slug: 'notice', min_notice: 120 });
      t.clock.set('2026-03-02T08:10:00Z'); // 09:10 in Berlin
      const starts = await slotStarts(t.app, host, 'notice', `date=2026-03-02&${BERLIN}`);
      assert.equal(starts[0], '2026-03-02T11:30:00+01:00');
      assert.ok(isProblem(await book(t.app, host, 'notice', '2026-03-02T11:00:00+01:00'), 409));
      assert.equal((await book(t.app, host, 'notice', '2026-03-02T11:30:00+01:00')).status, 201);
    });

    it('the past is never offered', async () => {
      await createEventType(t.app, host, { slug: 'past', date_range: { type: 'indefinite' } });
      t.clock.set('2026-03-02T12:00:00Z'); // 13:00 in Berlin
      const starts = await slotStarts(t.app, host, 'past', `date=2026-03-02&${BERLIN}`);
      assert.equal(starts[0], '2026-03-02T13:00:00+01:00');
      assert.deepEqual(await slotStarts(t.app, host, 'past', `date=2026-02-27&${BERLIN}`), []);
      assert.ok(isProblem(await book(t.app, host, 'past', '2026-02-27T09:00:00+01:00'), 409));
    });

    it('max_per_day closes a day once it has that many bookings', async () => {
      await createEventType(t.app, host, { slug: 'limited', max_per_day: 2 });
      assert.equal((await book(t.app, host, 'limited', '2026-03-03T09:00:00+01:00')).status, 201);
      assert.equal((await book(t.app, host, 'limited', '2026-03-03T11:00:00+01:00')).status, 201);
      assert.deepEqual(await slotStarts(t.app, host, 'limited', `date=2026-03-03&${BERLIN}`), []);
      const third = await book(t.app, host, 'limited', '2026-03-03T13:00:00+01:00');
      assert.ok(isProblem(third, 409));
      const days = await availableDays('limited', '2026-03');
      assert.ok(!days.includes('2026-03-03') && days.includes('2026-03-04'));
    });

    it('date_range rolling: today and the next days only', async () => {
      await createEventType(t.app, host, { slug: 'rolling', date_range: { type: 'rolling', days: 3 } });
      assert.deepEqual(await availableDays('rolling', '2026-03'), ['2026-03-02', '2026-03-03', '2026-03-04']);
      assert.ok(isProblem(await book(t.app, host, 'rolling', '2026-03-05T09:00:00+01:00'), 409));
    });

    it("date_range range: both end dates included, in the host's zone", async () => {
      await createEventType(t.app, host, {
        slug: 'range',
        date_range: { type: 'range', start_date: '2026-03-10', end_date: '2026-03-12' },
      });
      assert.deepEqual(await availableDays('range', '2026-03'), ['2026-03-10', '2026-03-11', '2026-03-12']);
      assert.ok(isProblem(await book(t.app, host, 'range', '2026-03-13T09:00:00+01:00'), 409));
      assert.equal((await book(t.app, host, 'range', '2026-03-12T16:30:00+01:00')).status, 201);
    });

    it('date_range dates: only the dates listed', async () => {
      await createEventType(t.app, host, {
        slug: 'dates',
        date_range: { type: 'dates', dates: ['2026-03-05', '2026-03-20'] },
      });
      assert.deepEqual(await availableDays('dates', '2026-03'), ['2026-03-05', '2026-03-20']);
      assert.ok(isProblem(await book(t.app, host, 'dates', '2026-03-06T09:00:00+01:00'), 409));
    });

    it('date_range indefinite: any date, however far', async () => {
      await createEventType(t.app, host, { slug: 'forever', date_range: { type: 'indefinite' } });
      await createEventType(t.app, host, { slug: 'sixty' });
      assert.equal((await slotStarts(t.app, host, 'forever', `date=2027-06-01&${BERLIN}`)).length, 16);
      assert.deepEqual(await slotStarts(t.app, host, 'sixty', `date=2027-06-01&${BERLIN}`), []);
      assert.equal((await book(t.app, host, 'forever', '2027-06-01T09:00:00+02:00')).status, 201);
    });

    it('several schedules: their union applies, each until its expires_on', async () => {
      const early = await createSchedule(t.app, host, {
        timezone: 'Europe/Berlin',
        weekly: { monday: [{ start: '08:00', end: '09:00' }] },
      });
      const late = await createSchedule(t.app, host, {
        timezone: 'Europe/Berlin',
        weekly: { monday: [{ start: '18:00', end: '19:00' }] },
      });
      await createEventType(t.app, host, {
        slug: 'union',
        schedules: [{ schedule_id: early.id, expires_on: '2026-03-08' }, { schedule_id: late.id }],
      });
      assert.deepEqual(await slotStarts(t.app, host, 'union', `date=2026-03-02&${BERLIN}`), [
        '2026-03-02T08:00:00+01:00',
        '2026-03-02T08:30:00+01:00',
        '2026-03-02T18:00:00+01:00',
        '2026-03-02T18:30:00+01:00',
      ]);
      assert.deepEqual(await slotStarts(t.app, host, 'union', `date=2026-03-09&${BERLIN}`), [
        '2026-03-09T18:00:00+01:00',
        '2026-03-09T18:30:00+01:00',
      ]);
    });

    it('fixed slots: exactly those are offered, even outside the schedule', async () => {
      await createEventType(t.app, host, {
        slug: 'one-off',
        duration: 45,
        fixed_slots: [
          { start: '2026-03-07T10:00:00Z' },
          { start: '2026-03-09T08:00:00Z' },
          { start: '2026-03-09T08:30:00Z' },
        ],
      });
      const offered = await slots(t.app, host, 'one-off', `from=2026-03-02&to=2026-03-15&${BERLIN}`);
      assert.deepEqual(offered, [
        { start: '2026-03-07T11:00:00+01:00', end: '2026-03-07T11:45:00+01:00' },
        { start: '2026-03-09T09:00:00+01:00', end: '2026-03-09T09:45:00+01:00' },
        { start: '2026-03-09T09:30:00+01:00', end: '2026-03-09T10:15:00+01:00' },
      ]);
      assert.ok(isProblem(await book(t.app, host, 'one-off', '2026-03-09T10:00:00+01:00'), 409));
      assert.equal((await book(t.app, host, 'one-off', '2026-03-09T09:00:00+01:00')).status, 201);
      assert.deepEqual(await slotStarts(t.app, host, 'one-off', `from=2026-03-02&to=2026-03-15&${BERLIN}`), [
        '2026-03-07T11:00:00+01:00',
      ]);
    });

    it('single use: the link dies after one booking (410), the booking itself lives on', async () => {
      await createEventType(t.app, host, { slug: 'once', single_use: true });
      const first = await book(t.app, host, 'once', '2026-03-03T09:00:00+01:00');
      assert.equal(first.status, 201);
      const base = `/api/v1/public/${host.username}/once`;
      assert.ok(isProblem(await call(t.app, 'GET', base), 410));
      assert.ok(isProblem(await call(t.app, 'GET', `${base}/slots?date=2026-03-03`), 410));
      assert.ok(isProblem(await call(t.app, 'GET', `${base}/days?month=2026-03`), 410));
      assert.ok(isProblem(await book(t.app, host, 'once', '2026-03-04T09:00:00+01:00'), 410));
      const own = await call(t.app, 'GET', new URL(first.body.reschedule_url).pathname);
      assert.equal(own.status, 200);
      const moved = await call(t.app, 'POST', new URL(first.body.reschedule_url).pathname, {
        body: { start: '2026-03-04T10:00:00+01:00' },
      });
      assert.equal(moved.status, 200);
    });

    it('seats: a group slot takes that many bookings and shows the seats left', async () => {
      await createEventType(t.app, host, { slug: 'class', kind: 'group', seats: 2, duration: 60 });
      const at = '2026-03-03T10:00:00+01:00';
      const seatsAt = async () =>
        (await slots(t.app, host, 'class', `date=2026-03-03&${BERLIN}`)).find((s) => s.start === at)?.seats_left;
      assert.equal(await seatsAt(), 2);
      assert.equal((await book(t.app, host, 'class', at)).status, 201);
      assert.equal(await seatsAt(), 1);
      const second = await book(t.app, host, 'class', at, {
        invitee: { name: 'Bo', email: 'bo@example.com', timezone: 'UTC' },
      });
      assert.equal(second.status, 201);
      assert.equal(await seatsAt(), undefined);
      assert.ok(isProblem(await book(t.app, host, 'class', at), 409));
      // A slot overlapping the occupied one is not offered while it holds the time.
      await createEventType(t.app, host, { slug: 'other', slot_interval: 15 });
      assert.ok(
        !(await slotStarts(t.app, host, 'other', `date=2026-03-03&${BERLIN}`)).includes('2026-03-03T10:30:00+01:00'),
      );
      // Cancelling one seat frees one seat.
      await call(t.app, 'POST', new URL(second.body.cancel_url).pathname, { body: {} });
      assert.equal(await seatsAt(), 1);
    });

    it('collective: only times when every host is free, and every host is held', async () => {
      const colleague = await newHost(t.app, 'America/New_York');
      await createTeamEventType(t.app, host, [colleague], { slug: 'panel', kind: 'collective' });
      await createEventType(t.app, colleague, { slug: 'solo' });
      // Berlin 09–17 is 08–16 UTC; New York 09–17 (EST) is 14–22 UTC: together 14–16 UTC.
      const starts = await slotStarts(t.app, host, 'panel', `date=2026-03-02&timezone=UTC`);
      assert.deepEqual(starts, [
        '2026-03-02T14:00:00Z',
        '2026-03-02T14:30:00Z',
        '2026-03-02T15:00:00Z',
        '2026-03-02T15:30:00Z',
      ]);
      const res = await book(t.app, host, 'panel', '2026-03-02T14:00:00Z');
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.hosts.sort(), [host.username, colleague.username].sort());
      assert.ok(
        !(await slotStarts(t.app, colleague, 'solo', 'date=2026-03-02&timezone=UTC')).includes('2026-03-02T14:00:00Z'),
      );
      // When one host is taken, the collective slot is gone and cannot be booked.
      assert.equal((await book(t.app, colleague, 'solo', '2026-03-02T15:00:00Z')).status, 201);
      assert.ok(
        !(await slotStarts(t.app, host, 'panel', 'date=2026-03-02&timezone=UTC')).includes('2026-03-02T15:00:00Z'),
      );
      assert.ok(isProblem(await book(t.app, host, 'panel', '2026-03-02T15:00:00Z'), 409));
    });

    it('round robin: any free host takes it, least recently booked first', async () => {
      const second = await newHost(t.app);
      await createTeamEventType(t.app, host, [second], { slug: 'rr', kind: 'round_robin' });
      const bookAt = async (start: string, minute: number) => {
        t.clock.set(Date.parse(MONDAY_MORNING) + minute * 60_000);
        return book(t.app, host, 'rr', start);
      };
      const a = await bookAt('2026-03-03T09:00:00+01:00', 1);
      const b = await bookAt('2026-03-03T09:00:00+01:00', 2);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.notDeepEqual(a.body.hosts, b.body.hosts, 'the busy host is skipped');
      assert.ok(isProblem(await bookAt('2026-03-03T09:00:00+01:00', 3), 409), 'no host is free');
      assert.ok(
        !(await slotStarts(t.app, host, 'rr', `date=2026-03-03&${BERLIN}`)).includes('2026-03-03T09:00:00+01:00'),
      );
      const c = await bookAt('2026-03-03T10:00:00+01:00', 4);
      assert.deepEqual(c.body.hosts, a.body.hosts, 'the least recently booked host comes next');
      const d = await bookAt('2026-03-03T11:00:00+01:00', 5);
      assert.deepEqual(d.body.hosts, b.body.hosts);
    });

    it('a host who has not accepted is never offered nor held: collective offers nothing, round robin only who accepted', async () => {
      const colleague = await newHost(t.app);
      await createEventType(t.app, colleague, { slug: 'own' });
      const panel = await createEventType(t.app, host, {
        slug: 'panel',
        kind: 'collective',
        hosts: [host.username, colleague.username],
      });
      const rr = await createEventType(t.app, host, {
        slug: 'rr',
        kind: 'round_robin',
        hosts: [colleague.username, host.username],
      });
      await createEventType(t.app, host, { slug: 'theirs', kind: 'round_robin', hosts: [colleague.username] });
      const day = `date=2026-03-03&${BERLIN}`;
      const link = await call(t.app, 'GET', `/api/v1/public/${host.username}/panel`);
      assert.deepEqual(link.body.hosts, [host.username], 'the public page names only hosts who accepted');

      assert.deepEqual(await slotStarts(t.app, host, 'panel', day), []);
      assert.deepEqual(await availableDays('panel', '2026-03'), []);
      assert.ok(isProblem(await book(t.app, host, 'panel', '2026-03-03T09:00:00+01:00'), 409));
      assert.deepEqual(await slotStarts(t.app, host, 'theirs', day), []);
      assert.ok(isProblem(await book(t.app, host, 'theirs', '2026-03-03T09:00:00+01:00'), 409));
      const first = await book(t.app, host, 'rr', '2026-03-03T10:00:00+01:00');
      assert.deepEqual(first.body.hosts, [host.username], 'only the owner, who accepted, is booked');
      assert.ok(!(await slotStarts(t.app, host, 'rr', day)).includes('2026-03-03T10:00:00+01:00'));
      assert.ok(
        isProblem(await book(t.app, host, 'rr', '2026-03-03T10:00:00+01:00'), 409),
        'the colleague is not booked instead',
      );
      assert.ok(
        (await slotStarts(t.app, colleague, 'own', day)).includes('2026-03-03T09:00:00+01:00'),
        'nothing is held in their calendar',
      );
      assert.ok((await slotStarts(t.app, colleague, 'own', day)).includes('2026-03-03T10:00:00+01:00'));

      await acceptHosting(t.app, colleague, panel.id);
      await acceptHosting(t.app, colleague, rr.id);
      assert.ok((await slotStarts(t.app, host, 'panel', day)).includes('2026-03-03T09:00:00+01:00'));
      const second = await book(t.app, host, 'rr', '2026-03-03T10:00:00+01:00');
      assert.equal(second.status, 201, second.text);
      assert.deepEqual(second.body.hosts, [colleague.username]);
      assert.ok(
        !(await slotStarts(t.app, colleague, 'own', day)).includes('2026-03-03T10:00:00+01:00'),
        'now their time is held',
      );
    });

    it('DST: a New York host seen from Berlin while only one of them has changed clocks', async () => {
      const ny = await newHost(t.app, 'America/New_York');
      await createEventType(t.app, ny, { slug: 'dst', date_range: { type: 'indefinite' } });
      const first = async (date: string) => (await slotStarts(t.app, ny, 'dst', `date=${date}&${BERLIN}`))[0];
      assert.equal(await first('2026-03-05'), '2026-03-05T15:00:00+01:00'); // both on winter time: 6 h apart
      assert.equal(await first('2026-03-12'), '2026-03-12T14:00:00+01:00'); // US moved on March 8: 5 h apart
      assert.equal(await first('2026-03-31'), '2026-03-31T15:00:00+02:00'); // EU moved on March 29: 6 h again
      assert.equal(await first('2026-10-27'), '2026-10-27T14:00:00+01:00'); // EU back on October 25: 5 h
      assert.equal(await first('2026-11-03'), '2026-11-03T15:00:00+01:00'); // US back on November 1: 6 h
      const last = (await slotStarts(t.app, ny, 'dst', `date=2026-03-12&${BERLIN}`)).at(-1);
      assert.equal(last, '2026-03-12T21:30:00+01:00');
      const res = await book(t.app, ny, 'dst', '2026-03-12T14:00:00+01:00', {
        invitee: { name: 'B', email: 'b@example.com', timezone: 'Europe/Berlin' },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.start, '2026-03-12T14:00:00+01:00');
      const hostSide = await call(t.app, 'GET', `/api/v1/bookings/${res.body.id}`, { token: ny.token });
      assert.equal(hostSide.body.start, '2026-03-12T09:00:00-04:00');
    });
  });
}
