import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ModelSigningError } from './model-signing.error';

/** in-toto Envelope layer (spec/v1/envelope.md): a DSSE payload that is a JSON in-toto Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** DSSE envelope (secure-systems-lab/dsse envelope.md). `keyid` is an unauthenticated hint. */
export interface DsseSignature {
  keyid?: string | null;
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: DsseSignature[];
}

/**
 * DSSE v1 pre-authentication encoding (protocol.md):
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, LEN = byte length as ASCII decimal.
 * The payload type is taken as UTF-8; lengths count bytes, never characters.
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${payload.length} `, 'ascii'),
    payload,
  ]);
}

/** Key types this library signs and verifies with, and the digest each one uses. */
export type SignatureAlgorithm = 'ed25519' | 'ecdsa-p256-sha256' | 'ecdsa-p384-sha384' | 'ecdsa-p521-sha512';

// Sigstore algorithm registry: each NIST curve is paired with the hash of matching strength
// (ecdsa-sha2-256-nistp256, ecdsa-sha2-384-nistp384, ecdsa-sha2-512-nistp521).
const EC_CURVES: Record<string, { algorithm: SignatureAlgorithm; hash: string }> = {
  prime256v1: { algorithm: 'ecdsa-p256-sha256', hash: 'sha256' },
  secp384r1: { algorithm: 'ecdsa-p384-sha384', hash: 'sha384' },
  secp521r1: { algorithm: 'ecdsa-p521-sha512', hash: 'sha512' },
};

/** The signature algorithm for a key, or a `KEY_UNSUPPORTED` error naming what was given. */
export function signatureAlgorithmOf(key: KeyObject): { algorithm: SignatureAlgorithm; hash: string | null } {
  if (key.asymmetricKeyType === 'ed25519') return { algorithm: 'ed25519', hash: null };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown curve';
    const found = EC_CURVES[curve];
    if (found) return found;
    throw new ModelSigningError('KEY_UNSUPPORTED', `ECDSA curve ${curve} is not supported (P-256, P-384 or P-521)`);
  }
  throw new ModelSigningError(
    'KEY_UNSUPPORTED',
    `${key.asymmetricKeyType ?? key.type} keys are not supported (Ed25519 or ECDSA P-256/P-384/P-521)`,
  );
}

/** Signs the PAE of (payloadType, payload). ECDSA signatures are ASN.1 DER, as Sigstore and model_signing emit them. */
export function signPae(payloadType: string, payload: Uint8Array, privateKey: KeyObject): Buffer {
  if (privateKey.type !== 'private') throw new ModelSigningError('KEY_UNSUPPORTED', 'signing needs a private key');
  const { hash } = signatureAlgorithmOf(privateKey);
  return sign(hash, preAuthEncoding(payloadType, payload), { key: privateKey, dsaEncoding: 'der' });
}

/** True when `signature` is a valid signature by `publicKey` over the PAE; false for any malformed input. */
export function verifyPae(payloadType: string, payload: Uint8Array, signature: Uint8Array, publicKey: KeyObject): boolean {
  const { hash } = signatureAlgorithmOf(publicKey);
  try {
    return verify(hash, preAuthEncoding(payloadType, payload), { key: publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/**
 * The key fingerprint OMS puts in `verificationMaterial.publicKey.hint`: SHA-256 (hex) over the
 * SubjectPublicKeyInfo PEM text, as the model_signing reference implementation computes it (the
 * OMS key vector's hint reproduces this way). A hint only names a key; it authenticates nothing.
 */
export function keyHint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  return createHash('sha256').update(pem).digest('hex');
}

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * RFC 4648 base64 in either alphabet, padded or not (DSSE envelope.md allows standard or URL-safe;
 * protobuf JSON, which Sigstore bundles follow, accepts padding or none). Strict otherwise: no
 * whitespace, no junk, zero pad bits. Node's own decoder silently skips bad characters.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const urlSafe = !STANDARD.test(text);
  if (urlSafe && !URL_SAFE.test(text)) return undefined;
  const body = text.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  if (text.length !== body.length && text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(body, urlSafe ? 'base64url' : 'base64');
  const again = bytes.toString(urlSafe ? 'base64url' : 'base64').replace(/=+$/, '');
  return again === body ? bytes : undefined;
}
