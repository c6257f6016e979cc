/**
 * Offline verification of an evidence bundle: no network, no database, nothing from the server
 * trusted except one key. Each check is named, so a failure says what was wrong:
 *
 *   archive · key-trust · manifest-signature · file-digests · checkpoint · ledger-inclusion ·
 *   regulator-checkpoint · evidence-records · model-signature · evidence-documents · policy-replay
 *
 * Every check runs even after an earlier one failed (to name every problem), but the bundle
 * verifies only when none failed. The same libraries as the server's are used: the ledger's
 * Merkle and checkpoint code, the model-signing verifier, the evidence-document assembler and the
 * policy engine's replay.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  canonicalEntry,
  hashLeaf,
  parseVerifierKey,
  sha256Digest,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  type LedgerEntry,
  type NoteVerifierKey,
} from '../../../platform/ledger/verification';
import { verifyModelSignature } from '../../../pipeline/training/model-signing';
import {
  assembleEvidenceDocument,
  evidenceDocumentDigest,
  validateEvidenceDocument,
  type EvidenceDocument,
  type EvidenceRecordInput,
} from '../../evidence-document';
import { decisionDigest, packDigest, replayDecision, type PolicyDecision } from '../../policy';
import { BundleArchiveError, readBundleArchive } from './bundle-archive';
import {
  BUNDLE_FILES,
  DECISION_DOCUMENTS_PREFIX,
  DOCUMENTS_PREFIX,
  decisionDocumentPath,
  packFilePath,
  type BundlePredicate,
  type ConsistencyProofFile,
  type InclusionProofFile,
  type ModelFileEntry,
} from './bundle-layout';
import { openBundleManifest, sha256Hex } from './bundle-manifest';
import { describeKey, parseTrustedKey, sameKey } from './trusted-key';

export const BUNDLE_CHECKS = [
  ['archive', 'The zip archive is readable and safe'],
  ['key-trust', 'The bundle is signed by the key you trust'],
  ['manifest-signature', 'The manifest signature verifies'],
  ['file-digests', 'Every file matches the signed manifest, none missing, none added'],
  ['checkpoint', "The ledger checkpoint is signed and is the manifest's"],
  ['ledger-inclusion', 'Every ledger entry is in the tree of the checkpoint'],
  ['regulator-checkpoint', 'The ledger is consistent with the checkpoint you kept'],
  ['evidence-records', 'Every evidence record matches its digest and its ledger entry'],
  ['model-signature', "The model's signature verifies and names the model digest"],
  ['evidence-documents', 'The evidence documents follow from the records'],
  ['policy-replay', 'Every policy decision replays identically from the pack files'],
] as const;

export type BundleCheckId = (typeof BUNDLE_CHECKS)[number][0];
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface BundleCheck {
  id: BundleCheckId;
  title: string;
  status: CheckStatus;
  /** What failed (fail), what to be aware of (warn), why skipped (skip), or what was checked (pass). */
  details: string[];
}

export interface BundleVerificationReport {
  ok: boolean;
  checks: BundleCheck[];
  predicate: BundlePredicate | null;
  counts: { files: number; records: number; entries: number; decisions: number };
}

export interface VerifyBundleOptions {
  /** Text of the key you trust (signed-note verifier key or Ed25519 PEM); without it authenticity is not established. */
  trustedKey?: string;
  /** A signed checkpoint of this ledger you kept earlier. */
  regulatorCheckpoint?: string;
}

interface BundleRecord extends EvidenceRecordInput {
  ledgerIndex: number;
}

class Checks {
  private readonly results = new Map<BundleCheckId, { problems: string[]; notes: string[]; skipped: string | null; warnings: string[] }>();

  constructor() {
    for (const [id] of BUNDLE_CHECKS) this.results.set(id, { problems: [], notes: [], skipped: null, warnings: [] });
  }

  fail(id: BundleCheckId, problem: string): void {
    this.results.get(id)!.problems.push(problem);
  }
  note(id: BundleCheckId, note: string): void {
    this.results.get(id)!.notes.push(note);
  }
  warn(id: BundleCheckId, warning: string): void {
    this.results.get(id)!.warnings.push(warning);
  }
  skip(id: BundleCheckId, reason: string): void {
    this.results.get(id)!.skipped = reason;
  }
  failed(id: BundleCheckId): boolean {
    return this.results.get(id)!.problems.length > 0;
  }

