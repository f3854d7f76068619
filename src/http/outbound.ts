// Requests this service makes to URLs its users give (webhook POSTs, calendar feeds), over
// node:http(s) so that where they may connect is checked at connect time: with private
// addresses refused (OUTBOUND_ALLOW_PRIVATE=false), a name is refused when DNS
// gives any loopback, private, link-local or otherwise internal address for it, and the
// address checked is the one connected to (no second lookup to rebind).
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { invalidField } from './errors';

const internal = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  internal.addSubnet(prefix, bits, 'ipv4');
// IPv6: loopback and unspecified, unique-local, link-local, multicast, and the prefixes that
// embed an IPv4 address (NAT64, 6to4), which could reach an internal one.
for (const [prefix, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
] as const) {
  internal.addSubnet(prefix, bits, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local, shared, multicast or unspecified (IPv4-mapped IPv6 included). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1]!, 'ipv4');
  const family = net.isIP(address);
  if (family === 0) return false;
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class RefusedAddressError extends Error {
  readonly code = 'EREFUSEDADDRESS';
}

const refused = () => new RefusedAddressError('refused: the address is internal (OUTBOUND_ALLOW_PRIVATE=false)');

function checkLiteral(target: URL, allowPrivate: boolean): void {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && net.isIP(host) !== 0 && isInternalAddress(host)) throw refused();
}

/** A DNS lookup that fails when any address of the name is internal. */
const publicOnlyLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return (callback as (e: Error) => void)(error);
    const list = addresses as dns.LookupAddress[];
    if (list.length === 0 || list.some((a) => isInternalAddress(a.address)))
      return (callback as (e: Error) => void)(refused());
    if ((options as dns.LookupOptions).all) return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

/** POSTs `body` and answers the response status (the response body is discarded). Redirects are not followed. */
export function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { signal: AbortSignal; allowPrivate: boolean },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    checkLiteral(target, options.allowPrivate);
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        signal: options.signal,
        ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (res) => {
        res.resume(); // not read: only the status counts
        res.on('error', () => {});
        resolve(res.statusCode ?? 0);
        res.destroy();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export class ResponseError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** GETs a text document (at most `maxBytes`); a non-2xx answer or a redirect is a ResponseError. */
export function getText(
  url: string,
  options: { signal: AbortSignal; allowPrivate: boolean; maxBytes: number; accept?: string },
): Promise<string> {
  return requestText('GET', url, { ...options, headers: options.accept ? { accept: options.accept } : {} });
}

/** Sends a request (CalDAV's REPORT, say) and answers the text of a 2xx response (at most `maxBytes`); anything else is a ResponseError. */
export function requestText(
  method: string,
  url: string,
  options: {
    signal: AbortSignal;
    allowPrivate: boolean;
    maxBytes: number;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    checkLiteral(target, options.allowPrivate);
    const headers: Record<string, string | number> = { 'user-agent': 'Slotwise/1', ...options.headers };
    if (options.body !== undefined) headers['content-length'] = Buffer.byteLength(options.body);
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      { method, headers, signal: options.signal, ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }) },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          res.destroy();
          return reject(
            new ResponseError(
              status,
              `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`,
            ),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            res.destroy();
            reject(new ResponseError(status, `larger than ${options.maxBytes} bytes`));
          } else chunks.push(chunk);
        });
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * An absolute http(s) URL a user gives this service to call (a 400 naming `field` otherwise).
 * Credentials do not belong in it: `credentialsHint` says where they go instead.
 */
export function checkOutboundUrl(
  raw: string,
  field: string,
  credentialsHint: string,
  protocolsMessage = 'must be http or https',
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField(field, 'is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidField(field, protocolsMessage);
  if (url.username || url.password) throw invalidField(field, `must not carry credentials${credentialsHint}`);
  return url;
}

/** Why an outbound request failed, in one line fit for a log and an answer (never a stack). */
export function outboundFailure(e: unknown, timeoutMs: number): string {
  const err = e as Error & { code?: string };
  if (err instanceof RefusedAddressError || err instanceof ResponseError) return err.message;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  return err.code ?? err.message;
}
