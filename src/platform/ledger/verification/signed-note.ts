import { sign, verify } from 'node:crypto';
import { LedgerVerificationError } from './ledger-verification.error';
import { isValidKeyName, type NoteSigningKey, type NoteVerifierKey } from './note-key';
import { decodeBase64Strict } from './strict-base64';

/**
 * C2SP signed-note (https://c2sp.org/signed-note): a text ending in a newline, a blank line, then
 * one or more lines `— <key name> <base64(4-byte key ID || signature)>`.
 */

export interface NoteSignature {
  readonly keyName: string;
  readonly keyId: number;
  /** The signature proper, without the key ID. */
  readonly signature: Buffer;
}

export interface SignedNote {
  /** The signed text, including its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** The spec asks verifiers to cap signatures (at least 16); 100 is sumdb/note's limit. */
export const MAX_NOTE_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 '; // EM DASH, SPACE
const ED25519_SIGNATURE_SIZE = 64;

function malformed(message: string): never {
  throw new LedgerVerificationError('NOTE_MALFORMED', message);
}

/** Valid UTF-8 (no lone surrogates in a JS string) and no ASCII control characters other than newline. */
function assertNoteCharacters(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) malformed(`${what} contains a control character`);
  }
  if (/\p{Cs}/u.test(text)) malformed(`${what} is not valid UTF-8`);
}

function assertNoteText(text: string): void {
  assertNoteCharacters(text, 'note text');
  if (text.length === 0 || !text.endsWith('\n')) malformed('note text must end with a newline');
}

export function parseSignedNote(note: string): SignedNote {
  assertNoteCharacters(note, 'note');
  // The text is separated from the signatures by the last empty line.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) malformed('note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n'))
    malformed('note has no signatures, or its last line lacks a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) malformed(`note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX)) malformed('signature line does not start with an em dash and a space');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const keyName = rest.slice(0, space);
    if (space < 0 || !isValidKeyName(keyName)) malformed('signature line has an invalid key name');
    const bytes = decodeBase64Strict(rest.slice(space + 1));
    if (bytes === undefined || bytes.length < 5)
      malformed('signature is not canonical base64 of a key ID and a signature');
    return { keyName, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
  });
  return { text, signatures };
}

function signatureLine(text: string, key: NoteSigningKey): string {
  const keyId = Buffer.alloc(4);
  keyId.writeUInt32BE(key.keyId);
  const signature = sign(null, Buffer.from(text, 'utf8'), key.privateKey); // RFC 8032 Ed25519 over the note text
  return `${SIGNATURE_PREFIX}${key.name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
}

/** Sign `text` (which must end with a newline) with one or more keys. */
export function signNote(text: string, keys: NoteSigningKey | readonly NoteSigningKey[]): string {
  assertNoteText(text);
  const list: readonly NoteSigningKey[] = Array.isArray(keys) ? keys : [keys as NoteSigningKey];
  if (list.length === 0 || list.length > MAX_NOTE_SIGNATURES)
    malformed(`a note needs 1 to ${MAX_NOTE_SIGNATURES} signatures`);
  return `${text}\n${list.map((key) => signatureLine(text, key)).join('')}`;
}

export type NoteVerification =
  | { readonly ok: true; readonly note: SignedNote }
  | {
      readonly ok: false;
      readonly code: 'NOTE_MALFORMED' | 'SIGNATURE_MISSING' | 'SIGNATURE_INVALID';
      readonly reason: string;
    };

/**
 * Open a note with one trusted key. Signature lines from other keys are ignored (key rotation,
 * witnesses); every line that names this key (name and ID) must verify, and at least one must.
 */
export function openSignedNote(note: string, key: NoteVerifierKey): NoteVerification {
  let parsed: SignedNote;
  try {
    parsed = parseSignedNote(note);
  } catch (error) {
    if (error instanceof LedgerVerificationError) return { ok: false, code: 'NOTE_MALFORMED', reason: error.message };
    throw error;
  }
  const message = Buffer.from(parsed.text, 'utf8');
  const mine = parsed.signatures.filter((s) => s.keyName === key.name && s.keyId === key.keyId);
  if (mine.length === 0) return { ok: false, code: 'SIGNATURE_MISSING', reason: `no signature by key ${key.name}` };
  for (const s of mine) {
    if (s.signature.length !== ED25519_SIGNATURE_SIZE || !verify(null, message, key.publicKey, s.signature)) {
      return { ok: false, code: 'SIGNATURE_INVALID', reason: `signature by key ${key.name} does not verify` };
    }
  }
  return { ok: true, note: parsed };
}
