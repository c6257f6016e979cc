/**
 * An evidence bundle verified in the browser: the checks of `assay verify`
 * (src/governance/exports/bundle/bundle-verifier.ts), same ids and titles, with WebCrypto and
 * fflate instead of node:crypto. Nothing is uploaded. Two checks need the server's libraries
 * (the evidence-document assembler and the policy engine) and are skipped with the reason.
 */
import { unzipSync } from 'fflate';
import {
  bytesEqual,
  canonicalJson,
  decodeUtf8,
  describeKey,
  fromBase64Loose,
  fromBase64Strict,
  fromHex,
  hashLeaf,
  parseCheckpoint,
  parseTrustedKey,
  parseVerifierKey,
  preAuthEncoding,
  sha256,
  sha256Digest,
  spkiVerifier,
  toHex,
  utf8,
  verifyCheckpointSignature,
  verifyConsistency,
  verifyEd25519,
  verifyInclusion,
  type NoteKey,
} from './crypto';

/** The same list as the server's BUNDLE_CHECKS (a spec keeps them equal). */
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
  details: string[];
}
export interface BrowserVerificationReport {
  ok: boolean;
  checks: BundleCheck[];
  model: { name: string; version: number; modelDigest: string } | null;
}

export interface BrowserVerifyOptions {
  /** The key you trust: a signed-note verifier key (or Ed25519 PEM), and where it came from. */
  trustedKey?: { text: string; source: string };
  /** A signed checkpoint of this ledger kept earlier. */
  regulatorCheckpoint?: string;
}

export const SERVER_ONLY_REASON = 're-assembling documents and replaying decisions needs the policy engine: run `assay verify BUNDLE --trusted-key …` offline';

const FILES = {
  manifest: 'manifest.dsse.json',
  records: 'evidence/records.jsonl',
  entries: 'ledger/entries.jsonl',
  inclusionProofs: 'ledger/inclusion-proofs.json',
  consistencyProofs: 'ledger/consistency-proofs.json',
  checkpoint: 'ledger/checkpoint.txt',
  ledgerKey: 'keys/ledger.vkey',
  modelSigningKey: 'keys/model-signing.pem',
  modelSignature: 'model/signature.sigstore.json',
  modelFiles: 'model/files.json',
} as const;
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const MAX_ENTRIES = 20_000;
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
const OMS_DEFAULT_IGNORE_PATHS = ['.git', '.gitignore', '.gitattributes', '.github'];

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

class Checks {
  private readonly results = new Map<BundleCheckId, { problems: string[]; notes: string[]; skipped: string | null; warnings: string[] }>(
    BUNDLE_CHECKS.map(([id]) => [id, { problems: [], notes: [], skipped: null, warnings: [] }]),
  );
  fail = (id: BundleCheckId, problem: string) => void this.results.get(id)!.problems.push(problem);
  note = (id: BundleCheckId, note: string) => void this.results.get(id)!.notes.push(note);
  warn = (id: BundleCheckId, warning: string) => void this.results.get(id)!.warnings.push(warning);
  skip = (id: BundleCheckId, reason: string) => void (this.results.get(id)!.skipped = reason);
  report(model: BrowserVerificationReport['model']): BrowserVerificationReport {
    const checks = BUNDLE_CHECKS.map(([id, title]): BundleCheck => {
      const r = this.results.get(id)!;
      if (r.problems.length) return { id, title, status: 'fail', details: r.problems };
      if (r.skipped !== null) return { id, title, status: 'skip', details: [r.skipped] };
      if (r.warnings.length) return { id, title, status: 'warn', details: [...r.warnings, ...r.notes] };
      return { id, title, status: 'pass', details: r.notes };
    });
    return { ok: checks.every((c) => c.status !== 'fail'), checks, model };
  }
}

