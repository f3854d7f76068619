// Linked calendars: link a read-only iCalendar feed (read at once: a feed that cannot be read
// is not linked), list, rename, unlink, and read again now; the background refresher keeps
// their busy time current. A feed that fails keeps its last busy time and shows the error.
import { createHash } from 'node:crypto';
import type { AppContext } from '../../context';
import { queueWriter } from '../../db/database';
import type { Interval } from '../../domain/intervals';
import type { Principal } from '../../http/auth';
import { AppError, invalidField, notFound } from '../../http/errors';
import { checkOutboundUrl, getText, outboundFailure, requestText, ResponseError } from '../../http/outbound';
import { decodeCursor, paginate } from '../../http/pagination';
import { FeedError } from './ics';
import { parseFeed } from './parse-feed';
import * as google from './google';
import * as repo from './repository';

export const MAX_CALENDARS = 10;
const FEED_TIMEOUT_MS = 15_000;
const FEED_MAX_BYTES = 10 * 1024 * 1024;
const DAY = 86_400_000;
/** Busy time is read from a day ago to two years ahead. */
const HORIZON = { before: DAY, after: 2 * 366 * DAY };

/** The URL shown back: scheme and host only (a feed's path is its secret). */
function shownUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/…`;
}

function view(row: repo.CalendarRow) {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    url: shownUrl(row.url),
    status:
      row.sync_error !== null ? ('error' as const) : row.synced_at !== null ? ('ok' as const) : ('pending' as const),
    error: row.sync_error,
    busy_intervals: row.busy_count,
    write_bookings: row.write_bookings,
    synced_at: row.synced_at?.toISOString() ?? null,
    next_sync_at: row.next_sync_at.toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** http(s) (or, for a feed, webcal(s) as the https it stands for); no credentials in it. */
function feedUrl(raw: string, webcal: boolean): string {
  return checkOutboundUrl(
    webcal ? raw.replace(/^webcals?:/i, 'https:') : raw,
    'url',
    ' (CalDAV: give username and password)',
    webcal ? 'must be http, https or webcal' : 'must be http or https',
  ).toString();
}

const hashOf = (busy: readonly Interval[]) => createHash('sha256').update(JSON.stringify(busy)).digest('hex');

type Source = Pick<repo.CalendarRow, 'provider' | 'url' | 'username' | 'password' | 'sealed_token' | 'external_id'> & {
  accessToken?: string;
};

/** A CalDAV time-range calendar-query: the events of the collection in the horizon, with their data. */
function calendarQuery(horizon: Interval): string {
  const utc = (ms: number) =>
    new Date(ms)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">' +
    '<d:prop><c:calendar-data/></d:prop>' +
    '<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">' +
    `<c:time-range start="${utc(horizon.start)}" end="${utc(horizon.end)}"/>` +
    '</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>'
  );
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The calendar-data texts of a multistatus answer (any namespace prefix; CDATA or escaped text). */
export function calendarDataOf(xml: string): string[] {
  const texts: string[] = [];
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?calendar-data\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?calendar-data>/g)) {
    const raw = m[1]!;
    const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(raw);
    texts.push(
      cdata
        ? cdata[1]!
        : raw.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) =>
            e[0] === '#'
              ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
              : (XML_ENTITIES[e] ?? whole),
          ),
    );
  }
  return texts;
}

/** Reads the calendar's busy time; a readable reason when it cannot. */
async function readFeed(
  ctx: AppContext,
  source: Source,
  userZone: string,
): Promise<{ busy: Interval[] } | { error: string }> {
  try {
    const now = ctx.now();
    const horizon = { start: now - HORIZON.before, end: now + HORIZON.after };
    const request = {
      signal: AbortSignal.timeout(FEED_TIMEOUT_MS),
      allowPrivate: ctx.config.outboundAllowPrivate,
      maxBytes: FEED_MAX_BYTES,
    };
    if (source.provider === 'google') {
      const token = source.accessToken ?? (await google.accessToken(ctx, source.sealed_token!));
      return { busy: await google.freeBusy(ctx, token, source.external_id ?? 'primary', horizon) };
    }
    let texts: string | string[];
    if (source.provider === 'caldav') {
      const auth = Buffer.from(`${source.username ?? ''}:${source.password ?? ''}`).toString('base64');
      const xml = await requestText('REPORT', source.url, {
        ...request,
        headers: { authorization: `Basic ${auth}`, depth: '1', 'content-type': 'application/xml; charset=utf-8' },
        body: calendarQuery(horizon),
      });
      if (!/multistatus/i.test(xml)) throw new FeedError('not a CalDAV calendar (no multistatus answer)');
      texts = calendarDataOf(xml);
    } else {
      texts = await getText(source.url, { ...request, accept: 'text/calendar, */*;q=0.5' });
    }
    // This service's own bookings come back in the host's calendar (the invitation was accepted): not busy twice.
    const ownUidSuffix = `@${new URL(ctx.config.publicUrl).hostname}`;
    return { busy: (await parseFeed(texts, userZone, horizon, { ownUidSuffix })).busy };
  } catch (e) {
    if (e instanceof ResponseError && e.status === 401)
      return { error: 'HTTP 401: the server refused the username or password' };
    if (e instanceof FeedError) return { error: e.message };
    return { error: outboundFailure(e, FEED_TIMEOUT_MS) };
  }
}

async function timeZoneOf(ctx: AppContext, userId: string): Promise<string> {
  const [row] = await ctx.db.query<{ timezone: string }>('SELECT timezone FROM users WHERE id = $1', [userId]);
  return row?.timezone ?? 'UTC';
}

/**
 * Reads the calendar's feed again: new busy time replaces the old (only when it changed: that
 * write empties the read caches), a failure keeps it and is recorded. Answers the error, if any.
 */
export async function syncCalendar(ctx: AppContext, row: repo.CalendarRow, lease?: string): Promise<string | null> {
  const read = await readFeed(ctx, row, await timeZoneOf(ctx, row.user_id));
  const at = ctx.now();
  const next = new Date(at + ctx.config.calendarRefreshSeconds * 1000);
  if ('error' in read) {
    await repo.recordSync(queueWriter(ctx.db), row.id, {
      at: new Date(at),
      error: read.error,
      nextSyncAt: next,
      lease,
    });
    return read.error;
  }
  const hash = hashOf(read.busy);
  if (hash !== row.busy_hash) {
    await ctx.db.transaction(async (tx) => {
      // Unlinked meanwhile: nothing to store.
      if (await repo.findCalendar(tx, row.id, true)) await repo.replaceBusy(tx, row, read.busy, hash);
    });
  }
  await repo.recordSync(queueWriter(ctx.db), row.id, { at: new Date(at), error: null, nextSyncAt: next, lease });
  return null;
}

async function own(ctx: AppContext, principal: Principal, id: string) {
  const row = await repo.findCalendar(ctx.db, id);
  if (!row || row.user_id !== principal.userId) throw notFound('Calendar');
  return row;
}

export type LinkInput =
  | { provider: 'ics'; url: string; name?: string }
  | { provider: 'caldav'; url: string; username: string; password: string; name?: string };

export async function linkCalendar(ctx: AppContext, principal: Principal, input: LinkInput) {
  const source: Source =
    input.provider === 'caldav'
      ? {
          provider: 'caldav',
          url: feedUrl(input.url, false),
          username: input.username,
          password: input.password,
          sealed_token: null,
          external_id: null,
        }
      : {
          provider: 'ics',
          url: feedUrl(input.url, true),
          username: null,
          password: null,
          sealed_token: null,
          external_id: null,
        };
  if ((await repo.countCalendars(ctx.db, principal.userId)) >= MAX_CALENDARS) {
    throw new AppError(
      'conflict',
      `You have linked ${MAX_CALENDARS} calendars, the most one user may: unlink one first`,
    );
  }
  return view(
    await store(
      ctx,
      principal.userId,
      source,
      input.name ?? new URL(source.url).hostname,
      await readFeed(ctx, source, principal.timezone),
    ),
  );
}

/** Stores a calendar just read (a 422 naming why when it could not be). */
async function store(
  ctx: AppContext,
  userId: string,
  source: Source,
  name: string,
  read: Awaited<ReturnType<typeof readFeed>>,
) {
  if ('error' in read) {
    throw new AppError('calendar_unreachable', `The calendar could not be read: ${read.error}`, {
      errors: [{ field: 'url', message: read.error }],
    });
  }
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const inserted = await repo.insertCalendar(tx, {
      userId,
      provider: source.provider,
      url: source.url,
      username: source.username,
      password: source.password,
      sealedToken: source.sealed_token,
      externalId: source.external_id,
      name,
      nextSyncAt: new Date(at + ctx.config.calendarRefreshSeconds * 1000),
      at: new Date(at),
    });
    await repo.replaceBusy(tx, inserted, read.busy, hashOf(read.busy));
    await repo.recordSync(tx, inserted.id, { at: new Date(at), error: null, nextSyncAt: inserted.next_sync_at });
    return (await repo.findCalendar(tx, inserted.id))!;
  });
}

/** The consent URL that starts linking a Google Calendar. */
export function googleAuthorize(ctx: AppContext, principal: Principal) {
  return { url: google.authorizeUrl(ctx, principal.userId) };
}

/** Google's redirect back: the code becomes a (sealed) refresh token and the user's primary calendar is linked. */
export async function googleCallback(ctx: AppContext, query: { code?: string; state?: string; error?: string }) {
  google.googleOf(ctx);
  if (query.error !== undefined)
    throw invalidField('error', `Google answered "${query.error}": the calendar was not linked`);
  if (!query.state) throw invalidField('state', 'is required');
  if (!query.code) throw invalidField('code', 'is required');
  const userId = google.userOfState(ctx, query.state);
  if ((await repo.countCalendars(ctx.db, userId)) >= MAX_CALENDARS) {
    throw new AppError(
      'conflict',
      `You have linked ${MAX_CALENDARS} calendars, the most one user may: unlink one first`,
    );
  }
  const tokens = await google.exchangeCode(ctx, query.code);
  const source: Source = {
    provider: 'google',
    url: `${ctx.config.google!.apiUrl}/calendar/v3/calendars/primary`,
    username: null,
    password: null,
    sealed_token: google.sealToken(ctx, tokens.refreshToken),
    external_id: 'primary',
    accessToken: tokens.accessToken,
  };
  return view(
    await store(ctx, userId, source, 'Google Calendar', await readFeed(ctx, source, await timeZoneOf(ctx, userId))),
  );
}

export async function listCalendars(ctx: AppContext, principal: Principal, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 20;
  const after = query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [string, string]) : undefined;
  const rows = await repo.listCalendars(ctx.db, principal.userId, after, limit);
  return paginate(rows, limit, (r) => [r.created_at_key, r.id], view);
}

export async function getCalendar(ctx: AppContext, principal: Principal, id: string) {
  return view(await own(ctx, principal, id));
}

/** Renames, or chooses (a CalDAV calendar) as the one new bookings are written into. */
export async function updateCalendar(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { name?: string; write_bookings?: boolean },
) {
  const current = await own(ctx, principal, id);
  if (input.write_bookings === true && current.provider === 'ics') {
    throw invalidField(
      'write_bookings',
      'a feed is read-only: bookings can be written into a CalDAV or Google calendar',
    );
  }
  const row = await ctx.db.transaction((tx) =>
    repo.updateCalendar(
      tx,
      principal.userId,
      id,
      { name: input.name, writeBookings: input.write_bookings },
      new Date(ctx.now()),
    ),
  );
  if (!row) throw notFound('Calendar');
  return view(row);
}

export async function unlinkCalendar(ctx: AppContext, principal: Principal, id: string) {
  if (!(await repo.deleteCalendar(ctx.db, principal.userId, id))) throw notFound('Calendar');
}

/** Reads the feed now. A failure is reported in the answer (status "error"); the busy time last read stays. */
export async function syncNow(ctx: AppContext, principal: Principal, id: string) {
  await syncCalendar(ctx, await own(ctx, principal, id));
  return view(await own(ctx, principal, id));
}
