// The embedded store's data-directory lock: one holder at a time, even when several
// processes race for it, and a lock left by a dead process does not keep the store shut.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DataDirLockedError, lockDataDir } from '../../src/db/dir-lock';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'slotwise-lock-'));

/** A pid no process has: far above what this machine hands out, checked dead. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid++) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

/** A separate process that tries to take the lock: prints "took" or "refused", then holds what it took for `holdMs`. */
function contender(dir: string, holdMs: number): Promise<string> {
  const code = `
    const { lockDataDir } = await import(${JSON.stringify(path.join(ROOT, 'src/db/dir-lock.ts'))});
    try {
      const release = await lockDataDir(${JSON.stringify(dir)});
      console.log('took');
      setTimeout(() => { release(); }, ${holdMs});
      setTimeout(() => {}, ${holdMs});
    } catch (error) {
      console.log(error.constructor.name === 'DataDirLockedError' ? 'refused' : 'error: ' + error.message);
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('exit', () => resolve(out.trim())));
}

describe('data-directory lock', () => {
  it('a second taker in the same process is refused, and can take it once released', async () => {
    const dir = tmpDir();
    const release = await lockDataDir(dir);
    assert.equal(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8'), String(process.pid));
    await assert.rejects(
      lockDataDir(dir),
      (error: unknown) => error instanceof DataDirLockedError && error.pid === process.pid,
    );
    release();
    assert.equal(fs.existsSync(path.join(dir, 'LOCK')), false);
    const again = await lockDataDir(dir);
    again();
  });

  it('of processes racing for one directory exactly one takes it', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = tmpDir();
      // A stale LOCK too, so that every contender also races to take it over.
      fs.writeFileSync(path.join(dir, 'LOCK'), String(deadPid()));
      const results = await Promise.all(Array.from({ length: 6 }, () => contender(dir, 1500)));
      assert.equal(results.filter((r) => r === 'took').length, 1, `round ${round}: ${results.join(', ')}`);
      assert.equal(results.filter((r) => r === 'refused').length, 5, `round ${round}: ${results.join(', ')}`);
    }
  });

  it('a LOCK file left by a dead process, or left empty, is taken over', async () => {
    for (const content of [String(deadPid()), '', 'garbage']) {
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'LOCK'), content);
      const release = await lockDataDir(dir);
      assert.equal(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8'), String(process.pid));
      release();
    }
  });

  it('a LOCK file naming a live process refuses, naming that pid', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'LOCK'), String(process.ppid));
    await assert.rejects(
      lockDataDir(dir),
      (error: unknown) =>
        error instanceof DataDirLockedError && error.pid === process.ppid && error.message.includes(dir),
    );
    assert.equal(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8'), String(process.ppid), 'left alone');
  });
});
