// E-mail on booking created, rescheduled and cancelled: to the invitee (with their links on
// confirmation) and to the host, each in their own time zone, with an .ics invitation
// (REQUEST or CANCEL, one UID, growing SEQUENCE). Without SMTP_URL the messages are kept for
// an operator; with it they reach a real SMTP server (a local stand-in).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import ICAL from 'ical.js';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';
import { acceptHosting, book, createEventType, newHost, type Host } from './booking-helpers';

function icsEvent(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: String(event.getFirstPropertyValue('uid')),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
  };
}

async function smtpStandIn() {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then((m) => {
        mails.push(m);
        done();
      }, done);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(n: number) {
      const deadline = Date.now() + 10_000;
      while (mails.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(mails.length >= n, `expected ${n} e-mails, got ${mails.length}`);
      return mails;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const tokenOf = (url: string) => new URL(url).pathname.split('/')[5]!;

for (const store of STORES) {
  describe(`e-mail, kept without SMTP_URL [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    let admin: { token: string };
    before(async () => {
      t = await startApp(store, { ADMIN_USERNAMES: 'opsadmin' });
      t.clock.set('2026-03-02T06:00:00Z');
      host = await newHost(t.app, 'Europe/Berlin');
      admin = await signUp(t.app, { username: 'opsadmin' });
      await createEventType(t.app, host, { slug: 'intro', title: 'Intro', location: 'Zoom' });
    });
    after(() => t.close());

    const outbox = async () => {
      const res = await call(t.app, 'GET', '/api/v1/admin/emails?limit=100', { token: admin.token });
      assert.equal(res.status, 200, res.text);
      return res.body.data as any[];
    };

    it('a booking, moved, then cancelled: invitee and host each get three, in their zone, with the invitation', async () => {
      const booked = await book(t.app, host, 'intro', '2026-03-04T10:00:00+01:00', {
        invitee: { name: 'Ivy', email: 'ivy@example.com', timezone: 'America/New_York' },
        guests: ['gus@example.com'],
      });
      assert.equal(booked.status, 201, booked.text);
      let mails = (await outbox()).filter((m) => m.booking_id === booked.body.id);
      const to = (who: string) => mails.filter((m) => m.to === who);
      assert.deepEqual(
        mails.map((m) => m.status),
        ['kept', 'kept', 'kept'],
      );
      const [invitee] = to('ivy@example.com');
      const [hostMail] = to(host.user.email);
      assert.ok(invitee && hostMail && to('gus@example.com').length === 1, JSON.stringify(mails.map((m) => m.to)));
      assert.match(invitee.subject, /^Confirmed: Intro with /);
      assert.match(invitee.text, /Wednesday 4 March 2026, 04:00–04:30 \(America\/New_York\)/);
      assert.match(hostMail.text, /Wednesday 4 March 2026, 10:00–10:30 \(Europe\/Berlin\)/);
      assert.ok(
        invitee.text.includes(booked.body.cancel_url) && invitee.text.includes(booked.body.reschedule_url),
        'the invitee gets their links',
      );
      assert.ok(!hostMail.text.includes(tokenOf(booked.body.cancel_url)), 'the host does not');
      assert.ok(!to('gus@example.com')[0].text.includes(tokenOf(booked.body.cancel_url)), 'nor do guests');
      assert.match(hostMail.text, /Invitee: Ivy <ivy@example.com>/);
      const first = icsEvent(invitee.ics);
      assert.deepEqual(
        [first.method, first.start, invitee.ics_method],
        ['REQUEST', '2026-03-04T09:00:00.000Z', 'REQUEST'],
      );

      const token = tokenOf(booked.body.reschedule_url);
      assert.equal(
        (
          await call(t.app, 'POST', `/api/v1/public/bookings/${token}/reschedule`, {
            body: { start: '2026-03-04T11:00:00+01:00' },
          })
        ).status,
        200,
      );
      assert.equal(
        (await call(t.app, 'POST', `/api/v1/public/bookings/${token}/cancel`, { body: { reason: 'Flu' } })).status,
        200,
      );
      mails = (await outbox()).filter((m) => m.booking_id === booked.body.id).reverse(); // oldest first
      assert.equal(mails.length, 9);
      const forIvy = mails.filter((m) => m.to === 'ivy@example.com');
      assert.deepEqual(
        forIvy.map((m) => m.subject.split(':')[0]),
        ['Confirmed', 'Rescheduled', 'Cancelled'],
      );
      assert.match(forIvy[1].text, /Was: Wednesday 4 March 2026, 04:00–04:30/);
      assert.match(forIvy[2].text, /Reason: Flu/);
      const events = forIvy.map((m) => icsEvent(m.ics));
      assert.deepEqual(
        events.map((e) => e.method),
        ['REQUEST', 'REQUEST', 'CANCEL'],
      );
      assert.equal(new Set(events.map((e) => e.uid)).size, 1, 'one UID for the booking');
      assert.ok(
        events[0]!.sequence < events[1]!.sequence && events[1]!.sequence < events[2]!.sequence,
        'SEQUENCE grows',
      );
      assert.equal(events[1]!.start, '2026-03-04T10:00:00.000Z');
    });

    it('a round-robin reschedule that changes host withdraws the invitation from the former host', async () => {
      const a = await newHost(t.app, 'UTC');
      const b = await newHost(t.app, 'UTC');
      const rr = await createEventType(t.app, a, { slug: 'rr', kind: 'round_robin', hosts: [a.username, b.username] });
      await acceptHosting(t.app, b, rr.id);
      // The owner is away on the 9th: the booking goes to the colleague; who is away on the 10th.
      const away = (u: Host, date: string) =>
        call(t.app, 'PUT', '/api/v1/me/availability/dates', {
          token: u.token,
          body: { timezone: 'UTC', dates: [{ date, intervals: [] }] },
        });
      assert.equal((await away(a, '2026-03-09')).status, 200);
      assert.equal((await away(b, '2026-03-10')).status, 200);
      const booked = await book(t.app, a, 'rr', '2026-03-09T10:00:00Z');
      assert.equal(booked.status, 201, booked.text);
      assert.deepEqual(booked.body.hosts, [b.username]);
      const moved = await call(t.app, 'POST', `/api/v1/bookings/${booked.body.id}/reschedule`, {
        token: a.token,
        body: { start: '2026-03-10T10:00:00Z' },
      });
      assert.equal(moved.status, 200, moved.text);
      assert.deepEqual(moved.body.hosts, [a.username]);
      const [from, to] = [b, a];
      const mails = (await outbox()).filter(
        (m) => m.booking_id === booked.body.id && m.event === 'booking.rescheduled',
      );
      const forFormer = mails.filter((m) => m.to === from.user.email);
      const forNew = mails.filter((m) => m.to === to.user.email);
      assert.equal(forFormer.length, 1, JSON.stringify(mails.map((m) => m.to)));
      assert.match(forFormer[0].subject, /^Moved to another host/);
      assert.equal(icsEvent(forFormer[0].ics).method, 'CANCEL');
      assert.equal(forNew.length, 1);
      assert.equal(icsEvent(forNew[0].ics).method, 'REQUEST');
    });

    it('a booking that fails sends nothing; only admins read the outbox', async () => {
      const before = (await outbox()).length;
      const first = await book(t.app, host, 'intro', '2026-03-05T10:00:00+01:00');
      assert.equal(first.status, 201);
      assert.ok(isProblem(await book(t.app, host, 'intro', '2026-03-05T10:00:00+01:00'), 409));
      assert.equal((await outbox()).length, before + 2, 'invitee and host, once');
      assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/admin/emails', { token: host.token }), 403));
      assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/admin/emails'), 401));
    });
  });

  describe(`e-mail over SMTP [${store}]`, () => {
    let t: TestApp;
    let host: Host;
    let smtp: Awaited<ReturnType<typeof smtpStandIn>>;
    before(async () => {
      smtp = await smtpStandIn();
      t = await startApp(store, {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Bookings <bookings@example.com>',
        ADMIN_USERNAMES: 'smtpadmin',
      });
      t.clock.set('2026-03-02T06:00:00Z');
      host = await newHost(t.app, 'UTC');
      await createEventType(t.app, host, { slug: 'intro', title: 'Intro' });
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it('reach the SMTP server with the invitation attached; once sent, the outbox keeps no body', async () => {
      const booked = await book(t.app, host, 'intro', '2026-03-04T10:00:00Z');
      assert.equal(booked.status, 201, booked.text);
      const mails = await smtp.waitFor(2);
      const forIvy = mails.find((m) => (m.to as { text: string }).text.includes('ivy@example.com'))!;
      assert.ok(forIvy, mails.map((m) => (m.to as { text: string }).text).join(', '));
      assert.equal((forIvy.from as { text: string }).text, '"Bookings" <bookings@example.com>');
      assert.match(forIvy.subject ?? '', /^Confirmed: Intro/);
      assert.ok(forIvy.text?.includes(booked.body.cancel_url));
      const ics = forIvy.attachments.find((a) => a.filename === 'invite.ics');
      assert.ok(ics, 'invite.ics attached');
      assert.match(ics.contentType, /text\/calendar/);
      assert.equal(icsEvent(ics.content.toString('utf8')).method, 'REQUEST');

      const admin = await signUp(t.app, { username: 'smtpadmin' });
      let rows: any[] = [];
      for (let i = 0; i < 250; i++) {
        rows = (await call(t.app, 'GET', '/api/v1/admin/emails', { token: admin.token })).body.data;
        if (rows.length >= 2 && rows.every((r) => r.status === 'sent')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual(
        rows.map((r) => [r.status, r.text, r.ics, r.attempts]),
        [
          ['sent', null, null, 1],
          ['sent', null, null, 1],
        ],
      );
    });
  });
}
