import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Assay process (pid ${holderPid}). PGlite serves ` +
        'one process at a time: stop the other process, or use PostgreSQL (DATABASE_URL) to run several.',
    );
    this.name = 'DataDirLockedError';
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * An exclusive lock on an embedded data directory: a lock file holding the owner's pid, created
 * with O_EXCL. A lock whose process is gone (crash, SIGKILL) is taken over at once — unlike
 * mtime-based locks, which would either keep a crashed owner's lock for their stale period or
 * hand a live but busy owner's lock to someone else.
 */
export function lockDataDir(lockFile: string, dataDir: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockFile);
      if (holder && holder.host === hostname() && isAlive(holder.pid)) throw new DataDirLockedError(dataDir, holder.pid);
      if (holder && holder.host !== hostname()) throw new DataDirLockedError(dataDir, holder.pid);
      rmSync(lockFile, { force: true }); // the holder is gone: take over
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function readHolder(lockFile: string): { pid: number; host: string } | null {
  try {
    const value = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid?: unknown; host?: unknown };
    return typeof value.pid === 'number' && typeof value.host === 'string' ? { pid: value.pid, host: value.host } : null;
  } catch {
    return null; // half-written by a process that died while writing it
  }
}
