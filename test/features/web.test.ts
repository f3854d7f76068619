// The booking page at /{username}/{slug}: a web page that works without an account, escapes
// free text, and loads its script and styles from this server only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, signUp, startApp, STORES, type TestApp } from '../helpers/app';

for (const store of STORES) {
  describe(`booking web page [${store}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startApp(store);
    });
    after(() => t.close());

    it('serves the page of a live link with its text escaped and its data inert', async () => {
      const host = await signUp(t.app, { name: 'Ada <Host>' });
      const title = '<script>alert(1)</script> & "Intro"';
      const et = await call(t.app, 'POST', '/api/v1/event-types', {
        token: host.token,
        body: { slug: 'intro', title, description: '</script><img src=x onerror=alert(2)>', durations: [30, 60] },
      });
      assert.equal(et.status, 201, et.text);
      const page = await t.app.inject({ method: 'GET', url: `/${host.username}/intro` });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Intro&quot;'));
      assert.ok(page.body.includes('Ada &lt;Host&gt;'));
      assert.ok(!page.body.includes('<script>alert(1)'), 'no raw markup from the title');
      assert.ok(!page.body.includes('</script><img'), 'no raw markup from the description, even in the JSON data');
      const data = /<script type="application\/json" id="link-data">([^<]*)<\/script>/.exec(page.body);
      assert.ok(data, 'the link data is embedded as inert JSON');
      assert.equal(JSON.parse(data![1]).title, title);
      assert.match(page.body, /<script src="\/assets\/booking.js" defer><\/script>/);
    });

    it('serves the host pages shell at /app with its script, under the same policy', async () => {
      const page = await t.app.inject({ method: 'GET', url: '/app' });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      assert.match(page.body, /<script src="\/assets\/host.js" defer><\/script>/);
      for (const asset of ['/assets/host.js', '/assets/host.css'])
        assert.equal((await t.app.inject({ method: 'GET', url: asset })).statusCode, 200, asset);
    });

    it('serves its script and styles, and a 404 page for an unknown or inactive link', async () => {
      const js = await t.app.inject({ method: 'GET', url: '/assets/booking.js' });
      assert.equal(js.statusCode, 200);
      assert.match(String(js.headers['content-type']), /javascript/);
      assert.ok(js.body.includes('/api/v1/public/'));
      const css = await t.app.inject({ method: 'GET', url: '/assets/booking.css' });
      assert.equal(css.statusCode, 200);
      const unknown = await t.app.inject({ method: 'GET', url: '/nobody-here/nothing' });
      assert.equal(unknown.statusCode, 404);
      assert.match(String(unknown.headers['content-type']), /^text\/html/);
      const host = await signUp(t.app);
      await call(t.app, 'POST', '/api/v1/event-types', {
        token: host.token,
        body: { slug: 'off', title: 'Off', active: false },
      });
      assert.equal((await t.app.inject({ method: 'GET', url: `/${host.username}/off` })).statusCode, 404);
    });
  });
}
