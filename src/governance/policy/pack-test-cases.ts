/**
 * Pack tests: for every rule, a passing and a failing evidence document, each written as an RFC 6902
 * patch of the example document. They live in `<pack>/tests/*.test.yaml` — outside the pack digest,
 * since they do not change what the pack decides — and a spec runs them for every shipped pack:
 *
 *   cases:
 *     art10-2-f-bias-examined:
 *       stage: production          # optional; production by default
 *       pass: []                   # the example document as is
 *       fail:
 *         - { op: replace, path: /fairness, value: null }
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { PromotionStage } from '../evidence-document/evidence-document';
import type { JsonPatchOperation } from './json-patch';
import { PolicyError, type PolicyProblem } from './policy.error';
import { displayPath } from './policy-pack.loader';
import { YamlSource } from './yaml-source';

export interface RuleTestCase {
  ruleId: string;
  stage: PromotionStage;
  pass: JsonPatchOperation[];
  fail: JsonPatchOperation[];
  /** Where the case is written. */
  file: string;
}

const patch = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['op', 'path'],
    properties: { op: { enum: ['add', 'remove', 'replace', 'test'] }, path: { type: 'string' }, value: {} },
  },
};

interface TestFile {
  cases: Record<string, { stage?: PromotionStage; pass: JsonPatchOperation[]; fail: JsonPatchOperation[] }>;
}

const validate = new Ajv2020({ allErrors: true, strict: true }).compile<TestFile>({
  type: 'object',
  additionalProperties: false,
  required: ['cases'],
  properties: {
    cases: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['pass', 'fail'],
        properties: { stage: { enum: ['staging', 'production'] }, pass: patch, fail: patch },
      },
    },
  },
});

export async function loadPackTestCases(packDirectory: string): Promise<Map<string, RuleTestCase>> {
  const dir = join(packDirectory, 'tests');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.test.yaml')).sort();
  const cases = new Map<string, RuleTestCase>();
  const problems: PolicyProblem[] = [];
  for (const name of names) {
    const source = new YamlSource(displayPath(join(dir, name)), await readFile(join(dir, name), 'utf8'));
    problems.push(...source.problems);
    const file: unknown = source.value;
    if (file === undefined) continue;
    if (!validate(file)) {
      for (const error of validate.errors ?? []) problems.push(source.problem(source.position(error.instancePath), error.message ?? error.keyword, error.instancePath));
      continue;
    }
    for (const [ruleId, entry] of Object.entries(file.cases)) {
      if (cases.has(ruleId)) problems.push(source.problem(source.position(`/cases/${ruleId}`, { key: true }), `rule ${ruleId} has cases in two files`));
      cases.set(ruleId, { ruleId, stage: entry.stage ?? 'production', pass: entry.pass, fail: entry.fail, file: source.file });
    }
  }
  if (problems.length) throw new PolicyError('POLICY_PACK_INVALID', `Pack tests in ${displayPath(dir)} are invalid`, problems);
  return cases;
}
