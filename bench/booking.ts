/**
 * Booking benchmark, against real server processes (as `npm start` runs them):
 *  - confirmed bookings per second on distinct slots (every answer must be a 201), on the
 *    embedded store, on PostgreSQL with one process, and on PostgreSQL with two processes
 *    sharing the database (requests alternate between them);
 *  - requests per second of a 31-day slots query, against /healthz measured in the same run
 *    on the same process (the reference: the cost of HTTP alone).
 *
 * The host is free around the clock (UTC) and the event type offers 10-minute slots, so every
 * booking takes a distinct slot. Run: npx tsx bench/booking.ts [bookings=1000] [concurrency=32]
 * PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) must allow CREATE DATABASE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { http, startServer, type ServerProcess } from '../test/helpers/process';
import { createTestDatabase } from '../test/helpers/stores';

const BOOKINGS = Number(process.argv[2] ?? 1000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const RATE_SECONDS = 3;
const DAY = 86_400_000;

interface Row {
  scenario: string;
  bookingsPerSecond: number;
  slotsPerSecond?: number;
  typicalPerSecond?: number;
  healthzPerSecond?: number;
}

/** Runs `jobs` with at most `concurrency` in flight; answers the elapsed seconds. */
async function runAll<T>(jobs: (() => Promise<T>)[], concurrency: number): Promise<{ seconds: number; results: T[] }> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, results };
}

/** Requests per second of GET url over RATE_SECONDS with `concurrency` clients. */
async function rate(base: string, url: string, concurrency = 8): Promise<number> {
  let count = 0;
  const end = performance.now() + RATE_SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const res = await fetch(base + url);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        count++;
      }
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A host free around the clock with a 10-minute event type; answers its slot starts in a future window. */
async function setUp(
  server: ServerProcess,
  name: string,
): Promise<{ slots: string[]; slotsUrl: string; typicalUrl: string }> {
  const signup = await http(server.base, 'POST', '/api/v1/auth/signup', {
    username: name,
    email: `${name}@example.com`,
    password: 'correct horse battery staple',
    timezone: 'UTC',
  });
  if (signup.status !== 201) throw new Error(`signup: ${JSON.stringify(signup.body)}`);
  const token = signup.body.token;
  const allDay = [{ start: '00:00', end: '24:00' }];
  const weekly = Object.fromEntries(
    ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, allDay]),
  );
  const schedule = await http(
    server.base,
    'POST',
    '/api/v1/schedules',
    { name: 'Always', timezone: 'UTC', weekly },
    token,
  );
  if (schedule.status !== 201) throw new Error(`schedule: ${JSON.stringify(schedule.body)}`);
  const et = await http(
    server.base,
    'POST',
    '/api/v1/event-types',
    { slug: 'quick', title: 'Quick', duration: 10, schedule_id: schedule.body.id, date_range: { type: 'indefinite' } },
    token,
  );
  if (et.status !== 201) throw new Error(`event type: ${JSON.stringify(et.body)}`);
  // The common case for comparison: 30 minutes on the default Mon-Fri 09:00-17:00.
  const typical = await http(
    server.base,
    'POST',
    '/api/v1/event-types',
    { slug: 'typical', title: 'Typical', date_range: { type: 'indefinite' } },
    token,
  );
  if (typical.status !== 201) throw new Error(`event type: ${JSON.stringify(typical.body)}`);
  const from = date(Date.now() + 7 * DAY);
  const days = Math.ceil(BOOKINGS / 144) + 1; // 144 ten-minute slots a day
  const res = await http(
    server.base,
    'GET',
    `/api/v1/public/${name}/quick/slots?from=${from}&to=${date(Date.parse(from) + (days - 1) * DAY)}&timezone=UTC`,
  );
  const slotsUrl = `/api/v1/public/${name}/quick/slots?from=${from}&to=${date(Date.parse(from) + 30 * DAY)}&timezone=UTC`;
  const typicalUrl = slotsUrl.replace('/quick/', '/typical/');
  return { slots: res.body.slots.map((s: { start: string }) => s.start).slice(0, BOOKINGS), slotsUrl, typicalUrl };
}

