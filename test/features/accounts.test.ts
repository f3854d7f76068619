// Accounts and access, as a client sees them: sign-up, log-in/out, tokens, /me, /users.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, isProblem, PASSWORD, signUp, startApp, STORES, type TestApp } from '../helpers/app';

for (const store of STORES) {
  describe(`accounts [${store}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startApp(store, { ADMIN_USERNAMES: 'root-admin', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
    });
    after(() => t.close());

    describe('sign-up', () => {
      it('creates an account, signs it in, and never returns the password', async () => {
        const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
          body: {
            username: 'grace',
            email: 'Grace@Example.com',
            password: PASSWORD,
            name: 'Grace H',
            timezone: 'Europe/Berlin',
          },
        });
        assert.equal(res.status, 201);
        assert.equal(res.body.user.username, 'grace');
        assert.equal(res.body.user.timezone, 'Europe/Berlin');
        assert.equal(res.body.user.is_admin, false);
        assert.ok(!('password' in res.body.user) && !('password_hash' in res.body.user));
        const me = await call(t.app, 'GET', '/api/v1/me', { token: res.body.token });
        assert.equal(me.status, 200);
        assert.equal(me.body.email, 'Grace@Example.com');
      });

      it('refuses a taken username and a taken e-mail in any case with 409', async () => {
        await signUp(t.app, { username: 'linus' });
        const sameName = await call(t.app, 'POST', '/api/v1/auth/signup', {
          body: { username: 'linus', email: 'other@example.com', password: PASSWORD },
        });
        assert.ok(isProblem(sameName, 409));
        const sameEmail = await call(t.app, 'POST', '/api/v1/auth/signup', {
          body: { username: 'linus2', email: 'LINUS@example.COM', password: PASSWORD },
        });
        assert.ok(isProblem(sameEmail, 409));
        assert.notEqual(sameName.body.type, sameEmail.body.type);
      });

      it('refuses bad usernames, e-mails, time zones and weak passwords with 400 naming the field', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ username: 'Upper', email: 'a@example.com', password: PASSWORD }, 'username'],
          [{ username: 'a b', email: 'a@example.com', password: PASSWORD }, 'username'],
          [{ username: 'api', email: 'a@example.com', password: PASSWORD }, 'username'],
          [{ username: 'okname', email: 'not-an-email', password: PASSWORD }, 'email'],
          [{ username: 'okname', email: 'a@example.com', password: 'short' }, 'password'],
          [{ username: 'okname', email: 'a@example.com', password: 'aaaaaaaaaaaa' }, 'password'],
          [{ username: 'okname', email: 'a@example.com', password: 'okname-secret-1' }, 'password'],
          [{ username: 'okname', email: 'a@example.com', password: PASSWORD, timezone: 'Mars/Base' }, 'timezone'],
          [{ username: 'okname', email: 'a@example.com', password: PASSWORD, name: 'x'.repeat(101) }, 'name'],
          [{ email: 'a@example.com', password: PASSWORD }, 'username'],
          [{ username: 'okname', email: 'a@example.com', password: 12345678901 }, 'password'],
        ];
        for (const [body, field] of cases) {
          const res = await call(t.app, 'POST', '/api/v1/auth/signup', { body });
          assert.ok(isProblem(res, 400), `${JSON.stringify(body)} -> ${res.status}`);
          assert.ok(
            res.body.errors.some((e: { field: string }) => e.field === field),
            `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body.errors)}`,
          );
        }
        const list = await call(t.app, 'GET', '/api/v1/users?limit=100', { token: (await signUp(t.app)).token });
        assert.ok(!list.body.data.some((u: { username: string }) => u.username === 'okname'), 'nothing was created');
      });

      it('ignores fields a client may not set, such as is_admin', async () => {
        const res = await call(t.app, 'POST', '/api/v1/auth/signup', {
          body: { username: 'sneaky', email: 'sneaky@example.com', password: PASSWORD, is_admin: true },
        });
        assert.equal(res.status, 201);
        assert.equal(res.body.user.is_admin, false);
      });

      it('stores free text verbatim, without HTML escaping', async () => {
        const name = `<b>O'Brien & "Sons"</b> 🎉`;
        const { token } = await signUp(t.app, { name });
        const me = await call(t.app, 'GET', '/api/v1/me', { token });
        assert.equal(me.body.name, name);
      });
    });

    describe('log-in and log-out', () => {
      it('logs in by username or by e-mail (any case), with a token, a session cookie and a CSRF token', async () => {
        await signUp(t.app, { username: 'hopper', email: 'Hopper@Example.com' });
        for (const login of ['hopper', 'hopper@example.com', 'HOPPER@EXAMPLE.COM']) {
          const res = await call(t.app, 'POST', '/api/v1/auth/login', { body: { login, password: PASSWORD } });
          assert.equal(res.status, 200, login);
          assert.equal(res.body.user.username, 'hopper');
          assert.ok(res.body.token.length >= 32 && res.body.csrf_token.length >= 32);
          const cookies = ([] as string[]).concat(res.headers['set-cookie'] as string[]);
          assert.ok(cookies.some((c) => c.startsWith('session=') && /HttpOnly/i.test(c)));
          assert.ok(cookies.some((c) => c.startsWith('csrf_token=') && !/HttpOnly/i.test(c)));
        }
      });

      it('answers a wrong password and an unknown account identically', async () => {
        await signUp(t.app, { username: 'knuth' });
        const wrong = await call(t.app, 'POST', '/api/v1/auth/login', {
          body: { login: 'knuth', password: 'not the password' },
        });
        const unknown = await call(t.app, 'POST', '/api/v1/auth/login', {
          body: { login: 'nobody-here', password: 'not the password' },
        });
        assert.ok(isProblem(wrong, 401) && isProblem(unknown, 401));
        for (const key of ['type', 'title', 'detail', 'status']) assert.equal(wrong.body[key], unknown.body[key]);
      });

      it('rate limits failed log-ins per account with 429 and Retry-After, for real and unknown accounts alike', async () => {
        await signUp(t.app, { username: 'limited' });
        for (const login of ['limited', 'ghost-account']) {
          for (let i = 0; i < 3; i++) {
            const res = await call(t.app, 'POST', '/api/v1/auth/login', {
              body: { login, password: 'wrong password' },
            });
            assert.equal(res.status, 401);
          }
          const blocked = await call(t.app, 'POST', '/api/v1/auth/login', { body: { login, password: PASSWORD } });
          assert.ok(isProblem(blocked, 429), `${login}: ${blocked.status}`);
          assert.ok(Number(blocked.headers['retry-after']) > 0);
        }
      });

      it('a burst of concurrent wrong passwords cannot outrun the per-account limit', async () => {
        await signUp(t.app, { username: 'burst-target', email: 'burst@example.com' });
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            call(t.app, 'POST', '/api/v1/auth/login', {
              body: { login: i % 2 ? 'burst-target' : 'BURST@example.com', password: 'wrong password' },
            }),
          ),
        );
        const statuses = answers.map((a) => a.status);
        assert.ok(
          statuses.every((s) => s === 401 || s === 429),
          String(statuses),
        );
        assert.ok(
          statuses.filter((s) => s === 401).length <= 3,
          `at most 3 guesses checked, username and e-mail alike: ${statuses}`,
        );
      });

      it('log-out revokes the token it was called with, and only that one', async () => {
        const { token: signupToken } = await signUp(t.app, { username: 'leaver' });
        const login = await call(t.app, 'POST', '/api/v1/auth/login', {
          body: { login: 'leaver', password: PASSWORD },
        });
        const out = await call(t.app, 'POST', '/api/v1/auth/logout', { token: login.body.token });
        assert.equal(out.status, 204);
        assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/me', { token: login.body.token }), 401));
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token: signupToken })).status, 200);
      });

      it('accepts the Token scheme as well as Bearer', async () => {
        const { token } = await signUp(t.app);
        const res = await call(t.app, 'GET', '/api/v1/me', { headers: { authorization: `Token ${token}` } });
        assert.equal(res.status, 200);
      });

      it('requires X-CSRF-Token on cookie-authenticated writes, not on reads', async () => {
        await signUp(t.app, { username: 'cookie-user' });
        const login = await call(t.app, 'POST', '/api/v1/auth/login', {
          body: { login: 'cookie-user', password: PASSWORD },
        });
        const cookie = `session=${login.body.token}`;
        const read = await call(t.app, 'GET', '/api/v1/me', { headers: { cookie } });
        assert.equal(read.status, 200);
        const noCsrf = await call(t.app, 'PATCH', '/api/v1/me', { headers: { cookie }, body: { name: 'X' } });
        assert.ok(isProblem(noCsrf, 403));
        const badCsrf = await call(t.app, 'PATCH', '/api/v1/me', {
          headers: { cookie, 'x-csrf-token': 'nope' },
          body: { name: 'X' },
        });
        assert.ok(isProblem(badCsrf, 403));
        const ok = await call(t.app, 'PATCH', '/api/v1/me', {
          headers: { cookie, 'x-csrf-token': login.body.csrf_token },
          body: { name: 'Cookie' },
        });
        assert.equal(ok.status, 200);
        assert.equal(ok.body.name, 'Cookie');
      });
    });

    describe('personal access tokens', () => {
      it('creates a token shown once, lists it without the secret, and revokes it', async () => {
        const { token } = await signUp(t.app);
        const created = await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: 'CI' } });
        assert.equal(created.status, 201);
        assert.match(created.body.token, /^[A-Za-z0-9_-]{32,}$/);
        assert.equal(created.body.expires_at, null);
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token: created.body.token })).status, 200);
        const list = await call(t.app, 'GET', '/api/v1/me/tokens', { token });
        assert.equal(list.body.data.length, 1);
        assert.equal(list.body.data[0].id, created.body.id);
        assert.ok(!JSON.stringify(list.body).includes(created.body.token));
        const del = await call(t.app, 'DELETE', `/api/v1/me/tokens/${created.body.id}`, { token });
        assert.equal(del.status, 204);
        assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/me', { token: created.body.token }), 401));
        assert.equal((await call(t.app, 'GET', '/api/v1/me/tokens', { token })).body.data.length, 0);
      });

      it('lists tokens 20 to a page by default and pages through 25 with limit 10, each once', async () => {
        const { token } = await signUp(t.app);
        const made = new Set<string>();
        for (let i = 0; i < 25; i++) {
          made.add((await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: `t${i}` } })).body.id);
        }
        const first = await call(t.app, 'GET', '/api/v1/me/tokens', { token });
        assert.equal(first.body.data.length, 20);
        assert.ok(first.body.next_cursor);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: any = await call(t.app, 'GET', `/api/v1/me/tokens?limit=10${cursor ? `&cursor=${cursor}` : ''}`, {
            token,
          });
          seen.push(...page.body.data.map((x: { id: string }) => x.id));
          cursor = page.body.next_cursor;
        } while (cursor);
        assert.equal(seen.length, 25);
        assert.deepEqual(new Set(seen), made);
      });

      it('an expired token is a 401', async () => {
        const { token } = await signUp(t.app);
        const soon = new Date(Date.now() + 1500).toISOString();
        const created = await call(t.app, 'POST', '/api/v1/me/tokens', {
          token,
          body: { name: 'short', expires_at: soon },
        });
        assert.equal(created.status, 201);
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token: created.body.token })).status, 200);
        await new Promise((r) => setTimeout(r, 1600)); // the expiry is the database's clock, not ours
        assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/me', { token: created.body.token }), 401));
      });

      it('refuses an expiry in the past or without an offset', async () => {
        const { token } = await signUp(t.app);
        for (const expires_at of ['2020-01-01T00:00:00Z', '2030-01-01T00:00:00', 'soon']) {
          const res = await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: 'x', expires_at } });
          assert.ok(isProblem(res, 400), expires_at);
        }
      });

      it("another user's token cannot be listed or revoked (404)", async () => {
        const a = await signUp(t.app);
        const b = await signUp(t.app);
        const created = await call(t.app, 'POST', '/api/v1/me/tokens', { token: a.token, body: { name: 'mine' } });
        const del = await call(t.app, 'DELETE', `/api/v1/me/tokens/${created.body.id}`, { token: b.token });
        assert.ok(isProblem(del, 404));
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token: created.body.token })).status, 200);
        assert.equal((await call(t.app, 'GET', '/api/v1/me/tokens', { token: b.token })).body.data.length, 0);
        assert.ok(isProblem(await call(t.app, 'DELETE', '/api/v1/me/tokens/not-a-uuid', { token: a.token }), 400));
      });
    });

    describe('profile', () => {
      it('changes only the fields given and validates the time zone', async () => {
        const { token } = await signUp(t.app, { name: 'Before', timezone: 'UTC' });
        const res = await call(t.app, 'PATCH', '/api/v1/me', { token, body: { timezone: 'Asia/Kathmandu' } });
        assert.equal(res.status, 200);
        assert.equal(res.body.timezone, 'Asia/Kathmandu');
        assert.equal(res.body.name, 'Before');
        assert.ok(
          isProblem(await call(t.app, 'PATCH', '/api/v1/me', { token, body: { timezone: 'Nowhere/City' } }), 400),
        );
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token })).body.timezone, 'Asia/Kathmandu');
      });

      it('changes the password only with the current one', async () => {
        const { token, username } = await signUp(t.app);
        const without = await call(t.app, 'PATCH', '/api/v1/me', {
          token,
          body: { password: 'a brand new passphrase' },
        });
        assert.ok(isProblem(without, 400));
        const ok = await call(t.app, 'PATCH', '/api/v1/me', {
          token,
          body: { password: 'a brand new passphrase', current_password: PASSWORD },
        });
        assert.equal(ok.status, 200);
        const login = await call(t.app, 'POST', '/api/v1/auth/login', {
          body: { login: username, password: 'a brand new passphrase' },
        });
        assert.equal(login.status, 200);
      });

      it('a new e-mail address needs the current password', async () => {
        const { token, username } = await signUp(t.app);
        const without = await call(t.app, 'PATCH', '/api/v1/me', {
          token,
          body: { email: `${username}.new@example.com` },
        });
        assert.ok(isProblem(without, 400));
        assert.equal(without.body.errors[0].field, 'current_password');
        const ok = await call(t.app, 'PATCH', '/api/v1/me', {
          token,
          body: { email: `${username}.new@example.com`, current_password: PASSWORD },
        });
        assert.equal(ok.status, 200);
      });

      it('a new password ends the other log-in sessions but keeps personal tokens and this one', async () => {
        const { token, username } = await signUp(t.app);
        const other = await call(t.app, 'POST', '/api/v1/auth/login', {
          body: { login: username, password: PASSWORD },
        });
        const pat = await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: 'ci' } });
        const changed = await call(t.app, 'PATCH', '/api/v1/me', {
          token,
          body: { password: 'another long passphrase', current_password: PASSWORD },
        });
        assert.equal(changed.status, 200);
        assert.ok(isProblem(await call(t.app, 'GET', '/api/v1/me', { token: other.body.token }), 401));
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token })).status, 200);
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token: pat.body.token })).status, 200);
      });

      it('an admin username cannot be taken by renaming', async () => {
        const { token } = await signUp(t.app);
        const res = await call(t.app, 'PATCH', '/api/v1/me', { token, body: { username: 'root-admin' } });
        assert.ok(isProblem(res, 400));
        assert.equal((await call(t.app, 'GET', '/api/v1/me', { token })).body.is_admin, false);
      });

      it('a username taken by someone else is a 409', async () => {
        await signUp(t.app, { username: 'taken-name' });
        const { token } = await signUp(t.app);
        assert.ok(
          isProblem(await call(t.app, 'PATCH', '/api/v1/me', { token, body: { username: 'taken-name' } }), 409),
        );
      });
    });

    describe('users', () => {
      it('shows public profiles to users and e-mails to admins, paginated', async () => {
        const admin = await signUp(t.app, { username: 'root-admin' });
        assert.equal(admin.user.is_admin, true);
        const plain = await signUp(t.app);
        const seen = new Set<string>();
        let cursor: string | null = null;
        let pages = 0;
        do {
          const url: string = `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
          const page = await call(t.app, 'GET', url, { token: plain.token });
          assert.equal(page.status, 200);
          assert.ok(page.body.data.length <= 2);
          for (const u of page.body.data) {
            assert.ok(!seen.has(u.username), 'each user once');
            seen.add(u.username);
            assert.equal(u.email, undefined, 'no e-mail for non-admins');
          }
          cursor = page.body.next_cursor;
          pages++;
        } while (cursor && pages < 100);
        assert.ok(seen.has('root-admin') && seen.has(plain.username));
        const asAdmin = await call(t.app, 'GET', '/api/v1/users?limit=100', { token: admin.token });
        assert.ok(asAdmin.body.data.every((u: { email?: string }) => typeof u.email === 'string'));
      });

      it('refuses a bad limit or cursor with 400 instead of clamping', async () => {
        const { token } = await signUp(t.app);
        for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=2.5', 'cursor=%%%', 'cursor=bm90LWpzb24']) {
          assert.ok(isProblem(await call(t.app, 'GET', `/api/v1/users?${q}`, { token }), 400), q);
        }
      });
    });

    describe('security', () => {
      const protectedRoutes: [string, string][] = [
        ['GET', '/api/v1/me'],
        ['PATCH', '/api/v1/me'],
        ['GET', '/api/v1/me/tokens'],
        ['POST', '/api/v1/me/tokens'],
        ['GET', '/api/v1/users'],
        ['POST', '/api/v1/auth/logout'],
      ];
      it('every protected route answers 401 with no token, a garbage token, a revoked token or a bad scheme', async () => {
        const { token } = await signUp(t.app);
        const pat = await call(t.app, 'POST', '/api/v1/me/tokens', { token, body: { name: 'to revoke' } });
        await call(t.app, 'DELETE', `/api/v1/me/tokens/${pat.body.id}`, { token });
        for (const [method, url] of protectedRoutes) {
          for (const headers of [
            {} as Record<string, string>,
            { authorization: 'Bearer garbage' },
            { authorization: `Bearer ${pat.body.token}` },
            { authorization: `Basic ${token}` },
          ]) {
            const res = await call(t.app, method as 'GET', url, { headers, body: method === 'GET' ? undefined : {} });
            assert.ok(isProblem(res, 401), `${method} ${url} ${JSON.stringify(headers)} -> ${res.status}`);
          }
        }
      });
    });
  });
}
