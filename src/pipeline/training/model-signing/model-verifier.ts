import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { IN_TOTO_PAYLOAD_TYPE, decodeBase64Strict, signatureAlgorithmOf, verifyPae } from './dsse-envelope';
import {
  OMS_DEFAULT_IGNORE_PATHS,
  canonicalModelPath,
  isIgnoredPath,
  statementProblems,
  type OmsHashAlgorithm,
  type OmsStatement,
} from './oms-statement';

/** A model file as the verifier takes it: its bytes, or (SHA-256 manifests only) their digest. */
export type ModelFile = { path: string; bytes: Uint8Array } | { path: string; sha256: string };

export interface VerifyModelOptions {
  /** OMS §8.5 `--ignore-unsigned-files`: files absent from the manifest do not fail verification. */
  ignoreUnsignedFiles?: boolean;
}

/** How the bundle names its signer (OMS §4.1); `envelope` for a bare DSSE envelope. */
export type VerificationMethod = 'key' | 'certificate' | 'sigstore' | 'envelope';

export type ModelVerification =
  | { ok: true; statement: OmsStatement; method: VerificationMethod }
  | { ok: false; problems: string[] };

/** Sigstore bundle media types (sigstore_bundle.proto); OMS §8.1 makes a direct parser check them. */
const SIGSTORE_BUNDLE_MEDIA_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.bundle.v0.3+json',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
];

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(input: unknown): { value: unknown } | { problem: string } {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return { value: input };
  try {
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { problem: 'the signature file is not JSON (empty or truncated?)' };
  }
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** OMS §4.1 / bundle schema: which signing method the verification material describes, and what is wrong with it. */
function verificationMaterialProblems(material: unknown): { method?: VerificationMethod; problems: string[] } {
  if (!isRecord(material)) return { problems: ['bundle has no verificationMaterial object'] };
  const contents = (['publicKey', 'x509CertificateChain', 'certificate'] as const).filter((k) => material[k] !== undefined);
  if (contents.length !== 1)
    return { problems: [`verificationMaterial must hold exactly one of publicKey, x509CertificateChain, certificate (found ${contents.length})`] };
  const problems: string[] = [];
  const tlog = material.tlogEntries;
  if (tlog !== undefined && !Array.isArray(tlog)) problems.push('verificationMaterial.tlogEntries must be an array');
  if (material.timestampVerificationData !== undefined && !isRecord(material.timestampVerificationData))
    problems.push('verificationMaterial.timestampVerificationData must be an object');
  const certificateOk = (c: unknown) => isRecord(c) && nonEmptyString(c.rawBytes);
  if (contents[0] === 'publicKey') {
    const key = material.publicKey;
    if (!isRecord(key) || !(typeof key.hint === 'string' || typeof key.rawBytes === 'string'))
      problems.push('verificationMaterial.publicKey needs a hint (or, before v1.1.0, rawBytes)');
    return { method: 'key', problems };
  }
  if (contents[0] === 'x509CertificateChain') {
    const chain = material.x509CertificateChain;
    if (!isRecord(chain) || !Array.isArray(chain.certificates) || chain.certificates.length === 0 || !chain.certificates.every(certificateOk))
      problems.push('verificationMaterial.x509CertificateChain.certificates must be a non-empty list of {rawBytes}');
    return { method: 'certificate', problems };
  }
  if (!certificateOk(material.certificate)) problems.push('verificationMaterial.certificate needs rawBytes');
  // OMS §4.1: a keyless Sigstore signature MUST carry at least one transparency log entry.
  if (!Array.isArray(tlog) || tlog.length === 0) problems.push('a sigstore (certificate) bundle must carry at least one tlogEntries entry');
  return { method: 'sigstore', problems };
}

function envelopeProblems(envelope: unknown): string[] {
  if (!isRecord(envelope)) return ['there is no DSSE envelope object'];
  const problems: string[] = [];
  for (const key of Object.keys(envelope))
    if (!['payload', 'payloadType', 'signatures'].includes(key)) problems.push(`DSSE envelope has an unexpected field "${key}"`);
  if (!nonEmptyString(envelope.payload)) problems.push('DSSE payload must be a non-empty base64 string');
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    problems.push(`DSSE payloadType is ${JSON.stringify(envelope.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  const signatures = envelope.signatures;
  if (!Array.isArray(signatures) || signatures.length === 0) problems.push('DSSE envelope has no signatures');
  else
    signatures.forEach((s: unknown, i) => {
      if (!isRecord(s) || !nonEmptyString(s.sig)) problems.push(`signatures[${i}].sig must be a non-empty base64 string`);
      else {
        // OMS §4.1: keyid may be absent, "" or null; it plays no part in verification.
        if (s.keyid !== undefined && s.keyid !== null && typeof s.keyid !== 'string') problems.push(`signatures[${i}].keyid must be a string or null`);
        for (const key of Object.keys(s)) if (key !== 'sig' && key !== 'keyid') problems.push(`signatures[${i}] has an unexpected field "${key}"`);
      }
    });
  return problems;
}

function toPublicKey(key: KeyObject | string): KeyObject | string {
  try {
    const publicKey = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
    if (publicKey.type !== 'public') return 'the verification key is not an asymmetric public key';
    signatureAlgorithmOf(publicKey);
    return publicKey;
  } catch (error) {
    return `the verification key is unusable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function fileDigest(file: ModelFile, algorithm: OmsHashAlgorithm): { digest: string } | { problem: string } {
  if ('bytes' in file) {
    if (algorithm === 'blake3') return { problem: 'blake3 is not available in Node crypto' };
    return { digest: createHash(algorithm === 'sha256' ? 'sha256' : 'blake2b512').update(file.bytes).digest('hex') };
  }
  if (algorithm !== 'sha256') return { problem: `the manifest uses ${algorithm}; give the file's bytes, not its sha256` };
  if (typeof file.sha256 !== 'string' || !SHA256_HEX.test(file.sha256)) return { problem: 'the given sha256 is not 64 hex digits' };
  return { digest: file.sha256.toLowerCase() };
}

/**
 * OMS §8 verification of a model against its signature, with the caller's key as the only trust
 * anchor. Takes an OMS (Sigstore) bundle or a bare DSSE envelope, as an object or JSON text.
 *
 * In order: bundle structure and media type (§8.1); the DSSE signature over the PAE with the
 * given key — before the payload is parsed (§8.2); the in-toto statement and OMS predicate
 * (§8.3, see `statementProblems`); then every resource against the files (§8.4): each listed file
 * present with the same digest, and no file that is neither listed nor excluded by the default or
 * recorded ignore paths (§8.5). Never throws on bad input; every problem names what failed.
 *
 * For `certificate` and `sigstore` bundles only the signature is checked against the key you
 * pass: the X.509 chain, validity period, Rekor entries and timestamps are NOT verified here.
 */
export function verifyModelSignature(
  bundleOrEnvelope: unknown,
  publicKey: KeyObject | string,
  files: readonly ModelFile[],
  options: VerifyModelOptions = {},
): ModelVerification {
  const parsed = parseJson(bundleOrEnvelope);
  if ('problem' in parsed) return { ok: false, problems: [parsed.problem] };
  const document = parsed.value;
  if (!isRecord(document)) return { ok: false, problems: ['the signature is not a JSON object'] };

  const problems: string[] = [];
  let envelope: unknown = document;
  let method: VerificationMethod = 'envelope';
  const isBundle = 'dsseEnvelope' in document || 'mediaType' in document || 'verificationMaterial' in document;
  if (isBundle) {
    for (const key of Object.keys(document))
      if (!['mediaType', 'verificationMaterial', 'dsseEnvelope'].includes(key)) problems.push(`bundle has an unexpected field "${key}"`);
    if (typeof document.mediaType !== 'string' || !SIGSTORE_BUNDLE_MEDIA_TYPES.includes(document.mediaType))
      problems.push(`bundle mediaType ${JSON.stringify(document.mediaType)} is not a Sigstore bundle media type`);
    const material = verificationMaterialProblems(document.verificationMaterial);
    problems.push(...material.problems);
    method = material.method ?? method;
    if (document.dsseEnvelope === undefined) problems.push('bundle has no dsseEnvelope (OMS bundles carry a DSSE envelope)');
    envelope = document.dsseEnvelope;
  }
  if (envelope !== undefined) problems.push(...envelopeProblems(envelope));
  const key = toPublicKey(publicKey);
  if (typeof key === 'string') problems.push(key);
  if (problems.length > 0 || !isRecord(envelope) || typeof key === 'string') return { ok: false, problems };

  // §8.2 / DSSE protocol: authenticate the exact payload bytes before looking inside them.
  const payload = decodeBase64Strict(envelope.payload as string);
  if (payload === undefined || payload.length === 0) return { ok: false, problems: ['DSSE payload is not valid base64'] };
  const signatures = envelope.signatures as { sig: string }[];
  const verified = signatures.some((s) => {
    const sig = decodeBase64Strict(s.sig);
    return sig !== undefined && verifyPae(IN_TOTO_PAYLOAD_TYPE, payload, sig, key);
  });
  if (!verified)
    return {
      ok: false,
      problems: ['no DSSE signature verifies with the given public key (wrong key, or the payload, payload type or signature was altered)'],
    };

  let statement: unknown;
  try {
    statement = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as unknown;
  } catch {
    return { ok: false, problems: ['the signed payload is not UTF-8 JSON'] };
  }
  const shape = statementProblems(statement);
  if (shape.length > 0) return { ok: false, problems: shape };
  const oms = statement as OmsStatement;
  const { serialization, resources } = oms.predicate;
  if (serialization.method === 'shards')
    return { ok: false, problems: ['the manifest uses shard serialization (OMS §6.3.2), which this verifier does not implement'] };

  // §8.4: files keyed by canonical path; defaults plus recorded ignore paths excuse unlisted files.
  const given = new Map<string, ModelFile>();
  for (const file of files) {
    const canonical = canonicalModelPath(file.path);
    if ('problem' in canonical) problems.push(`file path ${JSON.stringify(file.path)} ${canonical.problem}`);
    else if (given.has(canonical.path)) problems.push(`file "${canonical.path}" was given twice`);
    else given.set(canonical.path, file);
  }
  for (const resource of resources) {
    const file = given.get(resource.name);
    if (file === undefined) {
      problems.push(`file "${resource.name}" is in the manifest but missing`);
      continue;
    }
    const actual = fileDigest(file, serialization.hash_type);
    if ('problem' in actual) problems.push(`file "${resource.name}": ${actual.problem}`);
    else if (actual.digest !== resource.digest)
      problems.push(`file "${resource.name}": ${resource.algorithm} digest ${actual.digest} does not match the signed ${resource.digest}`);
  }
  const listed = new Set(resources.map((r) => r.name));
  const ignorePaths = [...OMS_DEFAULT_IGNORE_PATHS, ...(serialization.ignore_paths ?? [])];
  if (!options.ignoreUnsignedFiles)
    for (const path of given.keys())
      if (!listed.has(path) && !isIgnoredPath(path, ignorePaths)) problems.push(`file "${path}" is not in the signed manifest`);

  return problems.length > 0 ? { ok: false, problems } : { ok: true, statement: oms, method };
}

/**
 * The public key a bundle *claims* signed it: the leaf of `x509CertificateChain`, the Sigstore
 * `certificate`, or pre-v1.1.0 `publicKey.rawBytes`. Undefined for a hint-only bundle. This is
 * untrusted material — compare it with a key you trust before passing it to the verifier.
 */
export function bundleSigningKey(bundle: unknown): KeyObject | undefined {
  if (!isRecord(bundle) || !isRecord(bundle.verificationMaterial)) return undefined;
  const material = bundle.verificationMaterial;
  const chain = isRecord(material.x509CertificateChain) ? material.x509CertificateChain.certificates : undefined;
  const leaf: unknown = Array.isArray(chain) ? chain[0] : material.certificate;
  try {
    if (isRecord(leaf) && typeof leaf.rawBytes === 'string') {
      const der = decodeBase64Strict(leaf.rawBytes);
      return der ? new X509Certificate(der).publicKey : undefined;
    }
    if (isRecord(material.publicKey) && typeof material.publicKey.rawBytes === 'string') {
      const raw = decodeBase64Strict(material.publicKey.rawBytes);
      if (!raw) return undefined;
      // rawBytes held PEM text in some model_signing releases and DER SubjectPublicKeyInfo in others.
      return raw.toString('latin1').includes('-----BEGIN') ? createPublicKey(raw) : createPublicKey({ key: raw, format: 'der', type: 'spki' });
    }
  } catch {
    return undefined;
  }
  return undefined;
}