/** Relative, forward slashes, no empty / `.` / `..` segments, no control characters (isSafeBundlePath). */
export function isSafeBundlePath(name: string): boolean {
  if (name.length === 0 || name.length > 512 || name.startsWith('/') || name.includes('\\') || /[\p{Cc}]/u.test(name)) return false;
  return name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

class ArchiveError extends Error {}

/** The zip treated as hostile, as readBundleArchive: bounded entries and sizes, safe names, no duplicates, no folders. */
export function readBundleArchive(bytes: Uint8Array): Map<string, Uint8Array> {
  const seen = new Set<string>();
  let declared = 0;
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter: (file) => {
        if (seen.size >= MAX_ENTRIES) throw new ArchiveError(`more than ${MAX_ENTRIES} entries`);
        if (file.name.endsWith('/')) throw new ArchiveError(`folder entry ${JSON.stringify(file.name)} (bundles hold files only)`);
        if (!isSafeBundlePath(file.name)) throw new ArchiveError(`unsafe entry name ${JSON.stringify(file.name)}`);
        if (seen.has(file.name)) throw new ArchiveError(`entry ${JSON.stringify(file.name)} appears twice`);
        seen.add(file.name);
        if (file.originalSize > MAX_FILE_BYTES) throw new ArchiveError(`entry ${file.name} is larger than ${MAX_FILE_BYTES} bytes`);
        declared += file.originalSize;
        if (declared > MAX_TOTAL_BYTES) throw new ArchiveError(`entries total more than ${MAX_TOTAL_BYTES} bytes`);
        return true;
      },
    });
  } catch (error) {
    throw new ArchiveError(error instanceof ArchiveError ? error.message : `not a readable zip archive: ${message(error)}`);
  }
  return new Map(
    Object.keys(unzipped)
      .sort()
      .map((name) => [name, unzipped[name]!]),
  );
}

class BundleFiles {
  constructor(
    readonly files: ReadonlyMap<string, Uint8Array>,
    private readonly checks: Checks,
  ) {}
  text(name: string, check: BundleCheckId): string | undefined {
    const bytes = this.files.get(name);
    if (!bytes) return void this.checks.fail(check, `${name} is missing`);
    try {
      return decodeUtf8(bytes);
    } catch {
      return void this.checks.fail(check, `${name} is not UTF-8`);
    }
  }
  json<T>(name: string, check: BundleCheckId): T | undefined {
    const text = this.text(name, check);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      return void this.checks.fail(check, `${name} is not JSON: ${message(error)}`);
    }
  }
  jsonLines<T>(name: string, check: BundleCheckId): Array<{ line: number; text: string; value: T }> {
    const out: Array<{ line: number; text: string; value: T }> = [];
    (this.text(name, check) ?? '').split('\n').forEach((text, i) => {
      if (text === '') return;
      try {
        out.push({ line: i + 1, text, value: JSON.parse(text) as T });
      } catch (error) {
        this.checks.fail(check, `${name}:${i + 1} is not JSON: ${message(error)}`);
      }
    });
    return out;
  }
}

interface Predicate {
  model: { name: string; versionId: string; version: number; modelDigest: string };
  checkpoint: { origin: string; treeSize: number; rootHash: string };
}
interface LedgerEntry {
  index: number;
  action: string;
  subject: { type: string; id: string };
  evidenceDigest: string | null;
}
interface BundleRecord {
  kind: string;
  subject: { type: string; id: string };
  body: Json;
  digest: string;
  ledgerIndex: number;
}

