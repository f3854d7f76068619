// An exclusive lock on the embedded store's directory. PGlite takes none, and two
// processes on one directory silently lose writes, so a second one must refuse to start.
import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(public readonly dir: string, public readonly pid: number) {
    super(
      `The data directory ${dir} is in use by another process (pid ${pid}). ` +
        'The embedded database allows one process at a time: stop that process, use another DATA_DIR, ' +
        'or set DATABASE_URL to share a PostgreSQL database between processes.',
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const heldHere = new Set<string>();

/** Takes the lock or throws DataDirLockedError. A lock left by a dead process (kill -9) is taken over. */
export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'LOCK');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      heldHere.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(file);
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      // Our own pid is a live holder only if this process took it; otherwise it is a reused pid.
      const live = holder === process.pid ? heldHere.has(file) : Number.isInteger(holder) && isAlive(holder);
      if (live) {
        throw new DataDirLockedError(dir, holder);
      }
      // Stale lock from a process that died without releasing it.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
