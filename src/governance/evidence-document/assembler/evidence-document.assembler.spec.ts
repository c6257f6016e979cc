import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { EvidenceRecord } from '../../../platform/evidence/evidence.service';
import { evaluatePolicies, loadPolicyPacks, type PolicyPack } from '../../policy';
import published from '../assay.evidence.v1.schema.json';
import type { EvidenceDocument } from '../evidence-document';
import { validateEvidenceDocument } from '../evidence-document.validator';
import type { EvidenceRecordInput } from './assembly-input';
import { EvidenceAssemblyError } from './assembly.error';
import { assembleEvidenceDocument } from './evidence-document.assembler';
import { assemblyInput, pipelineFixture, type PipelineFixture } from './pipeline-records.fixture';

// The platform's records are valid input as they are.
const platformRecord: EvidenceRecordInput = {} as EvidenceRecord;
void platformRecord;

const POLICIES = join(__dirname, '../../../../policies');
const byLedger = (fixture: PipelineFixture) => new Map(fixture.records.map((record) => [record.ledgerIndex, record]));
const body = <T>(record: EvidenceRecordInput | undefined) => record!.body as T;
const without = (fixture: PipelineFixture, ...kinds: string[]) => fixture.records.filter((record) => !kinds.includes(record.kind));

function assembleWith(change: (fixture: PipelineFixture) => EvidenceRecordInput[] | void): EvidenceDocument {
  const fixture = pipelineFixture();
  const records = change(fixture) ?? fixture.records;
  return assembleEvidenceDocument({ ...assemblyInput(fixture), records });
}

function assemblyError(run: () => unknown): EvidenceAssemblyError {
  try {
    run();
  } catch (error) {
    if (error instanceof EvidenceAssemblyError) return error;
    throw error;
  }
  throw new Error('expected an EvidenceAssemblyError');
}