export async function verifyBundleInBrowser(bytes: Uint8Array, options: BrowserVerifyOptions = {}): Promise<BrowserVerificationReport> {
  const checks = new Checks();
  let files: Map<string, Uint8Array>;
  try {
    files = readBundleArchive(bytes);
  } catch (error) {
    checks.fail('archive', message(error));
    for (const [id] of BUNDLE_CHECKS.slice(1)) checks.skip(id, 'the archive could not be read');
    return checks.report(null);
  }
  checks.note('archive', `${files.size} files`);
  const bundle = new BundleFiles(files, checks);
  const key = await anchorKey(bundle, checks, options.trustedKey);
  const predicate = await manifestAndDigests(bundle, checks, key);
  const checkpoint = await checkCheckpoint(bundle, checks, key, predicate);
  const entries = await checkInclusion(bundle, checks, checkpoint);
  await checkRegulatorCheckpoint(bundle, checks, key, checkpoint, options.regulatorCheckpoint);
  const records = await checkRecords(bundle, checks, entries);
  await checkModelSignature(bundle, checks, predicate, records);
  checks.skip('evidence-documents', SERVER_ONLY_REASON);
  checks.skip('policy-replay', SERVER_ONLY_REASON);
  return checks.report(predicate ? { name: predicate.model.name, version: predicate.model.version, modelDigest: predicate.model.modelDigest } : null);
}

async function anchorKey(bundle: BundleFiles, checks: Checks, trusted: BrowserVerifyOptions['trustedKey']): Promise<NoteKey | null> {
  let bundleKey: NoteKey | null = null;
  const text = bundle.text(FILES.ledgerKey, 'key-trust');
  if (text !== undefined) {
    try {
      bundleKey = await parseVerifierKey(text.trim());
    } catch (error) {
      checks.fail('key-trust', `${FILES.ledgerKey}: ${message(error)}`);
    }
  }
  if (!trusted || trusted.text.trim() === '') {
    checks.warn('key-trust', 'no trusted key given: the signatures are checked against the key inside the bundle, which proves integrity, not origin');
    return bundleKey;
  }
  let key: NoteKey;
  try {
    key = await parseTrustedKey(trusted.text, bundleKey?.name ?? 'assay');
  } catch (error) {
    checks.fail('key-trust', `the trusted key cannot be read: ${message(error)}`);
    return null;
  }
  if (bundleKey && !bytesEqual(key.raw, bundleKey.raw))
    checks.fail('key-trust', `the bundle names the key ${describeKey(bundleKey)}, not the key you trust (${describeKey(key)}, ${trusted.source})`);
  else checks.note('key-trust', `signed by ${describeKey(key)}, the key you trust (${trusted.source})`);
  return key;
}

function statementProblems(statement: unknown): string[] {
  if (!isRecord(statement)) return ['the manifest statement is not an object'];
  const problems: string[] = [];
  if (statement._type !== 'https://in-toto.io/Statement/v1') problems.push('statement _type must be https://in-toto.io/Statement/v1');
  if (statement.predicateType !== 'https://assay.dev/evidence-bundle/v1') problems.push('predicateType must be https://assay.dev/evidence-bundle/v1');
  if (!Array.isArray(statement.subject) || statement.subject.some((s) => !isRecord(s) || typeof s.name !== 'string' || !isRecord(s.digest) || !/^[0-9a-f]{64}$/.test(String(s.digest.sha256))))
    problems.push('subject must list files with their sha256');
  const predicate = statement.predicate;
  if (!isRecord(predicate) || predicate.format !== 'assay.evidence-bundle/v1') problems.push('predicate.format must be assay.evidence-bundle/v1');
  else {
    const { model, checkpoint } = predicate;
    if (!isRecord(model) || typeof model.versionId !== 'string' || typeof model.modelDigest !== 'string' || typeof model.version !== 'number')
      problems.push('predicate.model must name the model version and its digest');
    if (!isRecord(checkpoint) || typeof checkpoint.treeSize !== 'number' || typeof checkpoint.rootHash !== 'string' || typeof checkpoint.origin !== 'string')
      problems.push('predicate.checkpoint must give origin, tree size and root hash');
  }
  return problems;
}

