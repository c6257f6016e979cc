/**
 * The zip container of an evidence bundle. Writing is deterministic (sorted names, one fixed
 * timestamp), so the same content gives the same bytes. Reading treats the archive as hostile:
 * bounded entry count and sizes, names that cannot escape a folder, no duplicates, no folders.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';

export const MAX_BUNDLE_ENTRIES = 20_000;
export const MAX_BUNDLE_FILE_BYTES = 256 * 1024 * 1024;
export const MAX_BUNDLE_TOTAL_BYTES = 1024 * 1024 * 1024;

export class BundleArchiveError extends Error {
  override readonly name = 'BundleArchiveError';
}

/** Relative, forward slashes, no empty / `.` / `..` segments, no control characters. */
export function isSafeBundlePath(name: string): boolean {
  if (name.length === 0 || name.length > 512 || name.startsWith('/') || name.includes('\\') || /[\p{Cc}]/u.test(name)) return false;
  return name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function writeBundleArchive(files: ReadonlyMap<string, Uint8Array>, createdAt: string): Uint8Array {
  const mtime = new Date(createdAt);
  const entries: Zippable = {};
  for (const name of [...files.keys()].sort()) {
    if (!isSafeBundlePath(name)) throw new BundleArchiveError(`unsafe file name in a bundle: ${JSON.stringify(name)}`);
    entries[name] = [files.get(name)!, { mtime, level: 6 }];
  }
  return zipSync(entries);
}

export function readBundleArchive(bytes: Uint8Array): Map<string, Uint8Array> {
  const seen = new Set<string>();
  let declared = 0;
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter: (file) => {
        if (seen.size >= MAX_BUNDLE_ENTRIES) throw new BundleArchiveError(`more than ${MAX_BUNDLE_ENTRIES} entries`);
        if (file.name.endsWith('/')) throw new BundleArchiveError(`folder entry ${JSON.stringify(file.name)} (bundles hold files only)`);
        if (!isSafeBundlePath(file.name)) throw new BundleArchiveError(`unsafe entry name ${JSON.stringify(file.name)}`);
        if (seen.has(file.name)) throw new BundleArchiveError(`entry ${JSON.stringify(file.name)} appears twice`);
        seen.add(file.name);
        if (file.originalSize > MAX_BUNDLE_FILE_BYTES) throw new BundleArchiveError(`entry ${file.name} is larger than ${MAX_BUNDLE_FILE_BYTES} bytes`);
        declared += file.originalSize;
        if (declared > MAX_BUNDLE_TOTAL_BYTES) throw new BundleArchiveError(`entries total more than ${MAX_BUNDLE_TOTAL_BYTES} bytes`);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof BundleArchiveError) throw error;
    throw new BundleArchiveError(`not a readable zip archive: ${error instanceof Error ? error.message : String(error)}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const name of Object.keys(unzipped).sort()) files.set(name, unzipped[name]!);
  return files;
}
