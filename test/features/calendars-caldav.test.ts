// CalDAV calendars, against Radicale (a real CalDAV server): linking reads the collection's
// events with a time-range query; their busy time blocks availability; wrong credentials or
// a URL that is no calendar are refused; a later read picks up changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, startApp, STORES, type TestApp } from '../helpers/app';
import { dav, startRadicale, type Radicale } from '../helpers/radicale';
import { book, createEventType, newHost, type Host } from './booking-helpers';

const event = (uid: string, start: string, end: string, extra: string[] = []) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${start}`,
    `DTEND:${end}`,
    'SUMMARY:Dentist & <private>',
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

for (const store of STORES) {
  describe(`CalDAV calendars [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    let radicale: Radicale;
    const put = (uid: string, ics: string) =>
      dav(radicale.base, 'ada', 'pw-ada', 'PUT', `/ada/work/${uid}.ics`, ics, { 'content-type': 'text/calendar' });
    before(async () => {
      radicale = await startRadicale({ ada: 'pw-ada' });
      assert.equal((await dav(radicale.base, 'ada', 'pw-ada', 'MKCALENDAR', '/ada/work/')).status, 201);
      t = await startApp(store);
      t.clock.set('2026-03-02T06:00:00Z');
      host = await newHost(t.app, 'UTC'); // Mon–Fri 09:00–17:00 UTC
    });
    after(async () => {
      await t.close();
      await radicale.stop();
    });

    const day = async (date: string) => {
      const res = await call(t.app, 'GET', `/api/v1/me/availability?from=${date}&to=${date}&timezone=UTC`, {
        token: host.token,
      });
      return res.body.days[0].intervals.map((i: any) => `${i.start.slice(11, 16)}-${i.end.slice(11, 16)}`);
    };

    it('linking reads the events in the horizon; busy time blocks availability; the password is never shown', async () => {
      assert.equal((await put('a1', event('a1', '20260304T100000Z', '20260304T110000Z'))).status, 201);
      assert.equal(
        (await put('a2', event('a2', '20260304T140000Z', '20260304T150000Z', ['TRANSP:TRANSPARENT']))).status,
        201,
      );
      assert.equal((await put('a3', event('a3', '20250101T100000Z', '20250101T110000Z'))).status, 201);
      const linked = await call(t.app, 'POST', '/api/v1/calendars', {
        token: host.token,
        body: {
          provider: 'caldav',
          url: `${radicale.base}/ada/work/`,
          username: 'ada',
          password: 'pw-ada',
          name: 'Work',
        },
      });
      assert.equal(linked.status, 201, linked.text);
      assert.deepEqual([linked.body.provider, linked.body.status, linked.body.busy_intervals], ['caldav', 'ok', 1]);
      assert.ok(!linked.text.includes('pw-ada'));
      assert.deepEqual(await day('2026-03-04'), ['09:00-10:00', '11:00-17:00']);

      assert.equal((await put('a4', event('a4', '20260305T090000Z', '20260305T120000Z'))).status, 201);
      const again = await call(t.app, 'POST', `/api/v1/calendars/${linked.body.id}/sync`, { token: host.token });
      assert.deepEqual([again.body.status, again.body.busy_intervals], ['ok', 2]);
      assert.deepEqual(await day('2026-03-05'), ['12:00-17:00']);
    });

    it('chosen for writing, it gets each booking as an event, and loses it when the booking is cancelled', async () => {
      const [cal] = (await call(t.app, 'GET', '/api/v1/calendars', { token: host.token })).body.data;
      const chosen = await call(t.app, 'PATCH', `/api/v1/calendars/${cal.id}`, {
        token: host.token,
        body: { write_bookings: true },
      });
      assert.equal(chosen.status, 200, chosen.text);
      assert.equal(chosen.body.write_bookings, true);
      await createEventType(t.app, host, { slug: 'intro', title: 'Intro' });
      const booked = await book(t.app, host, 'intro', '2026-03-06T09:00:00Z');
      assert.equal(booked.status, 201, booked.text);
      const object = () => dav(radicale.base, 'ada', 'pw-ada', 'GET', `/ada/work/${booked.body.id}.ics`);
      let got = await object();
      for (let i = 0; i < 250 && got.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 20));
        got = await object();
      }
      assert.equal(got.status, 200, 'the event was put into the calendar');
      assert.match(got.text, new RegExp(`UID:${booked.body.id}@`));
      assert.doesNotMatch(got.text, /^METHOD:/m, 'a calendar object carries no METHOD');
      // Read back, this service's own event is not busy a second time.
      const synced = await call(t.app, 'POST', `/api/v1/calendars/${cal.id}/sync`, { token: host.token });
      assert.equal(synced.body.busy_intervals, 2);

      const cancelled = await call(t.app, 'POST', `/api/v1/bookings/${booked.body.id}/cancel`, {
        token: host.token,
        body: {},
      });
      assert.equal(cancelled.status, 200, cancelled.text);
      for (let i = 0; i < 250 && got.status !== 404; i++) {
        await new Promise((r) => setTimeout(r, 20));
        got = await object();
      }
      assert.equal(got.status, 404, 'the event was deleted');
    });

    it('wrong credentials, or a URL that is no calendar, are refused with a reason', async () => {
      const wrong = await call(t.app, 'POST', '/api/v1/calendars', {
        token: host.token,
        body: { provider: 'caldav', url: `${radicale.base}/ada/work/`, username: 'ada', password: 'nope' },
      });
      assert.ok(isProblem(wrong, 422), wrong.text);
      assert.match(wrong.body.detail, /401/);
      const missing = await call(t.app, 'POST', '/api/v1/calendars', {
        token: host.token,
        body: { provider: 'caldav', url: `${radicale.base}/ada/none/`, username: 'ada', password: 'pw-ada' },
      });
      assert.ok(isProblem(missing, 422), missing.text);
      const noPassword = await call(t.app, 'POST', '/api/v1/calendars', {
        token: host.token,
        body: { provider: 'caldav', url: `${radicale.base}/ada/work/`, username: 'ada' },
      });
      assert.ok(isProblem(noPassword, 400), noPassword.text);
      assert.equal((await call(t.app, 'GET', '/api/v1/calendars', { token: host.token })).body.data.length, 1);
    });
  });
}
