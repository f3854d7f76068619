// Event type use cases: create, read, list, change (PATCH merges, PUT replaces), delete, and
// hosting by consent. Only the owner changes an event type; a user it lists as a host may read
// it and accept or decline hosting it (until they accept, none of their time is offered);
// to anyone else it is "not found".
import type { AppContext } from '../../context';
import { sqlState, SqlState } from '../../db/database';
import type { Queryable } from '../../db';
import { formatInstant } from '../../domain/calendar';
import type { Principal } from '../../http/auth';
import { AppError, notFound, validationError, type FieldError } from '../../http/errors';
import { decodeCursor, paginate } from '../../http/pagination';
import * as repo from './repository';
import { apply, check, defaults, draftOf, resolve, type Draft } from './draft';
import type { EventTypeRow, Kind } from './repository';
import type { EventTypeCreateBody, EventTypePatchBody } from './schemas';
import { askedTimeZone } from '../../http/time-zone-param';

export function toEventTypeView(ctx: AppContext, row: EventTypeRow, timezone = row.owner_timezone) {
  const pending = row.hosts.filter((h) => !h.accepted).map((h) => h.username);
  return {
    id: row.id,
    owner: row.owner_username,
    slug: row.slug,
    title: row.title,
    description: row.description,
    kind: row.kind,
    hosts: row.hosts.map((h) => h.username),
    pending_hosts: pending,
    seats: row.seats,
    duration: row.durations[0]!,
    durations: row.durations,
    slot_interval: row.slot_interval,
    schedule_id: row.schedules[0]?.schedule_id ?? null,
    schedules: row.schedules,
    date_range: row.date_range,
    fixed_slots:
      row.fixed_slots === null ? null : row.fixed_slots.map((ms) => ({ start: formatInstant(ms, timezone) })),
    single_use: row.single_use,
    used: row.used_at !== null,
    buffer_before: row.buffer_before,
    buffer_after: row.buffer_after,
    min_notice: row.min_notice,
    max_per_day: row.max_per_day,
    location: row.location,
    questions: row.questions,
    active: row.active,
    timezone: row.owner_timezone,
    booking_url: `${ctx.config.publicUrl}/${row.owner_username}/${row.slug}`,
    created_at: formatInstant(row.created_at.getTime(), timezone),
    updated_at: formatInstant(row.updated_at.getTime(), timezone),
  };
}

/** A save that lost to a concurrent change: a duplicate slug, or a deleted event type, schedule or host. */
function saveConflict(error: unknown): AppError | null {
  const state = sqlState(error);
  if (state === SqlState.uniqueViolation) {
    return new AppError('conflict', 'You already have an event type with this slug', {
      errors: [{ field: 'slug', message: 'is taken' }],
    });
  }
  if (state === SqlState.foreignKeyViolation) {
    return new AppError(
      'conflict',
      'The event type, one of its schedules or one of its hosts was deleted meanwhile; load it again',
    );
  }
  return null;
}

async function save(ctx: AppContext, principal: Principal, id: string | null, draft: Draft, errors: FieldError[]) {
  check(draft, principal.username, errors);
  if (errors.length) throw validationError(errors);
  let savedId: string;
  try {
    savedId = await ctx.db.transaction(async (tx) => {
      const hostIds = await resolve(tx, principal.userId, draft, errors);
      if (errors.length) throw validationError(errors);
      const { hosts: _h, schedules, ...data } = draft;
      let target = id;
      if (target === null) target = await repo.insertEventType(tx, principal.userId, data);
      else await repo.updateEventType(tx, target, data);
      await repo.replaceHosts(tx, target, principal.userId, hostIds, new Date(ctx.now()));
      await repo.replaceSchedules(tx, target, schedules);
      return target;
    });
  } catch (error) {
    throw saveConflict(error) ?? error;
  }
  const saved = await repo.findEventType(ctx.db, savedId);
  if (!saved) throw new AppError('conflict', 'The event type was deleted meanwhile');
  return saved;
}

