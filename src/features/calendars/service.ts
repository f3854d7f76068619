// Linked calendars: link a read-only iCalendar feed (read at once: a feed that cannot be read
// is not linked), list, rename, unlink, and read again now; the background refresher keeps
// their busy time current. A feed that fails keeps its last busy time and shows the error.
import { createHash } from 'node:crypto';
import type { AppContext } from '../../context';
import { queueWriter } from '../../db/database';
import type { Interval } from '../../domain/intervals';
import type { Principal } from '../../http/auth';
import { AppError, invalidField, notFound } from '../../http/errors';
import { getText, RefusedAddressError, ResponseError } from '../../http/outbound';
import { decodeCursor, paginate } from '../../http/pagination';
import { FeedError } from './ics';
import { parseFeed } from './parse-feed';
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
    status: row.sync_error !== null ? ('error' as const) : row.synced_at !== null ? ('ok' as const) : ('pending' as const),
    error: row.sync_error,
    busy_intervals: row.busy_count,
    synced_at: row.synced_at?.toISOString() ?? null,
    next_sync_at: row.next_sync_at.toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** http(s), or webcal(s) as the https it stands for; no credentials in it. */
function feedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.replace(/^webcals?:/i, 'https:'));
  } catch {
    throw invalidField('url', 'is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidField('url', 'must be http, https or webcal');
  if (url.username || url.password) throw invalidField('url', 'must not carry credentials');
  return url.toString();
}

const hashOf = (busy: readonly Interval[]) => createHash('sha256').update(JSON.stringify(busy)).digest('hex');

/** Reads the feed's busy time; a readable reason when it cannot. */
async function readFeed(ctx: AppContext, url: string, userZone: string): Promise<{ busy: Interval[] } | { error: string }> {
  try {
    const text = await getText(url, {
      signal: AbortSignal.timeout(FEED_TIMEOUT_MS),
      allowPrivate: ctx.config.outboundAllowPrivate,
      maxBytes: FEED_MAX_BYTES,
      accept: 'text/calendar, */*;q=0.5',
    });
    const now = ctx.now();
    // This service's own bookings come back in the host's calendar (the invitation was accepted): not busy twice.
    const ownUidSuffix = `@${new URL(ctx.config.publicUrl).hostname}`;
    const read = await parseFeed(text, userZone, { start: now - HORIZON.before, end: now + HORIZON.after }, { ownUidSuffix });
    return { busy: read.busy };
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err instanceof FeedError || err instanceof ResponseError || err instanceof RefusedAddressError) return { error: err.message };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { error: `no answer within ${FEED_TIMEOUT_MS / 1000} s` };
    return { error: err.code ?? err.message };
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
  const read = await readFeed(ctx, row.url, await timeZoneOf(ctx, row.user_id));
  const at = ctx.now();
  const next = new Date(at + ctx.config.calendarRefreshSeconds * 1000);
  if ('error' in read) {
    await repo.recordSync(queueWriter(ctx.db), row.id, { at: new Date(at), error: read.error, nextSyncAt: next, lease });
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

export async function linkCalendar(ctx: AppContext, principal: Principal, input: { provider: 'ics'; url: string; name?: string }) {
  const url = feedUrl(input.url);
  if ((await repo.countCalendars(ctx.db, principal.userId)) >= MAX_CALENDARS) {
    throw new AppError('conflict', `You have linked ${MAX_CALENDARS} calendars, the most one user may: unlink one first`);
  }
  const read = await readFeed(ctx, url, principal.timezone);
  if ('error' in read) throw new AppError('calendar_unreachable', `The feed could not be read: ${read.error}`, { errors: [{ field: 'url', message: read.error }] });
  const at = ctx.now();
  const row = await ctx.db.transaction(async (tx) => {
    const inserted = await repo.insertCalendar(tx, {
      userId: principal.userId,
      name: input.name ?? new URL(url).hostname,
      url,
      nextSyncAt: new Date(at + ctx.config.calendarRefreshSeconds * 1000),
      at: new Date(at),
    });
    await repo.replaceBusy(tx, inserted, read.busy, hashOf(read.busy));
    await repo.recordSync(tx, inserted.id, { at: new Date(at), error: null, nextSyncAt: inserted.next_sync_at });
    return (await repo.findCalendar(tx, inserted.id))!;
  });
  return view(row);
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

export async function renameCalendar(ctx: AppContext, principal: Principal, id: string, name: string) {
  const row = await repo.renameCalendar(ctx.db, principal.userId, id, name, new Date(ctx.now()));
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
