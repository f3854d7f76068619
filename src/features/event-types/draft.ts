// An event type as a draft: defaults, the merge of a PATCH or PUT body, and every check of
// its fields (with field-named errors) before the service saves it.
import type { Queryable } from '../../db';
import { compareDates, isDate, parseInstant } from '../../domain/calendar';
import type { FieldError } from '../../http/errors';
import * as repo from './repository';
import type { EventTypeData, EventTypeRow } from './repository';
import { SLUG_PATTERN, type EventTypePatchBody } from './schemas';

const slugRe = new RegExp(SLUG_PATTERN);

/** The full desired state of an event type, before it is checked against the database. */
export interface Draft extends EventTypeData {
  hosts: string[];
  schedules: { schedule_id: string; expires_on: string | null }[];
}

export function defaults(owner: string): Omit<Draft, 'slug' | 'title'> {
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

export function draftOf(row: EventTypeRow): Draft {
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
export function apply(base: Draft, body: EventTypePatchBody, errors: FieldError[]): Draft {
  const d: Draft = { ...base };
  const simple = [
    'slug',
    'title',
    'description',
    'kind',
    'hosts',
    'seats',
    'slot_interval',
    'date_range',
    'single_use',
    'buffer_before',
    'buffer_after',
    'min_notice',
    'max_per_day',
    'location',
    'questions',
    'active',
  ] as const;
  for (const key of simple) if (body[key] !== undefined) (d as unknown as Record<string, unknown>)[key] = body[key];

  if (body.durations !== undefined) {
    const unique = [...new Set(body.durations)];
    if (unique.length !== body.durations.length)
      errors.push({ field: 'durations', message: 'must not repeat a duration' });
    d.durations = unique;
    if (body.duration !== undefined) {
      if (!unique.includes(body.duration)) errors.push({ field: 'duration', message: 'must be one of durations' });
      else d.durations = [body.duration, ...unique.filter((x) => x !== body.duration)];
    }
  } else if (body.duration !== undefined) {
    d.durations = d.durations.includes(body.duration)
      ? [body.duration, ...d.durations.filter((x) => x !== body.duration)]
      : [body.duration];
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
        if (ms === null)
          errors.push({ field: `fixed_slots[${i}].start`, message: 'must be an RFC 3339 instant with an offset' });
        else starts.push(ms);
      });
      d.fixed_slots = [...new Set(starts)].sort((a, b) => a - b);
    }
  }
  return d;
}

/** Checks the whole draft's consistency (field by field and across fields). */
export function check(d: Draft, owner: string, errors: FieldError[]): void {
  if (!slugRe.test(d.slug))
    errors.push({
      field: 'slug',
      message: 'must be lowercase letters, digits and "-", not starting or ending with "-"',
    });
  if (d.kind !== 'group' && d.seats !== 1)
    errors.push({ field: 'seats', message: 'only a group event type has seats' });
  // One host means the owner: lending one's calendar to another user's link takes a team kind.
  if ((d.kind === 'one_on_one' || d.kind === 'group') && (d.hosts.length !== 1 || d.hosts[0] !== owner)) {
    errors.push({ field: 'hosts', message: `a ${d.kind} event type has exactly one host: you, its owner` });
  }
  if (new Set(d.hosts).size !== d.hosts.length) errors.push({ field: 'hosts', message: 'must not repeat a host' });
  const ids = d.schedules.map((s) => s.schedule_id);
  if (new Set(ids).size !== ids.length) errors.push({ field: 'schedules', message: 'must not repeat a schedule' });
  d.schedules.forEach((s, i) => {
    if (s.expires_on !== null && !isDate(s.expires_on))
      errors.push({ field: `schedules[${i}].expires_on`, message: 'must be a real date YYYY-MM-DD' });
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
    if (new Set(r.dates).size !== r.dates.length)
      errors.push({ field: 'date_range.dates', message: 'must not repeat a date' });
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
export async function resolve(q: Queryable, ownerId: string, d: Draft, errors: FieldError[]): Promise<string[]> {
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
      errors.push({
        field: 'schedules',
        message: 'are your hours, so you must be one of the hosts (other hosts use their default schedule)',
      });
    }
    const owned = await repo.schedulesOwnedBy(
      q,
      ownerId,
      d.schedules.map((s) => s.schedule_id),
    );
    d.schedules.forEach((s, i) => {
      if (!owned.has(s.schedule_id))
        errors.push({ field: `schedules[${i}].schedule_id`, message: 'is not one of your schedules' });
    });
  }
  return hostIds;
}
