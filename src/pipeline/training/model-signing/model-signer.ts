import { createPublicKey, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { IN_TOTO_PAYLOAD_TYPE, keyHint, signPae, type DsseEnvelope } from './dsse-envelope';
import { ModelSigningError } from './model-signing.error';
import { statementProblems, type OmsStatement } from './oms-statement';

/** The Sigstore bundle media type current OMS producers (model_signing ≥ 1.0) write. */
export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface SigningKey {
  /** Ed25519, or ECDSA on P-256 / P-384 / P-521 (the curves the OMS algorithm registry requires). */
  privateKey: KeyObject;
  /** DSSE `keyid`; defaults to the key's OMS hint. An unauthenticated label: verifiers ignore it. */
  keyId?: string;
}

/** OMS §4.1 "key" method: the verifier is told which key by fingerprint, never given the key itself. */
export interface OmsBundle {
  mediaType: string;
  verificationMaterial: { publicKey: { hint: string } };
  dsseEnvelope: DsseEnvelope;
}

/**
 * OMS §6.7: the statement as a DSSE envelope. The payload is the statement in RFC 8785 (JCS)
 * form, so one manifest always yields the same payload bytes; the signature is over the DSSE
 * PAE of (`application/vnd.in-toto+json`, payload). Refuses a statement that is not a sound OMS
 * statement, so nothing this library signs fails its own verifier.
 */
export function signManifest(statement: OmsStatement, key: SigningKey): DsseEnvelope {
  const problems = statementProblems(statement);
  if (problems.length > 0) throw new ModelSigningError('MANIFEST_INVALID', `not an OMS statement: ${problems.join('; ')}`);
  const json = canonicalize(statement);
  if (json === undefined) throw new ModelSigningError('MANIFEST_INVALID', 'the statement does not serialize to JSON');
  const payload = Buffer.from(json, 'utf8');
  const sig = signPae(IN_TOTO_PAYLOAD_TYPE, payload, key.privateKey);
  return {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: [{ keyid: key.keyId ?? keyHint(key.privateKey), sig: sig.toString('base64') }],
  };
}

/** OMS §6.8: the envelope in a Sigstore bundle with public-key verification material (`hint`, §4.1). */
export function createOmsBundle(envelope: DsseEnvelope, publicKey: KeyObject): OmsBundle {
  return {
    mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { hint: keyHint(publicKey) } },
    dsseEnvelope: envelope,
  };
}

/** `signManifest` then `createOmsBundle`: the detached OMS signature file (`model.sig`, §9) for a manifest. */
export function signModel(statement: OmsStatement, key: SigningKey): OmsBundle {
  return createOmsBundle(signManifest(statement, key), createPublicKey(key.privateKey));
}