/** The event type as its owner may change it: a host who is not the owner gets a 403, anyone else a 404. */
async function ownEventType(q: Queryable, principal: Principal, id: string): Promise<EventTypeRow> {
  const row = await repo.findEventType(q, id);
  if (!row || !isVisibleTo(row, principal)) throw notFound('Event type');
  if (row.owner_id !== principal.userId)
    throw new AppError('forbidden', 'Only the owner of an event type can change it; you are one of its hosts');
  return row;
}

function isVisibleTo(row: EventTypeRow, principal: Principal): boolean {
  return row.owner_id === principal.userId || row.hosts.some((h) => h.user_id === principal.userId);
}

/** The event type as its owner or one of its hosts (accepted or not) may read it. */
async function visibleEventType(q: Queryable, principal: Principal, id: string): Promise<EventTypeRow> {
  const row = await repo.findEventType(q, id);
  if (!row || !isVisibleTo(row, principal)) throw notFound('Event type');
  return row;
}

export async function createEventType(ctx: AppContext, principal: Principal, body: EventTypeCreateBody) {
  const errors: FieldError[] = [];
  const draft = apply({ ...defaults(principal.username), slug: body.slug, title: body.title }, body, errors);
  return toEventTypeView(ctx, await save(ctx, principal, null, draft, errors));
}

/** The owner's event type, or (read-only) one the user is listed as a host of. */
export async function getEventType(ctx: AppContext, principal: Principal, id: string, timezone?: string) {
  const row = await visibleEventType(ctx.db, principal, id);
  return toEventTypeView(ctx, row, askedTimeZone(timezone, row.owner_timezone));
}

/** Your event types; with `hosting`, other users' that list you as a host (`pending`: not yet answered). */
export async function listEventTypes(
  ctx: AppContext,
  principal: Principal,
  query: { limit?: number; cursor?: string; hosting?: 'pending' | 'accepted' },
) {
  const limit = query.limit ?? 20;
  const after = query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [string, string]) : undefined;
  const rows = await repo.listEventTypes(ctx.db, principal.userId, query.hosting ?? 'own', after, limit);
  return paginate(
    rows,
    limit,
    (r) => [r.created_key, r.id],
    (r) => toEventTypeView(ctx, r),
  );
}

/** A listed host agrees to host the event type: from now on their free time is offered on its link. */
export async function acceptHosting(ctx: AppContext, principal: Principal, id: string) {
  await visibleEventType(ctx.db, principal, id);
  if (!(await repo.acceptHosting(ctx.db, id, principal.userId, new Date(ctx.now())))) {
    // The owner of a type they do not host, or a host just removed by the owner.
    throw notFound('Hosting invitation');
  }
  const row = await repo.findEventType(ctx.db, id);
  if (!row) throw notFound('Event type');
  return toEventTypeView(ctx, row);
}

/**
 * A listed host refuses (or stops) hosting the event type: they are taken off its hosts and
 * no longer see it. The owner cannot decline: they change `hosts` instead.
 */
export async function declineHosting(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  const row = await visibleEventType(ctx.db, principal, id);
  if (row.owner_id === principal.userId) {
    throw new AppError('conflict', 'You own this event type: change its hosts (PATCH) instead of declining');
  }
  if (!(await repo.removeHost(ctx.db, id, principal.userId))) throw notFound('Hosting invitation');
}

/** PATCH changes the fields given; PUT (`replace`) resets the others to their defaults. */
export async function updateEventType(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: EventTypePatchBody,
  mode: 'merge' | 'replace',
) {
  const current = await ownEventType(ctx.db, principal, id);
  const errors: FieldError[] = [];
  const base: Draft =
    mode === 'replace'
      ? { ...defaults(principal.username), slug: current.slug, title: current.title }
      : draftOf(current);
  const draft = apply(base, body, errors);
  return toEventTypeView(ctx, await save(ctx, principal, id, draft, errors));
}

export async function deleteEventType(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  await ownEventType(ctx.db, principal, id);
  await repo.deleteEventType(ctx.db, id);
}

export type { Kind };
