import { createHash } from 'node:crypto';
import { ModelSigningError } from './model-signing.error';

/** in-toto Statement v1 `_type` (in-toto attestation spec/v1/statement.md). */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** OMS v1.0 §5.1: the predicate type. */
export const OMS_PREDICATE_TYPE = 'https://model_signing/signature/v1.0';
/** OMS v1.0 §6.2: paths every signer and verifier excludes, matched as top-level components. */
export const OMS_DEFAULT_IGNORE_PATHS: readonly string[] = ['.git', '.gitignore', '.gitattributes', '.github'];
/** OMS algorithm registry: file hashing identifiers (`sha256` REQUIRED, the others OPTIONAL). */
export const OMS_HASH_ALGORITHMS = ['sha256', 'blake2b', 'blake3'] as const;
export type OmsHashAlgorithm = (typeof OMS_HASH_ALGORITHMS)[number];

/** One model file as the manifest builder takes it: relative path and SHA-256 of its bytes (hex). */
export interface FileDigest {
  path: string;
  sha256: string;
}

/** OMS §5.2.1 resource descriptor (an in-toto ResourceDescriptor with `digest` as a bare hex string). */
export interface OmsResourceDescriptor {
  name: string;
  digest: string;
  algorithm: OmsHashAlgorithm;
}

/** OMS §5.2.2 serialization metadata. */
export interface OmsSerialization {
  method: 'files' | 'shards';
  hash_type: OmsHashAlgorithm;
  shard_size?: number;
  allow_symlinks: boolean;
  ignore_paths?: string[];
}

export interface OmsPredicate {
  resources: OmsResourceDescriptor[];
  serialization: OmsSerialization;
}

/** OMS §6.6: the in-toto Statement v1 a model signature signs. */
export interface OmsStatement {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: [{ name: string; digest: { sha256: string } & Record<string, string> }];
  predicateType: typeof OMS_PREDICATE_TYPE;
  predicate: OmsPredicate;
}

export interface ModelManifestOptions {
  /** `subject[0].name`: the basename of the model directory or file (OMS §6.5). Informational only. */
  name: string;
  /** Extra paths excluded from the signing scope (exact relative paths and their subtrees, OMS §6.2.1),
   * e.g. the signature file itself. The default exclusions always apply; both are recorded. */
  ignorePaths?: readonly string[];
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const HEX_LENGTH: Record<OmsHashAlgorithm, number> = { sha256: 64, blake2b: 128, blake3: 64 };

/**
 * OMS §6.1.2 path canonicalization: `/` separators, relative, `.` segments and repeated or
 * trailing separators collapsed. Returns the canonical path, or a reason it cannot be one
 * (absolute, `..`, empty, NUL, not representable as UTF-8). `\` is an ordinary POSIX character.
 */
export function canonicalModelPath(path: string): { path: string } | { problem: string } {
  if (path.startsWith('/')) return { problem: 'is absolute' };
  if (path.includes('\0')) return { problem: 'contains NUL' };
  if (Buffer.from(path, 'utf8').toString('utf8') !== path) return { problem: 'is not valid UTF-8 (lone surrogate)' };
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { problem: 'contains a .. component' };
  if (segments.length === 0) return { problem: 'is empty' };
  return { path: segments.join('/') };
}

/** OMS §5.2.1 / §6.4: names sort by Unicode code point; comparing UTF-8 bytes gives exactly that order. */
export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** OMS §6.2.1: an ignore entry excludes that exact relative path and, if a directory, its subtree. */
export function isIgnoredPath(path: string, ignorePaths: readonly string[]): boolean {
  return ignorePaths.some((entry) => path === entry || path.startsWith(`${entry}/`));
}

/** Validates and canonicalizes user ignore entries (§6.2.1: no globs, no leading `/`, no `..`). */
export function canonicalIgnorePaths(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    if (/[*?[]/.test(entry)) throw new ModelSigningError('MANIFEST_INVALID', `ignore path "${entry}" contains a glob character`);
    const canonical = canonicalModelPath(entry);
    if ('problem' in canonical) throw new ModelSigningError('MANIFEST_INVALID', `ignore path "${entry}" ${canonical.problem}`);
    return canonical.path;
  });
}

/**
 * OMS §6.5.1 root digest: SHA-256 over the concatenated raw bytes of every resource digest, in
 * manifest order. Always SHA-256, whatever the file hash algorithm.
 */
export function omsRootDigest(resources: readonly { digest: string }[]): string {
  const hash = createHash('sha256');
  for (const resource of resources) hash.update(Buffer.from(resource.digest, 'hex'));
  return hash.digest('hex');
}

