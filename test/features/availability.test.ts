// Showing free time, the overlap of several users, and date-level editing, exact in every zone.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { insertHold } from '../../src/features/availability/holds';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';

const day = (body: any, date: string) => body.days.find((d: { date: string }) => d.date === date)?.intervals;

for (const store of STORES) {
  describe(`availability [${store}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startApp(store);
    });
    beforeEach(() => t.clock.set('2026-03-01T00:00:00Z'));
    after(() => t.close());

    describe('showing free time', () => {
      it('shows weekday hours, one entry per date, in the asked zone with the right offsets across DST', async () => {
        const { token } = await signUp(t.app, { timezone: 'America/New_York' });
        const res = await call(t.app, 'GET', '/api/v1/me/availability?from=2026-03-06&to=2026-03-09', { token });
        assert.equal(res.status, 200);
        assert.equal(res.body.timezone, 'America/New_York');
        assert.deepEqual(
          res.body.days.map((d: { date: string }) => d.date),
          ['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09'],
        );
        assert.deepEqual(day(res.body, '2026-03-06'), [
          { start: '2026-03-06T09:00:00-05:00', end: '2026-03-06T17:00:00-05:00' },
        ]);
        assert.deepEqual(day(res.body, '2026-03-07'), []);
        assert.deepEqual(day(res.body, '2026-03-08'), []);
        assert.deepEqual(
          day(res.body, '2026-03-09'),
          [{ start: '2026-03-09T09:00:00-04:00', end: '2026-03-09T17:00:00-04:00' }],
          '09:00 stays 09:00 local after DST',
        );
      });

      it('an invitee in Berlin sees a New York host correctly in the weeks only one zone has changed clocks', async () => {
        const host = await signUp(t.app, { timezone: 'America/New_York' });
        const viewer = await signUp(t.app, { timezone: 'Europe/Berlin' });
        const res = await call(
          t.app,
          'GET',
          `/api/v1/users/${host.username}/availability?from=2026-03-06&to=2026-03-30&timezone=Europe/Berlin`,
          { token: viewer.token },
        );
        assert.equal(res.status, 200);
        assert.deepEqual(
          day(res.body, '2026-03-06'),
          [{ start: '2026-03-06T15:00:00+01:00', end: '2026-03-06T23:00:00+01:00' }],
          'both on winter time: 6 h apart',
        );
        assert.deepEqual(
          day(res.body, '2026-03-09'),
          [{ start: '2026-03-09T14:00:00+01:00', end: '2026-03-09T22:00:00+01:00' }],
          'only New York moved: 5 h apart',
        );
        assert.deepEqual(
          day(res.body, '2026-03-30'),
          [{ start: '2026-03-30T15:00:00+02:00', end: '2026-03-30T23:00:00+02:00' }],
          'both on summer time',
        );
      });

      it('a host in Kathmandu seen in UTC: +05:45, and the evening spills onto the previous UTC date correctly', async () => {
        const host = await signUp(t.app, { timezone: 'Asia/Kathmandu' });
        const res = await call(
          t.app,
          'GET',
          `/api/v1/users/${host.username}/availability?from=2026-03-02&to=2026-03-02&timezone=UTC`,
          { token: host.token },
        );
        assert.deepEqual(day(res.body, '2026-03-02'), [{ start: '2026-03-02T03:15:00Z', end: '2026-03-02T11:15:00Z' }]);
      });

      it('leaves out the past', async () => {
        const { token } = await signUp(t.app, { timezone: 'Europe/Berlin' });
        t.clock.set('2026-03-02T12:30:00+01:00');
        const res = await call(t.app, 'GET', '/api/v1/me/availability?from=2026-03-01&to=2026-03-02', { token });
        assert.deepEqual(day(res.body, '2026-03-02'), [
          { start: '2026-03-02T12:30:00+01:00', end: '2026-03-02T17:00:00+01:00' },
        ]);
      });

      it('subtracts held time (bookings and meetings) and shows others free/busy only', async () => {
        const host = await signUp(t.app, { timezone: 'UTC' });
        await t.store.db.transaction((tx) =>
          insertHold(tx, {
            userId: host.user.id,
            interval: { start: Date.parse('2026-03-02T10:00:00Z'), end: Date.parse('2026-03-02T11:00:00Z') },
            source: 'booking',
          }),
        );
        const other = await signUp(t.app);
        const res = await call(
          t.app,
          'GET',
          `/api/v1/users/${host.username}/availability?from=2026-03-02&to=2026-03-02&timezone=UTC`,
          { token: other.token },
        );
        assert.deepEqual(day(res.body, '2026-03-02'), [
          { start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' },
          { start: '2026-03-02T11:00:00Z', end: '2026-03-02T17:00:00Z' },
        ]);
        assert.deepEqual(Object.keys(res.body).sort(), ['days', 'timezone']);
      });

      it('refuses bad windows with 400 naming the field', async () => {
        const { token } = await signUp(t.app);
        const cases: [string, string][] = [
          ['from=2026-03-02&to=2026-03-02&timezone=Mars/Base', 'timezone'],
          ['from=2026-02-30&to=2026-03-02', 'from'],
          ['from=2026-03-05&to=2026-03-02', 'to'],
          ['from=2026-03-01&to=2026-06-30', 'to'],
          ['from=2026-01-01&to=2026-01-31', 'to'],
          ['from=2026-03-01', 'to'],
          ['from=03/01/2026&to=2026-03-02', 'from'],
        ];
        for (const [query, field] of cases) {
          const res = await call(t.app, 'GET', `/api/v1/me/availability?${query}`, { token });
          assert.ok(isProblem(res, 400), `${query} -> ${res.status}`);
          assert.ok(
            res.body.errors.some((e: { field: string }) => e.field === field),
            `${query}: ${JSON.stringify(res.body.errors)}`,
          );
        }
        assert.ok(
          isProblem(
            await call(t.app, 'GET', '/api/v1/users/nobody-at-all/availability?from=2026-03-02&to=2026-03-02', {
              token,
            }),
            404,
          ),
        );
        assert.equal(
          (await call(t.app, 'GET', '/api/v1/me/availability?from=2026-03-01&to=2026-06-01', { token })).status,
          200,
          '93 days is allowed',
        );
      });
    });

    describe('overlap', () => {
      it('A free 09–11 and B 10–12 on a Monday have 10–11 in common; no common time is an empty day', async () => {
        const a = await signUp(t.app, { timezone: 'UTC' });
        const b = await signUp(t.app, { timezone: 'UTC' });
        const c = await signUp(t.app, { timezone: 'UTC' });
        await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token: a.token,
          body: { dates: [{ date: '2026-03-02', intervals: [{ start: '09:00', end: '11:00' }] }] },
        });
        await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token: b.token,
          body: { dates: [{ date: '2026-03-02', intervals: [{ start: '10:00', end: '12:00' }] }] },
        });
        await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token: c.token,
          body: { dates: [{ date: '2026-03-02', intervals: [{ start: '14:00', end: '15:00' }] }] },
        });
        const ab = await call(
          t.app,
          'GET',
          `/api/v1/availability/overlap?users=${a.username},${b.username}&from=2026-03-02&to=2026-03-02&timezone=UTC`,
          { token: a.token },
        );
        assert.equal(ab.status, 200);
        assert.deepEqual(day(ab.body, '2026-03-02'), [{ start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z' }]);
        const abc = await call(
          t.app,
          'GET',
          `/api/v1/availability/overlap?users=${a.username},${b.username},${c.username}&from=2026-03-02&to=2026-03-02&timezone=UTC`,
          { token: a.token },
        );
        assert.deepEqual(abc.body.days, [{ date: '2026-03-02', intervals: [] }]);
        const longOnly = await call(
          t.app,
          'GET',
          `/api/v1/availability/overlap?users=${a.username},${b.username}&from=2026-03-02&to=2026-03-02&timezone=UTC&min_duration=61`,
          { token: a.token },
        );
        assert.deepEqual(day(longOnly.body, '2026-03-02'), []);
        const exact = await call(
          t.app,
          'GET',
          `/api/v1/availability/overlap?users=${a.username},${b.username}&from=2026-03-02&to=2026-03-02&timezone=UTC&min_duration=60`,
          { token: a.token },
        );
        assert.equal(day(exact.body, '2026-03-02').length, 1);
      });

      it('works across zones: a Berlin and a New York user share the New York morning', async () => {
        const ber = await signUp(t.app, { timezone: 'Europe/Berlin' });
        const ny = await signUp(t.app, { timezone: 'America/New_York' });
        const res = await call(
          t.app,
          'GET',
          `/api/v1/availability/overlap?users=${ber.username},${ny.username}&from=2026-03-09&to=2026-03-09&timezone=America/New_York`,
          { token: ny.token },
        );
        assert.deepEqual(day(res.body, '2026-03-09'), [
          { start: '2026-03-09T09:00:00-04:00', end: '2026-03-09T12:00:00-04:00' },
        ]);
      });

      it('fewer than two users is a 400, an unknown user a 404', async () => {
        const a = await signUp(t.app);
        assert.ok(
          isProblem(
            await call(t.app, 'GET', `/api/v1/availability/overlap?users=${a.username}&from=2026-03-02&to=2026-03-02`, {
              token: a.token,
            }),
            400,
          ),
        );
        assert.ok(
          isProblem(
            await call(
              t.app,
              'GET',
              `/api/v1/availability/overlap?users=${a.username},${a.username}&from=2026-03-02&to=2026-03-02`,
              { token: a.token },
            ),
            400,
          ),
        );
        const unknown = await call(
          t.app,
          'GET',
          `/api/v1/availability/overlap?users=${a.username},ghost-user&from=2026-03-02&to=2026-03-02`,
          { token: a.token },
        );
        assert.ok(isProblem(unknown, 404));
        assert.ok(
          isProblem(
            await call(
              t.app,
              'GET',
              `/api/v1/availability/overlap?users=a,b&from=2026-03-02&to=2026-03-02&min_duration=-5`,
              { token: a.token },
            ),
            400,
          ),
        );
      });
    });

    describe('date-level editing', () => {
      it('PUT dates replaces the hours of each date; [] means not available', async () => {
        const { token } = await signUp(t.app, { timezone: 'UTC' });
        const res = await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token,
          body: {
            dates: [
              {
                date: '2026-03-02',
                intervals: [
                  { start: '13:00', end: '15:00' },
                  { start: '08:00', end: '10:00' },
                ],
              },
              { date: '2026-03-03', intervals: [] },
            ],
          },
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.dates, [
          {
            date: '2026-03-02',
            intervals: [
              { start: '08:00', end: '10:00' },
              { start: '13:00', end: '15:00' },
            ],
          },
          { date: '2026-03-03', intervals: [] },
        ]);
        const shown = await call(t.app, 'GET', '/api/v1/me/availability?from=2026-03-02&to=2026-03-04', { token });
        assert.equal(day(shown.body, '2026-03-02').length, 2);
        assert.deepEqual(day(shown.body, '2026-03-03'), []);
        assert.deepEqual(
          day(shown.body, '2026-03-04'),
          [{ start: '2026-03-04T09:00:00Z', end: '2026-03-04T17:00:00Z' }],
          'other dates keep weekly hours',
        );
        const [schedule] = (await call(t.app, 'GET', '/api/v1/schedules', { token })).body.data;
        assert.deepEqual(
          schedule.overrides.map((o: { date: string }) => o.date),
          ['2026-03-02', '2026-03-03'],
          'edits land as overrides on the default schedule',
        );
      });

      it('adding 17:00–18:00 to a Monday with 09:00–17:00 gives 09:00–18:00 (touching merges)', async () => {
        const { token } = await signUp(t.app, { timezone: 'Europe/Berlin' });
        const res = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
          token,
          body: { date: '2026-03-02', start: '17:00', end: '18:00' },
        });
        assert.equal(res.status, 201);
        assert.deepEqual(res.body.dates, [{ date: '2026-03-02', intervals: [{ start: '09:00', end: '18:00' }] }]);
      });

      it('overlapping intervals merge, an engulfing one replaces those it covers, a covered one is 409', async () => {
        const { token } = await signUp(t.app, { timezone: 'UTC' });
        await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token,
          body: {
            dates: [
              {
                date: '2026-03-02',
                intervals: [
                  { start: '09:00', end: '10:00' },
                  { start: '11:00', end: '12:00' },
                ],
              },
            ],
          },
        });
        const merged = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
          token,
          body: { date: '2026-03-02', start: '09:30', end: '10:30' },
        });
        assert.deepEqual(merged.body.dates[0].intervals, [
          { start: '09:00', end: '10:30' },
          { start: '11:00', end: '12:00' },
        ]);
        const engulf = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
          token,
          body: { start: '2026-03-02T08:00:00Z', end: '2026-03-02T13:00:00Z' },
        });
        assert.deepEqual(engulf.body.dates[0].intervals, [{ start: '08:00', end: '13:00' }]);
        const covered = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
          token,
          body: { date: '2026-03-02', start: '09:00', end: '10:00' },
        });
        assert.ok(isProblem(covered, 409));
        assert.equal(covered.body.type, '/problems/already-available');
      });

      it('an interval given as instants may cross midnight and answers every affected date', async () => {
        const { token } = await signUp(t.app, { timezone: 'UTC' });
        const res = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
          token,
          body: { start: '2026-03-06T22:00:00Z', end: '2026-03-07T02:00:00Z' },
        });
        assert.equal(res.status, 201);
        assert.deepEqual(res.body.dates, [
          {
            date: '2026-03-06',
            intervals: [
              { start: '09:00', end: '17:00' },
              { start: '22:00', end: '24:00' },
            ],
          },
          { date: '2026-03-07', intervals: [{ start: '00:00', end: '02:00' }] },
        ]);
      });

      it('blocks hourly slots 10, 15 and 17 of a date as three blocks', async () => {
        const { token } = await signUp(t.app, { timezone: 'Europe/Berlin' });
        await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token,
          body: { dates: [{ date: '2026-04-25', intervals: [{ start: '09:00', end: '18:00' }] }] },
        });
        let last: Awaited<ReturnType<typeof call<any>>> | undefined;
        for (const hour of ['10', '15', '17']) {
          last = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
            token,
            body: { date: '2026-04-25', start: `${hour}:00`, end: `${Number(hour) + 1}:00` },
          });
          assert.equal(last.status, 200);
        }
        assert.deepEqual(last!.body.dates, [
          {
            date: '2026-04-25',
            intervals: [
              { start: '09:00', end: '10:00' },
              { start: '11:00', end: '15:00' },
              { start: '16:00', end: '17:00' },
            ],
          },
        ]);
      });

      it('blocking time that holds a confirmed booking is a 409 naming it, and changes nothing', async () => {
        const { token, user } = await signUp(t.app, { timezone: 'UTC' });
        const start = Date.parse('2026-03-02T10:00:00Z');
        await t.store.db.transaction((tx) =>
          insertHold(tx, { userId: user.id, interval: { start, end: start + 3_600_000 }, source: 'booking' }),
        );
        const res = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
          token,
          body: { date: '2026-03-02', start: '09:00', end: '12:00', timezone: 'UTC' },
        });
        assert.ok(isProblem(res, 409));
        assert.equal(res.body.bookings.length, 1);
        assert.equal(res.body.bookings[0].start, '2026-03-02T10:00:00Z');
        const [schedule] = (await call(t.app, 'GET', '/api/v1/schedules', { token })).body.data;
        assert.deepEqual(schedule.overrides, []);
      });

      it("edits in another zone than the schedule's land on the right schedule dates", async () => {
        const { token } = await signUp(t.app, { timezone: 'Asia/Tokyo' });
        // 2026-03-02 in New York, 20:00–22:00 EST = 2026-03-03 10:00–12:00 in Tokyo: already within Tokyo's 09–17.
        const covered = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
          token,
          body: { date: '2026-03-02', start: '20:00', end: '22:00', timezone: 'America/New_York' },
        });
        assert.ok(isProblem(covered, 409));
        const blocked = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
          token,
          body: { date: '2026-03-02', start: '20:00', end: '22:00', timezone: 'America/New_York' },
        });
        assert.equal(blocked.status, 200);
        const [schedule] = (await call(t.app, 'GET', '/api/v1/schedules', { token })).body.data;
        assert.deepEqual(schedule.overrides, [
          {
            date: '2026-03-03',
            intervals: [
              { start: '09:00', end: '10:00' },
              { start: '12:00', end: '17:00' },
            ],
          },
        ]);
      });

      it('refuses bad edits with 400 naming the field', async () => {
        const { token } = await signUp(t.app);
        const cases: [string, string, unknown, string][] = [
          ['POST', '/api/v1/me/availability/intervals', { date: '2026-03-02', start: '25:00', end: '26:00' }, 'start'],
          ['POST', '/api/v1/me/availability/intervals', { date: '2026-03-02', start: '10:00', end: '09:00' }, 'end'],
          ['POST', '/api/v1/me/availability/intervals', { date: '2026-02-30', start: '09:00', end: '10:00' }, 'date'],
          [
            'POST',
            '/api/v1/me/availability/intervals',
            { start: '2026-03-02T10:00:00', end: '2026-03-02T11:00:00Z' },
            'start',
          ],
          [
            'POST',
            '/api/v1/me/availability/intervals',
            { date: '2026-03-02', start: '09:00', end: '10:00', timezone: 'Nowhere' },
            'timezone',
          ],
          [
            'POST',
            '/api/v1/me/availability/blocks',
            { start: '2026-03-02T11:00:00Z', end: '2026-03-02T10:00:00Z' },
            'end',
          ],
          [
            'PUT',
            '/api/v1/me/availability/dates',
            { dates: [{ date: '2026-03-02', intervals: [{ start: '18:00', end: '17:00' }] }] },
            'dates[0].intervals[0].end',
          ],
          ['PUT', '/api/v1/me/availability/dates', { dates: [] }, 'dates'],
        ];
        for (const [method, url, body, field] of cases) {
          const res = await call(t.app, method as 'POST', url, { token, body });
          assert.ok(isProblem(res, 400), `${JSON.stringify(body)} -> ${res.status} ${res.text}`);
          assert.ok(
            res.body.errors.some((e: { field: string }) => e.field === field),
            `${field}: ${JSON.stringify(res.body.errors)}`,
          );
        }
        const [schedule] = (await call(t.app, 'GET', '/api/v1/schedules', { token })).body.data;
        assert.deepEqual(schedule.overrides, []);
      });

      it('a block in the hour repeated by fall-back takes that wall time away, never nothing', async () => {
        const { token } = await signUp(t.app, { timezone: 'America/New_York' });
        await call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token,
          body: { dates: [{ date: '2026-11-01', intervals: [{ start: '00:00', end: '24:00' }] }] },
        });
        const res = await call(t.app, 'POST', '/api/v1/me/availability/blocks', {
          token,
          body: { start: '2026-11-01T01:45:00-04:00', end: '2026-11-01T01:15:00-05:00' },
        });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body.dates, [
          {
            date: '2026-11-01',
            intervals: [
              { start: '00:00', end: '01:00' },
              { start: '01:15', end: '01:45' },
              { start: '02:00', end: '24:00' },
            ],
          },
        ]);
        const shown = await call(t.app, 'GET', '/api/v1/me/availability?from=2026-11-01&to=2026-11-01', { token });
        for (const iv of day(shown.body, '2026-11-01')) {
          assert.ok(
            Date.parse(iv.end) <= Date.parse('2026-11-01T05:45:00Z') ||
              Date.parse(iv.start) >= Date.parse('2026-11-01T06:15:00Z'),
            JSON.stringify(iv),
          );
        }
      });

      it('a wall time skipped by DST cannot be added', async () => {
        const { token } = await signUp(t.app, { timezone: 'America/New_York' });
        const res = await call(t.app, 'POST', '/api/v1/me/availability/intervals', {
          token,
          body: { date: '2026-03-08', start: '02:00', end: '03:00' },
        });
        assert.ok(isProblem(res, 400));
      });
    });

    it('every availability route needs a token', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/me/availability?from=2026-03-02&to=2026-03-02'],
        ['GET', '/api/v1/users/x/availability?from=2026-03-02&to=2026-03-02'],
        ['GET', '/api/v1/availability/overlap?users=a,b&from=2026-03-02&to=2026-03-02'],
        ['PUT', '/api/v1/me/availability/dates'],
        ['POST', '/api/v1/me/availability/intervals'],
        ['POST', '/api/v1/me/availability/blocks'],
      ]) {
        assert.ok(
          isProblem(await call(t.app, method as 'GET', url, { body: method === 'GET' ? undefined : {} }), 401),
          `${method} ${url}`,
        );
      }
    });
  });
}