  report(predicate: BundlePredicate | null, counts: BundleVerificationReport['counts']): BundleVerificationReport {
    const checks: BundleCheck[] = BUNDLE_CHECKS.map(([id, title]) => {
      const r = this.results.get(id)!;
      if (r.problems.length) return { id, title, status: 'fail', details: r.problems };
      if (r.skipped !== null) return { id, title, status: 'skip', details: [r.skipped] };
      if (r.warnings.length) return { id, title, status: 'warn', details: [...r.warnings, ...r.notes] };
      return { id, title, status: 'pass', details: r.notes };
    });
    return { ok: checks.every((check) => check.status !== 'fail'), checks, predicate, counts };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Reads bundle files, recording a problem under `check` when a file is absent or unreadable. */
class BundleFiles {
  constructor(
    readonly files: ReadonlyMap<string, Uint8Array>,
    private readonly checks: Checks,
  ) {}

  text(name: string, check: BundleCheckId): string | undefined {
    const bytes = this.files.get(name);
    if (!bytes) {
      this.checks.fail(check, `${name} is missing`);
      return undefined;
    }
    try {
      return utf8.decode(bytes);
    } catch {
      this.checks.fail(check, `${name} is not UTF-8`);
      return undefined;
    }
  }

  json<T>(name: string, check: BundleCheckId): T | undefined {
    const text = this.text(name, check);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      this.checks.fail(check, `${name} is not JSON: ${message(error)}`);
      return undefined;
    }
  }

  jsonLines<T>(name: string, check: BundleCheckId): Array<{ line: number; text: string; value: T }> | undefined {
    const text = this.text(name, check);
    if (text === undefined) return undefined;
    const out: Array<{ line: number; text: string; value: T }> = [];
    text.split('\n').forEach((line, i) => {
      if (line === '') return;
      try {
        out.push({ line: i + 1, text: line, value: JSON.parse(line) as T });
      } catch (error) {
        this.checks.fail(check, `${name}:${i + 1} is not JSON: ${message(error)}`);
      }
    });
    return out;
  }
}

export async function verifyEvidenceBundle(bytes: Uint8Array, options: VerifyBundleOptions = {}): Promise<BundleVerificationReport> {
  const checks = new Checks();
  let files: Map<string, Uint8Array>;
  try {
    files = readBundleArchive(bytes);
  } catch (error) {
    if (!(error instanceof BundleArchiveError)) throw error;
    checks.fail('archive', error.message);
    for (const [id] of BUNDLE_CHECKS.slice(1)) checks.skip(id, 'the archive could not be read');
    return checks.report(null, { files: 0, records: 0, entries: 0, decisions: 0 });
  }
  checks.note('archive', `${files.size} files`);
  const bundle = new BundleFiles(files, checks);

  const key = anchorKey(bundle, checks, options.trustedKey);
  const predicate = manifestAndDigests(bundle, checks, key);
  const checkpoint = checkCheckpoint(bundle, checks, key, predicate);
  const entries = checkInclusion(bundle, checks, checkpoint);
  checkRegulatorCheckpoint(bundle, checks, key, checkpoint, options.regulatorCheckpoint);
  const records = checkRecords(bundle, checks, entries);
  checkModelSignature(bundle, checks, predicate, records);
  checkDocuments(bundle, checks, predicate, records);
  const decisions = await checkDecisions(bundle, checks, predicate, records);
  return checks.report(predicate, { files: files.size, records: records.length, entries: entries.size, decisions });
}

/** The trusted key, or the bundle's own key (with a warning) when none is given. */
function anchorKey(bundle: BundleFiles, checks: Checks, trustedKeyText: string | undefined): NoteVerifierKey | null {
  let bundleKey: NoteVerifierKey | null = null;
  const text = bundle.text(BUNDLE_FILES.ledgerKey, 'key-trust');
  if (text !== undefined) {
    try {
      bundleKey = parseVerifierKey(text.trim());
    } catch (error) {
      checks.fail('key-trust', `${BUNDLE_FILES.ledgerKey}: ${message(error)}`);
    }
  }
  if (trustedKeyText === undefined) {
    checks.warn('key-trust', 'no trusted key given: the signatures are checked against the key inside the bundle, which proves integrity, not origin (pass --trusted-key)');
    return bundleKey;
  }
  let trusted: NoteVerifierKey;
  try {
    trusted = parseTrustedKey(trustedKeyText, bundleKey?.name ?? 'assay');
  } catch (error) {
    checks.fail('key-trust', `the trusted key cannot be read: ${message(error)}`);
    return null;
  }
  if (bundleKey && !sameKey(trusted, bundleKey)) checks.fail('key-trust', `the bundle names the key ${describeKey(bundleKey)}, not the key you trust (${describeKey(trusted)})`);
  else checks.note('key-trust', `signed by ${describeKey(trusted)}, the key you trust`);
  return trusted;
}

function manifestAndDigests(bundle: BundleFiles, checks: Checks, key: NoteVerifierKey | null): BundlePredicate | null {
  const manifest = bundle.files.get(BUNDLE_FILES.manifest);
  if (!manifest) {
    checks.fail('manifest-signature', `${BUNDLE_FILES.manifest} is missing`);
    checks.fail('file-digests', 'no manifest to check the files against');
    return null;
  }
  if (!key) {
    checks.fail('manifest-signature', 'no usable key to check the manifest with');
    checks.skip('file-digests', 'the manifest could not be opened');
    return null;
  }
  const opened = openBundleManifest(manifest, key.publicKey);
  if (!opened.ok) {
    opened.problems.forEach((problem) => checks.fail('manifest-signature', problem));
    checks.skip('file-digests', 'the manifest could not be opened');
    return null;
  }
  checks.note('manifest-signature', `DSSE signature by ${describeKey(key)}`);
  const listed = new Map(opened.statement.subject.map((s) => [s.name, s.digest.sha256]));
  for (const [name, digest] of listed) {
    const bytes = bundle.files.get(name);
    if (!bytes) checks.fail('file-digests', `${name} is in the signed manifest but missing from the bundle`);
    else if (sha256Hex(bytes) !== digest) checks.fail('file-digests', `${name} was changed: its SHA-256 is ${sha256Hex(bytes)}, the manifest says ${digest}`);
  }
  for (const name of bundle.files.keys())
    if (name !== BUNDLE_FILES.manifest && !listed.has(name)) checks.fail('file-digests', `${name} is not in the signed manifest (added after signing)`);
  checks.note('file-digests', `${listed.size} files`);
  return opened.statement.predicate;
}

interface VerifiedCheckpoint {
  size: number;
  root: Buffer;
}

function checkCheckpoint(bundle: BundleFiles, checks: Checks, key: NoteVerifierKey | null, predicate: BundlePredicate | null): VerifiedCheckpoint | null {
  const note = bundle.text(BUNDLE_FILES.checkpoint, 'checkpoint');
  if (note === undefined) return null;
  if (!key) {
    checks.fail('checkpoint', 'no usable key to check the checkpoint with');
    return null;
  }
  const verified = verifyCheckpoint(note, key);
  if (!verified.ok) {
    checks.fail('checkpoint', `${BUNDLE_FILES.checkpoint}: ${verified.code}: ${verified.reason}`);
    return null;
  }
  const { size, rootHash, origin } = verified.checkpoint;
  if (predicate) {
    const claimed = predicate.checkpoint;
    if (claimed.treeSize !== size || claimed.rootHash !== rootHash.toString('hex') || claimed.origin !== origin)
      checks.fail('checkpoint', `the checkpoint (${origin}, size ${size}, root ${rootHash.toString('hex')}) is not the one the manifest names (size ${claimed.treeSize}, root ${claimed.rootHash})`);
  }
  checks.note('checkpoint', `${origin}, tree size ${size}, root ${rootHash.toString('hex')}`);
  return { size, root: rootHash };
}

/** Entries by index, each proven to be in the checkpoint's tree. */
function checkInclusion(bundle: BundleFiles, checks: Checks, checkpoint: VerifiedCheckpoint | null): Map<number, LedgerEntry> {
  const entries = new Map<number, LedgerEntry>();
  const lines = bundle.jsonLines<LedgerEntry>(BUNDLE_FILES.entries, 'ledger-inclusion') ?? [];
  const proofs = bundle.json<InclusionProofFile>(BUNDLE_FILES.inclusionProofs, 'ledger-inclusion');
  const byIndex = new Map((Array.isArray(proofs?.proofs) ? proofs.proofs : []).map((p) => [p.index, p]));
  if (!checkpoint) checks.fail('ledger-inclusion', 'no verified checkpoint to prove the entries against');
  else if (proofs && (proofs.treeSize !== checkpoint.size || proofs.rootHash !== checkpoint.root.toString('hex')))
    checks.fail('ledger-inclusion', `the proofs are for tree size ${proofs.treeSize}, the checkpoint's is ${checkpoint.size}`);
  for (const { line, text, value } of lines) {
    let canonical: Buffer;
    try {
      canonical = canonicalEntry(value);
    } catch (error) {
      checks.fail('ledger-inclusion', `${BUNDLE_FILES.entries}:${line}: ${message(error)}`);
      continue;
    }
    if (canonical.toString('utf8') !== text) checks.fail('ledger-inclusion', `${BUNDLE_FILES.entries}:${line}: entry ${value.index} is not in its canonical (RFC 8785) form`);
    if (entries.has(value.index)) checks.fail('ledger-inclusion', `entry ${value.index} appears twice`);
    entries.set(value.index, value);
    if (!checkpoint) continue;
    const proof = byIndex.get(value.index);
    if (!proof || !Array.isArray(proof.path)) {
      checks.fail('ledger-inclusion', `entry ${value.index} has no inclusion proof`);
      continue;
    }
    const leaf = hashLeaf(canonical);
    const result = verifyInclusion(value.index, checkpoint.size, leaf, proof.path.map((h) => Buffer.from(String(h), 'hex')), checkpoint.root);
    if (!result.ok) checks.fail('ledger-inclusion', `entry ${value.index} (${value.action}) is not in the checkpoint's tree: ${result.reason}`);
  }
  checks.note('ledger-inclusion', `${entries.size} entries proven against tree size ${checkpoint?.size ?? '?'}`);
  return entries;
}

function checkRegulatorCheckpoint(
  bundle: BundleFiles,
  checks: Checks,
  key: NoteVerifierKey | null,
  checkpoint: VerifiedCheckpoint | null,
  note: string | undefined,
): void {
  if (note === undefined) {
    checks.skip('regulator-checkpoint', 'no earlier checkpoint given (--checkpoint FILE)');
    return;
  }
  if (!key || !checkpoint) {
    checks.fail('regulator-checkpoint', "the bundle's own checkpoint did not verify, so consistency cannot be shown");
    return;
  }
  const theirs = verifyCheckpoint(note, key);
  if (!theirs.ok) {
    checks.fail('regulator-checkpoint', `your checkpoint: ${theirs.code}: ${theirs.reason}`);
    return;
  }
  const { size, rootHash } = theirs.checkpoint;
  if (size > checkpoint.size) {
    checks.fail('regulator-checkpoint', `your checkpoint (size ${size}) is newer than the bundle's (size ${checkpoint.size}): export the bundle again to prove consistency`);
    return;
  }
  if (size === checkpoint.size) {
    if (!rootHash.equals(checkpoint.root)) checks.fail('regulator-checkpoint', `same tree size ${size} but different roots: the ledger was forked or rewritten`);
    else checks.note('regulator-checkpoint', `identical to your checkpoint (size ${size})`);
    return;
  }
  const file = bundle.json<ConsistencyProofFile>(BUNDLE_FILES.consistencyProofs, 'regulator-checkpoint');
  const proof = (Array.isArray(file?.proofs) ? file.proofs : []).find((p) => p.from === size);
  if (!proof) {
    checks.fail('regulator-checkpoint', `the bundle has no consistency proof from your tree size ${size} (export with ?consistencyFrom=${size})`);
    return;
  }
  const result = verifyConsistency(size, checkpoint.size, proof.path.map((h) => Buffer.from(String(h), 'hex')), rootHash, checkpoint.root);
  if (!result.ok) checks.fail('regulator-checkpoint', `the ledger of size ${checkpoint.size} does not extend your checkpoint of size ${size}: ${result.reason}`);
  else checks.note('regulator-checkpoint', `the ledger grew from your size ${size} to ${checkpoint.size} without changing what you saw`);
}

function checkRecords(bundle: BundleFiles, checks: Checks, entries: Map<number, LedgerEntry>): BundleRecord[] {
  const lines = bundle.jsonLines<BundleRecord>(BUNDLE_FILES.records, 'evidence-records') ?? [];
  const records: BundleRecord[] = [];
  for (const { line, value: record } of lines) {
    const where = `${BUNDLE_FILES.records}:${line}`;
    if (!isRecord(record) || typeof record.kind !== 'string' || !isRecord(record.body) || !isRecord(record.subject) || typeof record.ledgerIndex !== 'number') {
      checks.fail('evidence-records', `${where} is not an evidence record`);
      continue;
    }
    let digest: string;
    try {
      digest = sha256Digest(record.body);
    } catch (error) {
      checks.fail('evidence-records', `${where}: ${message(error)}`);
      continue;
    }
    if (digest !== record.digest) checks.fail('evidence-records', `${where}: ${record.kind} body digests to ${digest}, the record says ${record.digest}`);
    const entry = entries.get(record.ledgerIndex);
    if (!entry) checks.fail('evidence-records', `${where}: ${record.kind} names ledger entry ${record.ledgerIndex}, which is not in the bundle`);
    else if (entry.evidenceDigest !== digest || entry.action !== record.kind || entry.subject.type !== record.subject.type || entry.subject.id !== record.subject.id)
      checks.fail('evidence-records', `${where}: ${record.kind} does not match ledger entry ${record.ledgerIndex} (${entry.action}, ${entry.evidenceDigest ?? 'no digest'})`);
    records.push(record);
  }
  checks.note('evidence-records', `${records.length} records`);
  return records;
}

function checkModelSignature(bundle: BundleFiles, checks: Checks, predicate: BundlePredicate | null, records: BundleRecord[]): void {
  const signature = bundle.json<unknown>(BUNDLE_FILES.modelSignature, 'model-signature');
  const pem = bundle.text(BUNDLE_FILES.modelSigningKey, 'model-signature');
  const listed = bundle.json<ModelFileEntry[]>(BUNDLE_FILES.modelFiles, 'model-signature');
  if (signature === undefined || pem === undefined || !Array.isArray(listed)) return;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch (error) {
    checks.fail('model-signature', `${BUNDLE_FILES.modelSigningKey}: ${message(error)}`);
    return;
  }
  const files = listed.map((file) => ({ path: String(file.path), sha256: String(file.digest).replace(/^sha256:/, '') }));
  const outcome = verifyModelSignature(signature, publicKey, files);
  if (!outcome.ok) {
    outcome.problems.forEach((problem) => checks.fail('model-signature', problem));
    return;
  }
  const modelDigest = sha256Digest(outcome.statement);
  if (predicate && predicate.model.modelDigest !== modelDigest)
    checks.fail('model-signature', `the signed model manifest digests to ${modelDigest}, the bundle is about ${predicate.model.modelDigest}`);
  const completed = records.filter((r) => r.kind === 'training.completed' && r.body.modelDigest === modelDigest);
  if (completed.length === 0) checks.fail('model-signature', `no training.completed record produced the model ${modelDigest}`);
  checks.note('model-signature', `OMS v1.0 signature over ${files.length} files, model ${modelDigest}`);
}

/** The facts the assembler took from the registry, as the document states them (the records are checked against them). */
function reassemble(document: EvidenceDocument, records: BundleRecord[]): EvidenceDocument {
  const cited = new Set(document.records.map((ref) => `${ref.digest}@${ref.ledgerIndex}`));
  const used = records.filter((record) => cited.has(`${record.digest}@${record.ledgerIndex}`));
  const registered = used.find((r) => r.kind === 'model_version.registered' && r.subject.id === document.model.versionId);
  const body = (registered?.body ?? {}) as { runId?: string; trainingEvidence?: string };
  const oversight = document.humanOversight;
  const signature = document.artifacts?.signature ?? null;
  return assembleEvidenceDocument({
    records: used,
    model: {
      id: document.model.id,
      name: document.model.name,
      riskTier: document.model.riskTier,
      intendedUse: document.model.intendedUse,
      prohibitedUses: document.model.prohibitedUses,
      jurisdictions: document.model.jurisdictions,
      knownLimitations: document.model.knownLimitations,
      declaredPerformance: document.model.declaredPerformance,
      provider: document.model.provider,
      oversightMeasures: oversight?.measures ?? [],
      stopProcedure: oversight?.stopProcedure ?? null,
      version: {
        id: document.model.versionId,
        version: document.model.version,
        runId: body.runId ?? document.training?.runId ?? '',
        modelDigest: document.artifacts?.modelDigest ?? '',
        trainingEvidence: body.trainingEvidence ?? '',
      },
    },
    stage: oversight?.targetStage ?? 'production',
    requestedBy: oversight?.requestedBy ?? { id: '', role: '' },
    requestedAt: oversight?.requestedAt,
    rationale: oversight?.rationale ?? null,
    assembledAt: document.assembledAt,
    signatureVerification: signature ? { verified: signature.verified, keyHint: signature.keyHint, method: signature.method } : null,
  });
}

/** Schema, citations (every cited record in the bundle and the ledger) and re-assembly from the cited records. */
function checkDocument(checks: Checks, name: string, document: unknown, predicate: BundlePredicate | null, records: BundleRecord[]): EvidenceDocument | null {
  const validation = validateEvidenceDocument(document);
  if (!validation.ok) {
    checks.fail('evidence-documents', `${name} is not a valid assay.evidence/v1 document: ${validation.problems.slice(0, 3).map((p) => `${p.path} ${p.message}`).join('; ')}`);
    return null;
  }
  const doc = validation.document;
  if (predicate && doc.model.versionId !== predicate.model.versionId) checks.fail('evidence-documents', `${name} is about model version ${doc.model.versionId}, not ${predicate.model.versionId}`);
  // Identical bodies recorded twice share a digest: a citation names the record by digest and ledger index.
  const cited = new Set(records.map((r) => `${r.digest}@${r.ledgerIndex}`));
  const digests = new Set(records.map((r) => r.digest));
  for (const ref of doc.records) {
    if (cited.has(`${ref.digest}@${ref.ledgerIndex}`)) continue;
    if (!digests.has(ref.digest)) checks.fail('evidence-documents', `${name} cites ${ref.kind} ${ref.digest}, which is not in the bundle`);
    else checks.fail('evidence-documents', `${name} cites ${ref.kind} ${ref.digest} at ledger index ${ref.ledgerIndex}, where the bundle has no such record`);
  }
  try {
    const again = reassemble(doc, records);
    if (evidenceDocumentDigest(again) !== evidenceDocumentDigest(doc))
      checks.fail('evidence-documents', `${name} does not follow from the records it cites: assembling them again gives a different document`);
  } catch (error) {
    checks.fail('evidence-documents', `${name} cannot be assembled again from the records it cites: ${message(error)}`);
  }
  return doc;
}

function checkDocuments(bundle: BundleFiles, checks: Checks, predicate: BundlePredicate | null, records: BundleRecord[]): void {
  const names = [BUNDLE_FILES.evidenceDocument, ...[...bundle.files.keys()].filter((name) => name.startsWith(DECISION_DOCUMENTS_PREFIX))];
  let checked = 0;
  for (const name of names) {
    const document = bundle.json<unknown>(name, 'evidence-documents');
    if (document === undefined) continue;
    if (name.startsWith(DECISION_DOCUMENTS_PREFIX)) {
      const digest = evidenceDocumentDigest(document);
      if (decisionDocumentPath(digest) !== name) checks.fail('evidence-documents', `${name} digests to ${digest}, not the digest its name says`);
    }
    if (checkDocument(checks, name, document, predicate, records)) checked++;
  }
  if (![...bundle.files.keys()].some((name) => name.startsWith(DOCUMENTS_PREFIX))) checks.fail('evidence-documents', 'the bundle holds no documents/ (model card, BOM, lineage, Annex IV)');
  checks.note('evidence-documents', `${checked} documents re-assembled from their records`);
}

interface RecordedDecision {
  label: string;
  /** null: the record keeps only the decision's digest (approvals recorded before re-evaluations were kept whole). */
  decision: PolicyDecision | null;
  decisionDigest: string;
  evidenceDocumentDigest: string;
}

/** Decisions of this version: each request's (`policy.evaluated`) and each approval's re-evaluation (`promotion.decided`). */
function recordedDecisions(records: BundleRecord[], predicate: BundlePredicate | null): RecordedDecision[] {
  const decisions: RecordedDecision[] = [];
  const documentOf = new Map<string, string>();
  for (const record of records) {
    if (record.kind !== 'policy.evaluated') continue;
    const body = record.body as { promotionId: string; modelVersionId: string; decision: PolicyDecision; decisionDigest: string; evidenceDocumentDigest: string };
    if (predicate && body.modelVersionId !== predicate.model.versionId) continue;
    documentOf.set(body.promotionId, body.evidenceDocumentDigest);
    decisions.push({ label: `promotion ${body.promotionId} request`, decision: body.decision, decisionDigest: body.decisionDigest, evidenceDocumentDigest: body.evidenceDocumentDigest });
  }
  for (const record of records) {
    if (record.kind !== 'promotion.decided') continue;
    const body = record.body as { promotionId: string; reevaluation?: { decision?: PolicyDecision; decisionDigest: string } };
    const document = documentOf.get(body.promotionId);
    if (!document || !body.reevaluation) continue;
    const { decision = null, decisionDigest } = body.reevaluation;
    decisions.push({ label: `promotion ${body.promotionId} approval`, decision, decisionDigest, evidenceDocumentDigest: document });
  }
  return decisions;
}

async function checkDecisions(bundle: BundleFiles, checks: Checks, predicate: BundlePredicate | null, records: BundleRecord[]): Promise<number> {
  const decisions = recordedDecisions(records, predicate);
  if (decisions.length === 0) {
    checks.skip('policy-replay', 'no promotion of this version was requested, so there is no decision to replay');
    return 0;
  }
  const root = await mkdtemp(join(tmpdir(), 'assay-verify-'));
  try {
    for (const [n, recorded] of decisions.entries()) {
      const { label, decision } = recorded;
      if (!decision) {
        checks.fail('policy-replay', `${label}: the record keeps only the decision's digest, so it cannot be replayed`);
        continue;
      }
      if (decisionDigest(decision) !== recorded.decisionDigest) checks.fail('policy-replay', `${label}: the decision digests to ${decisionDigest(decision)}, the record says ${recorded.decisionDigest}`);
      if (decision.evidenceDigest !== recorded.evidenceDocumentDigest) checks.fail('policy-replay', `${label}: the decision read ${decision.evidenceDigest}, the record says ${recorded.evidenceDocumentDigest}`);
      const document = bundle.json<unknown>(decisionDocumentPath(recorded.evidenceDocumentDigest), 'policy-replay');
      if (document === undefined) continue;
      const packsRoot = join(root, String(n));
      let packsComplete = true;
      for (const pack of decision.packs) {
        const prefix = packFilePath(pack.digest, pack.id, '');
        const packFiles = [...bundle.files.entries()].filter(([name]) => name.startsWith(prefix)).map(([name, bytes]) => ({ path: name.slice(prefix.length), bytes }));
        if (packFiles.length === 0 || packDigest(packFiles).digest !== pack.digest) {
          checks.fail('policy-replay', `${label}: the files of pack ${pack.id}@${pack.version} are ${packFiles.length ? 'not the ones the decision used (digest differs)' : 'missing'}`);
          packsComplete = false;
          continue;
        }
        for (const file of packFiles) {
          const path = join(packsRoot, pack.id, file.path);
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, file.bytes);
        }
      }
      if (!packsComplete) continue;
      try {
        const result = await replayDecision(decision, document, packsRoot);
        if (!result.ok)
          checks.fail(
            'policy-replay',
            `${label}: the replay differs from the record: ${result.differences.slice(0, 5).map((d) => `${d.path} recorded ${JSON.stringify(d.recorded)}, replayed ${JSON.stringify(d.replayed)}`).join('; ')}`,
          );
        else checks.note('policy-replay', `${label}: ${decision.outcome}, replayed identically (${decision.rules.length} rules)`);
      } catch (error) {
        checks.fail('policy-replay', `${label}: cannot be replayed: ${message(error)}`);
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return decisions.length;
}
