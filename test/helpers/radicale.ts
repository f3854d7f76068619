// Radicale, a real CalDAV server, for the CalDAV tests: one per test file, on 127.0.0.1, with
// plain-text htpasswd users, in a temporary folder. scripts/test.mjs installs it (Debian
// package `radicale`) when it is missing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './process';

export interface Radicale {
  base: string;
  stop(): Promise<void>;
}

export async function startRadicale(users: Record<string, string>): Promise<Radicale> {
  if (spawnSync('radicale', ['--version']).error)
    throw new Error('radicale is not installed (apt-get install radicale; npm test does it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slotwise-radicale-'));
  fs.writeFileSync(
    path.join(dir, 'users'),
    Object.entries(users)
      .map(([u, p]) => `${u}:${p}\n`)
      .join(''),
  );
  const port = await freePort();
  const child = spawn(
    'radicale',
    [
      '--server-hosts',
      `127.0.0.1:${port}`,
      '--storage-filesystem-folder',
      path.join(dir, 'data'),
      '--auth-type',
      'htpasswd',
      '--auth-htpasswd-filename',
      path.join(dir, 'users'),
      '--auth-htpasswd-encryption',
      'plain',
      '--rights-type',
      'owner_only',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await fetch(`${base}/.web/`);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`radicale did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls Radicale as `user` (Basic auth). */
export async function dav(
  base: string,
  user: string,
  password: string,
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}
