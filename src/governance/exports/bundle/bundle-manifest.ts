/**
 * The bundle manifest: an in-toto Statement v1 whose subjects are every other file of the bundle
 * with its SHA-256, and whose predicate says which model version and checkpoint the bundle is
 * about; signed in a DSSE envelope (the same PAE code as the model signatures).
 */
import { createHash, type KeyObject } from 'node:crypto';
import { decodeBase64Strict, IN_TOTO_PAYLOAD_TYPE, preAuthEncoding, verifyPae, type DsseEnvelope } from '../../../pipeline/training/model-signing';
import { BUNDLE_FILES, BUNDLE_FORMAT, BUNDLE_PREDICATE_TYPE, IN_TOTO_STATEMENT_V1, type BundlePredicate } from './bundle-layout';

export interface BundleStatement {
  _type: typeof IN_TOTO_STATEMENT_V1;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: typeof BUNDLE_PREDICATE_TYPE;
  predicate: BundlePredicate;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function bundleStatement(files: ReadonlyMap<string, Uint8Array>, predicate: BundlePredicate): BundleStatement {
  const subject = [...files.keys()]
    .filter((name) => name !== BUNDLE_FILES.manifest)
    .sort()
    .map((name) => ({ name, digest: { sha256: sha256Hex(files.get(name)!) } }));
  return { _type: IN_TOTO_STATEMENT_V1, subject, predicateType: BUNDLE_PREDICATE_TYPE, predicate };
}

/** Signs with a key held elsewhere: `sign` gets the DSSE pre-authentication encoding and returns the raw signature. */
export interface BundleSigner {
  /** The key's signed-note name and id, `<name>+<hex id>` (a hint only). */
  keyId: string;
  sign(message: Buffer): Buffer;
}

/** Signs the statement with the ledger key. */
export function signBundleStatement(statement: BundleStatement, signer: BundleSigner): DsseEnvelope {
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const sig = signer.sign(preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload));
  return { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: payload.toString('base64'), signatures: [{ keyid: signer.keyId, sig: sig.toString('base64') }] };
}

export type OpenedManifest = { ok: true; statement: BundleStatement } | { ok: false; problems: string[] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Verifies the envelope with `publicKey` before reading the payload, then checks the statement's shape. */
export function openBundleManifest(bytes: Uint8Array, publicKey: KeyObject): OpenedManifest {
  let envelope: unknown;
  try {
    envelope = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, problems: [`${BUNDLE_FILES.manifest} is not UTF-8 JSON`] };
  }
  if (!isRecord(envelope) || envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE || typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures))
    return { ok: false, problems: [`${BUNDLE_FILES.manifest} is not a DSSE envelope with an in-toto payload`] };
  const payload = decodeBase64Strict(envelope.payload);
  if (!payload) return { ok: false, problems: ['the manifest payload is not canonical base64'] };
  const signed = envelope.signatures.some((s: unknown) => {
    if (!isRecord(s) || typeof s.sig !== 'string') return false;
    const sig = decodeBase64Strict(s.sig);
    return sig !== undefined && verifyPae(IN_TOTO_PAYLOAD_TYPE, payload, sig, publicKey);
  });
  if (!signed) return { ok: false, problems: ['no manifest signature verifies with the ledger key (wrong key, or the manifest was altered)'] };
  let statement: unknown;
  try {
    statement = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return { ok: false, problems: ['the signed manifest payload is not UTF-8 JSON'] };
  }
  const problems = statementProblems(statement);
  return problems.length ? { ok: false, problems } : { ok: true, statement: statement as BundleStatement };
}

function statementProblems(statement: unknown): string[] {
  if (!isRecord(statement)) return ['the manifest statement is not an object'];
  const problems: string[] = [];
  if (statement._type !== IN_TOTO_STATEMENT_V1) problems.push(`statement _type must be ${IN_TOTO_STATEMENT_V1}`);
  if (statement.predicateType !== BUNDLE_PREDICATE_TYPE) problems.push(`predicateType must be ${BUNDLE_PREDICATE_TYPE}`);
  if (!Array.isArray(statement.subject) || statement.subject.some((s) => !isRecord(s) || typeof s.name !== 'string' || !isRecord(s.digest) || typeof s.digest.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(s.digest.sha256)))
    problems.push('subject must list files with their sha256');
  const predicate = statement.predicate;
  if (!isRecord(predicate) || predicate.format !== BUNDLE_FORMAT) problems.push(`predicate.format must be ${BUNDLE_FORMAT}`);
  else {
    const model = predicate.model;
    const checkpoint = predicate.checkpoint;
    if (!isRecord(model) || typeof model.versionId !== 'string' || typeof model.modelDigest !== 'string' || typeof model.version !== 'number')
      problems.push('predicate.model must name the model version and its digest');
    if (!isRecord(checkpoint) || typeof checkpoint.treeSize !== 'number' || typeof checkpoint.rootHash !== 'string' || typeof checkpoint.origin !== 'string')
      problems.push('predicate.checkpoint must give origin, tree size and root hash');
  }
  return problems;
}
