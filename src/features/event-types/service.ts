// Event type use cases: create, read, list, change (PATCH merges, PUT replaces), delete, and
// hosting by consent. Only the owner changes an event type; a user it lists as a host may read
// it and accept or decline hosting it (until they accept, none of their time is offered);
// to anyone else it is "not found".
import type { AppContext } from '../../context';
import { sqlState, SqlState } from '../../db/database';
import type { Queryable } from '../../db';
import { compareDates, formatInstant, isDate, isTimeZone, parseInstant } from '../../domain/calendar';
import type { Principal } from '../../http/auth';
import { AppError, invalidField, notFound, validationError, type FieldError } from '../../http/errors';
import { decodeCursor, paginate } from '../../http/pagination';
import * as repo from './repository';
import type { EventTypeData, EventTypeRow, Kind } from './repository';
import { SLUG_PATTERN, type EventTypeCreateBody, type EventTypePatchBody } from './schemas';

const slugRe = new RegExp(SLUG_PATTERN);

/** The full desired state of an event type, before it is checked against the database. */
interface Draft extends EventTypeData {
  hosts: string[];
  schedules: { schedule_id: string; expires_on: string | null }[];
}

function defaults(owner: string): Omit<Draft, 'slug' | 'title'> {
  return {
    description: '',
    kind: 'one_on_one',
    hosts: [owner],
    seats: 1,
    durations: [30],
    slot_interval: null,
    schedules: [],
    date_range: { type: 'rolling', days: 60 },
    fixed_slots: null,
    single_use: false,
    buffer_before: 0,
    buffer_after: 0,
    min_notice: 0,
    max_per_day: null,
    location: null,
    questions: [],
    active: true,
  };
}

function draftOf(row: EventTypeRow): Draft {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    kind: row.kind,
    hosts: row.hosts.map((h) => h.username),
    seats: row.seats,
    durations: row.durations,
    slot_interval: row.slot_interval,
    schedules: row.schedules,
    date_range: row.date_range,
    fixed_slots: row.fixed_slots,
    single_use: row.single_use,
    buffer_before: row.buffer_before,
    buffer_after: row.buffer_after,
    min_notice: row.min_notice,
    max_per_day: row.max_per_day,
    location: row.location,
    questions: row.questions,
    active: row.active,
  };
}

/** Applies a request body to a draft, checking what needs no database. */
function apply(base: Draft, body: EventTypePatchBody, errors: FieldError[]): Draft {
  const d: Draft = { ...base };
  const simple = [
    'slug', 'title', 'description', 'kind', 'hosts', 'seats', 'slot_interval', 'date_range', 'single_use',
    'buffer_before', 'buffer_after', 'min_notice', 'max_per_day', 'location', 'questions', 'active',
  ] as const;
  for (const key of simple) if (body[key] !== undefined) (d as unknown as Record<string, unknown>)[key] = body[key];

  if (body.durations !== undefined) {
    const unique = [...new Set(body.durations)];
    if (unique.length !== body.durations.length) errors.push({ field: 'durations', message: 'must not repeat a duration' });
    d.durations = unique;
    if (body.duration !== undefined) {
      if (!unique.includes(body.duration)) errors.push({ field: 'duration', message: 'must be one of durations' });
      else d.durations = [body.duration, ...unique.filter((x) => x !== body.duration)];
    }
  } else if (body.duration !== undefined) {
    d.durations = d.durations.includes(body.duration) ? [body.duration, ...d.durations.filter((x) => x !== body.duration)] : [body.duration];
  }

  if (body.schedule_id !== undefined && body.schedules !== undefined) {
    errors.push({ field: 'schedules', message: 'give schedule_id or schedules, not both' });
  } else if (body.schedule_id !== undefined) {
    d.schedules = body.schedule_id === null ? [] : [{ schedule_id: body.schedule_id, expires_on: null }];
  } else if (body.schedules !== undefined) {
    d.schedules = body.schedules.map((s) => ({ schedule_id: s.schedule_id, expires_on: s.expires_on ?? null }));
  }

  if (body.fixed_slots !== undefined) {
    if (body.fixed_slots === null) d.fixed_slots = null;
    else {
      const starts: number[] = [];
      body.fixed_slots.forEach((slot, i) => {
        const ms = parseInstant(slot.start);
        if (ms === null) errors.push({ field: `fixed_slots[${i}].start`, message: 'must be an RFC 3339 instant with an offset' });
        else starts.push(ms);
      });
      d.fixed_slots = [...new Set(starts)].sort((a, b) => a - b);
    }
  }
  return d;
}