async function manifestAndDigests(bundle: BundleFiles, checks: Checks, key: NoteKey | null): Promise<Predicate | null> {
  const manifest = bundle.files.get(FILES.manifest);
  if (!manifest) {
    checks.fail('manifest-signature', `${FILES.manifest} is missing`);
    checks.fail('file-digests', 'no manifest to check the files against');
    return null;
  }
  const unopened = (problem: string) => {
    checks.fail('manifest-signature', problem);
    checks.skip('file-digests', 'the manifest could not be opened');
    return null;
  };
  if (!key) return unopened('no usable key to check the manifest with');
  const envelope = bundle.json<unknown>(FILES.manifest, 'manifest-signature');
  if (!isRecord(envelope) || envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE || typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures))
    return unopened(`${FILES.manifest} is not a DSSE envelope with an in-toto payload`);
  const payload = fromBase64Strict(envelope.payload);
  if (!payload) return unopened('the manifest payload is not canonical base64');
  const pae = preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload);
  let signed = false;
  for (const s of envelope.signatures as unknown[]) {
    const sig = isRecord(s) && typeof s.sig === 'string' ? fromBase64Strict(s.sig) : undefined;
    if (sig && (await verifyEd25519(key.raw, sig, pae))) signed = true;
  }
  if (!signed) return unopened('no manifest signature verifies with the ledger key (wrong key, or the manifest was altered)');
  let statement: unknown;
  try {
    statement = JSON.parse(decodeUtf8(payload));
  } catch {
    return unopened('the signed manifest payload is not UTF-8 JSON');
  }
  const problems = statementProblems(statement);
  if (problems.length) {
    problems.forEach((p) => checks.fail('manifest-signature', p));
    checks.skip('file-digests', 'the manifest could not be opened');
    return null;
  }
  checks.note('manifest-signature', `DSSE signature (Ed25519, WebCrypto) by ${describeKey(key)}`);
  const opened = statement as { subject: { name: string; digest: { sha256: string } }[]; predicate: Predicate };
  const listed = new Map(opened.subject.map((s) => [s.name, s.digest.sha256]));
  for (const [name, digest] of listed) {
    const bytes = bundle.files.get(name);
    if (!bytes) {
      checks.fail('file-digests', `${name} is in the signed manifest but missing from the bundle`);
      continue;
    }
    const actual = toHex(await sha256(bytes));
    if (actual !== digest) checks.fail('file-digests', `${name} was changed: its SHA-256 is ${actual}, the manifest says ${digest}`);
  }
  for (const name of bundle.files.keys())
    if (name !== FILES.manifest && !listed.has(name)) checks.fail('file-digests', `${name} is not in the signed manifest (added after signing)`);
  checks.note('file-digests', `${listed.size} files, SHA-256 computed in this browser`);
  return opened.predicate;
}

interface VerifiedCheckpoint {
  size: number;
  root: Uint8Array;
}

async function openCheckpoint(note: string, key: NoteKey): Promise<{ ok: true; origin: string; size: number; root: Uint8Array } | { ok: false; reason: string }> {
  let parsed;
  try {
    parsed = parseCheckpoint(note);
  } catch (error) {
    return { ok: false, reason: `CHECKPOINT_MALFORMED: ${message(error)}` };
  }
  const bad = await verifyCheckpointSignature(parsed, key);
  return bad ? { ok: false, reason: `CHECKPOINT_SIGNATURE_INVALID: ${bad}` } : { ok: true, origin: parsed.origin, size: parsed.size, root: parsed.root };
}

