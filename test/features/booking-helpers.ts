// Shared steps of the event type and booking tests: a host with an event type, booking as an invitee.
import type { FastifyInstance } from 'fastify';
import { call, signUp, type Answer } from '../helpers/app';

export interface Host {
  token: string;
  username: string;
  user: any;
}

export async function newHost(app: FastifyInstance, timezone = 'Europe/Berlin'): Promise<Host> {
  return signUp(app, { timezone });
}

export async function createEventType(
  app: FastifyInstance,
  host: Host,
  body: Record<string, unknown> = {},
): Promise<any> {
  const res = await call(app, 'POST', '/api/v1/event-types', {
    token: host.token,
    body: { slug: `et-${Math.random().toString(36).slice(2, 10)}`, title: 'Intro call', ...body },
  });
  if (res.status !== 201) throw new Error(`event type not created: ${res.status} ${res.text}`);
  return res.body;
}

/** `host` accepts hosting another user's event type (which lists them as a host). */
export async function acceptHosting(app: FastifyInstance, host: Host, eventTypeId: string): Promise<any> {
  const res = await call(app, 'POST', `/api/v1/event-types/${eventTypeId}/hosting/accept`, { token: host.token });
  if (res.status !== 200) throw new Error(`hosting not accepted: ${res.status} ${res.text}`);
  return res.body;
}

/** An event type of `owner` hosted by `owner` and `others`, every one of whom has accepted. */
export async function createTeamEventType(
  app: FastifyInstance,
  owner: Host,
  others: Host[],
  body: Record<string, unknown>,
): Promise<any> {
  const et = await createEventType(app, owner, { hosts: [owner.username, ...others.map((o) => o.username)], ...body });
  for (const other of others) await acceptHosting(app, other, et.id);
  return et;
}

export async function createSchedule(app: FastifyInstance, host: Host, body: Record<string, unknown>): Promise<any> {
  const res = await call(app, 'POST', '/api/v1/schedules', { token: host.token, body: { name: 'Special', ...body } });
  if (res.status !== 201) throw new Error(`schedule not created: ${res.status} ${res.text}`);
  return res.body;
}

export const invitee = { name: 'Ivy Invitee', email: 'ivy@example.com', timezone: 'Europe/Berlin' };

export function book(
  app: FastifyInstance,
  host: Host,
  slug: string,
  start: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  return call(app, 'POST', `/api/v1/public/${host.username}/${slug}/bookings`, {
    body: { start, invitee, ...extra },
    headers,
  });
}

export async function slots(app: FastifyInstance, host: Host, slug: string, query: string): Promise<any[]> {
  const res = await call(app, 'GET', `/api/v1/public/${host.username}/${slug}/slots?${query}`);
  if (res.status !== 200) throw new Error(`slots: ${res.status} ${res.text}`);
  return res.body.slots;
}

export async function slotStarts(app: FastifyInstance, host: Host, slug: string, query: string): Promise<string[]> {
  return (await slots(app, host, slug, query)).map((s) => s.start);
}

/** The path of an absolute link (the tests call the app in-process). */
export const pathOf = (url: string) => new URL(url).pathname;
