/**
 * Loads policy packs from `policies/<pack>/`: `pack.yaml` plus rule files `*.rules.yaml`. Every
 * file is validated against its JSON Schema and every expression compiled and type-checked
 * against the evidence document; all problems of all files are collected, each with file, line
 * and column, and reported together as one POLICY_PACK_INVALID.
 */
import type { Dirent } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { PromotionStage } from '../evidence-document/evidence-document';
import { loadEvidenceCel, packEnvironment, type EvidenceCel, type PackEnvironment } from './cel-environment';
import type { ReadPath } from './expression-reads';
import { compileTemplate } from './message-template';
import { parameterValueProblem, resolveParameterValues, type ParameterDeclaration } from './pack-parameters';
import { PolicyError, type PolicyProblem } from './policy.error';
import type { PolicyPack, PolicyRule, RuleSeverity } from './policy-pack';
import { packDigest } from './policy-pack.digest';
import { POLICY_PACK_SCHEMA, POLICY_RULES_SCHEMA } from './policy-pack.schema';
import { compileExpression, type ExpressionProblem } from './rule-expression';
import { YamlSource } from './yaml-source';

export const PACK_MANIFEST = 'pack.yaml';
export const RULES_FILE = /^[a-z0-9][a-z0-9-]*\.rules\.yaml$/;
/** Folders of the packs root that are not packs. */
const NOT_PACKS = new Set(['schema']);

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validatePack = ajv.compile(POLICY_PACK_SCHEMA);
const validateRules = ajv.compile(POLICY_RULES_SCHEMA);

export interface LoadPackOptions {
  /** The organisation's values for the pack's parameters (defaults apply to the rest). */
  parameters?: Record<string, unknown>;
}

export interface LoadPacksOptions {
  /** Per pack id. */
  parameters?: Record<string, Record<string, unknown>>;
  /** Load only these pack ids (each must exist). */
  only?: readonly string[];
}

interface Manifest {
  id: string;
  version: string;
  title: string;
  description?: string;
  jurisdiction: string;
  appliesTo?: { riskTiers?: string[]; jurisdictions?: string[] };
  references?: Array<{ title: string; url: string }>;
  parameters?: Record<string, ParameterDeclaration>;
}

interface RawRule {
  id: string;
  title: string;
  description?: string;
  cites: string | string[];
  stages: PromotionStage[];
  severity: RuleSeverity;
  waivable: boolean;
  when?: string;
  require: string;
  message: string;
}

