import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleEvidenceDocument } from '../evidence-document/evidence-document.fixture';
import { evaluatePolicies } from './policy.evaluator';
import { loadPolicyPack } from './policy-pack.loader';
import { MINIMAL_PACK_YAML, MINIMAL_RULES_YAML, TempPacks } from './policy-pack.fixture';
import { replayDecision, replayDecisionWithPacks } from './policy.replay';

const NOW = '2026-03-02T10:00:00.000Z';
const packs = new TempPacks();
afterAll(() => packs.cleanup());

/** Age ratio 0.83: passes at the default threshold 0.8, fails at 0.85. */
function evidence() {
  const document = exampleEvidenceDocument();
  document.fairness!.attributeSets[1]!.demographicParityRatio = 0.83;
  document.fairness!.minDemographicParityRatio = 0.83;
  return document;
}

describe('pack digest', () => {
  it('changes when a pack file is edited, and not when a file outside the pack is', async () => {
    const dir = packs.write('digest/demo', { 'pack.yaml': MINIMAL_PACK_YAML, 'fairness.rules.yaml': MINIMAL_RULES_YAML, 'README.md': 'notes', 'tests/x.test.yaml': 'cases: {}\n' });
    const before = (await loadPolicyPack(dir)).digest;
    writeFileSync(join(dir, 'README.md'), 'other notes');
    writeFileSync(join(dir, 'tests/x.test.yaml'), 'cases: {} # edited\n');
    expect((await loadPolicyPack(dir)).digest).toBe(before);
    writeFileSync(join(dir, 'fairness.rules.yaml'), MINIMAL_RULES_YAML.replace('severity: block', 'severity: warn'));
    expect((await loadPolicyPack(dir)).digest).not.toBe(before);
  });

  it('is what the documented coreutils line computes', async () => {
    const pack = await loadPolicyPack(join(__dirname, '../../../policies/eu-ai-act-high-risk'));
    const shell = execFileSync('sh', ['-c', 'sha256sum pack.yaml *.rules.yaml | LC_ALL=C sort -k 2 | sha256sum'], { cwd: pack.directory, encoding: 'utf8' });
    expect(pack.digest).toBe(`sha256:${shell.split(' ')[0]}`);
    expect(pack.files.map((f) => f.path)).toEqual([...pack.files.map((f) => f.path)].sort());
  });
});

describe(replayDecision.name, () => {
  it('reproduces a decision from the evidence and the pack folder', async () => {
    const root = join(packs.root, 'replay-same');
    packs.write('replay-same/demo', { 'pack.yaml': MINIMAL_PACK_YAML, 'fairness.rules.yaml': MINIMAL_RULES_YAML });
    const pack = await loadPolicyPack(join(root, 'demo'), { parameters: { minRatio: 0.85 } });
    const waivers = [{ packId: 'demo', ruleId: 'fairness-ratio', expiresAt: '2026-03-01T00:00:00.000Z', justification: 'Expired before the decision.' }];
    const recorded = evaluatePolicies([pack], evidence(), { stage: 'production', now: NOW, waivers });
    expect(recorded.outcome).toBe('blocked');
    // Through JSON, as a recorded decision is read back from a bundle.
    const result = await replayDecision(JSON.parse(JSON.stringify(recorded)), evidence(), root);
    expect(result).toMatchObject({ ok: true, differences: [] });
    expect(result.replayed).toEqual(recorded);
  });

  it('after a pack edit: the digest changes, earlier decisions keep theirs, and replay with the old pack reproduces them', async () => {
    const oldRoot = join(packs.root, 'v1');
    const dir = packs.write('v1/demo', { 'pack.yaml': MINIMAL_PACK_YAML, 'fairness.rules.yaml': MINIMAL_RULES_YAML });
    const old = await loadPolicyPack(dir);
    const before = evaluatePolicies([old], evidence(), { stage: 'production', now: NOW });
    expect(before.outcome).toBe('pending_approval');

    // The organisation tightens the threshold in a copy of the pack (v2).
    const newDir = packs.write('v2/demo', {
      'pack.yaml': readFileSync(join(dir, 'pack.yaml'), 'utf8').replace('version: "1.0.0"', 'version: "1.1.0"').replace('default: 0.8', 'default: 0.85'),
      'fairness.rules.yaml': readFileSync(join(dir, 'fairness.rules.yaml'), 'utf8'),
    });
    const edited = await loadPolicyPack(newDir);
    expect(edited.digest).not.toBe(old.digest);
    const after = evaluatePolicies([edited], evidence(), { stage: 'production', now: NOW });
    expect(after).toMatchObject({ outcome: 'blocked', packs: [{ version: '1.1.0', digest: edited.digest }] });
    expect(before.packs[0]!.digest).toBe(old.digest);

    expect(await replayDecision(before, evidence(), oldRoot)).toMatchObject({ ok: true, differences: [] });
    expect(replayDecisionWithPacks(after, evidence(), [edited])).toMatchObject({ ok: true });

    // Replaying the old decision against the edited pack shows exactly what differs.
    const mismatch = replayDecisionWithPacks(before, evidence(), [edited]);
    expect(mismatch.ok).toBe(false);
    expect(mismatch.differences).toEqual([
      { path: '/packs/0/digest', recorded: old.digest, replayed: edited.digest },
      { path: '/packs/0/version', recorded: '1.0.0', replayed: '1.1.0' },
    ]);
  });

  it('reports a decision that does not match its evidence', async () => {
    const root = join(packs.root, 'tamper');
    packs.write('tamper/demo', { 'pack.yaml': MINIMAL_PACK_YAML, 'fairness.rules.yaml': MINIMAL_RULES_YAML });
    const recorded = evaluatePolicies([await loadPolicyPack(join(root, 'demo'))], evidence(), { stage: 'production', now: NOW });
    const forged = { ...recorded, outcome: 'pending_approval' as const, rules: recorded.rules.map((r) => ({ ...r, outcome: 'pass' as const })) };
    const other = evidence();
    other.fairness!.attributeSets[1]!.demographicParityRatio = 0.6;
    const result = await replayDecision(forged, other, root);
    expect(result.ok).toBe(false);
    expect(result.differences.map((d) => d.path)).toEqual(
      expect.arrayContaining(['/evidenceDigest', '/outcome', '/rules/0/outcome', '/rules/0/message', '/blockedBy/0']),
    );
  });

  it('refuses something that is not a decision', async () => {
    await expect(replayDecision({ format: 'x' }, evidence(), packs.root)).rejects.toMatchObject({ code: 'POLICY_DECISION_INVALID' });
  });
});
