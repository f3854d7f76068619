// Operations endpoints and the API document.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, startApp, STORES, type TestApp } from './helpers/app';

for (const store of STORES) {
  describe(`operations [${store}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startApp(store);
    });
    after(() => t.close());

    it('/healthz and /readyz answer without a token', async () => {
      assert.deepEqual((await call(t.app, 'GET', '/healthz')).body, { status: 'ok' });
      assert.deepEqual((await call(t.app, 'GET', '/readyz')).body, { status: 'ready' });
    });

    it('/metrics counts requests by route', async () => {
      await call(t.app, 'GET', '/healthz');
      const res = await call(t.app, 'GET', '/metrics');
      assert.equal(res.status, 200);
      assert.match(res.text, /http_requests_total\{method="GET",route="\/healthz",status_code="200"\} \d+/);
      assert.match(res.text, /http_request_duration_seconds_bucket/);
      assert.match(res.text, /process_cpu_user_seconds_total/);
    });

    it('serves the OpenAPI 3.1 document and the interactive docs, covering the API routes', async () => {
      const doc = await call(t.app, 'GET', '/api/openapi.json');
      assert.equal(doc.status, 200);
      assert.equal(doc.body.openapi, '3.1.0');
      for (const path of [
        '/api/v1/auth/signup',
        '/api/v1/auth/login',
        '/api/v1/me',
        '/api/v1/me/tokens',
        '/api/v1/users',
      ]) {
        assert.ok(doc.body.paths[path], `${path} documented`);
      }
      const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
      assert.equal(ui.statusCode, 200);
      assert.match(ui.body, /swagger/i);
    });

    it('every answer carries a request id', async () => {
      const res = await call(t.app, 'GET', '/healthz');
      assert.ok(typeof res.headers['x-request-id'] === 'string' && res.headers['x-request-id'].length > 0);
    });
  });
}
