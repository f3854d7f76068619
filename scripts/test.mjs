// npm test: type-check, then every test file under test/ with node's test runner, on the
// embedded store and on PostgreSQL (TEST_STORES, default both), in an odd time zone
// (TZ=Asia/Kathmandu, +05:45) so code that leans on the process's local time fails here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv.slice(2);

function findTests(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = (only.length ? only : findTests(path.join(root, 'test'))).sort();
const env = { ...process.env, TZ: 'Asia/Kathmandu', NODE_ENV: 'test' };

// Tests against real programs from Debian: Radicale (a CalDAV server) and Chromium (the web
// pages in a browser). Installed when missing and this machine can (root with apt-get).
const missing = [
  ['radicale', () => spawnSync('radicale', ['--version']).error],
  ['chromium', () => !fs.existsSync('/usr/bin/chromium')],
]
  .filter(([, absent]) => absent())
  .map(([name]) => name);
if (missing.length && process.getuid?.() === 0 && !spawnSync('apt-get', ['--version']).error) {
  console.log(`Installing ${missing.join(' and ')} for the tests...`);
  const apt = (args) =>
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt(['install', '-y', '--no-install-recommends', ...missing]).status !== 0) {
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', ...missing]);
  }
}

if (!only.length) {
  const tsc = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root],
    {
      stdio: 'inherit',
      env,
    },
  );
  if (tsc.status !== 0) {
    console.error('Type check failed');
    process.exit(tsc.status ?? 1);
  }
  // One kept tool lints and checks the format of everything (biome.json); `npm run lint:fix` repairs.
  const biome = spawnSync(process.execPath, [path.join(root, 'node_modules/@biomejs/biome/bin/biome'), 'ci', '.'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (biome.status !== 0) {
    console.error('Lint or format check failed: run `npm run lint:fix`');
    process.exit(biome.status ?? 1);
  }
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 3}`, ...files],
  { stdio: 'inherit', env, cwd: root },
);
process.exit(result.status ?? 1);