/** Relative to the working directory when inside it, with forward slashes. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  return shown.split(sep).join('/');
}

const quote = (value: unknown) => JSON.stringify(value);

function describeSchemaError(error: ErrorObject): { pointer: string; key: boolean; message: string } {
  const params = error.params as Record<string, unknown>;
  const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
  switch (error.keyword) {
    case 'additionalProperties':
      return { pointer: `${error.instancePath}/${escape(String(params.additionalProperty))}`, key: true, message: `unknown field ${quote(params.additionalProperty)}` };
    case 'required':
      return { pointer: error.instancePath, key: false, message: `missing field ${quote(params.missingProperty)}` };
    case 'propertyNames':
      return { pointer: `${error.instancePath}/${escape(String(params.propertyName))}`, key: true, message: `invalid name ${quote(params.propertyName)}` };
    case 'type': {
      const types = String(params.type).split(',').map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : `a ${t}`));
      return { pointer: error.instancePath, key: false, message: `must be ${types.join(' or ')}` };
    }
    case 'enum': {
      const allowed = params.allowedValues as unknown[];
      const shown = allowed.length > 12 ? `${allowed.slice(0, 12).map(quote).join(', ')}, …` : allowed.map(quote).join(', ');
      return { pointer: error.instancePath, key: false, message: `must be one of ${shown}` };
    }
    case 'pattern':
      return { pointer: error.instancePath, key: false, message: params.pattern === '\\S' ? 'must not be blank' : `must match ${String(params.pattern)}` };
    default:
      return { pointer: error.instancePath, key: false, message: error.message ?? error.keyword };
  }
}

function schemaProblems(source: YamlSource, validate: ValidateFunction): PolicyProblem[] {
  if (validate(source.value)) return [];
  const problems = new Map<string, PolicyProblem>();
  for (const error of validate.errors ?? []) {
    // A bad property name gives an inner error (with `propertyName`) and a `propertyNames` one: keep the latter.
    if (error.propertyName !== undefined) continue;
    const { pointer, key, message } = describeSchemaError(error);
    const problem = source.problem(source.position(pointer, { key }), message, pointer);
    problems.set(`${pointer} ${message}`, problem);
  }
  return [...problems.values()];
}

function byPosition(a: PolicyProblem, b: PolicyProblem): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

async function readText(path: string, problems: PolicyProblem[]): Promise<{ bytes: Uint8Array; text: string } | undefined> {
  const bytes = await readFile(path);
  try {
    return { bytes, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    problems.push({ file: displayPath(path), message: 'not valid UTF-8' });
    return undefined;
  }
}

function manifestProblems(source: YamlSource, folder: string): PolicyProblem[] {
  const problems = schemaProblems(source, validatePack);
  if (problems.length) return problems;
  const manifest = source.value as Manifest;
  if (manifest.id !== folder) {
    problems.push(source.problem(source.position('/id'), `pack id ${quote(manifest.id)} must equal its folder name ${quote(folder)}`, '/id'));
  }
  for (const [name, declaration] of Object.entries(manifest.parameters ?? {})) {
    const at = `/parameters/${name}`;
    const numeric = /^(int|double|list<int>|list<double>)$/.test(declaration.type);
    for (const bound of ['minimum', 'maximum'] as const) {
      if (declaration[bound] !== undefined && !numeric) {
        problems.push(source.problem(source.position(`${at}/${bound}`, { key: true }), `${bound} applies only to numeric parameters`, `${at}/${bound}`));
      }
    }
    const problem = parameterValueProblem(declaration, declaration.default);
    if (problem) problems.push(source.problem(source.position(`${at}/default`), `default ${problem}`, `${at}/default`));
  }
  return problems;
}

function rulesReads(when: ReadPath[], require: ReadPath[]): PolicyRule['reads'] {
  const byLabel = (a: ReadPath, b: ReadPath) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  const all = new Map([...when, ...require].map((read) => [read.label, read]));
  return { when: [...when].sort(byLabel), all: [...all.values()].sort(byLabel) };
}

/** Compiles one rule file's rules; `seen` carries rule ids across the pack's files. */
function compileRules(source: YamlSource, environment: PackEnvironment | undefined, seen: Map<string, string>, problems: PolicyProblem[]): PolicyRule[] {
  const schema = schemaProblems(source, validateRules);
  problems.push(...schema);
  if (schema.length) return [];
  const rules: PolicyRule[] = [];
  for (const [index, raw] of (source.value as { rules: RawRule[] }).rules.entries()) {
    const at = `/rules/${index}`;
    const where = source.position(at);
    const location = `${source.file}:${where.line}:${where.column}`;
    const first = seen.get(raw.id);
    if (first) problems.push(source.problem(source.position(`${at}/id`), `duplicate rule id ${quote(raw.id)} (first defined at ${first})`, `${at}/id`));
    else seen.set(raw.id, location);
    if (!environment) continue; // pack.yaml is invalid: its parameters cannot type the expressions
    const report = (field: string) => (problem: ExpressionProblem) =>
      problems.push(source.problem(source.positionInScalar(`${at}/${field}`, problem.offset), problem.message, `${at}/${field}`));
    const when = raw.when === undefined ? undefined : compileExpression(environment.env, raw.when, 'bool');
    const require = compileExpression(environment.env, raw.require, 'bool');
    const message = compileTemplate(environment.env, raw.message);
    if (when && !when.ok) report('when')(when.problem);
    if (!require.ok) report('require')(require.problem);
    if (!message.ok) message.problems.forEach(report('message'));
    if ((when && !when.ok) || !require.ok || !message.ok) continue;
    rules.push({
      id: raw.id,
      title: raw.title,
      description: raw.description ?? null,
      cites: typeof raw.cites === 'string' ? [raw.cites] : raw.cites,
      stages: raw.stages,
      severity: raw.severity,
      waivable: raw.waivable,
      when: when ? when.expression : null,
      require: require.expression,
      message: message.template,
      reads: rulesReads(when?.expression.reads ?? [], require.expression.reads),
      source: { file: source.file, line: where.line, column: where.column },
    });
  }
  return rules;
}

function parameterError(pack: string, problems: Array<{ name: string; message: string }>): PolicyError {
  return new PolicyError(
    'POLICY_PARAMETERS_INVALID',
    `Parameters for policy pack ${pack} are invalid`,
    problems.map((p) => ({ path: `/parameters/${p.name}`, message: `${p.name} ${p.message}` })),
  );
}

/** The pack with its parameters set to `overrides` over the declared defaults (replay sets the recorded values). */
export function withPackParameters(pack: PolicyPack, overrides: Record<string, unknown>): PolicyPack {
  const { values, problems } = resolveParameterValues(pack.parameters, overrides);
  if (problems.length) throw parameterError(pack.id, problems);
  return { ...pack, parameterValues: values, runtime: { ...pack.runtime, params: pack.runtime.environment.convertParams(values) } };
}

async function listDirectory(directory: string, what: string): Promise<Dirent[]> {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new PolicyError('POLICY_PACK_NOT_FOUND', `No ${what} at ${displayPath(directory)}`);
    throw error;
  }
}

