/**
 * The key a regulator trusts: the ledger's signed-note verifier key (`GET /ledger/public-key`'s
 * `verifierKey`, one line `<name>+<key id>+<base64>`), or the same Ed25519 key as a PEM
 * SubjectPublicKeyInfo (then the key name is taken from the bundle, and only the key bytes count).
 */
import { createPublicKey } from 'node:crypto';
import { ed25519KeyId, parseVerifierKey, rawPublicKey, type NoteVerifierKey } from '../../../platform/ledger/verification';

export function parseTrustedKey(text: string, nameForPem: string): NoteVerifierKey {
  const trimmed = text.trim();
  if (trimmed.includes('-----BEGIN')) {
    const publicKey = createPublicKey(trimmed);
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`the trusted key is ${publicKey.asymmetricKeyType ?? 'not'} an Ed25519 key`);
    return { name: nameForPem, keyId: ed25519KeyId(nameForPem, rawPublicKey(publicKey)), publicKey };
  }
  return parseVerifierKey(trimmed);
}

export const sameKey = (a: NoteVerifierKey, b: NoteVerifierKey): boolean => rawPublicKey(a.publicKey).equals(rawPublicKey(b.publicKey));

export const describeKey = (key: NoteVerifierKey): string => `${key.name}+${key.keyId.toString(16).padStart(8, '0')}`;