/**
 * The OMS v1.0 manifest (§6.3.1 file serialization, SHA-256) as an in-toto Statement v1: one
 * resource per file, sorted by code point, the default and given ignore paths excluded and
 * recorded, and the root digest as the single subject. Throws `MANIFEST_INVALID` for a path that
 * cannot be canonical, a duplicate, a malformed digest, or a model left with no file (§6.1).
 */
export function createModelManifest(files: readonly FileDigest[], options: ModelManifestOptions): OmsStatement {
  const name = options.name;
  if (typeof name !== 'string' || name.length === 0 || name.includes('/'))
    throw new ModelSigningError('MANIFEST_INVALID', `subject name must be a non-empty basename, got ${JSON.stringify(name)}`);
  const userIgnores = canonicalIgnorePaths(options.ignorePaths ?? []);
  const ignorePaths = [...new Set([...OMS_DEFAULT_IGNORE_PATHS, ...userIgnores])].sort(compareCodePoints);

  const byName = new Map<string, OmsResourceDescriptor>();
  for (const file of files) {
    const canonical = canonicalModelPath(file.path);
    if ('problem' in canonical)
      throw new ModelSigningError('MANIFEST_INVALID', `path ${JSON.stringify(file.path)} ${canonical.problem}`, { path: file.path });
    if (typeof file.sha256 !== 'string' || !SHA256_HEX.test(file.sha256))
      throw new ModelSigningError('MANIFEST_INVALID', `file "${canonical.path}": sha256 must be 64 hex digits`, { path: canonical.path });
    if (byName.has(canonical.path))
      throw new ModelSigningError('MANIFEST_INVALID', `file "${canonical.path}" is listed twice`, { path: canonical.path });
    if (isIgnoredPath(canonical.path, ignorePaths)) continue;
    byName.set(canonical.path, { name: canonical.path, digest: file.sha256.toLowerCase(), algorithm: 'sha256' });
  }
  if (byName.size === 0) throw new ModelSigningError('MANIFEST_INVALID', 'the model has no file to sign after exclusions');

  const resources = [...byName.values()].sort((a, b) => compareCodePoints(a.name, b.name));
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name, digest: { sha256: omsRootDigest(resources) } }],
    predicateType: OMS_PREDICATE_TYPE,
    predicate: {
      resources,
      serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ignorePaths },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Checking a statement someone else produced (the verifier, and the signer before it signs)
// ---------------------------------------------------------------------------------------------

const LOWER_HEX = /^[0-9a-f]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function extraKeys(value: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(value).filter((k) => !allowed.includes(k));
}

function isHashAlgorithm(value: unknown): value is OmsHashAlgorithm {
  return typeof value === 'string' && (OMS_HASH_ALGORITHMS as readonly string[]).includes(value);
}

/**
 * Everything wrong with a would-be OMS statement: the constraints of the OMS statement and
 * predicate schemas (v1.0, 2020-12), then the rules the spec states in prose — at least one
 * resource (§5.2.1), names canonical (§6.1.2), sorted and unique (§6.4), every `algorithm` equal
 * to `hash_type` with a digest of its length, and `subject[0].digest.sha256` equal to the root
 * digest (§6.5.1). Empty when the statement is sound.
 */