export async function loadPolicyPack(directory: string, options: LoadPackOptions = {}): Promise<PolicyPack> {
  const dir = resolve(directory);
  const folder = basename(dir);
  const names = (await listDirectory(dir, 'policy pack'))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  const problems: PolicyProblem[] = [];
  if (!names.includes(PACK_MANIFEST)) {
    throw new PolicyError('POLICY_PACK_INVALID', `Policy pack ${displayPath(dir)} is invalid`, [{ file: displayPath(dir), message: `no ${PACK_MANIFEST}` }]);
  }
  const ruleFiles = names.filter((name) => RULES_FILE.test(name));
  for (const name of names) {
    if (/\.ya?ml$/i.test(name) && name !== PACK_MANIFEST && !RULES_FILE.test(name)) {
      problems.push({ file: displayPath(join(dir, name)), message: 'not a pack file: rule files are named <name>.rules.yaml (lower-case letters, digits and -)' });
    }
  }
  if (ruleFiles.length === 0) problems.push({ file: displayPath(dir), message: 'no rule files (*.rules.yaml)' });

  const files: Array<{ path: string; bytes: Uint8Array; source?: YamlSource }> = [];
  for (const name of [PACK_MANIFEST, ...ruleFiles]) {
    const path = join(dir, name);
    const read = await readText(path, problems);
    if (read) files.push({ path: name, bytes: read.bytes, source: new YamlSource(displayPath(path), read.text) });
  }
  const { digest, files: digests } = packDigest(files);

  const evidenceCel: EvidenceCel = await loadEvidenceCel();
  const manifestSource = files.find((file) => file.path === PACK_MANIFEST)?.source;
  let manifest: Manifest | undefined;
  let environment: PackEnvironment | undefined;
  if (manifestSource) {
    problems.push(...manifestSource.problems);
    if (manifestSource.value !== undefined) {
      const found = manifestProblems(manifestSource, folder);
      problems.push(...found);
      if (found.length === 0) {
        manifest = manifestSource.value as Manifest;
        environment = packEnvironment(evidenceCel, manifest.parameters ?? {});
      }
    }
  }

  const seen = new Map<string, string>();
  const rules: PolicyRule[] = [];
  for (const file of files) {
    if (file.path === PACK_MANIFEST || !file.source) continue;
    problems.push(...file.source.problems);
    if (file.source.value !== undefined) rules.push(...compileRules(file.source, environment, seen, problems));
  }
  if (problems.length || !manifest || !environment) {
    throw new PolicyError('POLICY_PACK_INVALID', `Policy pack ${displayPath(dir)} is invalid`, problems.sort(byPosition));
  }

  const declarations = manifest.parameters ?? {};
  const pack: PolicyPack = {
    id: manifest.id,
    version: manifest.version,
    title: manifest.title,
    description: manifest.description ?? null,
    jurisdiction: manifest.jurisdiction,
    appliesTo: { riskTiers: manifest.appliesTo?.riskTiers ?? null, jurisdictions: manifest.appliesTo?.jurisdictions ?? null },
    references: manifest.references ?? [],
    digest,
    files: digests,
    directory: dir,
    parameters: declarations,
    parameterValues: {},
    rules,
    runtime: { environment, params: undefined, convertEvidence: evidenceCel.convertEvidence },
  };
  return withPackParameters(pack, options.parameters ?? {});
}

/**
 * Loads every pack folder under `root` (the `policies/` folder), sorted by name. Problems of all
 * packs are reported together, so a refused boot lists everything to fix at once.
 */
export async function loadPolicyPacks(root: string, options: LoadPacksOptions = {}): Promise<PolicyPack[]> {
  const dir = resolve(root);
  const entries = await listDirectory(dir, 'policy packs folder');
  const folders = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !NOT_PACKS.has(entry.name))
    .map((entry) => entry.name)
    .sort();
  const wanted = options.only ? [...options.only] : folders;
  for (const id of wanted) {
    if (!folders.includes(id)) throw new PolicyError('POLICY_PACK_NOT_FOUND', `No policy pack ${quote(id)} in ${displayPath(dir)}`);
  }
  for (const id of Object.keys(options.parameters ?? {})) {
    if (!wanted.includes(id)) throw new PolicyError('POLICY_PARAMETERS_INVALID', `Parameters given for ${quote(id)}, which is not a loaded pack`);
  }
  const packs: PolicyPack[] = [];
  const problems: PolicyProblem[] = [];
  for (const id of wanted) {
    try {
      packs.push(await loadPolicyPack(join(dir, id), { parameters: options.parameters?.[id] }));
    } catch (error) {
      if (!(error instanceof PolicyError) || error.code !== 'POLICY_PACK_INVALID') throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw new PolicyError('POLICY_PACK_INVALID', `Policy packs in ${displayPath(dir)} are invalid`, problems);
  return packs;
}
