/**
 * The digest of a policy pack, recorded in every decision that used it. It covers exactly the files
 * the loader reads — `pack.yaml` and every `*.rules.yaml` directly in the pack folder — and no
 * others (README, tests/). Definition, recomputable offline with coreutils:
 *
 *   manifest = for each file, sorted by name (bytewise): "<sha256 hex of its bytes>  <name>\n"
 *   digest   = "sha256:" + sha256 hex of the manifest's UTF-8 bytes
 *
 *   (cd policies/baseline && sha256sum pack.yaml *.rules.yaml | LC_ALL=C sort -k 2 | sha256sum)
 *
 * The manifest is sha256sum's own output format, so the shell line above gives the same hex.
 * Bytes are hashed as stored: re-encoding or changing line endings changes the digest.
 */
import { createHash } from 'node:crypto';
import type { PackFile } from './policy-pack';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** Names are sorted by UTF-16 code units, which for the ASCII names the loader admits is bytewise. */
export function packDigest(files: ReadonlyArray<{ path: string; bytes: Uint8Array }>): { digest: string; files: PackFile[] } {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const entries = sorted.map((file) => ({ path: file.path, hex: sha256(file.bytes) }));
  const manifest = entries.map((entry) => `${entry.hex}  ${entry.path}\n`).join('');
  return { digest: `sha256:${sha256(manifest)}`, files: entries.map((entry) => ({ path: entry.path, digest: `sha256:${entry.hex}` })) };
}