describe(assembleEvidenceDocument.name, () => {
  const fixture = pipelineFixture();
  const records = byLedger(fixture);
  const document = assembleEvidenceDocument(assemblyInput(fixture));

  it('turns the pipeline records of a version into a document that satisfies the schema, published and in code', () => {
    expect(validateEvidenceDocument(document)).toEqual({ ok: true, document });
    expect(addFormats(new Ajv2020({ strict: true })).compile(published)(document)).toBe(true);
    expect(document).toMatchObject({ format: 'assay.evidence/v1', assembledAt: '2026-11-29T09:00:00.000Z' });
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('lists every record that reaches the version, in ledger order, and no other', () => {
    const otherRun = fixture.runs.b;
    const otherVersion = fixture.versions[1]!.id;
    const expected = fixture.records.filter((r) => r.subject.id !== otherRun && r.subject.id !== otherVersion);
    expect(document.records).toEqual(expected.map((r) => ({ kind: r.kind, digest: r.digest, ledgerIndex: r.ledgerIndex, createdAt: r.createdAt })));
    expect(document.records.map((r) => r.ledgerIndex)).toEqual([...document.records.map((r) => r.ledgerIndex)].sort((a, b) => a! - b!));
    expect(new Set(document.records.map((r) => r.kind))).toEqual(new Set(fixture.records.map((r) => r.kind)));
  });

  it('never picks up a record of another model version, and the other version gets its own', () => {
    const other = assembleEvidenceDocument(assemblyInput(pipelineFixture(), 1));
    const runOnly = (run: string) => fixture.records.filter((r) => r.subject.id === run).map((r) => r.digest);
    const text = JSON.stringify(document);
    for (const digest of runOnly(fixture.runs.b)) expect(text).not.toContain(digest);
    expect(text).not.toContain(fixture.runs.b);
    const otherText = JSON.stringify(other);
    for (const digest of runOnly(fixture.runs.a)) expect(otherText).not.toContain(digest);
    expect(other.model).toMatchObject({ versionId: fixture.versions[1]!.id, version: 2 });
    expect(other.training!.runId).toBe(fixture.runs.b);
    expect(other.datasets).toEqual(document.datasets);
  });

  it('ignores assessments of another model recorded on the same run, and records given in any order', () => {
    const shuffled = assembleWith((f) => {
      const fairness = f.records.find((r) => r.kind === 'fairness.assessed' && r.subject.id === f.runs.b)!;
      const stray = { ...fairness, id: 'stray', digest: `sha256:${'0'.repeat(64)}`, ledgerIndex: 99, subject: { type: 'training_run', id: f.runs.a } };
      return [...f.records.reverse(), stray];
    });
    expect(shuffled).toEqual(document);
  });

  it('describes every split the run read, each with its own datasheet or the one of the version it was split from', () => {
    const split = body<{ inputs: { sourceVersionId: string; splits: Array<{ versionId: string }> } }>(records.get(19));
    expect(document.datasets.map((d) => [d.role, d.versionId, d.version, d.rows, d.columns, d.origin])).toEqual([
      ['training', split.inputs.splits[0]!.versionId, 2, 360, 6, 'transformation'],
      ['validation', split.inputs.splits[1]!.versionId, 3, 120, 6, 'transformation'],
      ['test', split.inputs.splits[2]!.versionId, 4, 120, 6, 'transformation'],
    ]);
    expect(document.datasets.every((d) => d.name === 'synthetic-credit')).toBe(true);
    expect(document.datasets.map((d) => d.datasheet!.digest)).toEqual([records.get(14)!.digest, records.get(5)!.digest, records.get(5)!.digest]);
    const [training, validation] = document.datasets.map((d) => d.datasheet!);
    expect(training).toMatchObject({
      complete: true,
      missing: [],
      personalData: true,
      identifiability: 'pseudonymised',
      licence: 'CC-BY-4.0',
      jurisdictions: ['DE', 'CN'],
      legalBasis: { article6: 'consent', article9Condition: null, consentCoversModelTraining: true },
      sensitiveAttributes: ['sex'],
      quasiIdentifiers: ['age', 'sex'],
      specialCategoryData: false,
      childrenData: null,
      dpiaReference: null,
    });
    expect(validation).toMatchObject({
      complete: false,
      personalData: false,
      legalBasis: null,
      licence: null,
      quasiIdentifiers: null,
      sensitiveAttributes: ['sex'],
    });
    expect(validation!.missing).toEqual([
      'collectionProcess.jurisdictions',
      'collectionProcess.collectionPeriod',
      'distribution.licence',
      'uses.intendedUses',
      'uses.knownLimitations',
    ]);
  });

  it('summarises the latest privacy scan of every split, with the k-anonymity of the training split', () => {
    expect(document.privacy!.scans.map((s) => [s.role, s.digest])).toEqual([
      ['training', records.get(15)!.digest],
      ['validation', records.get(10)!.digest],
      ['test', records.get(12)!.digest],
    ]);
    expect(document.privacy).toMatchObject({
      findings: [],
      personalDataDetected: false,
      kAnonymity: { k: 1, quasiIdentifiers: ['age', 'sex'], records: 360, classes: 96 },
      legalBasis: { article6: 'consent', article9Condition: null, consentCoversModelTraining: true },
    });
  });

  it('merges PII findings by entity type across scans', () => {
    const scanned = assembleWith((f) => {
      const finding = (share: number, confidence: number) => ({ entityType: 'EMAIL_ADDRESS', share, confidence, maskedExamples: ['j***@example.org'] });
      const scans = byLedger(f);
      Object.assign(scans.get(15)!.body, { pii: [{ column: 'contact', findings: [finding(0.9, 0.95)] }], piiColumns: ['contact'] });
      Object.assign(scans.get(12)!.body, {
        pii: [
          { column: 'contact', findings: [finding(0.4, 0.8)] },
          { column: 'note', findings: [finding(0.02, 0.6)] },
        ],
      });
    });
    expect(scanned.privacy!.findings).toEqual([{ entityType: 'EMAIL_ADDRESS', columns: ['contact', 'note'], count: 3, maxShare: 0.9, maxConfidence: 0.95 }]);
    expect(scanned.privacy!.personalDataDetected).toBe(true);
  });

  it('maps the training run: backend, epochs, the final metrics of the weights kept, and the split it trained on', () => {
    const completed = body<{ specDigest: string; preprocessorDigest: string }>(records.get(19));
    const energy = body<{ measurement: { startedAt: string; endedAt: string } }>(records.get(18));
    expect(document.training).toMatchObject({
      runId: fixture.runs.a,
      specDigest: completed.specDigest,
      modelType: 'logistic_regression',
      backend: { name: 'wasm', version: '4.22.0', tfjsVersion: '4.22.0', deterministic: true },
      seed: 7,
      epochs: 8,
      epochsPlanned: 8,
      stoppedEarly: false,
      startedAt: energy.measurement.startedAt,
      endedAt: energy.measurement.endedAt,
      preprocessingDigest: completed.preprocessorDigest,
      trainingDatasetVersionId: document.datasets[0]!.versionId,
      validationDatasetVersionId: document.datasets[1]!.versionId,
    });
    expect(document.training!.metrics).toEqual([
      { name: 'loss', split: 'training', value: 0.19781449437141418 },
      { name: 'accuracy', split: 'training', value: 0.9472222222222222 },
      { name: 'loss', split: 'validation', value: 0.16427318255106607 },
      { name: 'accuracy', split: 'validation', value: 0.9666666666666667 },
    ]);
  });

  it('takes the energy of the training the version came from, not of its evaluation or explanations', () => {
    const measured = body<{ measurement: { energyKwh: number; energyBoundsKwh: number[]; gridIntensity: { gCo2ePerKwh: number } } }>(
      records.get(18),
    ).measurement;
    expect(document.energy).toMatchObject({
      method: 'tdp-estimate',
      energyKwh: measured.energyKwh,
      energyBoundsKwh: { lower: measured.energyBoundsKwh[0], upper: measured.energyBoundsKwh[1] },
      gridIntensity: { gCo2ePerKwh: 214, region: 'EU-27 (annual average)', year: '2023' },
      estimatedFlops: 155520,
    });
  });

  it('carries every test metric with its bootstrap interval, in the evaluation library order', () => {
    const evaluation = body<{ evaluation: { metrics: Record<string, { value: number; ci: object }> } }>(records.get(21)).evaluation;
    expect(document.evaluation).toMatchObject({ datasetVersionId: document.datasets[2]!.versionId, rows: 120, positiveLabel: 'good', slices: [] });
    expect(document.evaluation!.metrics.map((m) => m.name)).toEqual([
      'accuracy',
      'precision',
      'recall',
      'f1',
      'rocAuc',
      'logLoss',
      'brier',
      'expectedCalibrationError',
    ]);
    for (const metric of document.evaluation!.metrics)
      expect(metric).toEqual({ name: metric.name, value: evaluation.metrics[metric.name]!.value, ci: evaluation.metrics[metric.name]!.ci });
  });

  it('carries the fairness point values, the four-fifths outcome and the label balance before training', () => {
    expect(document.fairness).toEqual({
      datasetVersionId: document.datasets[2]!.versionId,
      minGroupSize: 30,
      fourFifthsThreshold: 0.8,
      attributeSets: [
        {
          attributes: ['sex'],
          kind: 'attribute',
          groups: [
            { values: ['F'], size: 65, selectionRate: 0.5076923076923077, truePositiveRate: 1, falsePositiveRate: 0.13513513513513514, tooSmallToJudge: false },
            { values: ['M'], size: 55, selectionRate: 0.5454545454545454, truePositiveRate: 0.9090909090909091, falsePositiveRate: 0, tooSmallToJudge: false },
          ],
          demographicParityDifference: 0.03776223776223775,
          demographicParityRatio: 0.9307692307692308,
          equalOpportunityDifference: 0.09090909090909094,
          equalizedOddsDifference: 0.13513513513513514,
          fourFifthsPass: true,
          adverselyImpactedGroups: [],
        },
      ],
      minDemographicParityRatio: 0.9307692307692308,
      maxEqualizedOddsDifference: 0.13513513513513514,
      preTraining: [
        { attributes: ['sex'], positiveRateRatio: 0.4945652173913043 / 0.5284090909090909, positiveRateDifference: 0.5284090909090909 - 0.4945652173913043 },
      ],
    });
  });

  it('carries robustness on accuracy, a drop being the negated change', () => {
    expect(document.robustness).toMatchObject({
      datasetVersionId: document.datasets[2]!.versionId,
      metric: 'accuracy',
      baseline: 0.9333333333333333,
      maxDrop: 0.25,
    });
    expect(document.robustness!.conditions.slice(0, 2)).toEqual([
      { kind: 'noise', sigma: 0.05, column: null, value: 0.9416666666666667, drop: -0.008333333333333304 },
      { kind: 'noise', sigma: 0.1, column: null, value: 0.925, drop: 0.008333333333333304 },
    ]);
    expect(document.robustness!.conditions.filter((c) => c.kind === 'masking').map((c) => [c.column, c.drop])).toEqual([
      ['age', 0],
      ['sex', 0],
      ['income', 0.18333333333333335],
      ['debt', 0.25],
      ['purpose', 0.033333333333333326],
    ]);
  });

  it('carries global importance, the example explanations per method with their completeness gaps, and requested ones', () => {
    expect(document.explanations!.global).toEqual({
      method: 'permutation-importance',
      features: [
        { name: 'debt', importance: 0.29833333333333334 },
        { name: 'income', importance: 0.24500000000000002 },
        { name: 'purpose', importance: 0.07500000000000004 },
        { name: 'sex', importance: 0 },
        { name: 'age', importance: -0.008333333333333304 },
      ],
    });
    const gaps = [25, 26].map(
      (i) =>
        body<{ explanation: { methods: Array<{ completeness?: { absoluteError: number } }> } }>(records.get(i)).explanation.methods[0]!.completeness!
          .absoluteError,
    );
    expect(document.explanations!.local).toEqual([
      { method: 'integrated-gradients', examples: 2, maxCompletenessGap: Math.max(...gaps) },
      { method: 'kernel-shap', examples: 2, maxCompletenessGap: 0 },
    ]);
    expect(document.explanations!.onRequest).toBe(true);
    expect(assembleWith((f) => f.records.filter((r) => r.ledgerIndex !== 41)).explanations!.onRequest).toBe(false);
  });

  it('says a signature verified only when the caller verified it', () => {
    const signed = { format: 'oms-v1.0', method: 'key', keyHint: fixture.verification(fixture.versions[0]!.id).keyHint };
    expect(document.artifacts!.signature).toEqual({ ...signed, verified: true });
    expect(document.artifacts!.files.map((f) => f.path)).toEqual(['model.json', 'weights.bin', 'preprocessor.json', 'spec.json']);
    expect(document.artifacts!.modelDigest).toBe(fixture.versions[0]!.modelDigest);
    const input = assemblyInput(pipelineFixture());
    expect(assembleEvidenceDocument({ ...input, signatureVerification: null }).artifacts!.signature).toEqual({ ...signed, verified: false });
    expect(
      assembleEvidenceDocument({ ...input, signatureVerification: { ...input.signatureVerification!, verified: false } }).artifacts!.signature!.verified,
    ).toBe(false);
    const otherBundle = { ...input.signatureVerification!, signatureDigest: fixture.versions[1]!.signatureDigest };
    expect(assemblyError(() => assembleEvidenceDocument({ ...input, signatureVerification: otherBundle })).code).toBe('EVIDENCE_ASSEMBLY_INCONSISTENT');
  });

  it('takes the model declarations and the request from the caller, null or [] when not declared', () => {
    expect(document.model).toEqual({
      id: fixture.model.id,
      name: 'credit-scoring',
      versionId: fixture.versions[0]!.id,
      version: 1,
      riskTier: 'high',
      intendedUse: fixture.model.intendedUse,
      prohibitedUses: fixture.model.prohibitedUses,
      jurisdictions: ['DE', 'FR', 'CN'],
      knownLimitations: null,
      declaredPerformance: [],
      provider: null,
    });
    expect(document.humanOversight).toEqual({
      requestedBy: { id: fixture.model.ownerId, role: 'engineer' },
      requestedAt: '2026-11-29T08:59:30.000Z',
      targetStage: 'production',
      rationale: 'First version of the credit pre-screening model.',
      approvalRequired: true,
      measures: [],
      stopProcedure: null,
    });
    const input = assemblyInput(pipelineFixture());
    const declared = assembleEvidenceDocument({
      ...input,
      model: {
        ...input.model,
        declaredPerformance: [{ metric: 'accuracy', minimum: 0.8 }],
        provider: { name: 'Example Bank AG', contact: 'ai@example.com' },
        stopProcedure: 'Demote the alias.',
      },
    });
    expect(declared.model).toMatchObject({
      declaredPerformance: [{ metric: 'accuracy', minimum: 0.8 }],
      provider: { name: 'Example Bank AG', contact: 'ai@example.com' },
    });
    expect(declared.humanOversight!.stopProcedure).toBe('Demote the alias.');
  });

  it('takes the monitoring plan of the model and counts this version’s alerts not resolved; absent without such records', () => {
    expect(document.monitoring).toBeUndefined();
    const plan = { decisionLogging: true, features: ['income'], window: 'P7D', thresholds: [{ metric: 'psi', value: 0.2 }], groupDrift: true, webhooks: 1 };
    const assembled = assembleWith((f) => {
      const [other] = f.versions.slice(1);
      const record = (kind: string, subject: { type: string; id: string }, bodyOf: Record<string, unknown>, ledgerIndex: number): EvidenceRecordInput => ({
        id: `monitoring-${ledgerIndex}`,
        kind,
        subject,
        body: bodyOf,
        digest: `sha256:${ledgerIndex.toString(16).padStart(64, '0')}`,
        ledgerIndex,
        createdAt: `2026-11-29T10:00:${String(ledgerIndex % 60).padStart(2, '0')}.000Z`,
        actor: { type: 'system', id: 'monitoring' },
      });
      const version = { type: 'model_version', id: f.versions[0]!.id };
      const alert = (alertId: string, at: number, subject = version) =>
        record('monitoring.alerted', subject, { alertId, modelId: f.model.id, modelVersionId: subject.id, version: 1, metric: 'psi', target: 'income', value: 0.4, threshold: 0.2, samples: 500, window: { from: '2026-11-29T09:00:00.000Z', to: '2026-11-29T10:00:00.000Z' } }, at);
      return [
        ...f.records,
        record('monitoring.configured', { type: 'model', id: f.model.id }, { modelId: f.model.id, plan: { ...plan, window: 'P1D' }, settings: {} }, 100),
        record('monitoring.configured', { type: 'model', id: f.model.id }, { modelId: f.model.id, plan, settings: {} }, 101),
        alert('a1', 102),
        alert('a2', 103),
        record('monitoring.alert-resolved', version, { alertId: 'a1', modelVersionId: version.id, reason: 'Explained by a data feed fix.' }, 104),
        ...(other ? [alert('a3', 105, { type: 'model_version', id: other.id })] : []),
      ];
    });
    expect(assembled.monitoring).toEqual({ plan, openAlerts: 1, lastAlertAt: '2026-11-29T10:00:43.000Z' });
    expect(validateEvidenceDocument(assembled).ok).toBe(true);
  });

  describe('absent evidence', () => {
    it.each([
      ['privacy.scanned', 'privacy'],
      ['evaluation.completed', 'evaluation'],
      ['fairness.assessed', 'fairness'],
      ['robustness.assessed', 'robustness'],
      ['explanation.generated', 'explanations'],
      ['energy.measured', 'energy'],
    ] as const)('without %s records, %s is null', (kind, section) => {
      const assembled = assembleWith((f) => without(f, kind));
      expect(assembled[section]).toBeNull();
      expect(validateEvidenceDocument(assembled).ok).toBe(true);
    });

    it('without datasheets every dataset has none; without training energy the run is timed by its records', () => {
      expect(assembleWith((f) => without(f, 'datasheet.recorded')).datasets.map((d) => d.datasheet)).toEqual([null, null, null]);
      const untimed = assembleWith((f) => without(f, 'energy.measured')).training!;
      expect([untimed.startedAt, untimed.endedAt]).toEqual([records.get(16)!.createdAt, records.get(19)!.createdAt]);
    });

    it('without training.completed there are no artifacts, training or energy, but the datasets the run requested remain', () => {
      const assembled = assembleWith((f) => without(f, 'training.completed'));
      expect([assembled.artifacts, assembled.training, assembled.energy]).toEqual([null, null, null]);
      expect(assembled.datasets).toEqual(document.datasets);
      expect(validateEvidenceDocument(assembled).ok).toBe(true);
    });

    it('with nothing but the registry records, only the request and the model remain', () => {
      const assembled = assembleWith((f) => f.records.filter((r) => r.subject.type === 'model' || r.subject.type === 'model_version'));
      expect(assembled).toMatchObject({
        artifacts: null,
        datasets: [],
        privacy: null,
        training: null,
        energy: null,
        evaluation: null,
        fairness: null,
        robustness: null,
        explanations: null,
      });
      expect(assembled.records.map((r) => r.kind)).toEqual(['model.registered', 'model.updated', 'model_version.registered']);
    });

    it('a fairness record without an assessment (no sensitive attribute in the test split) gives no fairness section', () => {
      const assembled = assembleWith((f) => {
        Object.assign(byLedger(f).get(22)!.body, {
          attributes: [],
          assessment: null,
          labelBalance: null,
          reason: 'The datasheet names no sensitive attribute present in the test split',
        });
      });
      expect(assembled.fairness).toBeNull();
    });

    it('a correction replaces the record it supersedes; both are listed', () => {
      const assembled = assembleWith((f) => {
        const original = byLedger(f).get(23)!;
        const corrected = JSON.parse(JSON.stringify(original)) as EvidenceRecordInput;
        Object.assign(corrected, { id: 'correction', digest: `sha256:${'c'.repeat(64)}`, ledgerIndex: 42, supersedes: original.id });
        (corrected.body as { report: { masking: unknown[] } }).report.masking = [];
        return [...f.records, corrected];
      });
      expect(assembled.robustness!.maxDrop).toBe(0.125);
      expect(assembled.records.filter((r) => r.kind === 'robustness.assessed').map((r) => r.ledgerIndex)).toEqual([23, 42]);
    });
  });

  describe('refused inputs', () => {
    it('refuses missing or malformed required inputs with the field named', () => {
      const input = assemblyInput(pipelineFixture());
      const cases: Array<[unknown, string]> = [
        [{ ...input, stage: 'prod' }, 'stage'],
        [{ ...input, requestedBy: { id: input.requestedBy.id } }, 'requestedBy'],
        [{ ...input, assembledAt: 'yesterday' }, 'assembledAt'],
        [{ ...input, model: { ...input.model, version: { ...input.model.version, trainingEvidence: '' } } }, 'model.version.trainingEvidence'],
        [{ ...input, records: undefined }, 'records'],
        [{ ...input, records: [{ kind: 'x.y' }] }, 'records[0]'],
      ];
      for (const [bad, field] of cases) {
        const error = assemblyError(() => assembleEvidenceDocument(bad as typeof input));
        expect([error.code, error.details.field]).toEqual(['EVIDENCE_ASSEMBLY_INPUT_INVALID', field]);
      }
    });

    it('refuses a dataset version the run read without its registration record', () => {
      const error = assemblyError(() => assembleWith((f) => f.records.filter((r) => r.ledgerIndex !== 11)));
      expect(error.code).toBe('EVIDENCE_ASSEMBLY_RECORD_MISSING');
      expect(error.details).toMatchObject({ kind: 'dataset_version.registered', subject: { type: 'dataset_version', id: document.datasets[2]!.versionId } });
    });

    it('refuses model facts the version record contradicts', () => {
      const input = assemblyInput(pipelineFixture());
      const wrong = { ...input, model: { ...input.model, version: { ...input.model.version, version: 7 } } };
      expect(assemblyError(() => assembleEvidenceDocument(wrong)).code).toBe('EVIDENCE_ASSEMBLY_INCONSISTENT');
    });

    it('refuses a record whose body lacks what its kind carries', () => {
      const error = assemblyError(() => assembleWith((f) => void delete (byLedger(f).get(23)!.body as { report?: unknown }).report));
      expect(error).toMatchObject({ code: 'EVIDENCE_ASSEMBLY_RECORD_MALFORMED', details: { kind: 'robustness.assessed', digest: records.get(23)!.digest } });
    });

    it('refuses registry values outside the document vocabulary rather than dropping them', () => {
      const input = assemblyInput(pipelineFixture());
      const error = assemblyError(() => assembleEvidenceDocument({ ...input, model: { ...input.model, jurisdictions: ['EU'] } }));
      expect(error.code).toBe('EVIDENCE_ASSEMBLY_DOCUMENT_INVALID');
      expect(error.details.problems!.map((p) => p.path)).toEqual(['/model/jurisdictions/0']);
    });
  });

  describe('shipped policy packs', () => {
    let packs: PolicyPack[];
    beforeAll(async () => {
      packs = await loadPolicyPacks(POLICIES);
    });

    it.each(['staging', 'production'] as const)('evaluate the assembled document for %s without an error outcome', (stage) => {
      const decision = evaluatePolicies(packs, document, { stage, now: '2026-11-29T09:00:00.000Z' });
      expect(decision.rules.filter((rule) => rule.outcome === 'error')).toEqual([]);
      expect(decision.counts.pass).toBeGreaterThan(20);
    });

    it('evaluate a document of absent evidence without an error outcome', () => {
      const sparse = assembleWith((f) => f.records.filter((r) => r.subject.type === 'model' || r.subject.type === 'model_version'));
      for (const stage of ['staging', 'production'] as const) {
        const decision = evaluatePolicies(packs, sparse, { stage, now: '2026-11-29T09:00:00.000Z' });
        expect(decision.rules.filter((rule) => rule.outcome === 'error')).toEqual([]);
        expect(decision.outcome).toBe('blocked');
      }
    });
  });
});
