import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { LedgerVerificationError } from './ledger-verification.error';
import { hashLeaf } from './merkle';

export type ActorType = 'user' | 'system';

/**
 * One ledger entry; its leaf hash is SHA-256(0x00 || JCS(entry)) (DESIGN.md "Ledger", RFC 9162 §2.1.1).
 * A type alias rather than an interface, so it is assignable to Record<string, unknown> (JSON bodies).
 */
export type LedgerEntry = {
  readonly index: number;
  /** ISO 8601 UTC exactly as Date#toISOString writes it, e.g. 2025-01-31T12:00:00.000Z. */
  readonly time: string;
  readonly actor: { readonly type: ActorType; readonly id: string };
  readonly action: string;
  readonly subject: { readonly type: string; readonly id: string };
  /** `sha256:<64 lowercase hex>` of the evidence body (see sha256Digest), or null. */
  readonly evidenceDigest: string | null;
  readonly data: Readonly<Record<string, unknown>>;
};

const ENTRY_KEYS = ['index', 'time', 'actor', 'action', 'subject', 'evidenceDigest', 'data'];
const PAIR_KEYS = ['id', 'type'];
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const LONE_SURROGATE = /\p{Cs}/u;

function malformed(message: string): never {
  throw new LedgerVerificationError('ENTRY_MALFORMED', message);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * RFC 8785 §3.1 takes I-JSON (RFC 7493) input: finite numbers, well-formed strings, plain objects
 * and arrays. Anything else (Date, bigint, NaN, cycles…) would hash differently from what the
 * database stores and reads back as JSON, so it is rejected instead of coerced. The path is kept
 * as a stack and only spelled out on failure: this runs for every entry of a full verification.
 */
function assertJson(value: unknown, path: Array<string | number>, ancestors: object[]): void {
  const fail = (what: string): never =>
    malformed(
      `${
        path
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
          .join('')
          .slice(1) || '$'
      } ${what}`,
    );
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) fail('contains a lone surrogate');
      return;
    case 'number':
      if (!Number.isFinite(value)) fail('is not a finite number');
      return;
    case 'boolean':
      return;
    case 'object': {
      if (value === null) return;
      if (ancestors.includes(value)) fail('is circular');
      ancestors.push(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          if (value[i] === undefined) fail('is undefined');
          assertJson(value[i], path, ancestors);
          path.pop();
        }
      } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) {
          path.push(key);
          if (LONE_SURROGATE.test(key)) fail('is a key with a lone surrogate');
          // Members whose value is undefined are absent in JSON, and in JCS likewise.
          if (value[key] !== undefined) assertJson(value[key], path, ancestors);
          path.pop();
        }
      } else {
        fail('is not a plain object or array');
      }
      ancestors.pop();
      return;
    }
    default:
      fail(`is not JSON (${typeof value})`);
  }
}

/** RFC 8785 JSON Canonicalization Scheme text of a JSON value. */
export function canonicalJson(value: unknown): string {
  assertJson(value, [], []);
  const text = canonicalize(value);
  if (text === undefined) malformed('$ is not JSON');
  return text;
}

/** `sha256:<hex>` over the JCS bytes of a JSON value; evidence digests are computed this way. */
export function sha256Digest(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

/** Exactly Date#toISOString's output for years 0000–9999; checked by fields (cheaper than a Date round trip). */
function isCanonicalTime(time: string): boolean {
  const m = ISO_UTC.exec(time);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return daysInMonth !== undefined && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60;
}

const nonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && !LONE_SURROGATE.test(value);

function pair(value: unknown, where: string): { type: string; id: string } {
  if (!isPlainObject(value)) malformed(`${where} must be an object`);
  const extra = Object.keys(value).filter((k) => !PAIR_KEYS.includes(k));
  if (extra.length > 0) malformed(`${where} has unknown fields: ${extra.join(', ')}`);
  const { type, id } = value;
  if (!nonEmptyString(type) || !nonEmptyString(id))
    malformed(`${where}.type and ${where}.id must be non-empty, well-formed strings`);
  return { type, id };
}

/**
 * Throws ENTRY_MALFORMED unless `value` is exactly a LedgerEntry. Unknown fields are refused rather
 * than dropped: a column that is not hashed is a column that can be changed without detection.
 */
export function assertLedgerEntry(value: unknown): asserts value is LedgerEntry {
  if (!isPlainObject(value)) malformed('entry must be an object');
  const extra = Object.keys(value).filter((k) => !ENTRY_KEYS.includes(k));
  if (extra.length > 0) malformed(`entry has unknown fields: ${extra.join(', ')}`);
  const { index, time, actor, action, subject, evidenceDigest, data } = value;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0)
    malformed('index must be a non-negative safe integer');
  // One spelling per instant, or equal entries could hash differently after a database round trip.
  if (typeof time !== 'string' || !isCanonicalTime(time)) {
    malformed('time must be ISO 8601 UTC as written by Date#toISOString (YYYY-MM-DDTHH:mm:ss.sssZ)');
  }
  const actorType = pair(actor, 'actor').type;
  if (actorType !== 'user' && actorType !== 'system') malformed("actor.type must be 'user' or 'system'");
  if (!nonEmptyString(action)) malformed('action must be a non-empty, well-formed string');
  pair(subject, 'subject');
  if (evidenceDigest !== null && (typeof evidenceDigest !== 'string' || !DIGEST.test(evidenceDigest))) {
    malformed('evidenceDigest must be null or sha256:<64 lowercase hex>');
  }
  if (!isPlainObject(data)) malformed('data must be an object');
  // The fields above are checked one by one; only data needs the general walk.
  assertJson(data, ['data'], []);
}

/** RFC 8785 JCS bytes of the entry: what the leaf hash commits to. */
export function canonicalEntry(entry: LedgerEntry): Buffer {
  assertLedgerEntry(entry);
  return Buffer.from(canonicalize(entry)!, 'utf8');
}

/** RFC 9162 §2.1.1 leaf hash of the entry: SHA-256(0x00 || JCS(entry)). */
export function entryLeafHash(entry: LedgerEntry): Buffer {
  assertLedgerEntry(entry);
  return hashLeaf(canonicalize(entry)!);
}
