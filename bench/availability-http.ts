// HTTP bench: requests/s of a 31-day GET /api/v1/users/{u}/availability (host with weekly
// hours and 1,000 held intervals, seen from another zone) against requests/s of /healthz,
// measured in the same run on the same server. Embedded store, and PostgreSQL if reachable.
// Run: npx tsx bench/availability-http.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db';
import { insertHold } from '../src/features/availability/holds';
import { createTestDatabase } from '../test/helpers/stores';
import { http as call, startServer } from '../test/helpers/process';
import { load, type LoadResult } from './lib/load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = 3;
const CONCURRENCY = 16;
const BUSY = 1000;
const PASSWORD = 'correct horse battery staple';

async function bench(label: string, env: Record<string, string>, store: { databaseUrl?: string; dataDir?: string }) {
  let server = await startServer(env);
  const host = await call(server.base, 'POST', '/api/v1/auth/signup', {
    username: 'benchhost',
    email: 'h@example.com',
    password: PASSWORD,
    timezone: 'America/New_York',
  });
  const viewer = await call(server.base, 'POST', '/api/v1/auth/signup', {
    username: 'benchviewer',
    email: 'v@example.com',
    password: PASSWORD,
    timezone: 'Asia/Tokyo',
  });
  server.child.kill('SIGTERM');
  await server.exited;

  // 1,000 held intervals of 30–90 minutes, spread over the 31 days (written straight to the store).
  const db = await openDatabase(store);
  const from = Date.parse('2027-03-01T00:00:00Z');
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  await db.transaction(async (tx) => {
    let t = from;
    for (let i = 0; i < BUSY; i++) {
      t += (45 + rnd(60)) * 60_000;
      const end = t + (30 + rnd(61)) * 60_000;
      await insertHold(tx, { userId: host.body.user.id, interval: { start: t, end }, source: 'booking' });
      t = end;
    }
  });
  await db.close();

  server = await startServer(env);
  const url = `${server.base}/api/v1/users/benchhost/availability?from=2027-03-01&to=2027-03-31&timezone=Asia/Tokyo`;
  const headers = { authorization: `Bearer ${viewer.body.token}` };
  const check = await call(server.base, 'GET', url.slice(server.base.length), undefined, viewer.body.token);
  if (check.status !== 200 || check.body.days.length !== 31)
    throw new Error(`bad answer: ${JSON.stringify(check.body).slice(0, 200)}`);
  await load(`${server.base}/healthz`, { seconds: 1, concurrency: CONCURRENCY }); // warm up
  await load(url, { seconds: 1, concurrency: CONCURRENCY, headers });
  // Alternating rounds, so that a change in the machine's load hits both sides; the median round is reported.
  const rounds: { health: LoadResult; avail: LoadResult; ratio: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const health = await load(`${server.base}/healthz`, { seconds: SECONDS, concurrency: CONCURRENCY });
    const avail = await load(url, { seconds: SECONDS, concurrency: CONCURRENCY, headers });
    rounds.push({ health, avail, ratio: avail.perSecond / health.perSecond });
  }
  server.child.kill('SIGTERM');
  await server.exited;
  rounds.sort((a, b) => a.ratio - b.ratio);
  const { health, avail } = rounds[Math.floor(ROUNDS / 2)]!;
  console.log(
    `${label.padEnd(10)} | ${health.perSecond.toFixed(0).padStart(8)} | ${avail.perSecond.toFixed(0).padStart(8)} | ${((100 * avail.perSecond) / health.perSecond).toFixed(1).padStart(6)}% | ${((1000 / avail.perSecond) * CONCURRENCY).toFixed(2)} ms | ${rounds.map((r) => (100 * r.ratio).toFixed(1)).join(' ')}`,
  );
  const healthErrors = rounds.reduce((n, r) => n + r.health.errors, 0);
  const availErrors = rounds.reduce((n, r) => n + r.avail.errors, 0);
  if (healthErrors || availErrors) console.log(`  errors: healthz ${healthErrors}, availability ${availErrors}`);
}

console.log(
  `31-day availability of a host with weekly hours and ${BUSY} holds, viewer in Asia/Tokyo; ${CONCURRENCY} in flight; ${ROUNDS} alternating rounds of ${SECONDS} s each, median round shown`,
);
console.log('store      | healthz/s | avail/s  | ratio  | latency | ratio per round');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slotwise-bench-'));
await bench('embedded', { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { dataDir });
try {
  const { url, drop } = await createTestDatabase();
  try {
    await bench('postgres', { DATABASE_URL: url, LOG_LEVEL: 'warn' }, { databaseUrl: url });
  } finally {
    await drop();
  }
} catch (error) {
  console.log(`postgres   | skipped: ${(error as Error).message}`);
}
