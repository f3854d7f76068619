// The process as an operator runs it: configuration checked at start, one process per
// embedded data directory, nothing acknowledged lost to kill -9, many processes on PostgreSQL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, http, spawnServer, startServer, waitReady } from './helpers/process';
import { createTestDatabase, STORES } from './helpers/stores';

const PASSWORD = 'correct horse battery staple';
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'slotwise-'));

describe('the server process', () => {
  it('refuses to start on a bad configuration value, naming the variable', async () => {
    for (const [name, value] of [
      ['PORT', 'eighty'],
      ['DATABASE_URL', 'mysql://x'],
      ['LOG_LEVEL', 'loud'],
      ['PUBLIC_URL', 'not a url'],
      ['DELIVERY_RETRY_SECONDS', '0'],
      ['OUTBOUND_ALLOW_PRIVATE', 'maybe'],
    ]) {
      const server = spawnServer({ PORT: '3000', DATA_DIR: tmpDir(), [name]: value });
      const code = await server.exited;
      assert.notEqual(code, 0);
      assert.match(server.output(), new RegExp(name));
    }
  });

  it('a second process on the same DATA_DIR exits at once with a clear message', async () => {
    const dataDir = tmpDir();
    const first = await startServer({ DATA_DIR: dataDir });
    try {
      const second = spawnServer({ PORT: String(await freePort()), DATA_DIR: dataDir });
      const code = await second.exited;
      assert.equal(code, 1);
      assert.match(second.output(), /in use by another process/);
      assert.ok(second.output().includes(dataDir));
      assert.equal((await http(first.base, 'GET', '/readyz')).status, 200, 'the first keeps serving');
    } finally {
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0, 'graceful shutdown exits 0');
    }
    // The lock is released on shutdown: a new process starts.
    const again = await startServer({ DATA_DIR: dataDir });
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('SIGTERM lets in-flight requests finish before the process exits', async () => {
    const server = await startServer({ DATA_DIR: tmpDir(), LOG_LEVEL: 'info' });
    // Sign-ups hash a password (tens of milliseconds): several are in flight when SIGTERM lands.
    const pending = ['term1', 'term2', 'term3', 'term4'].map((username) =>
      http(server.base, 'POST', '/api/v1/auth/signup', {
        username,
        email: `${username}@example.com`,
        password: PASSWORD,
      }),
    );
    // SIGTERM once the server has logged all four requests as received (not after a guessed delay).
    const received = () => (server.output().match(/"url":"\/api\/v1\/auth\/signup"/g) ?? []).length;
    const deadline = Date.now() + 30_000;
    while (received() < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(received(), 4, 'the server logged the four requests');
    server.child.kill('SIGTERM');
    const answers = await Promise.all(pending);
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 201, 201, 201],
    );
    assert.equal(await server.exited, 0);
  });

  it('kill -9 loses no acknowledged write on the embedded store', async () => {
    const dataDir = tmpDir();
    const server = await startServer({ DATA_DIR: dataDir });
    const names = ['k9a', 'k9b', 'k9c'];
    for (const username of names) {
      const res = await http(server.base, 'POST', '/api/v1/auth/signup', {
        username,
        email: `${username}@example.com`,
        password: PASSWORD,
      });
      assert.equal(res.status, 201);
    }
    server.child.kill('SIGKILL');
    await server.exited;
    const restarted = await startServer({ DATA_DIR: dataDir });
    try {
      for (const login of names) {
        const res = await http(restarted.base, 'POST', '/api/v1/auth/login', { login, password: PASSWORD });
        assert.equal(res.status, 200, `${login} survived`);
      }
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  });

  it('several processes start at once on one PostgreSQL and see the same users', {
    skip: !STORES.includes('postgres'),
  }, async () => {
    const { url, drop } = await createTestDatabase();
    const servers = await Promise.all(
      [0, 1, 2].map(async () => {
        const s = spawnServer({ PORT: String(await freePort()), DATABASE_URL: url });
        await waitReady(s);
        return s;
      }),
    );
    try {
      const signup = await http(servers[0].base, 'POST', '/api/v1/auth/signup', {
        username: 'shared',
        email: 'shared@example.com',
        password: PASSWORD,
      });
      assert.equal(signup.status, 201);
      for (const s of servers) {
        const res = await http(s.base, 'POST', '/api/v1/auth/login', { login: 'shared', password: PASSWORD });
        assert.equal(res.status, 200);
        assert.equal((await http(s.base, 'GET', '/api/v1/me', undefined, signup.body.token)).body.username, 'shared');
      }
    } finally {
      for (const s of servers) s.child.kill('SIGTERM');
      await Promise.all(servers.map((s) => s.exited));
      await drop();
    }
  });
});
