// The host pages at /app in a real browser (Debian's Chromium, driven by playwright-core):
// sign up, create an event type, edit weekly hours, see and cancel a booking, log out and in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { http, startServer, type ServerProcess } from '../helpers/process';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

describe('host pages in a browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  before(async () => {
    assert.ok(
      fs.existsSync(CHROMIUM),
      'Chromium is installed (npm test installs the Debian package when it is missing)',
    );
    server = await startServer({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'slotwise-web-')) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  const status = () => page.locator('#status');

  it('sign up, create an event type, edit the weekly hours', async () => {
    await page.goto(`${server.base}/app`);
    await page.getByLabel('Username', { exact: true }).first().waitFor();
    const signup = page.locator('form[aria-labelledby="signup-h"]');
    await signup.getByLabel('Username').fill('webhost');
    await signup.getByLabel('E-mail').fill('webhost@example.com');
    await signup.getByLabel('Password (12 characters or more)').fill('correct horse battery staple');
    await signup.getByLabel('Time zone').fill('UTC');
    await signup.getByRole('button', { name: 'Sign up' }).click();
    await status().filter({ hasText: 'Signed in as webhost' }).waitFor();

    await page.getByLabel('Title').fill('Intro <b>call</b>');
    await page.getByLabel('Link name (slug)').fill('intro');
    await page.getByLabel('Minutes').fill('60');
    await page.getByRole('button', { name: 'Create' }).click();
    await status().filter({ hasText: 'Event type created' }).waitFor();
    await page.getByRole('link', { name: '/webhost/intro' }).waitFor();
    assert.equal(await page.locator('td', { hasText: 'Intro <b>call</b>' }).count(), 1, 'text is shown as text');

    await page.getByRole('button', { name: 'Availability' }).click();
    const monday = page.getByLabel('monday hours');
    assert.equal(await monday.inputValue(), '09:00-17:00', 'a new user has Mon–Fri 09:00–17:00');
    await monday.fill('10:00-12:00, 13:00-14:00');
    await page.getByRole('button', { name: 'Save weekly hours' }).click();
    await status().filter({ hasText: 'Weekly hours saved' }).waitFor();
    await page.getByLabel('tuesday hours').fill('nonsense');
    await page.getByRole('button', { name: 'Save weekly hours' }).click();
    await status().filter({ hasText: 'tuesday: write hours as' }).waitFor();
    const saved = await page.evaluate(
      async () =>
        ((await (await fetch('/api/v1/schedules')).json()) as { data: { weekly: { monday: unknown } }[] }).data[0]!
          .weekly.monday,
    );
    assert.deepEqual(saved, [
      { start: '10:00', end: '12:00' },
      { start: '13:00', end: '14:00' },
    ]);
  });

  it('a booking shows in Bookings and can be cancelled; log out and in again', async () => {
    const monday = new Date(Date.now() + 86_400_000 * ((8 - new Date().getUTCDay()) % 7 || 7))
      .toISOString()
      .slice(0, 10);
    const booked = await http(server.base, 'POST', '/api/v1/public/webhost/intro/bookings', {
      start: `${monday}T10:00:00Z`,
      invitee: { name: 'Ivy', email: 'ivy@example.com', timezone: 'UTC' },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    await page.getByRole('button', { name: 'Bookings' }).click();
    const row = page.locator('tr', { hasText: 'Ivy <ivy@example.com>' });
    await row.waitFor();
    page.once('dialog', (dialog) => void dialog.accept('Sorry, something came up'));
    await row.getByRole('button', { name: /^Cancel/ }).click();
    await status().filter({ hasText: 'Booking cancelled' }).waitFor();
    await page.locator('tr', { hasText: 'Ivy <ivy@example.com>' }).filter({ hasText: 'cancelled' }).waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await status().filter({ hasText: 'Logged out' }).waitFor();
    const login = page.locator('form[aria-labelledby="login-h"]');
    await login.getByLabel('Username or e-mail').fill('webhost');
    await login.getByLabel('Password').fill('wrong password here');
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#status.error').waitFor();
    await login.getByLabel('Password').fill('correct horse battery staple');
    await login.getByRole('button', { name: 'Log in' }).click();
    await status().filter({ hasText: 'Signed in as webhost' }).waitFor();
  });
});
