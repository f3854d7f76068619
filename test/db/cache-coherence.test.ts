// Two app processes on one PostgreSQL database each cache hot reads; a write through one
// must reach the other's answers (NOTIFY/LISTEN), and never wait for the cache to age out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db';
import { call, signUp } from '../helpers/app';
import { createTestDatabase, STORES } from '../helpers/stores';

/** Asks until the answer has the wanted status: the other process hears of writes within milliseconds. */
async function eventually(ask: () => Promise<number>, wanted: number): Promise<number> {
  const started = Date.now();
  let status = await ask();
  while (status !== wanted && Date.now() - started < 500) {
    await new Promise((r) => setTimeout(r, 5));
    status = await ask();
  }
  assert.equal(status, wanted);
  return Date.now() - started;
}

describe('read caches across processes on PostgreSQL', { skip: !STORES.includes('postgres') }, () => {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  let drop: () => Promise<void>;
  let dbs: Database[] = [];
  let apps: Awaited<ReturnType<typeof buildApp>>[] = [];
  before(async () => {
    const made = await createTestDatabase();
    drop = made.drop;
    dbs = [await openDatabase({ databaseUrl: made.url }), await openDatabase({ databaseUrl: made.url })];
    apps = await Promise.all(dbs.map((db) => buildApp({ config, db, logger: false })));
  });
  after(async () => {
    for (const app of apps) await app.close();
    await drop();
  });

  it('a token revoked through one process is refused by the other (which had it cached)', async () => {
    const [a, b] = apps;
    const { token } = await signUp(a);
    const pat = await call(a, 'POST', '/api/v1/me/tokens', { token, body: { name: 'shared' } });
    for (let i = 0; i < 3; i++)
      assert.equal((await call(b, 'GET', '/api/v1/me', { token: pat.body.token })).status, 200);
    assert.equal((await call(a, 'DELETE', `/api/v1/me/tokens/${pat.body.id}`, { token })).status, 204);
    await eventually(async () => (await call(b, 'GET', '/api/v1/me', { token: pat.body.token })).status, 401);
  });

  it('availability edited through one process is shown by the other', async () => {
    const [a, b] = apps;
    const { token, username } = await signUp(a, { timezone: 'UTC' });
    const url = `/api/v1/users/${username}/availability?from=2031-03-03&to=2031-03-03&timezone=UTC`;
    const before = await call(b, 'GET', url, { token });
    assert.equal(before.body.days[0].intervals.length, 1);
    const edit = await call(a, 'PUT', '/api/v1/me/availability/dates', {
      token,
      body: { dates: [{ date: '2031-03-03', intervals: [] }] },
    });
    assert.equal(edit.status, 200);
    const ask = async () => ((await call(b, 'GET', url, { token })).body.days[0].intervals.length === 0 ? 200 : 409);
    await eventually(ask, 200);
  });
});
