import { join } from 'node:path';
import { exampleEvidenceDocument } from '../evidence-document/evidence-document.fixture';
import { applyJsonPatch } from './json-patch';
import { loadPackTestCases, type RuleTestCase } from './pack-test-cases';
import { evaluatePolicies } from './policy.evaluator';
import type { PolicyPack } from './policy-pack';
import { loadPolicyPacks } from './policy-pack.loader';

/**
 * The packs shipped in policies/: they validate (this is the CI check), every rule cites a clause,
 * and every rule has a passing and a failing evidence fixture that give pass resp. fail.
 */
const POLICIES = join(__dirname, '../../../policies');
const SHIPPED = ['baseline', 'cn-genai-interim-measures', 'eu-ai-act-high-risk', 'nist-ai-rmf'];
const NOW = '2026-03-02T10:00:00.000Z';

let packs: PolicyPack[];
const cases = new Map<string, Map<string, RuleTestCase>>();

beforeAll(async () => {
  packs = await loadPolicyPacks(POLICIES);
  for (const pack of packs) cases.set(pack.id, await loadPackTestCases(pack.directory));
});

function outcomeOf(pack: PolicyPack, ruleId: string, testCase: RuleTestCase, which: 'pass' | 'fail') {
  const document = applyJsonPatch(exampleEvidenceDocument(), testCase[which]);
  const decision = evaluatePolicies([pack], document, { stage: testCase.stage, now: NOW });
  const result = decision.rules.find((rule) => rule.ruleId === ruleId)!;
  return { outcome: result.outcome, reason: result.reason, message: result.message };
}

describe('shipped policy packs', () => {
  it('all validate, and are the four packs the platform ships', () => {
    expect(packs.map((pack) => pack.id)).toEqual(SHIPPED);
    expect(packs.every((pack) => /^sha256:[0-9a-f]{64}$/.test(pack.digest))).toBe(true);
  });

  it('cite a non-empty clause in every rule', () => {
    for (const pack of packs) {
      for (const rule of pack.rules) {
        expect(rule.cites.length).toBeGreaterThan(0);
        for (const cite of rule.cites) expect(cite.trim()).not.toBe('');
      }
    }
  });

  it('have a passing and a failing fixture for every rule, and none for rules that do not exist', () => {
    for (const pack of packs) {
      const ids = pack.rules.map((rule) => rule.id).sort();
      expect([...cases.get(pack.id)!.keys()].sort()).toEqual(ids);
    }
  });

  it('let the example document through every pack, pending approval', () => {
    const decision = evaluatePolicies(packs, exampleEvidenceDocument(), { stage: 'production', now: NOW });
    expect(decision.rules.filter((rule) => rule.outcome !== 'pass')).toEqual([]);
    expect(decision.outcome).toBe('pending_approval');
    expect(decision.counts.pass).toBe(packs.reduce((n, pack) => n + pack.rules.length, 0));
  });

  describe.each(SHIPPED)('%s', (packId) => {
    const rules = () => packs.find((pack) => pack.id === packId)!.rules.map((rule) => rule.id);
    it('gives pass on each rule’s passing fixture and fail on its failing one', () => {
      const pack = packs.find((candidate) => candidate.id === packId)!;
      const results = rules().map((ruleId) => {
        const testCase = cases.get(packId)!.get(ruleId)!;
        return { ruleId, pass: outcomeOf(pack, ruleId, testCase, 'pass'), fail: outcomeOf(pack, ruleId, testCase, 'fail') };
      });
      for (const result of results) {
        expect({ ruleId: result.ruleId, outcome: result.pass.outcome, reason: result.pass.reason }).toEqual({ ruleId: result.ruleId, outcome: 'pass', reason: null });
        expect({ ruleId: result.ruleId, outcome: result.fail.outcome, reason: result.fail.reason }).toEqual({ ruleId: result.ruleId, outcome: 'fail', reason: null });
        // The failing message renders every value it shows.
        expect({ ruleId: result.ruleId, message: result.fail.message }).not.toEqual({ ruleId: result.ruleId, message: expect.stringContaining('(error)') });
      }
    });
  });
});
