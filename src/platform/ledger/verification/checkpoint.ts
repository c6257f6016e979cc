import { LedgerVerificationError } from './ledger-verification.error';
import { HASH_SIZE } from './merkle';
import { parseVerifierKey, type NoteSigningKey, type NoteVerifierKey } from './note-key';
import { openSignedNote, parseSignedNote, signNote, type NoteSignature } from './signed-note';
import { decodeBase64Strict } from './strict-base64';

/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): a signed note whose text is
 * `<origin>\n<decimal tree size>\n<base64 root hash>\n[<extension line>\n]*`.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** Opaque, non-empty lines after the root; NOT RECOMMENDED by the spec, kept for round trips. */
  readonly extensions?: readonly string[];
}

export interface ParsedCheckpoint extends Checkpoint {
  readonly rootHash: Buffer;
  readonly extensions: readonly string[];
  /** The signed note text (the checkpoint body). */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

const UINT64_MAX = 2n ** 64n - 1n;

function malformed(message: string): never {
  throw new LedgerVerificationError('CHECKPOINT_MALFORMED', message);
}

/** The note text of a checkpoint. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (origin.length === 0 || /[\p{Cc}\p{Cs}]/u.test(origin)) malformed('origin must be a non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) malformed('tree size must be a non-negative safe integer');
  if (rootHash.length !== HASH_SIZE) malformed(`root hash must be ${HASH_SIZE} bytes`);
  for (const line of extensions)
    if (line.length === 0 || /[\p{Cc}\p{Cs}]/u.test(line)) malformed('extension lines must be non-empty lines');
  return [origin, String(size), Buffer.from(rootHash).toString('base64'), ...extensions]
    .map((line) => `${line}\n`)
    .join('');
}

/** Parse the note text of a checkpoint, strictly: every deviation is CHECKPOINT_MALFORMED. */
export function parseCheckpointText(text: string): Omit<ParsedCheckpoint, 'signatures'> {
  if (!text.endsWith('\n')) malformed('checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) malformed('checkpoint needs origin, tree size and root hash lines');
  if (lines.some((line) => line.length === 0)) malformed('checkpoint lines must be non-empty');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  // ASCII decimal without leading zeroes, so each size has exactly one spelling.
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) malformed('tree size must be canonical ASCII decimal');
  const size = BigInt(sizeLine);
  if (size > UINT64_MAX) malformed('tree size exceeds 2^64 - 1');
  if (size > BigInt(Number.MAX_SAFE_INTEGER))
    malformed('tree size exceeds 2^53 - 1, which this ledger does not support');
  const rootHash = decodeBase64Strict(rootLine);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE)
    malformed(`root hash must be canonical base64 of ${HASH_SIZE} bytes`);
  return { origin, size: Number(size), rootHash, extensions, text };
}

/** Parse a signed checkpoint without checking signatures (use verifyCheckpoint for that). */
export function parseCheckpoint(note: string): ParsedCheckpoint {
  let signed;
  try {
    signed = parseSignedNote(note);
  } catch (error) {
    if (error instanceof LedgerVerificationError) malformed(error.message);
    throw error;
  }
  return { ...parseCheckpointText(signed.text), signatures: signed.signatures };
}

export function signCheckpoint(checkpoint: Checkpoint, keys: NoteSigningKey | readonly NoteSigningKey[]): string {
  return signNote(formatCheckpoint(checkpoint), keys);
}

export type CheckpointVerification =
  | { readonly ok: true; readonly checkpoint: ParsedCheckpoint }
  | {
      readonly ok: false;
      readonly code: 'CHECKPOINT_MALFORMED' | 'CHECKPOINT_SIGNATURE_INVALID' | 'CHECKPOINT_ORIGIN_MISMATCH';
      readonly reason: string;
    };

/**
 * Parse and verify a checkpoint with the log's key. A malformed verifier *key* throws KEY_MALFORMED:
 * that is a configuration error, not a property of the checkpoint.
 */
export function verifyCheckpoint(
  note: string,
  verifierKey: NoteVerifierKey | string,
  options: { origin?: string } = {},
): CheckpointVerification {
  const key = typeof verifierKey === 'string' ? parseVerifierKey(verifierKey) : verifierKey;
  let checkpoint: ParsedCheckpoint;
  try {
    checkpoint = parseCheckpoint(note);
  } catch (error) {
    if (error instanceof LedgerVerificationError)
      return { ok: false, code: 'CHECKPOINT_MALFORMED', reason: error.message };
    throw error;
  }
  const opened = openSignedNote(note, key);
  if (!opened.ok) return { ok: false, code: 'CHECKPOINT_SIGNATURE_INVALID', reason: opened.reason };
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    return {
      ok: false,
      code: 'CHECKPOINT_ORIGIN_MISMATCH',
      reason: `origin is ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(options.origin)}`,
    };
  }
  return { ok: true, checkpoint };
}