async function checkCheckpoint(bundle: BundleFiles, checks: Checks, key: NoteKey | null, predicate: Predicate | null): Promise<VerifiedCheckpoint | null> {
  const note = bundle.text(FILES.checkpoint, 'checkpoint');
  if (note === undefined) return null;
  if (!key) {
    checks.fail('checkpoint', 'no usable key to check the checkpoint with');
    return null;
  }
  const opened = await openCheckpoint(note, key);
  if (!opened.ok) {
    checks.fail('checkpoint', `${FILES.checkpoint}: ${opened.reason}`);
    return null;
  }
  const root = toHex(opened.root);
  if (predicate) {
    const claimed = predicate.checkpoint;
    if (claimed.treeSize !== opened.size || claimed.rootHash !== root || claimed.origin !== opened.origin)
      checks.fail('checkpoint', `the checkpoint (${opened.origin}, size ${opened.size}, root ${root}) is not the one the manifest names (size ${claimed.treeSize}, root ${claimed.rootHash})`);
  }
  checks.note('checkpoint', `${opened.origin}, tree size ${opened.size}, root ${root}, Ed25519 signature checked in this browser`);
  return { size: opened.size, root: opened.root };
}

function entryProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'entry must be an object';
  const extra = Object.keys(value).filter((k) => !['index', 'time', 'actor', 'action', 'subject', 'evidenceDigest', 'data'].includes(k));
  if (extra.length) return `entry has unknown fields: ${extra.join(', ')}`;
  if (typeof value.index !== 'number' || !Number.isSafeInteger(value.index) || value.index < 0) return 'index must be a non-negative safe integer';
  if (typeof value.action !== 'string' || !isRecord(value.subject) || !isRecord(value.actor) || !isRecord(value.data)) return 'entry lacks action, actor, subject or data';
  if (value.evidenceDigest !== null && !(typeof value.evidenceDigest === 'string' && /^sha256:[0-9a-f]{64}$/.test(value.evidenceDigest))) return 'evidenceDigest must be null or sha256:<64 lowercase hex>';
  return null;
}

async function checkInclusion(bundle: BundleFiles, checks: Checks, checkpoint: VerifiedCheckpoint | null): Promise<Map<number, LedgerEntry>> {
  const entries = new Map<number, LedgerEntry>();
  const lines = bundle.jsonLines<LedgerEntry>(FILES.entries, 'ledger-inclusion');
  const proofs = bundle.json<{ treeSize: number; rootHash: string; proofs: { index: number; path: string[] }[] }>(FILES.inclusionProofs, 'ledger-inclusion');
  const byIndex = new Map((Array.isArray(proofs?.proofs) ? proofs.proofs : []).map((p) => [p.index, p]));
  if (!checkpoint) checks.fail('ledger-inclusion', 'no verified checkpoint to prove the entries against');
  else if (proofs && (proofs.treeSize !== checkpoint.size || proofs.rootHash !== toHex(checkpoint.root)))
    checks.fail('ledger-inclusion', `the proofs are for tree size ${proofs.treeSize}, the checkpoint's is ${checkpoint.size}`);
  for (const { line, text, value } of lines) {
    const problem = entryProblem(value);
    if (problem) {
      checks.fail('ledger-inclusion', `${FILES.entries}:${line}: ${problem}`);
      continue;
    }
    let canonical: string;
    try {
      canonical = canonicalJson(value);
    } catch (error) {
      checks.fail('ledger-inclusion', `${FILES.entries}:${line}: ${message(error)}`);
      continue;
    }
    if (canonical !== text) checks.fail('ledger-inclusion', `${FILES.entries}:${line}: entry ${value.index} is not in its canonical (RFC 8785) form`);
    if (entries.has(value.index)) checks.fail('ledger-inclusion', `entry ${value.index} appears twice`);
    entries.set(value.index, value);
    if (!checkpoint) continue;
    const proof = byIndex.get(value.index);
    if (!proof || !Array.isArray(proof.path)) {
      checks.fail('ledger-inclusion', `entry ${value.index} has no inclusion proof`);
      continue;
    }
    let path: Uint8Array[];
    try {
      path = proof.path.map((h) => fromHex(String(h)));
    } catch {
      checks.fail('ledger-inclusion', `entry ${value.index}: the proof is not hex`);
      continue;
    }
    if (!(await verifyInclusion(value.index, checkpoint.size, await hashLeaf(utf8.encode(canonical)), path, checkpoint.root)))
      checks.fail('ledger-inclusion', `entry ${value.index} (${value.action}) is not in the checkpoint's tree`);
  }
  checks.note('ledger-inclusion', `${entries.size} entries proven against tree size ${checkpoint?.size ?? '?'}`);
  return entries;
}

