// One process per PGlite data directory: PGlite is Postgres in single-user mode, with no postmaster
// to keep a second process out, and two writers would corrupt it. A pid file, created exclusively;
// one left by a process that no longer exists (kill -9) is taken over.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws DataDirLockedError; returns the release function. */
export function lockDataDir(pidFile: string): () => void {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(pidFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(pidFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner: number;
      try {
        owner = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
      } catch {
        continue; // released meanwhile
      }
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new DataDirLockedError(`${pidFile}: the data directory is in use by process ${owner} (PGlite serves one process; use DATABASE_URL to share a store)`);
      }
      rmSync(pidFile, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(`${pidFile}: could not take the lock`);
}
