// Black-box acceptance tests of SPEC.md "Conventions" and §1 Accounts and access, written
// from the contract (SPEC.md, README.md, the served OpenAPI document) only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem, assertValidation } from './assertions';
import { call, PASSWORD, startApp, STORES, type Answer, type TestApp } from '../helpers/app';

const ADMIN = 'rootadmin';

function cookiesOf(res: Answer): Record<string, { value: string; attrs: string }> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  const out: Record<string, { value: string; attrs: string }> = {};
  for (const c of list) {
    const [pair, ...attrs] = c.split(';');
    const i = pair.indexOf('=');
    out[pair.slice(0, i).trim()] = { value: pair.slice(i + 1).trim(), attrs: attrs.join(';') };
  }
  return out;
}

let n = 0;
function uname(prefix = 'u'): string {
  return `${prefix}${++n}x${process.pid % 1000}`;
}

for (const store of STORES) {
  describe(`contract: accounts and access (${store})`, () => {
    let t: TestApp;

    async function signup(fields: Record<string, unknown> = {}) {
      const username = (fields.username as string) ?? uname();
      const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: { username, email: `${username}@example.com`, password: PASSWORD, ...fields },
      });
      assert.equal(res.status, 201, res.text);
      return { username, token: res.body.token as string, user: res.body.user, res };
    }

    async function login(loginName: string, password = PASSWORD) {
      return call(t.app, 'POST', '/api/v1/auth/login', { body: { login: loginName, password } });
    }

    before(async () => {
      t = await startApp(store, { ADMIN_USERNAMES: ADMIN });
      t.clock.set('2026-03-01T00:00:00Z');
    });
    after(async () => {
      await t?.close();
    });

    // ---- Sign-up -------------------------------------------------------------------------

    it('sign-up answers 201 {user, token}, signed in, without any secret in the user', async () => {
      const username = uname('ada');
      const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: {
          username,
          email: `${username}@Example.com`,
          password: PASSWORD,
          name: 'Ada Lovelace',
          timezone: 'Europe/Berlin',
        },
      });
      assert.equal(res.status, 201, res.text);
      assert.ok(String(res.headers['content-type']).startsWith('application/json'));
      assert.equal(typeof res.body.token, 'string');
      assert.ok(res.body.token.length > 0);
      const u = res.body.user;
      assert.equal(u.username, username);
      assert.equal(u.name, 'Ada Lovelace');
      assert.equal(u.timezone, 'Europe/Berlin');
      assert.equal(u.is_admin, false);
      assert.equal(typeof u.id, 'string');
      assert.ok(!/argon|password|hash/i.test(JSON.stringify(u)), `no secret in user: ${JSON.stringify(u)}`);
      assert.ok(!res.text.includes(PASSWORD));

      const me = await call(t.app, 'GET', '/api/v1/me', { token: res.body.token });
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.username, username);
      assert.equal(me.body.id, u.id);
      assert.ok(!/argon|password/i.test(me.text));
    });

    it('sign-up ignores or refuses is_admin, never obeys it', async () => {
      const username = uname('sneaky');
      const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: { username, email: `${username}@example.com`, password: PASSWORD, is_admin: true },
      });
      if (res.status === 201) {
        assert.equal(res.body.user.is_admin, false);
        const me = await call(t.app, 'GET', '/api/v1/me', { token: res.body.token });
        assert.equal(me.body.is_admin, false);
      } else {
        assertProblem(res, 400);
      }
    });

    it('an admin named by ADMIN_USERNAMES is an admin', async () => {
      const { token, user } = await signup({ username: ADMIN });
      assert.equal(user.is_admin, true);
      const me = await call(t.app, 'GET', '/api/v1/me', { token });
      assert.equal(me.body.is_admin, true);
    });

    it('sign-up refuses malformed usernames with a validation problem', async () => {
      const bad = [
        'ab',
        'x'.repeat(41),
        '-lead',
        'trail-',
        'has space',
        'UPPER',
        'dot.name',
        'é-accent',
        'slash/x',
        '',
      ];
      for (const username of bad) {
        const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
          body: { username, email: `ok${++n}@example.com`, password: PASSWORD },
        });
        assertValidation(res, 'username', `username ${JSON.stringify(username)}:`);
      }
    });

    it('sign-up accepts the edges of the username rules', async () => {
      for (const username of [
        `a${n}_b-c`.slice(0, 40),
        'x'.repeat(37) + String(++n).padStart(3, '0').slice(-3),
        `9${++n}z`,
      ]) {
        await signup({ username });
      }
    });

    it('a reserved username (a path of the site itself) is refused', async () => {
      const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: { username: 'api', email: 'api@example.com', password: PASSWORD },
      });
      assertValidation(res, 'username');
    });

    it('a taken username is a 409, a taken e-mail (any case) is a 409', async () => {
      const { username } = await signup();
      const dupUser = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: { username, email: `other${++n}@example.com`, password: PASSWORD },
      });
      assertProblem(dupUser, 409);
      const dupEmail = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: { username: uname(), email: `${username}@EXAMPLE.COM`.toUpperCase(), password: PASSWORD },
      });
      assertProblem(dupEmail, 409);
    });

    it('concurrent sign-ups for one username: one 201, the others 409, never a 5xx', async () => {
      const username = `race${++n}x`;
      const answers = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          call(t.app, 'POST', '/api/v1/auth/signup', {
            body: { username, email: `${username}.${i}@example.com`, password: PASSWORD },
          }),
        ),
      );
      const statuses = answers.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, 409, 409, 409], answers.map((r) => r.text).join('\n'));
      for (const r of answers) if (r.status === 409) assertProblem(r, 409);
    });

    it('weak or short passwords are refused with 400', async () => {
      const username = uname('pw');
      const weak = [
        'short1!',
        'aaaaaaaaaaaa',
        'abababababab',
        'password123',
        '1234567890',
        `${username}-is-great`,
        `xx${username}@example.com`,
      ];
      for (const password of weak) {
        const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
          body: { username, email: `${username}@example.com`, password },
        });
        assertValidation(res, 'password', `password ${JSON.stringify(password)}:`);
      }
    });

    it('sign-up validation: missing fields, bad e-mail, unknown time zone, over-long name, NUL', async () => {
      const base = () => {
        const username = uname();
        return { username, email: `${username}@example.com`, password: PASSWORD };
      };
      const cases: Array<[string, Record<string, unknown>]> = [
        ['username', { ...base(), username: undefined }],
        ['email', { ...base(), email: undefined }],
        ['password', { ...base(), password: undefined }],
        ['email', { ...base(), email: 'not-an-email' }],
        ['timezone', { ...base(), timezone: 'Mars/Olympus_Mons' }],
        ['name', { ...base(), name: 'n'.repeat(101) }],
        ['name', { ...base(), name: 'nul\u0000byte' }],
        ['username', { ...base(), username: 12345 }],
        ['password', { ...base(), password: 'Zq9-'.repeat(70) }],
        ['email', { ...base(), email: `${'e'.repeat(250)}@example.com` }],
      ];
      for (const [field, body] of cases) {
        const res = await call(t.app, 'POST', '/api/v1/auth/signup', { body: JSON.parse(JSON.stringify(body)) });
        assertValidation(res, field, `${field} ${JSON.stringify(body)}:`);
      }
    });

    it('free text is stored and returned verbatim, never HTML-escaped', async () => {
      const name = `<b>Ada & "Co"</b> 'ü' 😀`;
      const { token, user } = await signup({ name });
      assert.equal(user.name, name);
      const me = await call(t.app, 'GET', '/api/v1/me', { token });
      assert.equal(me.body.name, name);
    });

    it('a body that is not JSON is a 415, malformed JSON a 400, over the limit a 413', async () => {
      const text = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: 'username=x&password=y',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assertProblem(text, 415);
      const broken = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: '{"username": "abc",',
        headers: { 'content-type': 'application/json' },
      });
      assertProblem(broken, 400);
      const huge = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: JSON.stringify({
          username: 'bigbody',
          email: 'b@example.com',
          password: PASSWORD,
          name: 'x'.repeat(200_000),
        }),
        headers: { 'content-type': 'application/json' },
      });
      assertProblem(huge, 413);
    });

    it('JSON with a charset is JSON; an empty JSON body is a 400, not a 500', async () => {
      const username = `cs${++n}x`;
      const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
        body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      assert.equal(res.status, 201, res.text);
      const empty = await call(t.app, 'POST', '/api/v1/me/tokens', {
        token: res.body.token,
        body: '',
        headers: { 'content-type': 'application/json' },
      });
      assertProblem(empty, 400);
      const emptyLogin = await call(t.app, 'POST', '/api/v1/auth/login', {
        body: '',
        headers: { 'content-type': 'application/json' },
      });
      assertProblem(emptyLogin, 400);
    });

    // ---- Log in / log out ------------------------------------------------------------------

    it('log in by username or by e-mail answers {token, user, csrf_token} and the cookies', async () => {
      const { username, user } = await signup();
      for (const loginName of [username, `${username}@example.com`]) {
        const res = await login(loginName);
        assert.equal(res.status, 200, res.text);
        assert.equal(typeof res.body.token, 'string');
        assert.equal(typeof res.body.csrf_token, 'string');
        assert.ok(res.body.csrf_token.length > 0);
        assert.equal(res.body.user.id, user.id);
        assert.equal(res.body.user.username, username);
        const cookies = cookiesOf(res);
        assert.ok(cookies.session, `session cookie: ${JSON.stringify(res.headers['set-cookie'])}`);
        assert.match(cookies.session.attrs, /httponly/i);
        assert.ok(cookies.csrf_token, `csrf_token cookie: ${JSON.stringify(res.headers['set-cookie'])}`);
        assert.doesNotMatch(cookies.csrf_token.attrs, /httponly/i, 'csrf_token cookie must be readable');
        assert.equal(decodeURIComponent(cookies.csrf_token.value), res.body.csrf_token);
        const me = await call(t.app, 'GET', '/api/v1/me', { token: res.body.token });
        assert.equal(me.status, 200);
        assert.equal(me.body.username, username);
      }
    });

    it('a wrong password and an unknown account get the same 401 (type, title, detail)', async () => {
      const { username } = await signup();
      const wrong = await login(username, 'definitely not the password');
      const unknown = await login(`nobody${++n}zz`, 'definitely not the password');
      const unknownEmail = await login(`nobody${++n}@example.com`, PASSWORD);
      for (const res of [wrong, unknown, unknownEmail]) assertProblem(res, 401);
      for (const res of [unknown, unknownEmail]) {
        assert.equal(res.body.type, wrong.body.type);
        assert.equal(res.body.title, wrong.body.title);
        assert.equal(res.body.detail, wrong.body.detail);
      }
      assert.equal(cookiesOf(wrong).session, undefined, 'no session cookie for a failed log-in');
    });

    it('log in with missing or over-long fields is a 400 validation problem', async () => {
      assertValidation(
        await call(t.app, 'POST', '/api/v1/auth/login', { body: { login: 'l'.repeat(255), password: PASSWORD } }),
        'login',
      );
      assertValidation(
        await call(t.app, 'POST', '/api/v1/auth/login', { body: { login: 'someone', password: 'p'.repeat(257) } }),
        'password',
      );
      assertValidation(await call(t.app, 'POST', '/api/v1/auth/login', { body: { login: 'someone' } }), 'password');
      assertValidation(await call(t.app, 'POST', '/api/v1/auth/login', { body: { password: PASSWORD } }), 'login');
    });

    it('failed log-ins are rate limited per account: 429 with Retry-After', async () => {
      const { username } = await signup();
      let last: Answer | undefined;
      for (let i = 0; i < 8; i++) {
        last = await login(username, `wrong password ${i}`);
        if (last.status === 429) break;
        assertProblem(last, 401);
      }
      assertProblem(last!, 429);
      assert.ok(last!.headers['retry-after'] !== undefined, 'Retry-After header');
      assert.ok(Number(last!.headers['retry-after']) > 0, `Retry-After ${last!.headers['retry-after']}`);
    });

    it('an unknown account is rate limited like a known one (no hint that an account exists)', async () => {
      const ghost = `ghost${++n}zz`;
      let last: Answer | undefined;
      for (let i = 0; i < 8; i++) {
        last = await login(ghost, `wrong password ${i}`);
        if (last.status === 429) break;
        assertProblem(last, 401);
      }
      assertProblem(last!, 429);
      assert.ok(Number(last!.headers['retry-after']) > 0, `Retry-After ${last!.headers['retry-after']}`);
    });

    it('failed log-ins are rate limited per client address (LOGIN_MAX_FAILURES_PER_ADDRESS)', async () => {
      const t2 = await startApp(store, { LOGIN_MAX_FAILURES_PER_ADDRESS: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' });
      try {
        const statuses: number[] = [];
        let last: Answer | undefined;
        for (let i = 0; i < 5; i++) {
          last = await call(t2.app, 'POST', '/api/v1/auth/login', {
            body: { login: `someone${i}`, password: 'not the password' },
          });
          statuses.push(last.status);
          if (last.status === 429) break;
        }
        assert.deepEqual(statuses, [401, 401, 401, 429]);
        assertProblem(last!, 429);
        assert.ok(Number(last!.headers['retry-after']) > 0, `Retry-After ${last!.headers['retry-after']}`);
      } finally {
        await t2.close();
      }
    });

    it('log out revokes the bearer token it was called with, and only that one', async () => {
      const { username, token: signupToken } = await signup();
      const a = await login(username);
      const b = await login(username);
      const out = await call(t.app, 'POST', '/api/v1/auth/logout', { token: a.body.token });
      assert.equal(out.status, 204, out.text);
      assertProblem(await call(t.app, 'GET', '/api/v1/me', { token: a.body.token }), 401);
      assert.equal((await call(t.app, 'GET', '/api/v1/me', { token: b.body.token })).status, 200);
      assert.equal((await call(t.app, 'GET', '/api/v1/me', { token: signupToken })).status, 200);
      // Logging out again with the revoked token is itself unauthenticated.
      assertProblem(await call(t.app, 'POST', '/api/v1/auth/logout', { token: a.body.token }), 401);
    });

    it('log out with a personal access token revokes that token', async () => {
      const { token } = await signup();
      const pat = await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: 'cli' } });
      assert.equal(pat.status, 201, pat.text);
      const out = await call(t.app, 'POST', '/api/v1/auth/logout', { token: pat.body.token });
      assert.equal(out.status, 204, out.text);
      assertProblem(await call(t.app, 'GET', '/api/v1/me', { token: pat.body.token }), 401);
      assert.equal((await call(t.app, 'GET', '/api/v1/me', { token })).status, 200);
    });

    it('log out without credentials is a 401', async () => {
      assertProblem(await call(t.app, 'POST', '/api/v1/auth/logout'), 401);
    });

    it('log out with the session cookie needs X-CSRF-Token, then revokes the session', async () => {
      const { username } = await signup();
      const res = await login(username);
      const cookies = cookiesOf(res);
      const cookie = `session=${cookies.session.value}; csrf_token=${cookies.csrf_token.value}`;
      const noCsrf = await call(t.app, 'POST', '/api/v1/auth/logout', { headers: { cookie } });
      assertProblem(noCsrf, 403);
      assert.equal((await call(t.app, 'GET', '/api/v1/me', { headers: { cookie } })).status, 200);
      const out = await call(t.app, 'POST', '/api/v1/auth/logout', {
        headers: { cookie, 'x-csrf-token': res.body.csrf_token },
      });
      assert.equal(out.status, 204, out.text);
      assertProblem(await call(t.app, 'GET', '/api/v1/me', { headers: { cookie } }), 401);
    });

    // ---- Authentication schemes -------------------------------------------------------------

    it('no, malformed or unknown credentials are a 401 problem', async () => {
      assertProblem(await call(t.app, 'GET', '/api/v1/me'), 401);
      for (const authorization of [
        'Bearer',
        'Bearer ',
        'Bearer nonsense',
        'Token sws_nonexistent',
        'Basic YTpi',
        'garbage',
      ]) {
        assertProblem(await call(t.app, 'GET', '/api/v1/me', { headers: { authorization } }), 401, authorization);
      }
      assertProblem(await call(t.app, 'GET', '/api/v1/me', { headers: { cookie: 'session=forged' } }), 401);
    });

    it('the Token scheme is accepted like Bearer', async () => {
      const { token, username } = await signup();
      const res = await call(t.app, 'GET', '/api/v1/me', { headers: { authorization: `Token ${token}` } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.username, username);
    });

    it('cookie-authenticated reads work; cookie writes need the matching X-CSRF-Token (else 403)', async () => {
      const { username } = await signup();
      const res = await login(username);
      const cookies = cookiesOf(res);
      const cookie = `session=${cookies.session.value}; csrf_token=${cookies.csrf_token.value}`;
      const me = await call(t.app, 'GET', '/api/v1/me', { headers: { cookie } });
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.username, username);

      const noCsrf = await call(t.app, 'PATCH', '/api/v1/me', { headers: { cookie }, body: { name: 'No CSRF' } });
      assertProblem(noCsrf, 403);
      const wrongCsrf = await call(t.app, 'PATCH', '/api/v1/me', {
        headers: { cookie, 'x-csrf-token': 'not-the-token' },
        body: { name: 'Wrong CSRF' },
      });
      assertProblem(wrongCsrf, 403);
      const tokenCreate = await call(t.app, 'POST', '/api/v1/me/tokens', { headers: { cookie }, body: { name: 'x' } });
      assertProblem(tokenCreate, 403);
      assert.notEqual((await call(t.app, 'GET', '/api/v1/me', { headers: { cookie } })).body.name, 'No CSRF');

      const ok = await call(t.app, 'PATCH', '/api/v1/me', {
        headers: { cookie, 'x-csrf-token': res.body.csrf_token },
        body: { name: 'With CSRF' },
      });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.name, 'With CSRF');
    });

    it("another session's CSRF token does not authorise a cookie write (403)", async () => {
      const { username } = await signup();
      const a = await login(username);
      const b = await login(username);
      const ca = cookiesOf(a);
      const cookie = `session=${ca.session.value}; csrf_token=${ca.csrf_token.value}`;
      assert.notEqual(a.body.csrf_token, b.body.csrf_token, 'each log-in gets its own CSRF token');
      const res = await call(t.app, 'PATCH', '/api/v1/me', {
        headers: { cookie, 'x-csrf-token': b.body.csrf_token },
        body: { name: 'cross' },
      });
      assertProblem(res, 403);
    });

    it('bearer-authenticated writes need no CSRF token', async () => {
      const { token } = await signup();
      const res = await call(t.app, 'PATCH', '/api/v1/me', { token, body: { name: 'Bearer write' } });
      assert.equal(res.status, 200, res.text);
    });

    // ---- Personal access tokens --------------------------------------------------------------

    it('personal token: 201 {id, name, token, created_at, expires_at}, URL-safe ≥32 chars, works', async () => {
      const { token, username } = await signup();
      const res = await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: 'CI script' } });
      assert.equal(res.status, 201, res.text);
      assert.equal(typeof res.body.id, 'string');
      assert.equal(res.body.name, 'CI script');
      assert.match(res.body.token, /^[A-Za-z0-9_-]{32,}$/);
      assert.match(res.body.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
      assert.ok('expires_at' in res.body);
      assert.equal(res.body.expires_at, null);
      const me = await call(t.app, 'GET', '/api/v1/me', { token: res.body.token });
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.username, username);
      const viaTokenScheme = await call(t.app, 'GET', '/api/v1/me', {
        headers: { authorization: `Token ${res.body.token}` },
      });
      assert.equal(viaTokenScheme.status, 200);
    });

    it('personal tokens are listed without their secrets', async () => {
      const { token } = await signup();
      const created = await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: 'listed' } });
      const list = await call(t.app, 'GET', '/api/v1/me/tokens', { token });
      assert.equal(list.status, 200, list.text);
      assert.ok(Array.isArray(list.body.data));
      assert.ok('next_cursor' in list.body);
      const item = list.body.data.find((x: any) => x.id === created.body.id);
      assert.ok(item, 'created token listed');
      assert.equal(item.name, 'listed');
      assert.equal(item.token, undefined);
      assert.ok(!list.text.includes(created.body.token), 'secret must not be listed');
      assert.ok(!list.text.includes(created.body.token.slice(8, 30)), 'no part of the secret listed');
    });

    it('a revoked personal token is a 401; revoking twice or an unknown id is a 404', async () => {
      const { token } = await signup();
      const created = await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: 'to revoke' } });
      const del = await call(t.app, 'DELETE', `/api/v1/me/tokens/${created.body.id}`, { token });
      assert.equal(del.status, 204, del.text);
      assert.equal(del.text, '');
      assertProblem(await call(t.app, 'GET', '/api/v1/me', { token: created.body.token }), 401);
      assertProblem(await call(t.app, 'DELETE', `/api/v1/me/tokens/${created.body.id}`, { token }), 404);
      assertProblem(
        await call(t.app, 'DELETE', '/api/v1/me/tokens/00000000-0000-4000-8000-000000000000', { token }),
        404,
      );
      const list = await call(t.app, 'GET', '/api/v1/me/tokens', { token });
      assert.ok(!list.body.data.some((x: any) => x.id === created.body.id), 'revoked token no longer listed');
    });

    it('a malformed token id is a 400 (or 404), never a 500', async () => {
      const { token } = await signup();
      const res = await call(t.app, 'DELETE', '/api/v1/me/tokens/not-a-uuid', { token });
      assert.ok(res.status === 400 || res.status === 404, res.text);
      assertProblem(res, res.status);
    });

    it("someone else's token cannot be revoked (404/403) and keeps working", async () => {
      const alice = await signup();
      const bob = await signup();
      const created = await call(t.app, 'POST', '/api/v1/me/tokens', {
        token: alice.token,
        body: { name: 'alice secret name' },
      });
      const res = await call(t.app, 'DELETE', `/api/v1/me/tokens/${created.body.id}`, { token: bob.token });
      assert.ok(res.status === 404 || res.status === 403, res.text);
      assertProblem(res, res.status);
      assert.ok(!res.text.includes('alice secret name'));
      assert.equal((await call(t.app, 'GET', '/api/v1/me', { token: created.body.token })).status, 200);
      const bobList = await call(t.app, 'GET', '/api/v1/me/tokens', { token: bob.token });
      assert.ok(!bobList.text.includes(created.body.id), "bob does not see alice's tokens");
    });

    it('a token with expires_at stops working once expired (401)', async () => {
      // Uses the real time: token expiry is checked against the wall clock.
      t.clock.reset();
      try {
        const { token } = await signup();
        const expires = new Date(Math.ceil((Date.now() + 5000) / 1000) * 1000);
        const local = new Date(expires.getTime() + 3600_000).toISOString().replace(/\.\d+Z$/, '+01:00');
        const created = await call(t.app, 'POST', '/api/v1/me/tokens', {
          token,
          body: { name: 'short-lived', expires_at: local },
        });
        assert.equal(created.status, 201, created.text);
        assert.equal(Date.parse(created.body.expires_at), expires.getTime());
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token: created.body.token })).status, 200);
        await new Promise((r) => setTimeout(r, expires.getTime() - Date.now() + 300));
        assertProblem(await call(t.app, 'GET', '/api/v1/me', { token: created.body.token }), 401);
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token })).status, 200);
      } finally {
        t.clock.set('2026-03-01T00:00:00Z');
      }
    });

    it('token creation validation: name required and ≤100, expires_at with offset and in the future', async () => {
      const { token } = await signup();
      const cases: Array<[string, unknown]> = [
        ['name', {}],
        ['name', { name: '' }],
        ['name', { name: 'n'.repeat(101) }],
        ['expires_at', { name: 'x', expires_at: '2026-04-01T00:00:00' }],
        ['expires_at', { name: 'x', expires_at: 'tomorrow' }],
        ['expires_at', { name: 'x', expires_at: '2026-02-01T00:00:00Z' }],
        ['expires_at', { name: 'x', expires_at: 12345 }],
      ];
      for (const [field, body] of cases) {
        assertValidation(await call(t.app, 'POST', '/api/v1/me/tokens', { token, body }), field, JSON.stringify(body));
      }
      assertProblem(await call(t.app, 'POST', '/api/v1/me/tokens', { body: { name: 'anon' } }), 401);
      assertProblem(await call(t.app, 'GET', '/api/v1/me/tokens'), 401);
    });

    // ---- Lists ------------------------------------------------------------------------------

    async function walk(path: string, token: string, limit?: number): Promise<{ items: any[]; pages: Answer[] }> {
      const items: any[] = [];
      const pages: Answer[] = [];
      let cursor: string | null = null;
      do {
        const q = new URLSearchParams();
        if (limit !== undefined) q.set('limit', String(limit));
        if (cursor) q.set('cursor', cursor);
        const qs = q.toString();
        const page: Answer = await call(t.app, 'GET', `${path}${qs ? `?${qs}` : ''}`, { token });
        assert.equal(page.status, 200, page.text);
        assert.ok(Array.isArray(page.body.data), page.text);
        assert.ok('next_cursor' in page.body, page.text);
        assert.ok(page.body.next_cursor === null || typeof page.body.next_cursor === 'string', page.text);
        assert.ok(page.body.data.length <= (limit ?? 20), `page of ${page.body.data.length} > ${limit ?? 20}`);
        items.push(...page.body.data);
        pages.push(page);
        cursor = page.body.next_cursor;
        assert.ok(pages.length < 200, 'pagination terminates');
      } while (cursor !== null);
      return { items, pages };
    }

    it('GET /users: limit defaults to 20; pages with next_cursor, null on the last page, no repeats', async () => {
      const { token } = await signup();
      let count = (await walk('/api/v1/users', token, 100)).items.length;
      while (count < 23) {
        await signup();
        count++;
      }
      const first = await call(t.app, 'GET', '/api/v1/users', { token });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.data.length, 20);
      assert.equal(typeof first.body.next_cursor, 'string');
      const byDefault = await walk('/api/v1/users', token);
      const by7 = await walk('/api/v1/users', token, 7);
      const by100 = await walk('/api/v1/users', token, 100);
      assert.equal(by100.pages.length, count > 100 ? Math.ceil(count / 100) : 1);
      assert.equal(by100.pages.at(-1)!.body.next_cursor, null);
      const names = by100.items.map((u) => u.username);
      assert.equal(new Set(names).size, names.length, 'no user twice');
      assert.deepEqual(
        byDefault.items.map((u) => u.username),
        names,
      );
      assert.deepEqual(
        by7.items.map((u) => u.username),
        names,
      );
      for (const p of by7.pages.slice(0, -1)) assert.equal(p.body.data.length, 7);
      const one = await call(t.app, 'GET', '/api/v1/users?limit=1', { token });
      assert.equal(one.body.data.length, 1);
    });

    it('GET /users: limit outside 1..100 or not an integer is a 400 (not clamped); a malformed cursor is a 400', async () => {
      const { token } = await signup();
      for (const limit of ['0', '101', '-1', 'abc', '1.5', '', '20abc', '5;DROP']) {
        const res = await call(t.app, 'GET', `/api/v1/users?limit=${encodeURIComponent(limit)}`, { token });
        assertValidation(res, 'limit', `limit=${limit}:`);
      }
      for (const cursor of ['garbage', 'eyJmb28iOiJiYXIifQ', '%00', 'x'.repeat(600), '!!!']) {
        const res = await call(t.app, 'GET', `/api/v1/users?cursor=${encodeURIComponent(cursor)}`, { token });
        assertProblem(res, 400, `cursor=${cursor.slice(0, 20)}:`);
      }
    });

    it('GET /me/tokens is a list: limit defaults to 20, pages with next_cursor, null on the last page', async () => {
      const { token } = await signup();
      const ids = new Set<string>();
      for (let i = 0; i < 23; i++) {
        const r = await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: `t${i}` } });
        assert.equal(r.status, 201, r.text);
        ids.add(r.body.id);
      }
      const first = await call(t.app, 'GET', '/api/v1/me/tokens', { token });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.data.length, 20);
      assert.equal(typeof first.body.next_cursor, 'string');
      const by7 = await walk('/api/v1/me/tokens', token, 7);
      assert.equal(by7.pages.length, 4);
      assert.deepEqual(new Set(by7.items.map((x) => x.id)), ids);
      assert.equal(by7.items.length, 23);
      const all = await walk('/api/v1/me/tokens', token, 100);
      assert.equal(all.pages.length, 1);
      assert.equal(all.items.length, 23);
    });

    it('GET /me/tokens: limit outside 1..100 is a 400; a malformed cursor is a 400', async () => {
      const { token } = await signup();
      for (const limit of ['0', '101', '-1', 'abc', '1.5']) {
        const res = await call(t.app, 'GET', `/api/v1/me/tokens?limit=${encodeURIComponent(limit)}`, { token });
        assertValidation(res, 'limit', `limit=${limit}:`);
      }
      for (const cursor of ['garbage', 'eyJmb28iOiJiYXIifQ', '!!!']) {
        const res = await call(t.app, 'GET', `/api/v1/me/tokens?cursor=${encodeURIComponent(cursor)}`, { token });
        assertProblem(res, 400, `cursor=${cursor}:`);
      }
    });

    // ---- Profile -----------------------------------------------------------------------------

    it('PATCH /me changes only the fields given', async () => {
      const { token, username } = await signup({ name: 'Before', timezone: 'Europe/Berlin' });
      const res = await call(t.app, 'PATCH', '/api/v1/me', { token, body: { name: 'After' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.name, 'After');
      assert.equal(res.body.timezone, 'Europe/Berlin');
      assert.equal(res.body.username, username);
      const tz = await call(t.app, 'PATCH', '/api/v1/me', { token, body: { timezone: 'America/New_York' } });
      assert.equal(tz.status, 200, tz.text);
      const me = await call(t.app, 'GET', '/api/v1/me', { token });
      assert.equal(me.body.name, 'After');
      assert.equal(me.body.timezone, 'America/New_York');
    });

    it('PATCH /me can rename; a taken username or e-mail is a 409; bad values are 400', async () => {
      const a = await signup();
      const b = await signup();
      const newName = uname('renamed');
      const ok = await call(t.app, 'PATCH', '/api/v1/me', { token: a.token, body: { username: newName } });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.username, newName);
      assert.equal((await login(newName)).status, 200);
      assertProblem(await login(a.username), 401, 'the old username no longer logs in');
      const same = await call(t.app, 'PATCH', '/api/v1/me', { token: a.token, body: { username: newName } });
      assert.equal(same.status, 200, `setting your own username again is not a conflict: ${same.text}`);
      const sameEmail = await call(t.app, 'PATCH', '/api/v1/me', {
        token: a.token,
        body: { email: `${a.username}@example.com`.toUpperCase(), current_password: PASSWORD },
      });
      assert.equal(sameEmail.status, 200, `your own e-mail in another case is not a conflict: ${sameEmail.text}`);
      assertValidation(
        await call(t.app, 'PATCH', '/api/v1/me', { token: a.token, body: { username: 'api' } }),
        'username',
      );

      assertProblem(await call(t.app, 'PATCH', '/api/v1/me', { token: a.token, body: { username: b.username } }), 409);
      const emailTaken = await call(t.app, 'PATCH', '/api/v1/me', {
        token: a.token,
        body: { email: `${b.username}@example.com`.toUpperCase(), current_password: PASSWORD },
      });
      assertProblem(emailTaken, 409);
      assertValidation(
        await call(t.app, 'PATCH', '/api/v1/me', { token: a.token, body: { timezone: 'Nowhere/Land' } }),
        'timezone',
      );
      assertValidation(
        await call(t.app, 'PATCH', '/api/v1/me', { token: a.token, body: { username: 'Bad Name' } }),
        'username',
      );
      assertValidation(
        await call(t.app, 'PATCH', '/api/v1/me', { token: a.token, body: { name: 'x'.repeat(101) } }),
        'name',
      );
      assertProblem(await call(t.app, 'PATCH', '/api/v1/me', { body: { name: 'anon' } }), 401);
    });

    it('concurrent renames to one username: one 200, the others 409, never a 5xx', async () => {
      const users = [await signup(), await signup(), await signup()];
      const target = `wanted${++n}x`;
      const answers = await Promise.all(
        users.map((u) => call(t.app, 'PATCH', '/api/v1/me', { token: u.token, body: { username: target } })),
      );
      assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409, 409], answers.map((r) => r.text).join('\n'));
      for (const r of answers) if (r.status === 409) assertProblem(r, 409);
    });

    it('PATCH /me ignores or refuses is_admin', async () => {
      const { token } = await signup();
      const res = await call(t.app, 'PATCH', '/api/v1/me', { token, body: { is_admin: true } });
      if (res.status !== 200) assertProblem(res, 400);
      const me = await call(t.app, 'GET', '/api/v1/me', { token });
      assert.equal(me.body.is_admin, false);
    });

    it('a new password needs current_password; then the new one logs in and the old one does not', async () => {
      const { token, username } = await signup();
      const newPassword = 'a brand new passphrase 42';
      const without = await call(t.app, 'PATCH', '/api/v1/me', { token, body: { password: newPassword } });
      assert.ok(without.status === 400 || without.status === 403, without.text);
      assertProblem(without, without.status);
      const wrong = await call(t.app, 'PATCH', '/api/v1/me', {
        token,
        body: { password: newPassword, current_password: 'not my password at all' },
      });
      assert.ok([400, 401, 403].includes(wrong.status), wrong.text);
      assertProblem(wrong, wrong.status);
      assert.equal((await login(username)).status, 200, 'old password still valid after refused changes');

      const weak = await call(t.app, 'PATCH', '/api/v1/me', {
        token,
        body: { password: 'short', current_password: PASSWORD },
      });
      assertValidation(weak, 'password');

      const ok = await call(t.app, 'PATCH', '/api/v1/me', {
        token,
        body: { password: newPassword, current_password: PASSWORD },
      });
      assert.equal(ok.status, 200, ok.text);
      assert.ok(!ok.text.includes(newPassword));
      assert.equal((await login(username, newPassword)).status, 200);
      assertProblem(await login(username, PASSWORD), 401);
    });

    it('PATCH /me e-mail change with current_password works; e-mail login follows it', async () => {
      const { token, username } = await signup();
      const email = `${username}.new@example.com`;
      const res = await call(t.app, 'PATCH', '/api/v1/me', { token, body: { email, current_password: PASSWORD } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.email.toLowerCase(), email);
      assert.equal((await login(email)).status, 200);
      assertProblem(await login(`${username}@example.com`), 401);
    });

    // ---- Users --------------------------------------------------------------------------------

    it('GET /users: public profiles only for non-admins, in username order, paginated', async () => {
      const { token } = await signup();
      const all: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url = `/api/v1/users?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page: Answer = await call(t.app, 'GET', url, { token });
        assert.equal(page.status, 200, page.text);
        assert.ok(page.body.data.length <= 5);
        all.push(...page.body.data);
        cursor = page.body.next_cursor;
        assert.ok(++pages < 200);
      } while (cursor !== null);
      assert.ok(all.length >= 10, `users listed: ${all.length}`);
      const names = all.map((u) => u.username);
      assert.equal(new Set(names).size, names.length, 'no user twice');
      assert.deepEqual(names, [...names].sort(), 'username order');
      for (const u of all) {
        assert.equal(u.email, undefined, `no e-mail for non-admins: ${JSON.stringify(u)}`);
        assert.ok(!JSON.stringify(u).includes('@example.com'), JSON.stringify(u));
        assert.ok(!/password|hash|argon/i.test(JSON.stringify(u)));
      }
    });

    it('GET /users: an admin sees e-mails', async () => {
      let res = await login(ADMIN);
      if (res.status !== 200) {
        await signup({ username: ADMIN });
        res = await login(ADMIN);
      }
      const list = await call(t.app, 'GET', '/api/v1/users?limit=100', { token: res.body.token });
      assert.equal(list.status, 200, list.text);
      assert.ok(list.body.data.length > 0);
      for (const u of list.body.data) assert.match(String(u.email), /@/, JSON.stringify(u));
    });

    it('GET /users without credentials is a 401', async () => {
      assertProblem(await call(t.app, 'GET', '/api/v1/users'), 401);
    });

    // ---- Errors everywhere ---------------------------------------------------------------------

    it('an unknown API path is a 404 problem; every answer carries X-Request-Id', async () => {
      const res = await call(t.app, 'GET', '/api/v1/no-such-thing');
      assertProblem(res, 404);
      assert.ok(res.headers['x-request-id'], 'X-Request-Id');
      for (const [method, url] of [
        ['DELETE', '/api/v1/me'],
        ['PUT', '/api/v1/users'],
        ['GET', '/api/v1/auth/login'],
      ] as const) {
        const r = await call(t.app, method, url);
        assert.ok(r.status === 404 || r.status === 405, `${method} ${url}: ${r.text}`);
        assertProblem(r, r.status, `${method} ${url}`);
      }
      const bad = await call(t.app, 'GET', '/api/v1/users?limit=0', { token: (await signup()).token });
      assert.ok(bad.headers['x-request-id'], 'X-Request-Id on a 400');
      const ok = await call(t.app, 'GET', '/healthz');
      assert.ok(ok.headers['x-request-id'], 'X-Request-Id on success');
    });

    it('no input to the account endpoints gives a 500', async () => {
      const { token } = await signup();
      const junk: unknown[] = [
        null,
        [],
        'string',
        42,
        { username: null, email: null, password: null },
        { username: ['a'], email: { x: 1 }, password: true },
        { login: { $ne: 1 }, password: { $ne: 1 } },
        { login: 'a'.repeat(10_000), password: 'b'.repeat(10_000) },
        { name: '\u0000', timezone: '\u0000' },
        { name: '\ud800', timezone: '../../etc/passwd' },
        { expires_at: '9999-99-99T99:99:99Z', name: 'x' },
        { expires_at: '+275760-09-13T00:00:00.000Z', name: 'x' },
        { timezone: 'UTC'.repeat(30) },
        { current_password: 5, password: 5 },
      ];
      const targets: Array<[string, string, boolean]> = [
        ['POST', '/api/v1/auth/signup', false],
        ['POST', '/api/v1/auth/login', false],
        ['PATCH', '/api/v1/me', true],
        ['POST', '/api/v1/me/tokens', true],
      ];
      for (const [method, url, auth] of targets) {
        for (const body of junk) {
          const res = await call(t.app, method as any, url, {
            token: auth ? token : undefined,
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          assert.ok(res.status < 500, `${method} ${url} ${JSON.stringify(body)} → ${res.status} ${res.text}`);
          if (res.status >= 400) assertProblem(res, res.status, `${method} ${url} ${JSON.stringify(body)}`);
        }
      }
    });
  });
}
