import { createPrivateKey } from 'node:crypto';
import { LedgerVerificationError } from './ledger-verification.error';
import {
  ed25519KeyId,
  encodeVerifierKey,
  generateSigningKey,
  parseVerifierKey,
  rawPublicKey,
  signingKeyFromPem,
  signingKeyToPem,
} from './note-key';
import { openSignedNote, parseSignedNote, signNote } from './signed-note';

// Test vectors from golang.org/x/mod sumdb/note/note_test.go (BSD-3-Clause).
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

/** sumdb/note private keys are PRIVATE+KEY+<name>+<id>+base64(0x01 || 32-byte seed); wrap the seed as PKCS#8. */
function peterSigningKey() {
  const seed = Buffer.from(PETER_SKEY.split('+').slice(4).join('+'), 'base64').subarray(1);
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const pem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  return signingKeyFromPem('PeterNeumann', pem);
}

describe(parseVerifierKey.name, () => {
  it('parses the sumdb/note vector keys and re-encodes them identically', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    expect([peter.name, peter.keyId]).toEqual(['PeterNeumann', 0xc74f20a3]);
    expect(encodeVerifierKey(peter)).toBe(PETER_VKEY);
    expect(ed25519KeyId('PeterNeumann', rawPublicKey(peter.publicKey))).toBe(0xc74f20a3);
    expect(parseVerifierKey(ENOCH_VKEY).keyId).toBe(0xaf0cfe78);
  });

  it('rejects every substring and every one-character change of a key (as note_test.go does)', () => {
    const accepted: string[] = [];
    const tryKey = (k: string) => {
      try {
        parseVerifierKey(k);
        accepted.push(k);
      } catch (error) {
        expect(error).toBeInstanceOf(LedgerVerificationError);
      }
    };
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++)
        if (i !== 0 || j !== PETER_VKEY.length) tryKey(PETER_VKEY.slice(i, j));
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      tryKey(PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1));
    }
    tryKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='); // wrong length, adjusted ID
    tryKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'); // unknown algorithm, adjusted ID
    expect(accepted).toEqual([]);
  });
});

describe(signNote.name, () => {
  it('reproduces the sumdb/note signature of the vector private key (Ed25519 is deterministic)', () => {
    const key = peterSigningKey();
    expect(key.keyId).toBe(0xc74f20a3);
    expect(encodeVerifierKey(key)).toBe(PETER_VKEY);
    expect(signNote(TEXT, key)).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('refuses text without a final newline or with control characters', () => {
    const key = generateSigningKey('example.com/log');
    expect(() => signNote('abc', key)).toThrow(expect.objectContaining({ code: 'NOTE_MALFORMED' }));
    expect(() => signNote('a\tb\n', key)).toThrow(expect.objectContaining({ code: 'NOTE_MALFORMED' }));
  });

  it('round-trips a generated key through PKCS#8 PEM', () => {
    const key = generateSigningKey('example.com/log');
    const pem = signingKeyToPem(key);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const again = signingKeyFromPem('example.com/log', pem);
    expect(again.keyId).toBe(key.keyId);
    expect(openSignedNote(signNote('hello\n', again), parseVerifierKey(encodeVerifierKey(key))).ok).toBe(true);
    expect(() => signingKeyFromPem('example.com/log', 'not a pem')).toThrow(
      expect.objectContaining({ code: 'KEY_MALFORMED' }),
    );
    expect(() => generateSigningKey('bad name')).toThrow(expect.objectContaining({ code: 'KEY_MALFORMED' }));
  });
});

describe(openSignedNote.name, () => {
  const peter = parseVerifierKey(PETER_VKEY);
  const enoch = parseVerifierKey(ENOCH_VKEY);

  it('verifies the vector note with either key and ignores the other signature', () => {
    const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const byPeter = openSignedNote(note, peter);
    expect(byPeter.ok && byPeter.note.text).toBe(TEXT);
    expect(openSignedNote(note, enoch).ok).toBe(true);
    expect(openSignedNote(`${TEXT}\n${ENOCH_SIG}`, peter)).toMatchObject({ ok: false, code: 'SIGNATURE_MISSING' });
  });

  it('rejects a corrupted signature by the trusted key', () => {
    const corrupted = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(openSignedNote(corrupted, peter)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('rejects the malformed notes of note_test.go, and more than 100 signatures', () => {
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\u0001${TEXT}\n${PETER_SIG}`,
      `\ud800${TEXT}\n${PETER_SIG}`, // a lone surrogate: what invalid UTF-8 becomes in a JS string
      `${TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG.repeat(101)}`,
      `${TEXT}\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n`,
      `${TEXT}\n\u2014 PeterNeumann AAAA\n`,
    ];
    for (const note of bad) {
      expect(() => parseSignedNote(note)).toThrow(expect.objectContaining({ code: 'NOTE_MALFORMED' }));
      expect(openSignedNote(note, peter)).toMatchObject({ ok: false, code: 'NOTE_MALFORMED' });
    }
    expect(openSignedNote(`${TEXT}\n${PETER_SIG.repeat(100)}`, peter).ok).toBe(true);
  });

  it('parses the C2SP signed-note example', () => {
    const note =
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
      '\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';
    const parsed = parseSignedNote(note);
    expect(parsed.text).toBe(
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n',
    );
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]).toMatchObject({ keyName: 'quasimodo.example/salvatore', keyId: 0x367ba04b });
    expect(parsed.signatures[0]!.signature).toHaveLength(64);
  });
});
