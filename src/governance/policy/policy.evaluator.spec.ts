import { exampleEvidenceDocument } from '../evidence-document/evidence-document.fixture';
import { evaluatePolicies } from './policy.evaluator';
import { decisionDigest } from './decision-digest';
import type { PolicyPack } from './policy-pack';
import { loadPolicyPack } from './policy-pack.loader';
import { TempPacks } from './policy-pack.fixture';
import type { Waiver } from './waivers';

const NOW = '2026-03-02T10:00:00.000Z';
const packs = new TempPacks();
afterAll(() => packs.cleanup());

const PACK = `id: gate
version: "2.1.0"
title: Gate
jurisdiction: EU
appliesTo:
  riskTiers: [high, limited]
  jurisdictions: [DE, FR]
parameters:
  minRatio: { type: double, default: 0.8, description: Lowest selection-rate ratio. }
  minK: { type: int, default: 5, description: Smallest k. }
  metrics: { type: list<string>, default: [accuracy], description: Required metrics. }
`;

const RULES = `rules:
  - id: disparate-impact
    title: Selection-rate ratio
    cites: EU AI Act Art. 10(2)(f)
    stages: [staging, production]
    severity: block
    waivable: true
    when: has(evidence.fairness)
    require: evidence.fairness.attributeSets.all(a, has(a.demographicParityRatio) && a.demographicParityRatio >= params.minRatio)
    message: "Ratios {{ evidence.fairness.attributeSets.map(a, a.attributes.join('×') + '=' + string(a.demographicParityRatio)) }} below {{ params.minRatio }}; lowest {{ evidence.fairness.minDemographicParityRatio }}."
  - id: signed
    title: Signed artifacts
    cites: [OpenSSF Model Signing v1.0, EU AI Act Art. 15(5)]
    stages: [staging, production]
    severity: block
    waivable: false
    require: has(evidence.artifacts.signature) && evidence.artifacts.signature.verified
    message: "Not signed."
  - id: k-anonymity
    title: k-anonymity
    cites: GDPR Recital 26
    stages: [production]
    severity: warn
    waivable: true
    require: evidence.privacy.kAnonymity.k >= params.minK
    message: "k = {{ evidence.privacy.kAnonymity.k }} < {{ params.minK }} (stage {{ stage }}, tier {{ riskTier }})."
  - id: metrics
    title: Metrics reported
    cites: Model Cards
    stages: [production]
    severity: block
    waivable: true
    require: params.metrics.all(n, evidence.evaluation.metrics.exists(m, m.name == n)) && size(evidence.evaluation.metrics) > 2
    message: "Missing metrics."
`;

let pack: PolicyPack;
beforeAll(async () => {
  pack = await loadPolicyPack(packs.write('gate', { 'pack.yaml': PACK, 'gate.rules.yaml': RULES }));
});

const rule = (decision: ReturnType<typeof evaluatePolicies>, id: string) => decision.rules.find((r) => r.ruleId === id)!;
const lowRatio = () => {
  const document = exampleEvidenceDocument();
  document.fairness!.attributeSets[1]!.demographicParityRatio = 0.71;
  document.fairness!.minDemographicParityRatio = 0.71;
  return document;
};
const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  id: 'w-1',
  packId: 'gate',
  ruleId: 'disparate-impact',
  expiresAt: '2026-06-30T00:00:00.000Z',
  justification: 'Age groups re-weighted in the next release; interim manual review of under-25 applicants.',
  grantedBy: 'officer-7',
  ...over,
});

