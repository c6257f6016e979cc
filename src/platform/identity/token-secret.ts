import { createHash, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 32; // 32 base62 characters ≈ 190 bits
const CHECKSUM_LENGTH = 6;

/**
 * Bearer secrets look like `assay_pat_<32 random base62><6-char CRC32>` (API tokens) or
 * `assay_ses_…` (sessions). The fixed prefix lets secret scanners find leaked tokens, and the
 * checksum lets them — and us — reject a mistyped or made-up token without a database lookup.
 */
export type SecretKind = 'pat' | 'ses';

const PATTERN = /^assay_(pat|ses)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

const base62 = (value: number, width: number): string => {
  let out = '';
  for (let rest = value; out.length < width; rest = Math.floor(rest / 62)) out = ALPHABET[rest % 62] + out;
  return out;
};

const checksum = (body: string): string => base62(crc32(body), CHECKSUM_LENGTH);

export function generateSecret(kind: SecretKind): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += ALPHABET[randomInt(62)];
  const body = `assay_${kind}_${random}`;
  return body + checksum(body);
}

/** The kind of a well-formed secret with a correct checksum, else null. */
export function parseSecret(secret: string): SecretKind | null {
  const match = PATTERN.exec(secret);
  if (!match) return null;
  const body = secret.slice(0, secret.length - CHECKSUM_LENGTH);
  return checksum(body) === match[3] ? (match[1] as SecretKind) : null;
}

/** Bearer secrets carry ~190 bits of entropy, so a plain SHA-256 is a sound verifier for them. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** What users see of a secret in listings. */
export const displayPrefix = (secret: string): string => secret.slice(0, 'assay_pat_'.length + 6);
