// Builds the real app on a real store for a test file, with a clock the test can move,
// and small helpers to call it as a client would.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config';
import { openTestStore, type StoreKind, type TestStore } from './stores';

export { STORES, type StoreKind } from './stores';

export interface TestClock {
  now(): number;
  set(instant: string | number): void;
  /** Back to the real time. */
  reset(): void;
}

export function testClock(): TestClock {
  let fixed: number | null = null;
  return {
    now: () => fixed ?? Date.now(),
    set: (instant) => {
      fixed = typeof instant === 'number' ? instant : Date.parse(instant);
    },
    reset: () => {
      fixed = null;
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  store: TestStore;
  config: AppConfig;
  clock: TestClock;
  close(): Promise<void>;
}

export async function startApp(kind: StoreKind, env: Record<string, string> = {}): Promise<TestApp> {
  const store = await openTestStore(kind);
  const config = loadConfig({ PUBLIC_URL: 'http://localhost:3000', LOG_LEVEL: 'silent', ...env });
  const clock = testClock();
  const app = await buildApp({ config, db: store.db, now: clock.now, logger: false });
  await app.ready();
  return {
    app,
    store,
    config,
    clock,
    async close() {
      await app.close();
      await store.drop();
    },
  };
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
}

/** Calls the app; `token` is sent as a bearer token. */
export async function call<T = any>(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await app.inject({
    method,
    url,
    headers,
    ...(options.body !== undefined ? { payload: options.body as object } : {}),
  });
  let body: any;
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('json') && res.body) body = JSON.parse(res.body);
  return { status: res.statusCode, body, headers: res.headers, text: res.body };
}

let counter = 0;
export const PASSWORD = 'correct horse battery staple';

/** Signs up a new user (unique username unless given) and returns the user and its token. */
export async function signUp(
  app: FastifyInstance,
  fields: { username?: string; timezone?: string; email?: string; name?: string } = {},
): Promise<{ token: string; user: any; username: string }> {
  const username = fields.username ?? `user${process.pid}x${++counter}`;
  const res = await call(app, 'POST', '/api/v1/auth/signup', {
    body: { username, email: fields.email ?? `${username}@example.com`, password: PASSWORD, ...fields },
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  return { token: res.body.token, user: res.body.user, username };
}

/** Asserts the shape of a problem+json answer and returns its body. */
export function isProblem(res: Answer, status: number): boolean {
  return (
    res.status === status &&
    String(res.headers['content-type']).startsWith('application/problem+json') &&
    typeof res.body?.type === 'string' &&
    typeof res.body?.title === 'string' &&
    res.body?.status === status &&
    typeof res.body?.detail === 'string'
  );
}