describe(evaluatePolicies.name, () => {
  it('records the packs, the evidence digest and each rule with the values it read', () => {
    const decision = evaluatePolicies([pack], exampleEvidenceDocument(), { stage: 'production', now: NOW });
    expect(decision).toMatchObject({
      format: 'assay.policy-decision/v1',
      evaluatedAt: NOW,
      stage: 'production',
      riskTier: 'high',
      jurisdictions: ['DE', 'CN'],
      modelVersionId: exampleEvidenceDocument().model.versionId,
      evidenceDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      packs: [{ id: 'gate', version: '2.1.0', digest: pack.digest, applicable: true, reason: null, parameters: { minRatio: 0.8, minK: 5, metrics: ['accuracy'] } }],
      outcome: 'pending_approval',
      blockedBy: [],
      counts: { pass: 4, fail: 0, not_applicable: 0, waived: 0, error: 0 },
    });
    expect(rule(decision, 'disparate-impact')).toEqual({
      packId: 'gate',
      ruleId: 'disparate-impact',
      title: 'Selection-rate ratio',
      cites: ['EU AI Act Art. 10(2)(f)'],
      severity: 'block',
      waivable: true,
      outcome: 'pass',
      reason: null,
      observed: {
        'evidence.fairness.attributeSets[*].demographicParityRatio': [0.931, 0.859, 0.966],
        'has(evidence.fairness)': true,
        'has(evidence.fairness.attributeSets[*].demographicParityRatio)': [true, true, true],
        'params.minRatio': 0.8,
      },
      message: null,
      waiver: null,
    });
    expect(rule(decision, 'metrics').observed).toEqual({
      'evidence.evaluation.metrics[*].name': ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss', 'brier', 'expectedCalibrationError'],
      'params.metrics[*]': ['accuracy'],
      'size(evidence.evaluation.metrics)': 8,
    });
  });

  it('fails a rule with a message that shows the observed values, and blocks on a block rule', () => {
    const decision = evaluatePolicies([pack], lowRatio(), { stage: 'production', now: NOW });
    expect(rule(decision, 'disparate-impact')).toMatchObject({
      outcome: 'fail',
      message: 'Ratios [sex=0.931, age=0.71, foreign_worker=0.966] below 0.8; lowest 0.71.',
      observed: expect.objectContaining({ 'evidence.fairness.attributeSets[*].demographicParityRatio': [0.931, 0.71, 0.966] }),
    });
    expect(decision).toMatchObject({ outcome: 'blocked', blockedBy: [{ packId: 'gate', ruleId: 'disparate-impact' }], warnings: [] });
  });

  it('only warns for a failing warn rule', () => {
    const document = exampleEvidenceDocument();
    document.privacy!.kAnonymity!.k = 3;
    const decision = evaluatePolicies([pack], document, { stage: 'production', now: NOW });
    expect(rule(decision, 'k-anonymity')).toMatchObject({ outcome: 'fail', message: 'k = 3 < 5 (stage production, tier high).' });
    expect(decision).toMatchObject({ outcome: 'pending_approval', warnings: [{ packId: 'gate', ruleId: 'k-anonymity' }] });
  });

  it('is not applicable for a stage the rule does not gate, when `when` is false, or when the pack does not apply', () => {
    const staging = evaluatePolicies([pack], exampleEvidenceDocument(), { stage: 'staging', now: NOW });
    expect(rule(staging, 'k-anonymity')).toMatchObject({ outcome: 'not_applicable', reason: 'rule gates production, not staging', observed: {} });

    const noFairness = { ...exampleEvidenceDocument(), fairness: null };
    expect(rule(evaluatePolicies([pack], noFairness, { stage: 'production', now: NOW }), 'disparate-impact')).toMatchObject({
      outcome: 'not_applicable',
      reason: 'when is false',
      observed: { 'has(evidence.fairness)': false },
    });

    const minimal = evaluatePolicies([pack], exampleEvidenceDocument(), { stage: 'production', now: NOW, riskTier: 'minimal' });
    expect(minimal.packs[0]).toMatchObject({ applicable: false, reason: "pack applies to risk tiers high, limited; the model's is minimal" });
    expect(minimal.counts).toMatchObject({ not_applicable: 4 });

    const elsewhere = exampleEvidenceDocument();
    elsewhere.model.jurisdictions = ['US'];
    expect(evaluatePolicies([pack], elsewhere, { stage: 'production', now: NOW }).packs[0]).toMatchObject({
      applicable: false,
      reason: 'pack applies in DE, FR; the model is used in US',
    });
    // Declaring no jurisdiction does not exempt a model from a jurisdiction's pack.
    elsewhere.model.jurisdictions = [];
    expect(evaluatePolicies([pack], elsewhere, { stage: 'production', now: NOW }).packs[0]!.applicable).toBe(true);
  });

  it('gives error — which blocks — when absent evidence is read without has()', () => {
    const document = { ...exampleEvidenceDocument(), privacy: null };
    const decision = evaluatePolicies([pack], document, { stage: 'production', now: NOW });
    expect(rule(decision, 'k-anonymity')).toMatchObject({
      outcome: 'error',
      reason: 'require: No such key: privacy',
      message: 'k = (absent) < 5 (stage production, tier high).',
      observed: { 'evidence.privacy.kAnonymity.k': null, 'params.minK': 5 },
    });
    const unsigned = { ...exampleEvidenceDocument(), artifacts: null };
    expect(evaluatePolicies([pack], unsigned, { stage: 'production', now: NOW })).toMatchObject({
      outcome: 'blocked',
      blockedBy: [{ packId: 'gate', ruleId: 'signed' }],
    });
  });

  it('refuses an evidence document that is not assay.evidence/v1, saying where', () => {
    const document = { ...exampleEvidenceDocument(), fairness: { minRatio: 0.7 } };
    expect(() => evaluatePolicies([pack], document, { stage: 'production', now: NOW })).toThrow(
      expect.objectContaining({ code: 'POLICY_EVIDENCE_INVALID', problems: expect.arrayContaining([{ path: '/fairness/minRatio', message: 'unknown field' }]) }),
    );
    expect(() => evaluatePolicies([pack], exampleEvidenceDocument(), { stage: 'prod' as 'production', now: NOW })).toThrow(
      expect.objectContaining({ code: 'POLICY_OPTIONS_INVALID' }),
    );
    expect(() => evaluatePolicies([pack, pack], exampleEvidenceDocument(), { stage: 'production', now: NOW })).toThrow(
      expect.objectContaining({ code: 'POLICY_OPTIONS_INVALID' }),
    );
  });

  it('is deterministic: the same inputs give the same decision, byte for byte', () => {
    const a = evaluatePolicies([pack], lowRatio(), { stage: 'production', now: NOW, waivers: [waiver()] });
    const b = evaluatePolicies([pack], lowRatio(), { stage: 'production', now: new Date(NOW), waivers: [waiver()] });
    expect(decisionDigest(a)).toBe(decisionDigest(b));
    // Plain JSON: survives a round trip unchanged (no undefined, NaN, BigInt).
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});

describe('waivers', () => {
  it('turn a failing waivable rule into waived and unblock the decision', () => {
    const decision = evaluatePolicies([pack], lowRatio(), { stage: 'production', now: NOW, waivers: [waiver()] });
    expect(rule(decision, 'disparate-impact')).toMatchObject({ outcome: 'waived', waiver: waiver(), message: expect.stringContaining('age=0.71') });
    expect(decision).toMatchObject({ outcome: 'pending_approval', blockedBy: [], waivers: [{ waiver: waiver(), status: 'applied' }] });
    expect(decision.counts).toMatchObject({ waived: 1, fail: 0 });
  });

  it('cannot waive a non-waivable rule', () => {
    const document = exampleEvidenceDocument();
    document.artifacts!.signature!.verified = false;
    const decision = evaluatePolicies([pack], document, { stage: 'production', now: NOW, waivers: [waiver({ ruleId: 'signed' })] });
    expect(rule(decision, 'signed')).toMatchObject({ outcome: 'fail', waiver: null });
    expect(decision).toMatchObject({ outcome: 'blocked', waivers: [{ status: 'not_waivable' }] });
  });

  it('ignore an expired waiver (time is passed in)', () => {
    const expiring = waiver({ expiresAt: NOW });
    const decision = evaluatePolicies([pack], lowRatio(), { stage: 'production', now: NOW, waivers: [expiring] });
    expect(rule(decision, 'disparate-impact').outcome).toBe('fail');
    expect(decision).toMatchObject({ outcome: 'blocked', waivers: [{ status: 'expired' }] });
    const earlier = evaluatePolicies([pack], lowRatio(), { stage: 'production', now: '2026-03-01T23:59:59.999Z', waivers: [expiring] });
    expect(earlier).toMatchObject({ outcome: 'pending_approval', waivers: [{ status: 'applied' }] });
  });

  it('say what became of every waiver: the longest-lasting applies, others are redundant, unneeded or unknown', () => {
    const longer = waiver({ id: 'w-2', expiresAt: '2026-12-31T00:00:00.000Z' });
    const decision = evaluatePolicies([pack], lowRatio(), {
      stage: 'production',
      now: NOW,
      waivers: [waiver(), longer, waiver({ id: 'w-3', ruleId: 'k-anonymity' }), waiver({ id: 'w-4', packId: 'other' })],
    });
    expect(decision.waivers.map((w) => [w.waiver.id, w.status])).toEqual([
      ['w-1', 'redundant'],
      ['w-2', 'applied'],
      ['w-3', 'not_needed'],
      ['w-4', 'unknown_rule'],
    ]);
    expect(rule(decision, 'disparate-impact').waiver).toEqual(longer);
  });

  it('refuses malformed waivers', () => {
    expect(() => evaluatePolicies([pack], lowRatio(), { stage: 'production', now: NOW, waivers: [{ ...waiver(), justification: ' ' }] })).toThrow(
      expect.objectContaining({ code: 'POLICY_WAIVER_INVALID', problems: [{ path: '/waivers/0/justification', message: 'must be a non-empty string' }] }),
    );
    expect(() => evaluatePolicies([pack], lowRatio(), { stage: 'production', now: NOW, waivers: [{ ...waiver(), expiresAt: 'soon' }] })).toThrow(
      expect.objectContaining({ code: 'POLICY_WAIVER_INVALID' }),
    );
  });
});
