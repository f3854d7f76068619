// An exclusive lock on the embedded store's directory. PGlite takes none, and two
// processes on one directory silently lose writes, so a second one must refuse to start.
//
// Two layers:
// - On Linux, the lock itself is an abstract Unix socket named after the directory's real
//   path. Binding it is atomic and the kernel drops it when the process dies, even by
//   kill -9, so there is no stale lock to take over and no race in taking one.
// - The file DATA_DIR/LOCK holds the holder's pid, for the message a second process shows,
//   and is the lock where abstract sockets do not exist (macOS), or between processes that
//   do not share a network namespace (containers sharing a volume). It is created whole (a
//   temporary file hard-linked into place), so nobody ever reads it empty. Taking over a
//   LOCK left by a dead process is safe with the socket held; without one, two processes
//   taking over the same stale file at the same instant remain a (tiny) race.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    public readonly dir: string,
    public readonly pid: number | null,
  ) {
    super(
      `The data directory ${dir} is in use by another process${pid === null ? '' : ` (pid ${pid})`}. ` +
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

function holderOf(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The directory's kernel lock (Linux): a listening abstract socket, or null where there are none. */
async function kernelLock(dir: string): Promise<net.Server | 'taken' | null> {
  if (process.platform !== 'linux') return null;
  const id = createHash('sha256').update(fs.realpathSync(dir)).digest('hex').slice(0, 48);
  const server = net.createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve('taken');
      else if (error.code === 'EACCES' || error.code === 'EPERM')
        resolve(null); // sandboxed: the file alone
      else reject(error);
    });
    server.listen({ path: `\0slotwise-data-dir-${id}` }, () => {
      server.unref(); // the lock must not keep the process alive
      resolve(server);
    });
  });
}

const heldHere = new Set<string>();

/** Writes LOCK with our pid in one step: fails with EEXIST when it already exists. */
function createLockFile(file: string): void {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(temp, String(process.pid), { flag: 'wx' });
  try {
    fs.linkSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Takes the lock or throws DataDirLockedError. A LOCK file left by a dead process (kill -9) is taken over. */
export async function lockDataDir(dir: string): Promise<() => void> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'LOCK');
  const kernel = await kernelLock(dir);
  if (kernel === 'taken') throw new DataDirLockedError(dir, holderOf(file));
  const releaseKernel = () => kernel?.close();
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        createLockFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = holderOf(file);
        // Our own pid is a live holder only if this process took it; otherwise it is a reused pid.
        const live = holder === process.pid ? heldHere.has(file) : holder !== null && isAlive(holder);
        if (live) throw new DataDirLockedError(dir, holder);
        // Left by a process that died without releasing it.
        fs.rmSync(file, { force: true });
        continue;
      }
      heldHere.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(file);
        if (holderOf(file) === process.pid) fs.rmSync(file, { force: true });
        releaseKernel();
      };
    }
    throw new Error(`Could not take the lock ${file}`);
  } catch (error) {
    releaseKernel();
    throw error;
  }
}
