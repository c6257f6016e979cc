/**
 * `assay demo`: the whole life of a model through Assay's API, as its three kinds of user would
 * live it — an engineer registers generated credit data with planted personal data and a planted
 * group disparity, trains and requests promotion (blocked, with the rules and the values they
 * read), pseudonymises the data, documents a lawful basis, retrains without the sensitive
 * attribute and asks again; a compliance officer approves; a regulator exports the evidence
 * bundle and verifies it offline.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PolicyDecision } from '../../governance/policy';
import { verifyEvidenceBundle, type BundleVerificationReport } from '../../governance/exports/bundle';
import { progressBar } from '../progress';
import { DEMO_LABEL, demoCreditCsv, demoDatasheet } from './demo-credit-data';
import { verifyDecisionProof, type DecisionProof } from '../../serving/decision-log/decision-proof';
import { DemoApiError, type DemoClient } from './demo-client';

export interface DemoUsers {
  engineer: DemoClient;
  officer: DemoClient;
  regulator: DemoClient;
}

export interface DemoOutcome {
  bundleFile: string;
  report: BundleVerificationReport;
}

interface Run {
  id: string;
  state: string;
  epochsCompleted: number;
  spec: { model: { training: { epochs: number } } };
  result: { modelDigest: string } | null;
  error: { code: string; message: string } | null;
}
interface Promotion {
  id: string;
  state: string;
  decision: PolicyDecision;
}

type Say = (line: string) => void;

/** Why an officer might accept what remains. */
const WAIVER_REASONS: Record<string, string> = {
  'art15-4-robustness-met': 'The largest drop comes from masking the income feature entirely, not from input noise; accepted pending a noise-only tolerance.',
  'measure-2-6-robustness': 'As for EU Art. 15(4): the drop is from masking a whole feature; accepted pending a noise-only tolerance.',
};

const spec = (features: string[]) => ({
  model: { type: 'logistic_regression', training: { optimizer: { type: 'adam', learningRate: 0.05 }, batchSize: 32, epochs: 12, seed: 7 } },
  preprocessing: { label: DEMO_LABEL, positiveLabel: 'good', features },
});

