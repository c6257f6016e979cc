import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { LedgerVerificationError } from './ledger-verification.error';
import { decodeBase64Strict } from './strict-base64';

/** C2SP signed-note "Signature types": 0x01 = Ed25519. */
const ED25519 = 0x01;
const ED25519_PUBLIC_KEY_SIZE = 32;

/** A key that checks note signatures: the note's `— <name> …` line names it together with its key ID. */
export interface NoteVerifierKey {
  readonly name: string;
  /** uint32 key ID, big-endian first 4 bytes of the signature. */
  readonly keyId: number;
  readonly publicKey: KeyObject;
}

export interface NoteSigningKey extends NoteVerifierKey {
  readonly privateKey: KeyObject;
}

function malformed(message: string): never {
  throw new LedgerVerificationError('KEY_MALFORMED', message);
}

/** C2SP signed-note: key names are non-empty, without Unicode spaces or '+'; notes hold no control characters. */
export const isValidKeyName = (name: string): boolean =>
  name.length > 0 && !/[\p{White_Space}+\p{Cc}\p{Cs}]/u.test(name);

/** C2SP signed-note §Ed25519: key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** The 32-byte RFC 8032 encoding of an Ed25519 public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') malformed('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url');
}

function signingKey(name: string, privateKey: KeyObject): NoteSigningKey {
  if (!isValidKeyName(name)) malformed(`invalid key name ${JSON.stringify(name)}`);
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519')
    malformed('not an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  return { name, keyId: ed25519KeyId(name, rawPublicKey(publicKey)), publicKey, privateKey };
}

export function generateSigningKey(name: string): NoteSigningKey {
  return signingKey(name, generateKeyPairSync('ed25519').privateKey);
}

/** Import a PKCS#8 PEM private key; the name is not part of PEM, so it is given again. */
export function signingKeyFromPem(name: string, pem: string): NoteSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    malformed('not a PEM private key');
  }
  return signingKey(name, privateKey);
}

export function signingKeyToPem(key: NoteSigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** `<name>+<8 hex key ID>+<base64(0x01 || public key)>`, the golang.org/x/mod/sumdb/note verifier key format. */
export function encodeVerifierKey(key: NoteVerifierKey): string {
  const encoded = Buffer.concat([Buffer.from([ED25519]), rawPublicKey(key.publicKey)]).toString('base64');
  return `${key.name}+${key.keyId.toString(16).padStart(8, '0')}+${encoded}`;
}

/** Parse and check a verifier key: the key ID must match the name and key (as sumdb/note NewVerifier does). */
export function parseVerifierKey(text: string): NoteVerifierKey {
  // Split at the first two '+' only: names cannot contain '+', but base64 can.
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) malformed('verifier key must be <name>+<key id>+<key>');
  const [name, id, encoded] = [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
  if (!isValidKeyName(name)) malformed('verifier key has an invalid name');
  if (!/^[0-9a-f]{8}$/.test(id)) malformed('verifier key ID must be 8 lowercase hex digits');
  const bytes = decodeBase64Strict(encoded);
  if (bytes === undefined) malformed('verifier key is not canonical base64');
  if (bytes[0] !== ED25519) malformed('verifier key is not an Ed25519 (type 0x01) key');
  const raw = bytes.subarray(1);
  if (raw.length !== ED25519_PUBLIC_KEY_SIZE) malformed(`Ed25519 public key must be ${ED25519_PUBLIC_KEY_SIZE} bytes`);
  const keyId = ed25519KeyId(name, raw);
  if (keyId !== Number.parseInt(id, 16)) malformed('verifier key ID does not match its name and key');
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
  return { name, keyId, publicKey };
}
