// After booking: the invitee's private links (view, cancel, reschedule, .ics) and the host's
// view (list with filters, one booking, cancel, reschedule, .ics), with their refusals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';
import { book, createEventType, createTeamEventType, newHost, pathOf, slotStarts, type Host } from './booking-helpers';

const BERLIN = 'timezone=Europe/Berlin';

function icsField(text: string, name: string): string | undefined {
  return text
    .split(/\r?\n/)
    .find((line) => line.startsWith(`${name}:`) || line.startsWith(`${name};`))
    ?.replace(/^[^:]*:/, '');
}

for (const store of STORES) {
  describe(`managing bookings [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    before(async () => {
      t = await startApp(store);
      t.clock.set('2026-03-02T06:00:00Z');
      host = await newHost(t.app);
      await createEventType(t.app, host, { slug: 'call', slot_interval: 15, location: 'Phone' });
    });
    after(() => t.close());

    describe('invitee self-service', () => {
      it('either link shows the booking; timezone changes how its instants are written', async () => {
        const b = (await book(t.app, host, 'call', '2026-03-03T09:00:00+01:00')).body;
        for (const url of [b.cancel_url, b.reschedule_url]) {
          const res = await call(t.app, 'GET', pathOf(url));
          assert.equal(res.status, 200);
          assert.equal(res.body.id, b.id);
          assert.equal(res.body.start, '2026-03-03T09:00:00+01:00');
        }
        const tokyo = await call(t.app, 'GET', `${pathOf(b.cancel_url)}?timezone=Asia/Tokyo`);
        assert.equal(tokyo.body.start, '2026-03-03T17:00:00+09:00');
        assert.ok(isProblem(await call(t.app, 'GET', `${pathOf(b.cancel_url)}?timezone=Nowhere`), 400));
      });

      it('an unknown or malformed token is a 404', async () => {
        for (const token of ['A'.repeat(43), 'short', 'bad token!']) {
          const res = await call(t.app, 'GET', `/api/v1/public/bookings/${encodeURIComponent(token)}`);
          assert.ok(isProblem(res, 404), token);
          assert.ok(
            isProblem(
              await call(t.app, 'POST', `/api/v1/public/bookings/${encodeURIComponent(token)}/cancel`, { body: {} }),
              404,
            ),
          );
        }
      });

      it('the token is stored only as a hash', async () => {
        const b = (await book(t.app, host, 'call', '2026-03-03T10:00:00+01:00')).body;
        const token = pathOf(b.cancel_url).split('/')[5]!;
        const rows = await t.store.db.query<Record<string, unknown>>('SELECT * FROM bookings WHERE id = $1', [b.id]);
        assert.ok(!JSON.stringify(rows).includes(token));
      });

      it('cancel with a reason frees the time; cancelling again is a 409', async () => {
        const b = (await book(t.app, host, 'call', '2026-03-03T11:00:00+01:00')).body;
        assert.ok(
          !(await slotStarts(t.app, host, 'call', `date=2026-03-03&${BERLIN}`)).includes('2026-03-03T11:00:00+01:00'),
        );
        const res = await call(t.app, 'POST', pathOf(b.cancel_url), { body: { reason: 'Something came up <3' } });
        assert.equal(res.status, 200);
        assert.equal(res.body.status, 'cancelled');
        assert.equal(res.body.cancel_reason, 'Something came up <3');
        assert.equal(res.body.cancelled_by, 'invitee');
        assert.ok(
          (await slotStarts(t.app, host, 'call', `date=2026-03-03&${BERLIN}`)).includes('2026-03-03T11:00:00+01:00'),
        );
        assert.ok(isProblem(await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} }), 409));
        assert.ok(
          isProblem(
            await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-05T09:00:00+01:00' } }),
            409,
          ),
        );
        const noBody = (await book(t.app, host, 'call', '2026-03-03T11:00:00+01:00')).body;
        assert.equal(
          (await t.app.inject({ method: 'POST', url: pathOf(noBody.cancel_url) })).statusCode,
          200,
          'a cancel without body',
        );
        const long = (await book(t.app, host, 'call', '2026-03-03T11:00:00+01:00')).body;
        assert.ok(
          isProblem(await call(t.app, 'POST', pathOf(long.cancel_url), { body: { reason: 'x'.repeat(1001) } }), 400),
        );
      });

      it('reschedule moves the booking in one step: new time held, old time freed', async () => {
        const b = (await book(t.app, host, 'call', '2026-03-04T09:00:00+01:00')).body;
        // 15 minutes later overlaps its own old time: allowed, since the old time is its own.
        const shifted = await call(t.app, 'POST', pathOf(b.reschedule_url), {
          body: { start: '2026-03-04T09:15:00+01:00' },
        });
        assert.equal(shifted.status, 200, shifted.text);
        assert.equal(shifted.body.start, '2026-03-04T09:15:00+01:00');
        assert.equal(shifted.body.id, b.id);
        const starts = await slotStarts(t.app, host, 'call', `date=2026-03-04&${BERLIN}`);
        assert.ok(starts.includes('2026-03-04T08:45:00+01:00') === false);
        assert.ok(!starts.includes('2026-03-04T09:15:00+01:00'));
        assert.ok(starts.includes('2026-03-04T09:45:00+01:00'));
        assert.ok(!starts.includes('2026-03-04T09:00:00+01:00'), '09:00-09:30 overlaps the new 09:15-09:45');
        const other = (await book(t.app, host, 'call', '2026-03-04T12:00:00+01:00')).body;
        const taken = await call(t.app, 'POST', pathOf(b.reschedule_url), {
          body: { start: '2026-03-04T12:00:00+01:00' },
        });
        assert.ok(isProblem(taken, 409));
        const unchanged = await call(t.app, 'GET', pathOf(b.reschedule_url));
        assert.equal(unchanged.body.start, '2026-03-04T09:15:00+01:00', 'a refused reschedule changes nothing');
        assert.ok(
          !(await slotStarts(t.app, host, 'call', `date=2026-03-04&${BERLIN}`)).includes('2026-03-04T09:15:00+01:00'),
          'still held',
        );
        assert.ok(
          isProblem(
            await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-04T10:00:00' } }),
            400,
          ),
        );
        assert.ok(isProblem(await call(t.app, 'POST', pathOf(b.reschedule_url), { body: {} }), 400));
        assert.ok(other.id);
      });

      it('the invitee cannot move a booking that has started (409); the host still can', async () => {
        const b = (await book(t.app, host, 'call', '2026-03-05T09:00:00+01:00')).body;
        try {
          t.clock.set('2026-03-05T08:00:00Z');
          const late = await call(t.app, 'POST', pathOf(b.reschedule_url), {
            body: { start: '2026-03-06T09:00:00+01:00' },
          });
          assert.ok(isProblem(late, 409), `${late.status} ${late.text}`);
          assert.equal((await call(t.app, 'GET', pathOf(b.reschedule_url))).body.start, '2026-03-05T09:00:00+01:00');
          const byHost = await call(t.app, 'POST', `/api/v1/bookings/${b.id}/reschedule`, {
            token: host.token,
            body: { start: '2026-03-06T09:00:00+01:00' },
          });
          assert.equal(byHost.status, 200, byHost.text);
        } finally {
          t.clock.set('2026-03-02T06:00:00Z');
        }
      });

      it('the invitee cannot move a booking once the host deactivated the link (410); the host can, and cancelling works', async () => {
        const et = await createEventType(t.app, host, { slug: 'closing' });
        const b = (await book(t.app, host, 'closing', '2026-03-05T11:00:00+01:00')).body;
        await call(t.app, 'PATCH', `/api/v1/event-types/${et.id}`, { token: host.token, body: { active: false } });
        const dead = await call(t.app, 'POST', pathOf(b.reschedule_url), {
          body: { start: '2026-03-05T12:00:00+01:00' },
        });
        assert.ok(isProblem(dead, 410), `${dead.status} ${dead.text}`);
        const byHost = await call(t.app, 'POST', `/api/v1/bookings/${b.id}/reschedule`, {
          token: host.token,
          body: { start: '2026-03-05T12:00:00+01:00' },
        });
        assert.equal(byHost.status, 200, byHost.text);
        assert.equal((await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} })).status, 200);
      });

      it('the .ics keeps its UID, and its SEQUENCE grows with each change', async () => {
        const b = (await book(t.app, host, 'call', '2026-03-05T09:00:00+01:00')).body;
        const first = await call(t.app, 'GET', pathOf(b.ics_url));
        assert.equal(first.status, 200);
        assert.match(String(first.headers['content-type']), /^text\/calendar/);
        assert.equal(icsField(first.text, 'DTSTART'), '20260305T080000Z');
        assert.equal(icsField(first.text, 'DTEND'), '20260305T083000Z');
        assert.equal(icsField(first.text, 'METHOD'), 'REQUEST');
        const uid = icsField(first.text, 'UID');
        assert.ok(uid?.startsWith(b.id));
        await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-05T10:00:00+01:00' } });
        const moved = await call(t.app, 'GET', pathOf(b.ics_url));
        assert.equal(icsField(moved.text, 'UID'), uid);
        assert.equal(icsField(moved.text, 'DTSTART'), '20260305T090000Z');
        assert.ok(Number(icsField(moved.text, 'SEQUENCE')) > Number(icsField(first.text, 'SEQUENCE')));
        await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} });
        const cancelled = await call(t.app, 'GET', pathOf(b.ics_url));
        assert.equal(icsField(cancelled.text, 'UID'), uid);
        assert.equal(icsField(cancelled.text, 'METHOD'), 'CANCEL');
        assert.equal(icsField(cancelled.text, 'STATUS'), 'CANCELLED');
        assert.ok(Number(icsField(cancelled.text, 'SEQUENCE')) > Number(icsField(moved.text, 'SEQUENCE')));
      });
    });

    describe('host view', () => {
      let owner: Host;
      let ids: string[];
      before(async () => {
        owner = await newHost(t.app, 'UTC');
        await createEventType(t.app, owner, { slug: 'a' });
        await createEventType(t.app, owner, { slug: 'b' });
        ids = [];
        for (const [slug, start] of [
          ['a', '2026-03-03T10:00:00Z'],
          ['b', '2026-03-03T09:00:00Z'],
          ['a', '2026-03-04T09:00:00Z'],
          ['b', '2026-03-05T09:00:00Z'],
        ]) {
          ids.push((await book(t.app, owner, slug!, start!)).body.id);
        }
        await call(t.app, 'POST', `/api/v1/bookings/${ids[3]}/cancel`, {
          token: owner.token,
          body: { reason: 'host is ill' },
        });
      });

      it('lists bookings soonest first, page by page', async () => {
        const first = await call(t.app, 'GET', '/api/v1/bookings?limit=3', { token: owner.token });
        assert.equal(first.status, 200);
        assert.deepEqual(
          first.body.data.map((b: any) => b.id),
          [ids[1], ids[0], ids[2]],
        );
        assert.equal(first.body.data[0].start, '2026-03-03T09:00:00Z');
        assert.ok(!('cancel_url' in first.body.data[0]), "the invitee's private links are not the host's");
        const second = await call(t.app, 'GET', `/api/v1/bookings?limit=3&cursor=${first.body.next_cursor}`, {
          token: owner.token,
        });
        assert.deepEqual(
          second.body.data.map((b: any) => b.id),
          [ids[3]],
        );
        assert.equal(second.body.next_cursor, null);
      });

      it('filters by from, to, status and event type', async () => {
        const q = async (query: string) =>
          (await call(t.app, 'GET', `/api/v1/bookings?${query}`, { token: owner.token })).body.data.map(
            (b: any) => b.id,
          );
        assert.deepEqual(await q('from=2026-03-04'), [ids[2], ids[3]]);
        assert.deepEqual(await q('to=2026-03-03'), [ids[1], ids[0]]);
        assert.deepEqual(await q('from=2026-03-03T09:30:00Z&to=2026-03-04T09:00:00Z'), [ids[0]]);
        assert.deepEqual(await q('status=cancelled'), [ids[3]]);
        assert.deepEqual(await q('status=confirmed&event_type=b'), [ids[1]]);
        // Dates are the asked zone's: March 3 in Tokyo ends at 15:00 UTC, March 2 in Tokyo before any booking.
        assert.deepEqual(await q('to=2026-03-03&timezone=Asia/Tokyo'), [ids[1], ids[0]]);
        assert.deepEqual(await q('to=2026-03-02&timezone=Asia/Tokyo'), []);
        assert.deepEqual(
          await q('from=2026-03-05&timezone=Pacific/Kiritimati'),
          [ids[3]],
          'March 5 at UTC+14 starts at 10:00 UTC on March 4',
        );
      });

      it('refuses bad filters with 400 naming the field', async () => {
        const cases: [string, string][] = [
          ['status=maybe', 'status'],
          ['from=yesterday', 'from'],
          ['to=2026-02-30', 'to'],
          ['event_type=not-mine', 'event_type'],
          ['timezone=Nowhere', 'timezone'],
          ['limit=0', 'limit'],
          ['cursor=abc', 'cursor'],
          ['from=2027-01-01&to=2026-01-01', 'to'],
          ['from=2026-03-04&to=2026-03-03', 'to'],
          ['from=2026-03-04T10:00:00Z&to=2026-03-04T09:00:00Z', 'to'],
        ];
        for (const [query, field] of cases) {
          const res = await call(t.app, 'GET', `/api/v1/bookings?${query}`, { token: owner.token });
          assert.ok(isProblem(res, 400), `${query} -> ${res.status}`);
          assert.ok(
            res.body.errors.some((e: any) => e.field === field),
            `${query}: ${JSON.stringify(res.body.errors)}`,
          );
        }
      });

      it('shows, cancels and reschedules one booking, and serves its .ics', async () => {
        const one = await call(t.app, 'GET', `/api/v1/bookings/${ids[3]}`, { token: owner.token });
        assert.equal(one.status, 200);
        assert.equal(one.body.status, 'cancelled');
        assert.equal(one.body.cancelled_by, 'host');
        assert.equal(one.body.cancel_reason, 'host is ill');
        const moved = await call(t.app, 'POST', `/api/v1/bookings/${ids[2]}/reschedule`, {
          token: owner.token,
          body: { start: '2026-03-04T15:00:00Z' },
        });
        assert.equal(moved.status, 200, moved.text);
        assert.equal(moved.body.start, '2026-03-04T15:00:00Z');
        const ics = await call(t.app, 'GET', `/api/v1/bookings/${ids[2]}/invite.ics`, { token: owner.token });
        assert.equal(ics.status, 200);
        assert.equal(icsField(ics.text, 'DTSTART'), '20260304T150000Z');
        const notOffered = await call(t.app, 'POST', `/api/v1/bookings/${ids[2]}/reschedule`, {
          token: owner.token,
          body: { start: '2026-03-07T15:00:00Z' },
        });
        assert.ok(isProblem(notOffered, 409), 'a Saturday is not offered');
      });

      it('a collective booking is visible to every host', async () => {
        const colleague = await newHost(t.app, 'UTC');
        await createTeamEventType(t.app, owner, [colleague], { slug: 'pair', kind: 'collective' });
        const b = (await book(t.app, owner, 'pair', '2026-03-06T13:00:00Z')).body;
        const seen = await call(t.app, 'GET', `/api/v1/bookings/${b.id}`, { token: colleague.token });
        assert.equal(seen.status, 200);
        assert.deepEqual(seen.body.hosts.sort(), [owner.username, colleague.username].sort());
        const list = await call(t.app, 'GET', '/api/v1/bookings', { token: colleague.token });
        assert.deepEqual(
          list.body.data.map((x: any) => x.id),
          [b.id],
        );
      });

      it('cancelling a collective booking frees every host', async () => {
        const colleague = await newHost(t.app, 'UTC');
        await createTeamEventType(t.app, owner, [colleague], { slug: 'duo', kind: 'collective' });
        await createEventType(t.app, colleague, { slug: 'own' });
        const b = (await book(t.app, owner, 'duo', '2026-03-09T13:00:00Z')).body;
        assert.ok(
          !(await slotStarts(t.app, colleague, 'own', 'date=2026-03-09&timezone=UTC')).includes('2026-03-09T13:00:00Z'),
        );
        assert.equal(
          (await call(t.app, 'POST', `/api/v1/bookings/${b.id}/cancel`, { token: colleague.token, body: {} })).status,
          200,
        );
        assert.ok(
          (await slotStarts(t.app, colleague, 'own', 'date=2026-03-09&timezone=UTC')).includes('2026-03-09T13:00:00Z'),
        );
        assert.ok(
          (await slotStarts(t.app, owner, 'duo', 'date=2026-03-09&timezone=UTC')).includes('2026-03-09T13:00:00Z'),
        );
      });

      it('deleting an event type keeps its bookings, which can still be cancelled but not moved', async () => {
        const et = await createEventType(t.app, owner, { slug: 'short-lived' });
        const b = (await book(t.app, owner, 'short-lived', '2026-03-10T09:00:00Z')).body;
        assert.equal((await call(t.app, 'DELETE', `/api/v1/event-types/${et.id}`, { token: owner.token })).status, 204);
        const kept = await call(t.app, 'GET', `/api/v1/bookings/${b.id}`, { token: owner.token });
        assert.equal(kept.body.status, 'confirmed');
        assert.equal(kept.body.event_type, null);
        assert.ok(
          isProblem(
            await call(t.app, 'POST', pathOf(b.reschedule_url), { body: { start: '2026-03-10T10:00:00Z' } }),
            410,
          ),
        );
        assert.equal((await call(t.app, 'POST', pathOf(b.cancel_url), { body: {} })).status, 200);
      });

      it("another user's booking is a 404 everywhere, and changes nothing", async () => {
        const { token } = await signUp(t.app);
        for (const [method, url, body] of [
          ['GET', `/api/v1/bookings/${ids[0]}`, undefined],
          ['GET', `/api/v1/bookings/${ids[0]}/invite.ics`, undefined],
          ['POST', `/api/v1/bookings/${ids[0]}/cancel`, {}],
          ['POST', `/api/v1/bookings/${ids[0]}/reschedule`, { start: '2026-03-04T16:00:00Z' }],
        ] as const) {
          const res = await call(t.app, method, url, { token, body });
          assert.ok(isProblem(res, 404), `${method} ${url} -> ${res.status}`);
        }
        const list = await call(t.app, 'GET', '/api/v1/bookings', { token });
        assert.deepEqual(list.body.data, []);
        const still = await call(t.app, 'GET', `/api/v1/bookings/${ids[0]}`, { token: owner.token });
        assert.equal(still.body.status, 'confirmed');
        assert.equal(still.body.start, '2026-03-03T10:00:00Z');
      });

      it('every host route needs authentication', async () => {
        for (const [method, url] of [
          ['GET', '/api/v1/bookings'],
          ['GET', `/api/v1/bookings/${ids[0]}`],
          ['GET', `/api/v1/bookings/${ids[0]}/invite.ics`],
          ['POST', `/api/v1/bookings/${ids[0]}/cancel`],
          ['POST', `/api/v1/bookings/${ids[0]}/reschedule`],
        ] as const) {
          const res = await call(t.app, method, url, method === 'POST' ? { body: {} } : {});
          assert.ok(isProblem(res, 401), `${method} ${url} -> ${res.status}`);
        }
        assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/bookings/not-a-uuid', { token: owner.token }), 400));
      });
    });
  });
}