const percent = (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(1)} %` : 'n/a');

export async function runDemo(users: DemoUsers, outputDir: string, say: Say): Promise<DemoOutcome> {
  const { engineer, officer, regulator } = users;
  let step = 0;
  const heading = (title: string) => say(`\n${++step}. ${title}`);

  heading('A regulator keeps the ledger checkpoint of today, before anything happens');
  const earlierCheckpoint = await regulator.text('/ledger/checkpoint');
  const trustedKey = (await regulator.get<{ verifierKey: string }>('/ledger/public-key')).verifierKey;
  say(`   checkpoint of tree size ${earlierCheckpoint.split('\n')[1]}; ledger key ${trustedKey.split('+').slice(0, 2).join('+')}`);

  heading('The engineer registers 1,600 loan applications (generated: e-mail addresses, phone numbers, and labels biased against women)');
  const dataset = await engineer.post<{ id: string }>('/datasets', { name: 'loan-applications' });
  await engineer.upload(`/datasets/${dataset.id}/versions`, demoCreditCsv());
  await engineer.put(`/datasets/${dataset.id}/versions/1/datasheet`, demoDatasheet({ pseudonymised: false, withLawfulBasis: false }));
  const scan = await engineer.get<{ body?: Record<string, unknown> } & Record<string, unknown>>(`/datasets/${dataset.id}/versions/1/privacy`);
  const scanBody = (scan.body ?? scan) as { pii?: Array<{ column: string; findings: Array<{ entityType: string; matchingValues: number }> }> };
  for (const column of scanBody.pii ?? [])
    say(`   privacy scan: column "${column.column}" holds ${column.findings.map((f) => `${f.entityType} (${f.matchingValues} values)`).join(', ')}`);
  await engineer.post(`/datasets/${dataset.id}/versions/1/transformations`, {
    type: 'split',
    ratios: { train: 0.6, validation: 0.2, test: 0.2 },
    stratifyBy: DEMO_LABEL,
    seed: 11,
  });
  say('   split 60/20/20, stratified by the label, seeded');

  heading('The engineer trains a logistic regression on every column, `sex` included');
  const first = await train(engineer, dataset.id, ['age', 'sex', 'income', 'debt', 'purpose'], say);
  const model = await engineer.post<{ id: string }>('/models', {
    name: 'credit-pre-screening',
    description: 'Ranks consumer loan applications for review by a credit officer.',
    intendedUse: 'Rank consumer loan applications for manual review by credit officers; never refuse credit automatically.',
    prohibitedUses: ['Automated refusal of credit without human review'],
    riskTier: 'high',
    jurisdictions: ['DE'],
    declarations: {
      provider: { name: 'Assay demo bank', contact: 'ai-governance@example.org' },
      knownLimitations: ['Generated data: not validated on real applications.'],
      declaredPerformance: [
        { metric: 'accuracy', minimum: 0.8 },
        { metric: 'rocAuc', minimum: 0.85 },
      ],
      oversightMeasures: ['A credit officer reviews every application; the model only orders the queue.'],
      stopProcedure: 'Demote the production alias; serving stops at once.',
    },
  });
  await engineer.post(`/models/${model.id}/versions`, { runId: first.id });
  await describeVersion(engineer, model.id, 1, say);

  heading('The engineer asks to promote version 1 to production');
  const blocked = await engineer.post<Promotion>(`/models/${model.id}/versions/1/promotions`, { targetStage: 'production' });
  say(`   → ${blocked.state.toUpperCase()} by ${blocked.decision.blockedBy.length} rule(s):`);
  for (const ref of blocked.decision.blockedBy) {
    const rule = blocked.decision.rules.find((r) => r.packId === ref.packId && r.ruleId === ref.ruleId)!;
    say(`     ✗ ${ref.packId}/${ref.ruleId} (${rule.cites.join('; ')}): ${rule.message ?? rule.reason ?? ''}`);
  }

  heading('The engineer pseudonymises e-mail and phone, documents the lawful basis, and retrains without `sex`');
  const pseudonymised = await engineer.post<Record<string, unknown>>(`/datasets/${dataset.id}/versions/1/transformations`, {
    type: 'pseudonymise',
    columns: ['email', 'phone'],
  });
  const v2 = await latestVersion(engineer, dataset.id);
  say(`   version ${v2} of the dataset: e-mail and phone replaced by keyed pseudonyms (${String((pseudonymised as { id?: string }).id ?? 'recorded')})`);
  await engineer.put(`/datasets/${dataset.id}/versions/${v2}/datasheet`, demoDatasheet({ pseudonymised: true, withLawfulBasis: true }));
  const rescan = await engineer.get<Record<string, unknown>>(`/datasets/${dataset.id}/versions/${v2}/privacy`);
  const piiLeft = ((rescan.body ?? rescan) as { piiColumns?: string[] }).piiColumns ?? [];
  say(`   privacy scan of version ${v2}: ${piiLeft.length ? `personal data still in ${piiLeft.join(', ')}` : 'no personal data recognised'}`);
  await engineer.post(`/datasets/${dataset.id}/versions/${v2}/transformations`, {
    type: 'split',
    ratios: { train: 0.6, validation: 0.2, test: 0.2 },
    stratifyBy: DEMO_LABEL,
    seed: 11,
  });
  const second = await train(engineer, dataset.id, ['age', 'income', 'debt', 'purpose'], say);
  await engineer.post(`/models/${model.id}/versions`, { runId: second.id });
  await describeVersion(engineer, model.id, 2, say);

  heading('The engineer sets the post-market monitoring plan: decision logging, drift and per-group prediction-rate thresholds (EU AI Act Art. 12, 72)');
  await engineer.put(`/models/${model.id}/monitoring`, { window: 'P7D', minSamples: 200 });
  say('   plan recorded (monitoring.configured): PSI 0.2, KS 0.1, prediction rate ±0.1 overall and by sex, accuracy drop 0.05 once outcomes arrive');

  heading('The engineer asks to promote version 2');
  let request = await engineer.post<Promotion>(`/models/${model.id}/versions/2/promotions`, { targetStage: 'production' });
  if (request.state === 'blocked') {
    const blockers = request.decision.blockedBy.map((ref) => request.decision.rules.find((r) => r.packId === ref.packId && r.ruleId === ref.ruleId)!);
    say(`   → BLOCKED by ${blockers.length} rule(s); the personal-data and disparity rules pass now. What remains:`);
    for (const rule of blockers) say(`     ✗ ${rule.packId}/${rule.ruleId}: ${rule.message ?? ''}`);
    const fixed = blockers.filter((rule) => !rule.waivable);
    if (fixed.length) throw new Error(`rules that cannot be waived still fail: ${fixed.map((r) => `${r.packId}/${r.ruleId}`).join(', ')}`);
    say('   a compliance officer accepts them for 90 days, each with a justification (waivers are evidence too):');
    const until = new Date(Date.now() + 90 * 86_400_000).toISOString();
    for (const rule of blockers) {
      await officer.post('/waivers', {
        modelId: model.id,
        version: 2,
        packId: rule.packId,
        ruleId: rule.ruleId,
        justification: WAIVER_REASONS[rule.ruleId] ?? 'Accepted by the model risk committee until the remediation due at renewal.',
        expiresAt: until,
      });
      say(`     waived ${rule.packId}/${rule.ruleId} until ${until.slice(0, 10)}`);
    }
    request = await engineer.post<Promotion>(`/models/${model.id}/versions/2/promotions`, { targetStage: 'production' });
  }
  const counts = request.decision.counts;
  say(
    `   → ${request.state.toUpperCase()}: ${counts.pass} rules pass, ${counts.waived} waived, ${counts.fail} failed (warnings), ${counts.not_applicable} not applicable`,
  );

  heading('A second user, the compliance officer, approves (the requester could not)');
  await officer.post(`/promotions/${request.id}/approve`, {
    rationale: 'Evidence reviewed: personal data pseudonymised with a lawful basis; disparity within the four-fifths rule.',
  });
  say('   approved: alias production → version 2, recorded in the ledger');

  heading('The lender’s application asks the production model for decisions; each is logged and committed to the ledger');
  const answered = await engineer.post<{ model: { version: number; modelDigest: string }; predictions: Array<{ id: string; label: string; score: number }> }>(
    `/models/${model.id}/aliases/production/predict`,
    {
      inputs: [
        { age: 34, sex: 'F', income: 58, debt: 12, purpose: 'car' },
        { age: 51, sex: 'M', income: 31, debt: 44, purpose: 'business' },
      ],
    },
  );
  for (const p of answered.predictions)
    say(`   decision ${p.id}: ${p.label} (score ${p.score.toFixed(3)}) by version ${answered.model.version}, ${answered.model.modelDigest.slice(0, 23)}…`);
  const proof = await decisionProof(regulator, answered.predictions[0]!.id);
  const checked = verifyDecisionProof(proof, trustedKey);
  say(
    `   its proof: leaf ${proof.batch.leafIndex + 1} of a batch of ${proof.batch.size}, batch root in ledger entry ${proof.ledger.entry.index} → ${checked.ok ? 'verified offline' : `NOT verified (${checked.reason})`}`,
  );

  heading('The regulator exports the evidence bundle of version 2');
  const size = earlierCheckpoint.split('\n')[1];
  const bundle = await regulator.bytes(`/models/${model.id}/versions/2/bundle?consistencyFrom=${size}`);
  const bundleFile = join(outputDir, 'credit-pre-screening-v2.assay-bundle.zip');
  await writeFile(bundleFile, bundle);
  say(`   ${bundleFile} (${(bundle.length / 1024).toFixed(0)} KiB)`);

  heading('The regulator verifies it offline: digests, signatures, ledger proofs, consistency with the kept checkpoint, policy replay');
  const report = await verifyEvidenceBundle(bundle, { trustedKey, regulatorCheckpoint: earlierCheckpoint });
  await writeFile(join(outputDir, 'ledger.vkey'), `${trustedKey}\n`);
  await writeFile(join(outputDir, 'earlier-checkpoint.txt'), earlierCheckpoint);
  return { bundleFile, report };
}

/** The proof of a decision, once its batch is in the ledger (at most ASSAY_DECISION_BATCH_MS). */
async function decisionProof(client: DemoClient, id: string): Promise<DecisionProof> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.get<DecisionProof>(`/predictions/${id}/proof`);
    } catch (error) {
      if (!(error instanceof DemoApiError && error.code === 'PREDICTION_NOT_YET_COMMITTED') || attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function train(engineer: DemoClient, datasetId: string, features: string[], say: Say): Promise<Run> {
  const created = await engineer.post<Run>('/runs', { datasetId, spec: spec(features) });
  const bar = progressBar('   training');
  let run = created;
  while (!['succeeded', 'failed', 'cancelled'].includes(run.state)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    run = await engineer.get<Run>(`/runs/${created.id}`);
    bar.update(run.epochsCompleted, run.spec.model.training.epochs);
  }
  bar.stop();
  if (run.state !== 'succeeded') throw new Error(`training run ${run.id} ${run.state}: ${run.error?.code ?? ''} ${run.error?.message ?? ''}`);
  say(`   run ${run.id} succeeded after ${run.epochsCompleted} epochs; model ${run.result?.modelDigest.slice(0, 23)}…, signed`);
  return run;
}

async function latestVersion(client: DemoClient, datasetId: string): Promise<number> {
  const page = await client.get<{ items: Array<{ version: number }> }>(`/datasets/${datasetId}/versions?limit=100`);
  return Math.max(...page.items.map((v) => v.version));
}

async function describeVersion(client: DemoClient, modelId: string, version: number, say: Say): Promise<void> {
  const report = await client.get<{
    evaluation: { metrics?: Record<string, { value: number | null } | undefined> } | null;
    fairness: { attributeSets?: Array<{ attributes: string[]; demographicParityRatio: { value: number | null } }> } | null;
  }>(`/models/${modelId}/versions/${version}/report`);
  const metrics = report.evaluation?.metrics ?? {};
  say(`   evaluated on the test split: accuracy ${percent(metrics.accuracy?.value)}, ROC AUC ${percent(metrics.rocAuc?.value)}`);
  for (const set of report.fairness?.attributeSets ?? [])
    say(
      `   fairness by ${set.attributes.join(' × ')}: selection-rate ratio ${set.demographicParityRatio.value?.toFixed(2) ?? 'n/a'} (four-fifths rule: ≥ 0.80)`,
    );
  const { runId } = await client.get<{ runId: string }>(`/models/${modelId}/versions/${version}`);
  const audit = (
    await client.get<{ items: Array<{ body: { auc: number; aucCi: { lower: number; upper: number } | null; advantage: number } }> }>(
      `/evidence?subjectType=training_run&subjectId=${runId}&kind=privacy.attack-assessed`,
    )
  ).items[0]?.body;
  if (audit)
    say(
      `   membership-inference audit: AUC ${audit.auc.toFixed(3)}${audit.aucCi ? ` [${audit.aucCi.lower.toFixed(3)}, ${audit.aucCi.upper.toFixed(3)}]` : ''}, advantage ${audit.advantage.toFixed(3)}`,
    );
  say('   explained: permutation importance, integrated gradients and KernelSHAP on examples; energy and CO2e measured');
}
