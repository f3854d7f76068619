// npm run demo: fills the configured store (DATA_DIR or DATABASE_URL) with a small team to try
// the product on: three users in three zones, event types of each kind, a booking and a weekly
// meeting. Run it while the server is stopped when using the embedded store (the directory is
// locked). Running it again changes nothing: the booking and meeting are made on the first run.
import { buildApp } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';
import { openDatabase } from '../src/db';
import { DataDirLockedError } from '../src/db/dir-lock';

const PASSWORD = 'demo password 2026';
const USERS = [
  { username: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', timezone: 'Europe/Berlin' },
  { username: 'grace', name: 'Grace Hopper', email: 'grace@example.com', timezone: 'America/New_York' },
  { username: 'linus', name: 'Linus Pauling', email: 'linus@example.com', timezone: 'Asia/Kathmandu' },
];

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const app = await buildApp({ config, db, logger: false });
  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, token?: string) => {
    const res = await app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  };
  try {
    const tokens: Record<string, string> = {};
    let firstRun = false;
    for (const user of USERS) {
      const signup = await api('POST', '/api/v1/auth/signup', { ...user, password: PASSWORD });
      if (signup.status === 201) {
        tokens[user.username] = signup.body.token;
        firstRun ||= user.username === 'ada';
      } else {
        const login = await api('POST', '/api/v1/auth/login', { login: user.username, password: PASSWORD });
        if (login.status !== 200) throw new Error(`cannot sign in ${user.username}: ${JSON.stringify(login.body)}`);
        tokens[user.username] = login.body.token;
      }
    }
    const eventTypes = [
      {
        slug: 'intro',
        title: 'Intro call',
        description: 'A first 30-minute chat.',
        durations: [30, 60],
        buffer_after: 10,
        min_notice: 120,
        location: 'Video call',
        questions: [{ key: 'topic', label: 'What would you like to talk about?', type: 'textarea', required: true }],
      },
      {
        slug: 'workshop',
        title: 'Group workshop',
        kind: 'group',
        seats: 5,
        duration: 90,
        date_range: { type: 'rolling', days: 60 },
      },
      { slug: 'pairing', title: 'Pair with Ada and Grace', kind: 'collective', hosts: ['ada', 'grace'], duration: 45 },
    ];
    for (const et of eventTypes) {
      const res = await api('POST', '/api/v1/event-types', et, tokens.ada);
      if (res.status !== 201 && res.status !== 409)
        throw new Error(`event type ${et.slug}: ${JSON.stringify(res.body)}`);
    }
    // Book the first free intro slot of the coming weeks, as an invitee would.
    const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const slots = await api('GET', `/api/v1/public/ada/intro/slots?from=${from}&to=${to}&timezone=America/Chicago`);
    const slot = slots.body?.slots?.[0];
    if (slot && firstRun) {
      const booking = await api('POST', '/api/v1/public/ada/intro/bookings', {
        start: slot.start,
        invitee: { name: 'Charles Babbage', email: 'charles@example.com', timezone: 'America/Chicago' },
        answers: { topic: 'The Analytical Engine' },
      });
      if (booking.status === 201) console.log(`Booked ${booking.body.start}: manage it at ${booking.body.cancel_url}`);
    }
    // A weekly meeting between Ada and Grace, in the hour both are free.
    const overlap = await api(
      'GET',
      `/api/v1/availability/overlap?users=ada,grace&from=${from}&to=${to}&timezone=UTC&min_duration=30`,
      undefined,
      tokens.ada,
    );
    const common = overlap.body?.days?.find((d: { intervals: unknown[] }) => d.intervals.length)?.intervals[0];
    if (common && firstRun) {
      const meeting = await api(
        'POST',
        '/api/v1/meetings',
        {
          title: 'Weekly sync',
          start: common.start,
          duration: 30,
          participants: ['grace'],
          recurrence: 'FREQ=WEEKLY;COUNT=8',
        },
        tokens.ada,
      );
      if (meeting.status === 201)
        console.log(`Weekly sync from ${meeting.body.start}, ${meeting.body.occurrences?.length ?? 1} occurrences`);
    }
    console.log(`Demo users (password "${PASSWORD}"): ${USERS.map((u) => `${u.username} (${u.timezone})`).join(', ')}`);
    console.log(
      `Booking links (API): ${['intro', 'workshop', 'pairing'].map((slug) => `${config.publicUrl}/api/v1/public/ada/${slug}`).join(', ')}`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) console.error(error.message);
  else console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
