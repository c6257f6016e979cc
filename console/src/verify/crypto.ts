/**
 * WebCrypto and encoding primitives the console verifies with (no DOM, so Node runs them too):
 * RFC 8785 (JCS), RFC 9162 leaf hash, inclusion and consistency proofs, C2SP signed-note
 * checkpoints and verifier keys, DSSE PAE, Ed25519 and ECDSA (DER signatures) verification.
 * Ports of src/platform/ledger/verification and src/pipeline/training/model-signing.
 */

/** The part of SubtleCrypto used here, typed without the DOM library (the server's tsc reads this file too). */
interface Subtle {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
  importKey(format: 'raw' | 'spki', keyData: Uint8Array, algorithm: { name: string; namedCurve?: string }, extractable: boolean, usages: string[]): Promise<unknown>;
  verify(algorithm: { name: string; hash?: string }, key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}
const subtle = (): Subtle => (globalThis as unknown as { crypto: { subtle: Subtle } }).crypto.subtle;

export const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
export const decodeUtf8 = (bytes: Uint8Array): string => strictUtf8.decode(bytes);

/** RFC 8785 JCS for JSON values (ES number serialisation and JSON.stringify strings are what JCS specifies). */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('not a finite number');
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  // JCS sorts keys by UTF-16 code units, which is what the default sort compares.
  const keys = Object.keys(object)
    .filter((k) => object[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`;
}

export const sha256 = async (bytes: Uint8Array): Promise<Uint8Array> => new Uint8Array(await subtle().digest('SHA-256', bytes));

export const concat = (...parts: Uint8Array[]): Uint8Array => {
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
const toBase64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));

/** Canonical standard base64 only (padded, no junk, zero pad bits), as the server's decodeBase64Strict. */
export function fromBase64Strict(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    const bytes = fromBase64(text);
    return toBase64(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Standard or URL-safe base64, padded or not (DSSE and Sigstore bundles allow both). */
export function fromBase64Loose(text: string): Uint8Array | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(standard) || standard.length % 4 === 1) return undefined;
  try {
    return fromBase64(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  } catch {
    return undefined;
  }
}

export const bytesEqual = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** `sha256:<hex>` of the JCS bytes of a JSON value: how evidence and model digests are computed. */
export const sha256Digest = async (value: unknown): Promise<string> => `sha256:${toHex(await sha256(utf8.encode(canonicalJson(value))))}`;

/** RFC 9162 §2.1.1: SHA-256(0x00 || JCS(entry)). */
export const leafHash = async (entry: unknown): Promise<Uint8Array> => hashLeaf(utf8.encode(canonicalJson(entry)));
export const hashLeaf = (bytes: Uint8Array): Promise<Uint8Array> => sha256(concat(new Uint8Array([0]), bytes));
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(concat(new Uint8Array([1]), left, right));

/** RFC 9162 §2.1.3.2. */
export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array): Promise<boolean> {
  if (!(Number.isSafeInteger(index) && index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0 || p.length !== 32) return false;
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
  return sn === 0 && bytesEqual(r, root);
}

/** RFC 9162 §2.1.4.2 with transparency-dev's edge cases (merkle.ts verifyConsistency, ported); null when it verifies. */
export async function verifyConsistency(m: number, n: number, proof: Uint8Array[], root1: Uint8Array, root2: Uint8Array): Promise<string | null> {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || n < 0) return 'tree sizes must be non-negative integers';
  if (n < m) return `size2 ${n} is smaller than size1 ${m}`;
  if (m === 0) return 'a consistency proof from the empty tree proves nothing';
  if (m === n) {
    if (proof.length > 0) return 'sizes are equal but the proof is not empty';
    return bytesEqual(root1, root2) ? null : 'sizes are equal but the roots differ';
  }
  if (proof.length === 0) return 'proof is empty';
  if ([...proof, root1, root2].some((h) => h.length !== 32)) return 'a hash is not 32 bytes';
  // Step 2: a power-of-two first tree is itself a node of the second, so the proof omits it.
  const path = Number.isInteger(Math.log2(m)) ? [root1, ...proof] : proof;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return 'proof is longer than needed';
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return 'proof is shorter than needed';
  if (!bytesEqual(fr, root1)) return 'recomputed first root does not match root1';
  return bytesEqual(sr, root2) ? null : 'recomputed second root does not match root2';
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
  if (!origin || !sizeLine || !rootLine || !/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) throw new Error('malformed checkpoint');
  const root = fromBase64Strict(rootLine);
  if (!root || root.length !== 32) throw new Error('malformed root hash');
  const signatures = note
    .slice(split + 2)
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      const bytes = m ? fromBase64Strict(m[2]!) : undefined;
      if (!m || !bytes || bytes.length < 5) throw new Error('malformed signature line');
      return { keyName: m[1]!, keyId: new DataView(bytes.buffer, bytes.byteOffset).getUint32(0), signature: bytes.slice(4) };
    });
  if (signatures.length === 0) throw new Error('checkpoint note has no signatures');
  return { origin, size: Number(sizeLine), root, text, signatures };
}

/** A signed-note Ed25519 verifier key: name, key ID and the 32 raw public key bytes. */
export interface NoteKey {
  name: string;
  keyId: number;
  raw: Uint8Array;
}
export const describeKey = (key: NoteKey) => `${key.name}+${key.keyId.toString(16).padStart(8, '0')}`;

/** C2SP signed-note §Ed25519: key ID = SHA-256(name || 0x0A || 0x01 || key)[:4]. */
const ed25519KeyId = async (name: string, raw: Uint8Array) => {
  const digest = await sha256(concat(utf8.encode(name), new Uint8Array([0x0a, 0x01]), raw));
  return new DataView(digest.buffer).getUint32(0);
};

/** `<name>+<8 hex key ID>+<base64(0x01 || key)>`, checked as sumdb/note does (the ID must match name and key). */
export async function parseVerifierKey(text: string): Promise<NoteKey> {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new Error('verifier key must be <name>+<key id>+<key>');
  const [name, id, encoded] = [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
  if (name.length === 0 || /[\s+\p{Cc}]/u.test(name)) throw new Error('verifier key has an invalid name');
  if (!/^[0-9a-f]{8}$/.test(id)) throw new Error('verifier key ID must be 8 lowercase hex digits');
  const bytes = fromBase64Strict(encoded);
  if (!bytes || bytes[0] !== 0x01 || bytes.length !== 33) throw new Error('verifier key is not an Ed25519 (type 0x01) key of 32 bytes');
  const raw = bytes.slice(1);
  const keyId = await ed25519KeyId(name, raw);
  if (keyId !== parseInt(id, 16)) throw new Error('verifier key ID does not match its name and key');
  return { name, keyId, raw };
}

const ED25519_SPKI_PREFIX = '302a300506032b6570032100';
const pemBody = (pem: string) => fromBase64(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''));

/** A key you trust: a verifier key line, or the same Ed25519 key as a PEM SubjectPublicKeyInfo (the name then comes from the bundle). */
export async function parseTrustedKey(text: string, nameForPem: string): Promise<NoteKey> {
  const trimmed = text.trim();
  if (!trimmed.includes('-----BEGIN')) return parseVerifierKey(trimmed);
  const der = pemBody(trimmed);
  if (der.length !== 44 || toHex(der.slice(0, 12)) !== ED25519_SPKI_PREFIX) throw new Error('the trusted key is not an Ed25519 public key');
  const raw = der.slice(12);
  return { name: nameForPem, keyId: await ed25519KeyId(nameForPem, raw), raw };
}

export async function verifyEd25519(raw: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  const key = await subtle().importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  return subtle().verify({ name: 'Ed25519' }, key, signature, message);
}

/** Every signature line naming this key (name and ID) must verify, and at least one must (openSignedNote). */
export async function verifyCheckpointSignature(checkpoint: Checkpoint, key: NoteKey): Promise<string | null> {
  const mine = checkpoint.signatures.filter((s) => s.keyName === key.name && s.keyId === key.keyId);
  if (mine.length === 0) return `no signature by key ${describeKey(key)}`;
  for (const s of mine) if (!(await verifyEd25519(key.raw, s.signature, utf8.encode(checkpoint.text)))) return `signature by key ${describeKey(key)} does not verify`;
  return null;
}

/** DSSE v1 pre-authentication encoding: `DSSEv1 SP LEN(type) SP type SP LEN(body) SP body` (byte lengths). */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8.encode(payloadType);
  return concat(utf8.encode(`DSSEv1 ${type.length} `), type, utf8.encode(` ${payload.length} `), payload);
}

/** ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }` to the fixed-size r‖s WebCrypto takes; undefined when malformed. */
export function derToRawEcdsa(der: Uint8Array, size: number): Uint8Array | undefined {
  let at = 0;
  const length = (): number | undefined => {
    const first = der[at++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2) return undefined;
    let n = 0;
    for (let i = 0; i < count; i++) n = (n << 8) | (der[at++] ?? 0);
    return n;
  };
  if (der[at++] !== 0x30) return undefined;
  const total = length();
  if (total === undefined || at + total !== der.length) return undefined;
  const out = new Uint8Array(2 * size);
  for (const half of [0, 1]) {
    if (der[at++] !== 0x02) return undefined;
    const n = length();
    if (n === undefined || n === 0 || at + n > der.length) return undefined;
    let int = der.slice(at, at + n);
    at += n;
    while (int.length > 1 && int[0] === 0) int = int.slice(1);
    if (int.length > size) return undefined;
    out.set(int, half * size + size - int.length);
  }
  return at === der.length ? out : undefined;
}

const EC_CURVES = [
  { namedCurve: 'P-256', hash: 'SHA-256', size: 32 },
  { namedCurve: 'P-384', hash: 'SHA-384', size: 48 },
  { namedCurve: 'P-521', hash: 'SHA-512', size: 66 },
];

/**
 * A verifier for an SPKI PEM public key: ECDSA (P-256/SHA-256, P-384, P-521; DER signatures as
 * Sigstore and OMS emit them) or Ed25519, the key types the server signs models with.
 */
export async function spkiVerifier(pem: string): Promise<{ algorithm: string; verify: (signature: Uint8Array, message: Uint8Array) => Promise<boolean> }> {
  const der = pemBody(pem);
  if (der.length === 44 && toHex(der.slice(0, 12)) === ED25519_SPKI_PREFIX)
    return { algorithm: 'Ed25519', verify: (signature, message) => verifyEd25519(der.slice(12), signature, message) };
  for (const curve of EC_CURVES) {
    let key: unknown;
    try {
      key = await subtle().importKey('spki', der, { name: 'ECDSA', namedCurve: curve.namedCurve }, false, ['verify']);
    } catch {
      continue;
    }
    return {
      algorithm: `ECDSA ${curve.namedCurve}/${curve.hash}`,
      verify: async (signature, message) => {
        const raw = derToRawEcdsa(signature, curve.size);
        return raw !== undefined && subtle().verify({ name: 'ECDSA', hash: curve.hash }, key, raw, message);
      },
    };
  }
  throw new Error('not an Ed25519 or ECDSA P-256/P-384/P-521 public key');
}
