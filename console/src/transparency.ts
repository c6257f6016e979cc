/**
 * In-browser checks of the ledger with WebCrypto, so the console does not just trust the server:
 * RFC 8785 (JCS) of an entry, RFC 9162 leaf hash and inclusion proof, and the C2SP signed-note
 * checkpoint with its Ed25519 signature (ledger/verification in the server, ported).
 */

const enc = new TextEncoder();

/** RFC 8785 JCS for JSON values (ES number serialisation and JSON.stringify strings are what JCS specifies). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  // JCS sorts keys by UTF-16 code units, which is what the default sort compares.
  const keys = Object.keys(object)
    .filter((k) => object[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`;
}

const sha256 = async (bytes: Uint8Array): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
};

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export const fromHex = (hex: string): Uint8Array => {
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new Error('not hex');
  return new Uint8Array(hex.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
};
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** RFC 9162 §2.1.1: SHA-256(0x00 || JCS(entry)). */
export const leafHash = async (entry: unknown): Promise<Uint8Array> => sha256(concat(new Uint8Array([0]), enc.encode(canonicalJson(entry))));
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(concat(new Uint8Array([1]), left, right));

/** RFC 9162 §2.1.3.2. */
export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array): Promise<boolean> {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  text: string;
  signatures: { keyName: string; keyId: number; signature: Uint8Array }[];
}

/** C2SP tlog-checkpoint in a signed note: text, a blank line, then `— <name> <base64(keyid || sig)>` lines. */
export function parseCheckpoint(note: string): Checkpoint {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('checkpoint note has no signatures');
  const text = note.slice(0, split + 1);
  const [origin, sizeLine, rootLine] = text.slice(0, -1).split('\n');
  if (!origin || !sizeLine || !rootLine || !/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw new Error('malformed checkpoint');
  const root = fromBase64(rootLine);
  if (root.length !== 32) throw new Error('malformed root hash');
  const signatures = note
    .slice(split + 2)
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m) throw new Error('malformed signature line');
      const bytes = fromBase64(m[2]!);
      return { keyName: m[1]!, keyId: new DataView(bytes.buffer).getUint32(0), signature: bytes.slice(4) };
    });
  return { origin, size: Number(sizeLine), root, text, signatures };
}

/** Ed25519 over the note text with the ledger's public key (raw 32 bytes, base64), via WebCrypto. */
export async function verifyCheckpointSignature(checkpoint: Checkpoint, key: { keyName: string; keyId: string; publicKey: string }): Promise<boolean> {
  const keyId = parseInt(key.keyId, 16);
  const mine = checkpoint.signatures.filter((s) => s.keyName === key.keyName && s.keyId === keyId);
  if (mine.length === 0) return false;
  const publicKey = await crypto.subtle.importKey('raw', fromBase64(key.publicKey) as BufferSource, { name: 'Ed25519' }, false, ['verify']);
  for (const s of mine) {
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, s.signature as BufferSource, enc.encode(checkpoint.text)))) return false;
  }
  return true;
}

export interface ProofResult {
  ok: boolean;
  leafHashMatches: boolean;
  inclusion: boolean;
  signature: boolean;
  treeSize: number;
  root: string;
}

/** Everything the console checks for one entry: its leaf hash, its inclusion proof, and the signed checkpoint the proof ends in. */
export async function verifyEntry(
  entry: { index: number },
  claimedLeafHash: string,
  checkpointNote: string,
  key: { keyName: string; keyId: string; publicKey: string },
  fetchProof: (index: number, treeSize: number) => Promise<{ proof: string[] }>,
): Promise<ProofResult> {
  const checkpoint = parseCheckpoint(checkpointNote);
  const leaf = await leafHash(entry);
  const leafHashMatches = toHex(leaf) === claimedLeafHash;
  const { proof } = await fetchProof(entry.index, checkpoint.size);
  const inclusion = await verifyInclusion(entry.index, checkpoint.size, leaf, proof.map(fromHex), checkpoint.root);
  const signature = await verifyCheckpointSignature(checkpoint, key);
  return { ok: leafHashMatches && inclusion && signature, leafHashMatches, inclusion, signature, treeSize: checkpoint.size, root: toHex(checkpoint.root) };
}