async function checkRegulatorCheckpoint(bundle: BundleFiles, checks: Checks, key: NoteKey | null, checkpoint: VerifiedCheckpoint | null, note: string | undefined): Promise<void> {
  if (note === undefined || note.trim() === '') return checks.skip('regulator-checkpoint', 'no earlier checkpoint given (paste one you kept)');
  if (!key || !checkpoint) return checks.fail('regulator-checkpoint', "the bundle's own checkpoint did not verify, so consistency cannot be shown");
  // A pasted note may have lost its final newline.
  const theirs = await openCheckpoint(note.endsWith('\n') ? note : `${note}\n`, key);
  if (!theirs.ok) return checks.fail('regulator-checkpoint', `your checkpoint: ${theirs.reason}`);
  const { size, root } = theirs;
  if (size > checkpoint.size)
    return checks.fail('regulator-checkpoint', `your checkpoint (size ${size}) is newer than the bundle's (size ${checkpoint.size}): export the bundle again to prove consistency`);
  if (size === checkpoint.size) {
    if (!bytesEqual(root, checkpoint.root)) checks.fail('regulator-checkpoint', `same tree size ${size} but different roots: the ledger was forked or rewritten`);
    else checks.note('regulator-checkpoint', `identical to your checkpoint (size ${size})`);
    return;
  }
  const file = bundle.json<{ proofs: { from: number; path: string[] }[] }>(FILES.consistencyProofs, 'regulator-checkpoint');
  const proof = (Array.isArray(file?.proofs) ? file.proofs : []).find((p) => p.from === size);
  if (!proof) return checks.fail('regulator-checkpoint', `the bundle has no consistency proof from your tree size ${size} (export with ?consistencyFrom=${size})`);
  let reason: string | null;
  try {
    reason = await verifyConsistency(size, checkpoint.size, proof.path.map((h) => fromHex(String(h))), root, checkpoint.root);
  } catch (error) {
    reason = message(error);
  }
  if (reason) checks.fail('regulator-checkpoint', `the ledger of size ${checkpoint.size} does not extend your checkpoint of size ${size}: ${reason}`);
  else checks.note('regulator-checkpoint', `the ledger grew from your size ${size} to ${checkpoint.size} without changing what you saw`);
}

