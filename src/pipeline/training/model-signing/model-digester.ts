import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { ModelSigningError } from './model-signing.error';
import { canonicalIgnorePaths, compareCodePoints, isIgnoredPath, type FileDigest } from './oms-statement';

const CHUNK_BYTES = 1 << 20;
// O_NOFOLLOW: the final component may not be a symlink, checked by the kernel at open time (no
// lstat-then-open race). O_NONBLOCK: opening a FIFO must not hang; it is refused just after.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function refused(path: string, why: string, cause?: unknown): ModelSigningError {
  return new ModelSigningError('FILE_REFUSED', `${path}: ${why}`, { path }, cause === undefined ? undefined : { cause });
}

/**
 * SHA-256 (hex) of a regular file, read in 1 MiB chunks. Refuses a symbolic link or anything
 * that is not a regular file (FIFO, socket, device, directory) with `FILE_REFUSED`.
 */
export async function sha256File(path: string): Promise<string> {
  return hashRegularFile(path, path);
}

async function hashRegularFile(path: string | Buffer, shown: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refused(shown, 'is a symbolic link', error);
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) throw refused(shown, 'is not a regular file');
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

export interface DigestDirectoryOptions {
  /** Relative paths (and their subtrees) not to read, e.g. `OMS_DEFAULT_IGNORE_PATHS` or the
   * signature file. Nothing else is skipped. */
  ignorePaths?: readonly string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Every regular file under `dir` with its SHA-256, as `/`-separated paths relative to `dir`,
 * sorted by code point (the OMS manifest order). Skips only what `ignorePaths` names. Refuses
 * (`FILE_REFUSED`), rather than skips, symbolic links anywhere in the tree (OMS §6.1.1 with
 * `allow_symlinks: false`), special files, and names that are not valid UTF-8 (§6.1.2 rule 7).
 * Names are read as raw bytes so that a non-UTF-8 name cannot be silently replaced by U+FFFD.
 */
export async function digestDirectory(dir: string, options: DigestDirectoryOptions = {}): Promise<FileDigest[]> {
  const ignorePaths = canonicalIgnorePaths(options.ignorePaths ?? []);
  const root = await lstat(dir);
  if (root.isSymbolicLink()) throw refused(dir, 'the model directory is a symbolic link');
  if (!root.isDirectory()) throw refused(dir, 'is not a directory');

  const found: FileDigest[] = [];
  const walk = async (absolute: Buffer, relative: string): Promise<void> => {
    const names = await readdir(absolute, { encoding: 'buffer' });
    for (const raw of names) {
      let name: string;
      try {
        name = utf8.decode(raw);
      } catch (error) {
        throw refused(`${relative}/${raw.toString('hex')} (hex)`.replace(/^\//, ''), 'the file name is not valid UTF-8', error);
      }
      const path = relative === '' ? name : `${relative}/${name}`;
      if (isIgnoredPath(path, ignorePaths)) continue;
      const entry = Buffer.concat([absolute, Buffer.from('/'), raw]);
      const stats = await lstat(entry);
      if (stats.isSymbolicLink()) throw refused(path, 'is a symbolic link (refused: OMS allow_symlinks is false)');
      if (stats.isDirectory()) await walk(entry, path);
      else if (stats.isFile()) {
        // A swap to a symlink or FIFO between lstat and open is refused by hashRegularFile too.
        found.push({ path, sha256: await hashRegularFile(entry, path) });
      } else throw refused(path, 'is not a regular file or directory (socket, FIFO or device)');
    }
  };
  await walk(Buffer.from(dir), '');
  return found.sort((a, b) => compareCodePoints(a.path, b.path));
}
