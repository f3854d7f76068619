// Malformed requests of every kind get a 4xx problem+json answer, never a 500 or a stack.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, signUp, startApp, STORES, type TestApp } from '../helpers/app';

for (const store of STORES) {
  describe(`problem answers [${store}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startApp(store);
    });
    after(() => t.close());

    it('an unknown route is a 404 problem', async () => {
      const res = await call(t.app, 'GET', '/api/v1/no-such-thing');
      assert.ok(isProblem(res, 404));
    });

    it('malformed JSON, an empty JSON body and a wrong content type are 4xx problems', async () => {
      const cases: [Record<string, string>, string, number][] = [
        [{ 'content-type': 'application/json' }, '{"username": ', 400],
        [{ 'content-type': 'application/json' }, '', 400], // no body where one is required
        [{ 'content-type': 'text/plain' }, 'hello', 415],
        [{ 'content-type': 'application/xml' }, '<a/>', 415],
        [{ 'content-type': 'application/json' }, '[]', 400],
        [{ 'content-type': 'application/json' }, '"string"', 400],
        [{ 'content-type': 'application/json' }, 'null', 400],
      ];
      for (const [headers, payload, status] of cases) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', headers, payload });
        const body = JSON.parse(res.body);
        assert.equal(res.statusCode, status, `${headers['content-type']} ${payload} -> ${res.statusCode} ${res.body}`);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        assert.equal(body.status, status);
        assert.ok(!res.body.includes('    at '), 'no stack trace');
      }
    });

    it('a body over the documented limit is a 413 problem', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'big', email: 'big@example.com', password: 'x'.repeat(200 * 1024) }),
      });
      assert.equal(res.statusCode, 413);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    });

    it('deep nesting, lone surrogates and NUL characters are 400s naming the field, on public routes too', async () => {
      const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
      const nested = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: `{"login": ${deep}, "password": "x"}`,
      });
      assert.equal(nested.statusCode, 400, nested.body);
      assert.match(String(nested.headers['content-type']), /^application\/problem\+json/);
      for (const login of ['a\ud800b', 'x\udfff', 'nul\u0000']) {
        const res = await call(t.app, 'POST', '/api/v1/auth/login', { body: { login, password: 'x' } });
        assert.ok(isProblem(res, 400), `${JSON.stringify(login)} -> ${res.status}`);
        assert.equal(res.body.errors[0].field, 'login');
      }
      const key = await call(t.app, 'POST', '/api/v1/auth/login', {
        body: { login: 'a', password: 'x', '\ud800': 1 },
      });
      assert.ok(isProblem(key, 400));
    });

    it('a malformed URL and an over-long path parameter are problems too', async () => {
      const bad = await t.app.inject({
        method: 'GET',
        url: '/api/v1/users/%E0%A4%A/availability?from=2030-01-01&to=2030-01-01',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(String(bad.headers['content-type']), /^application\/problem\+json/);
      const long = await t.app.inject({ method: 'GET', url: `/api/v1/users/${'a'.repeat(300)}/availability` });
      assert.ok(long.statusCode === 414 || long.statusCode === 400, String(long.statusCode));
      assert.match(String(long.headers['content-type']), /^application\/problem\+json/);
    });

    it('validation problems list every bad field', async () => {
      const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: { username: 5, email: [], password: null },
      });
      assert.ok(isProblem(res, 400));
      const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
      assert.deepEqual([...new Set(fields)], ['email', 'password', 'username']);
    });

    it('odd strings (unicode, NUL, huge) never cause a 500', async () => {
      const { token } = await signUp(t.app);
      const strings = ['\u0000', '😀'.repeat(50), 'a'.repeat(5000), '../../etc/passwd', "' OR 1=1 --", '\ud800'];
      // A lone surrogate cannot be percent-encoded; send it as raw (invalid) UTF-8 bytes instead.
      const inUrl = (s: string) => (s === '\ud800' ? '%ED%A0%80%ZZ' : encodeURIComponent(s));
      for (const s of strings) {
        for (const [method, url, body] of [
          ['POST', '/api/v1/auth/login', { login: s, password: s }],
          ['PATCH', '/api/v1/me', { name: s }],
          ['PATCH', '/api/v1/me', { timezone: s }],
          ['POST', '/api/v1/me/tokens', { name: s, expires_at: s }],
          ['GET', `/api/v1/users?cursor=${inUrl(s)}`, undefined],
          ['DELETE', `/api/v1/me/tokens/${inUrl(s)}`, undefined],
        ] as const) {
          const res = await call(t.app, method, url, { token, body });
          assert.ok(
            res.status < 500,
            `${method} ${url} ${JSON.stringify(body)?.slice(0, 60)} -> ${res.status} ${res.text.slice(0, 200)}`,
          );
        }
      }
    });
  });
}

describe('logs', () => {
  it("are JSON with request ids, and never show an invitee link's secret", async () => {
    const { buildApp } = await import('../../src/app');
    const { loadConfig } = await import('../../src/config');
    const { openTestStore } = await import('../helpers/stores');
    const { PassThrough } = await import('node:stream');
    const store = await openTestStore('embedded');
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'info' }), db: store.db, logStream: stream });
    const secret = 'Zx9secretTokenValueThatMustNotBeLogged0000000';
    await app.inject({ method: 'GET', url: `/api/v1/public/bookings/${secret}` });
    await app.close();
    assert.ok(lines.length > 0);
    const entries = lines.map((line) => JSON.parse(line));
    assert.ok(entries.some((e) => e.req?.url === '/api/v1/public/bookings/***'));
    assert.ok(entries.every((e) => typeof e.reqId === 'string' || e.reqId === undefined));
    assert.ok(!lines.join('\n').includes(secret));
  });
});

describe('an unexpected failure', () => {
  it('answers a generic 500 problem with a request id and never the message or stack', async () => {
    const { buildApp } = await import('../../src/app');
    const { loadConfig } = await import('../../src/config');
    const fakeDb = {
      kind: 'embedded' as const,
      query: async () => {
        throw new Error('connection to 10.0.0.5 refused: password authentication failed');
      },
      cachedQuery: async () => {
        throw new Error('connection to 10.0.0.5 refused: password authentication failed');
      },
      queueQuery: async () => {
        throw new Error('connection to 10.0.0.5 refused: password authentication failed');
      },
      transaction: async () => {
        throw new Error('x');
      },
      session: async () => {
        throw new Error('x');
      },
      ping: async () => {},
      close: async () => {},
    };
    // A broken store (not a mock of its behaviour: every query fails) to provoke an unknown failure.
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db: fakeDb, logger: false });
    const res = await call(app, 'POST', '/api/v1/auth/login', { body: { login: 'a', password: 'b' } });
    assert.equal(res.status, 500);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.ok(!res.text.includes('10.0.0.5') && !res.text.includes('password authentication'));
    assert.equal(res.body.request_id, res.headers['x-request-id']);
    await app.close();
  });
});