/** Checks the whole draft's consistency (field by field and across fields). */
function check(d: Draft, owner: string, errors: FieldError[]): void {
  if (!slugRe.test(d.slug)) errors.push({ field: 'slug', message: 'must be lowercase letters, digits and "-", not starting or ending with "-"' });
  if (d.kind !== 'group' && d.seats !== 1) errors.push({ field: 'seats', message: 'only a group event type has seats' });
  // One host means the owner: lending one's calendar to another user's link takes a team kind.
  if ((d.kind === 'one_on_one' || d.kind === 'group') && (d.hosts.length !== 1 || d.hosts[0] !== owner)) {
    errors.push({ field: 'hosts', message: `a ${d.kind} event type has exactly one host: you, its owner` });
  }
  if (new Set(d.hosts).size !== d.hosts.length) errors.push({ field: 'hosts', message: 'must not repeat a host' });
  const ids = d.schedules.map((s) => s.schedule_id);
  if (new Set(ids).size !== ids.length) errors.push({ field: 'schedules', message: 'must not repeat a schedule' });
  d.schedules.forEach((s, i) => {
    if (s.expires_on !== null && !isDate(s.expires_on)) errors.push({ field: `schedules[${i}].expires_on`, message: 'must be a real date YYYY-MM-DD' });
  });
  const r = d.date_range;
  if (r.type === 'range') {
    const okStart = isDate(r.start_date);
    const okEnd = isDate(r.end_date);
    if (!okStart) errors.push({ field: 'date_range.start_date', message: 'must be a real date YYYY-MM-DD' });
    if (!okEnd) errors.push({ field: 'date_range.end_date', message: 'must be a real date YYYY-MM-DD' });
    if (okStart && okEnd && compareDates(r.start_date, r.end_date) > 0) {
      errors.push({ field: 'date_range.end_date', message: 'must not be before start_date' });
    }
  } else if (r.type === 'dates') {
    r.dates.forEach((date, i) => {
      if (!isDate(date)) errors.push({ field: `date_range.dates[${i}]`, message: 'must be a real date YYYY-MM-DD' });
    });
    if (new Set(r.dates).size !== r.dates.length) errors.push({ field: 'date_range.dates', message: 'must not repeat a date' });
  }
  const keys = new Set<string>();
  d.questions.forEach((q, i) => {
    if (keys.has(q.key)) errors.push({ field: `questions[${i}].key`, message: 'must be unique' });
    keys.add(q.key);
    if (q.type === 'select' && !(q.options && q.options.length > 0)) {
      errors.push({ field: `questions[${i}].options`, message: 'a select question needs options' });
    }
  });
}

/** Resolves host usernames and checks the schedules are the owner's. */
async function resolve(q: Queryable, ownerId: string, d: Draft, errors: FieldError[]): Promise<string[]> {
  const users = await repo.usersByUsername(q, d.hosts);
  const byName = new Map(users.map((u) => [u.username, u.id]));
  const hostIds: string[] = [];
  d.hosts.forEach((name, i) => {
    const id = byName.get(name);
    if (id === undefined) errors.push({ field: `hosts[${i}]`, message: 'is not a user' });
    else hostIds.push(id);
  });
  if (d.schedules.length > 0) {
    if (!hostIds.includes(ownerId)) {
      errors.push({ field: 'schedules', message: 'are your hours, so you must be one of the hosts (other hosts use their default schedule)' });
    }
    const owned = await repo.schedulesOwnedBy(q, ownerId, d.schedules.map((s) => s.schedule_id));
    d.schedules.forEach((s, i) => {
      if (!owned.has(s.schedule_id)) errors.push({ field: `schedules[${i}].schedule_id`, message: 'is not one of your schedules' });
    });
  }
  return hostIds;
}

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
    fixed_slots: row.fixed_slots === null ? null : row.fixed_slots.map((ms) => ({ start: formatInstant(ms, timezone) })),
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
    return new AppError('conflict', 'You already have an event type with this slug', { errors: [{ field: 'slug', message: 'is taken' }] });
  }
  if (state === SqlState.foreignKeyViolation) {
    return new AppError('conflict', 'The event type, one of its schedules or one of its hosts was deleted meanwhile; load it again');
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
  if (row.owner_id !== principal.userId) throw new AppError('forbidden', 'Only the owner of an event type can change it; you are one of its hosts');
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

function zoneOr(timezone: string | undefined, fallback: string): string {
  if (timezone === undefined) return fallback;
  if (!isTimeZone(timezone)) throw invalidField('timezone', 'is not an IANA time zone name');
  return timezone;
}

export async function createEventType(ctx: AppContext, principal: Principal, body: EventTypeCreateBody) {
  const errors: FieldError[] = [];
  const draft = apply({ ...defaults(principal.username), slug: body.slug, title: body.title }, body, errors);
  return toEventTypeView(ctx, await save(ctx, principal, null, draft, errors));
}

/** The owner's event type, or (read-only) one the user is listed as a host of. */
export async function getEventType(ctx: AppContext, principal: Principal, id: string, timezone?: string) {
  const row = await visibleEventType(ctx.db, principal, id);
  return toEventTypeView(ctx, row, zoneOr(timezone, row.owner_timezone));
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
  return paginate(rows, limit, (r) => [r.created_key, r.id], (r) => toEventTypeView(ctx, r));
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