export function statementProblems(statement: unknown): string[] {
  if (!isRecord(statement)) return ['statement is not a JSON object'];
  const problems: string[] = [];
  for (const key of extraKeys(statement, ['_type', 'subject', 'predicateType', 'predicate']))
    problems.push(`statement has an unexpected field "${key}"`);
  if (statement._type !== IN_TOTO_STATEMENT_TYPE)
    problems.push(`_type is ${JSON.stringify(statement._type)}, not ${IN_TOTO_STATEMENT_TYPE}`);
  if (statement.predicateType !== OMS_PREDICATE_TYPE)
    problems.push(`predicateType is ${JSON.stringify(statement.predicateType)}, not ${OMS_PREDICATE_TYPE}`);

  const subject = statement.subject;
  let subjectSha256: string | undefined;
  if (!Array.isArray(subject) || subject.length !== 1) {
    problems.push('subject must be an array of exactly one entry (the model)');
  } else {
    const entry: unknown = subject[0];
    if (!isRecord(entry)) problems.push('subject[0] is not an object');
    else {
      if (typeof entry.name !== 'string' || entry.name.length === 0) problems.push('subject[0].name must be a non-empty string');
      const digest = entry.digest;
      if (!isRecord(digest) || Object.keys(digest).length === 0) problems.push('subject[0].digest must be a non-empty digest set');
      else {
        for (const [algorithm, value] of Object.entries(digest))
          if (typeof value !== 'string' || !LOWER_HEX.test(value)) problems.push(`subject[0].digest.${algorithm} is not lowercase hex`);
        if (typeof digest.sha256 === 'string') subjectSha256 = digest.sha256;
        else problems.push('subject[0].digest has no sha256 root digest');
      }
    }
  }

  const predicate = statement.predicate;
  if (!isRecord(predicate)) {
    problems.push('predicate is missing or not an object');
    return problems;
  }
  for (const key of extraKeys(predicate, ['resources', 'serialization'])) problems.push(`predicate has an unexpected field "${key}"`);

  const serialization = predicate.serialization;
  let hashType: OmsHashAlgorithm | undefined;
  if (!isRecord(serialization)) problems.push('predicate.serialization is missing or not an object');
  else {
    for (const key of extraKeys(serialization, ['method', 'hash_type', 'shard_size', 'allow_symlinks', 'ignore_paths']))
      problems.push(`serialization has an unexpected field "${key}"`);
    const method = serialization.method;
    if (method !== 'files' && method !== 'shards') problems.push(`serialization.method ${JSON.stringify(method)} is not files or shards`);
    if (isHashAlgorithm(serialization.hash_type)) hashType = serialization.hash_type;
    else problems.push(`serialization.hash_type ${JSON.stringify(serialization.hash_type)} is not one of ${OMS_HASH_ALGORITHMS.join(', ')}`);
    if (typeof serialization.allow_symlinks !== 'boolean') problems.push('serialization.allow_symlinks must be a boolean');
    const shardSize = serialization.shard_size;
    if (method === 'shards' && !(Number.isSafeInteger(shardSize) && (shardSize as number) > 0))
      problems.push('serialization.shard_size must be a positive integer for method shards');
    if (method === 'files' && shardSize !== undefined) problems.push('serialization.shard_size must be absent for method files');
    const ignore = serialization.ignore_paths;
    if (ignore !== undefined && (!Array.isArray(ignore) || !ignore.every((p) => typeof p === 'string' && p.length > 0)))
      problems.push('serialization.ignore_paths must be an array of non-empty strings');
  }

  const resources = predicate.resources;
  if (!Array.isArray(resources)) {
    problems.push('predicate.resources must be an array');
    return problems;
  }
  if (resources.length === 0) problems.push('predicate.resources is empty (OMS §5.2.1 needs at least one entry)');
  const valid: { name: string; digest: string }[] = [];
  resources.forEach((resource: unknown, i) => {
    if (!isRecord(resource)) {
      problems.push(`resources[${i}] is not an object`);
      return;
    }
    const { name, digest, algorithm } = resource;
    const label = typeof name === 'string' ? `resources[${i}] "${name}"` : `resources[${i}]`;
    let sound = true;
    if (typeof name !== 'string' || name.length === 0) {
      problems.push(`${label}: name must be a non-empty string`);
      sound = false;
    } else {
      const canonical = canonicalModelPath(name);
      if ('problem' in canonical) problems.push(`${label}: name ${canonical.problem}`);
      else if (canonical.path !== name) problems.push(`${label}: name is not canonical (expected "${canonical.path}")`);
    }
    if (typeof digest !== 'string' || !LOWER_HEX.test(digest)) {
      problems.push(`${label}: digest must be lowercase hex`);
      sound = false;
    }
    if (!isHashAlgorithm(algorithm)) problems.push(`${label}: algorithm ${JSON.stringify(algorithm)} is not an OMS hash algorithm`);
    else {
      if (hashType !== undefined && algorithm !== hashType) problems.push(`${label}: algorithm ${algorithm} differs from hash_type ${hashType}`);
      if (typeof digest === 'string' && digest.length !== HEX_LENGTH[algorithm])
        problems.push(`${label}: a ${algorithm} digest has ${HEX_LENGTH[algorithm]} hex digits, not ${digest.length}`);
    }
    if (sound) valid.push({ name: name as string, digest: digest as string });
  });
  for (let i = 1; i < valid.length; i++) {
    const order = compareCodePoints(valid[i - 1]!.name, valid[i]!.name);
    if (order === 0) problems.push(`resource "${valid[i]!.name}" is listed twice`);
    else if (order > 0) problems.push(`resources are not sorted by code point ("${valid[i - 1]!.name}" before "${valid[i]!.name}")`);
  }
  if (subjectSha256 !== undefined && valid.length === resources.length && valid.length > 0) {
    const root = omsRootDigest(valid);
    if (root !== subjectSha256) problems.push(`subject[0].digest.sha256 ${subjectSha256} is not the root digest ${root} of the resources`);
  }
  return problems;
}