async function bookAll(servers: ServerProcess[], name: string, slots: string[]): Promise<number> {
  const jobs = slots.map(
    (start, i) => () =>
      http(servers[i % servers.length]!.base, 'POST', `/api/v1/public/${name}/quick/bookings`, {
        start,
        invitee: { name: `Invitee ${i}`, email: `i${i}@example.com`, timezone: 'UTC' },
      }),
  );
  const { seconds, results } = await runAll(jobs, CONCURRENCY);
  const failed = results.filter((r) => r.status !== 201);
  if (failed.length) throw new Error(`${failed.length} bookings failed, e.g. ${JSON.stringify(failed[0])}`);
  return slots.length / seconds;
}

async function scenario(
  label: string,
  env: Record<string, string>,
  processes: number,
  measureRates: boolean,
): Promise<Row> {
  const servers = await Promise.all(
    Array.from({ length: processes }, () => startServer({ LOG_LEVEL: 'warn', ...env })),
  );
  try {
    const name = `bench${processes}${Math.random().toString(36).slice(2, 7)}`;
    const { slots, slotsUrl, typicalUrl } = await setUp(servers[0]!, name);
    if (slots.length < BOOKINGS) throw new Error(`only ${slots.length} slots offered`);
    const row: Row = { scenario: label, bookingsPerSecond: await bookAll(servers, name, slots) };
    if (measureRates) {
      row.healthzPerSecond = await rate(servers[0]!.base, '/healthz');
      row.slotsPerSecond = await rate(servers[0]!.base, slotsUrl);
      row.typicalPerSecond = await rate(servers[0]!.base, typicalUrl);
    }
    return row;
  } finally {
    for (const s of servers) {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  }
}

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs; ${BOOKINGS} bookings per scenario, ${CONCURRENCY} in flight\n`,
  );
  const rows: Row[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slotwise-bench-'));
  try {
    rows.push(await scenario('embedded, 1 process', { DATA_DIR: dataDir }, 1, true));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  for (const processes of [1, 2]) {
    const db = await createTestDatabase();
    try {
      rows.push(
        await scenario(
          `postgres, ${processes} process${processes > 1 ? 'es' : ''}`,
          { DATABASE_URL: db.url },
          processes,
          processes === 1,
        ),
      );
    } finally {
      await db.drop();
    }
  }

  const pad = (s: string, w: number) => s.padStart(w);
  console.log(
    'slots A: 31 days of 10-minute slots around the clock (4,464 slots, the most one answer may hold is 5,000; ~1,000 booked)',
  );
  console.log('slots B: 31 days of 30-minute slots, Mon-Fri 09:00-17:00 (~350 slots)\n');
  console.log(
    `${'scenario'.padEnd(22)} | ${pad('bookings/s', 10)} | ${pad('/healthz req/s', 14)} | ${pad('slots A req/s', 13)} | ${pad('A/healthz', 9)} | ${pad('slots B req/s', 13)} | ${pad('B/healthz', 9)}`,
  );
  console.log(
    `${'-'.repeat(22)}-+-${'-'.repeat(10)}-+-${'-'.repeat(14)}-+-${'-'.repeat(13)}-+-${'-'.repeat(9)}-+-${'-'.repeat(13)}-+-${'-'.repeat(9)}`,
  );
  const ratio = (x?: number, y?: number) => (x && y ? (x / y).toFixed(3) : '');
  for (const r of rows) {
    console.log(
      `${r.scenario.padEnd(22)} | ${pad(r.bookingsPerSecond.toFixed(0), 10)} | ${pad(r.healthzPerSecond?.toFixed(0) ?? '', 14)} | ` +
        `${pad(r.slotsPerSecond?.toFixed(0) ?? '', 13)} | ${pad(ratio(r.slotsPerSecond, r.healthzPerSecond), 9)} | ` +
        `${pad(r.typicalPerSecond?.toFixed(0) ?? '', 13)} | ${pad(ratio(r.typicalPerSecond, r.healthzPerSecond), 9)}`,
    );
  }
  const pg1 = rows.find((r) => r.scenario === 'postgres, 1 process')!;
  const pg2 = rows.find((r) => r.scenario === 'postgres, 2 processes')!;
  console.log(
    `\npostgres 2 processes / 1 process: ${(pg2.bookingsPerSecond / pg1.bookingsPerSecond).toFixed(2)}x bookings/s`,
  );
  console.log(
    `embedded / postgres 1 process: ${(rows[0]!.bookingsPerSecond / pg1.bookingsPerSecond).toFixed(2)}x bookings/s`,
  );
}

await main();
