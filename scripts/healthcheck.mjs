// The container image's HEALTHCHECK (node, since the slim image has no curl): exits 0 when the
// server in this container answers /readyz (its database answers), 1 otherwise. Reads the
// same PORT and HOST as the server; a wildcard HOST is asked on loopback.
const port = process.env.PORT || '3000';
const configured = process.env.HOST || '0.0.0.0';
const host = configured === '0.0.0.0' || configured === '::' ? '127.0.0.1' : configured;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/readyz`;

try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  const body = await res.json().catch(() => ({}));
  if (res.ok && body.status === 'ready') process.exit(0);
  console.error(`${url} answered ${res.status}: ${JSON.stringify(body)}`);
} catch (error) {
  console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
}
process.exit(1);
