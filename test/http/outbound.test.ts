// Where a webhook may be delivered: with OUTBOUND_ALLOW_PRIVATE=false, internal addresses are
// refused at connect time, whether written as an address or reached through a name.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isInternalAddress, postJson, RefusedAddressError } from '../../src/http/outbound';

describe('webhook POST', () => {
  let server: http.Server;
  let port: number;
  const got: string[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push(body);
        res
          .writeHead(
            req.url === '/moved' ? 302 : 204,
            req.url === '/moved' ? { location: 'http://169.254.169.254/' } : {},
          )
          .end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const signal = () => AbortSignal.timeout(5000);

  it('knows internal addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::1',
    ]) {
      assert.equal(isInternalAddress(a), true, a);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(isInternalAddress(a), false, a);
  });

  it('allowed: posts the body and answers the status, without following a redirect', async () => {
    assert.equal(
      await postJson(`http://127.0.0.1:${port}/hook`, { 'content-type': 'application/json' }, '{"a":1}', {
        signal: signal(),
        allowPrivate: true,
      }),
      204,
    );
    assert.equal(got.at(-1), '{"a":1}');
    assert.equal(
      await postJson(`http://127.0.0.1:${port}/moved`, {}, '{}', { signal: signal(), allowPrivate: true }),
      302,
    );
  });

  it('refused: an internal address, or a name that resolves to one, before anything is sent', async () => {
    const before = got.length;
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`, `http://[::1]:${port}/hook`]) {
      await assert.rejects(
        postJson(url, {}, '{}', { signal: signal(), allowPrivate: false }),
        RefusedAddressError,
        url,
      );
    }
    assert.equal(got.length, before);
  });
});