async function checkRecords(bundle: BundleFiles, checks: Checks, entries: Map<number, LedgerEntry>): Promise<BundleRecord[]> {
  const records: BundleRecord[] = [];
  for (const { line, value: record } of bundle.jsonLines<BundleRecord>(FILES.records, 'evidence-records')) {
    const where = `${FILES.records}:${line}`;
    if (!isRecord(record) || typeof record.kind !== 'string' || !isRecord(record.body) || !isRecord(record.subject) || typeof record.ledgerIndex !== 'number') {
      checks.fail('evidence-records', `${where} is not an evidence record`);
      continue;
    }
    let digest: string;
    try {
      digest = await sha256Digest(record.body);
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
  checks.note('evidence-records', `${records.length} records, JCS SHA-256 of each body recomputed`);
  return records;
}

const isIgnored = (path: string, ignore: string[]) => ignore.some((p) => path === p || path.startsWith(`${p}/`));

async function checkModelSignature(bundle: BundleFiles, checks: Checks, predicate: Predicate | null, records: BundleRecord[]): Promise<void> {
  const signature = bundle.json<unknown>(FILES.modelSignature, 'model-signature');
  const pem = bundle.text(FILES.modelSigningKey, 'model-signature');
  const listed = bundle.json<{ path: string; digest: string }[]>(FILES.modelFiles, 'model-signature');
  if (signature === undefined || pem === undefined) return;
  if (!Array.isArray(listed)) return checks.fail('model-signature', `${FILES.modelFiles} is not a list of files`);
  let verifier: Awaited<ReturnType<typeof spkiVerifier>>;
  try {
    verifier = await spkiVerifier(pem);
  } catch (error) {
    return checks.fail('model-signature', `${FILES.modelSigningKey}: ${message(error)}`);
  }
  // An OMS (Sigstore) bundle carries the DSSE envelope; a bare envelope is accepted too.
  const envelope = isRecord(signature) && 'dsseEnvelope' in signature ? signature.dsseEnvelope : signature;
  if (!isRecord(envelope) || envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE || typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures))
    return checks.fail('model-signature', `${FILES.modelSignature} holds no DSSE envelope with an in-toto payload`);
  const payload = fromBase64Loose(envelope.payload);
  if (!payload || payload.length === 0) return checks.fail('model-signature', 'DSSE payload is not valid base64');
  const pae = preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload);
  let verified = false;
  for (const s of envelope.signatures as unknown[]) {
    const sig = isRecord(s) && typeof s.sig === 'string' ? fromBase64Loose(s.sig) : undefined;
    if (sig && (await verifier.verify(sig, pae))) verified = true;
  }
  if (!verified)
    return checks.fail('model-signature', 'no DSSE signature verifies with the given public key (wrong key, or the payload, payload type or signature was altered)');
  let statement: unknown;
  try {
    statement = JSON.parse(decodeUtf8(payload));
  } catch {
    return checks.fail('model-signature', 'the signed payload is not UTF-8 JSON');
  }
  const predicateOf = isRecord(statement) && isRecord(statement.predicate) ? statement.predicate : undefined;
  const resources = predicateOf?.resources;
  const serialization = isRecord(predicateOf?.serialization) ? predicateOf.serialization : undefined;
  if (!isRecord(statement) || statement.predicateType !== 'https://model_signing/signature/v1.0' || !Array.isArray(resources) || !serialization)
    return checks.fail('model-signature', 'the signed payload is not an OMS v1.0 statement');
  if (serialization.method !== 'files' || serialization.hash_type !== 'sha256')
    return checks.fail('model-signature', `the manifest uses ${String(serialization.method)}/${String(serialization.hash_type)}, which this page does not check (files/sha256)`);
  const given = new Map(listed.map((f) => [String(f.path), String(f.digest).replace(/^sha256:/, '').toLowerCase()]));
  for (const resource of resources as { name: string; digest: string }[]) {
    const digest = given.get(resource.name);
    if (digest === undefined) checks.fail('model-signature', `file "${resource.name}" is in the manifest but missing`);
    else if (digest !== resource.digest) checks.fail('model-signature', `file "${resource.name}": sha256 digest ${digest} does not match the signed ${resource.digest}`);
  }
  const names = new Set((resources as { name: string }[]).map((r) => r.name));
  const ignore = [...OMS_DEFAULT_IGNORE_PATHS, ...(Array.isArray(serialization.ignore_paths) ? serialization.ignore_paths.map(String) : [])];
  for (const path of given.keys()) if (!names.has(path) && !isIgnored(path, ignore)) checks.fail('model-signature', `file "${path}" is not in the signed manifest`);
  const modelDigest = await sha256Digest(statement);
  if (predicate && predicate.model.modelDigest !== modelDigest)
    checks.fail('model-signature', `the signed model manifest digests to ${modelDigest}, the bundle is about ${predicate.model.modelDigest}`);
  if (!records.some((r) => r.kind === 'training.completed' && r.body.modelDigest === modelDigest))
    checks.fail('model-signature', `no training.completed record produced the model ${modelDigest}`);
  checks.note('model-signature', `OMS v1.0 signature (${verifier.algorithm}, WebCrypto) over ${given.size} files, model ${modelDigest}`);
}
