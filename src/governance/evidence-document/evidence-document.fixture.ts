import { createHash } from 'node:crypto';
import type { EvidenceDocument, MetricValue } from './evidence-document';

/**
 * A realistic `assay.evidence/v1` document for specs and benchmarks: a German-credit style
 * scoring model (EU AI Act Annex III 5(b): creditworthiness, so high risk), trained on consented,
 * pseudonymised data from Germany and China, that passes every shipped policy pack. Rule fixtures
 * in policies/<pack>/tests patch it (RFC 6902) to pass or fail one rule.
 */

const digestOf = (label: string) => `sha256:${createHash('sha256').update(label).digest('hex')}`;

const ids = {
  model: '6b0f6a52-4d0e-4c6a-9a57-1f2f0c6f9c01',
  modelVersion: '0d7e4b6e-8a0b-4f5e-a0c4-3c7b2f1e9a02',
  dataset: '9a3c2b1d-7e6f-4a5b-8c9d-0e1f2a3b4c05',
  training: '1f2e3d4c-5b6a-4789-90ab-cdef01234506',
  validation: '2a3b4c5d-6e7f-4809-91ab-cdef01234507',
  test: '3b4c5d6e-7f80-4912-a2bc-def012345608',
  run: '4c5d6e7f-8091-4a23-b3cd-ef0123456709',
  requester: '5d6e7f80-91a2-4b34-84de-f0123456780a',
} as const;

const ci = (value: number, halfWidth: number) => ({
  lower: Math.round((value - halfWidth) * 1e4) / 1e4,
  upper: Math.round((value + halfWidth) * 1e4) / 1e4,
  level: 0.95,
  method: 'percentile',
  resamples: 1000,
  undefinedResamples: 0,
});

const metric = (name: string, value: number, halfWidth: number): MetricValue => ({ name, value, ci: ci(value, halfWidth) });

const legalBasis = { article6: 'consent', article9Condition: 'explicit_consent', consentCoversModelTraining: true };

function datasheet(role: string) {
  return {
    digest: digestOf(`datasheet ${role}`),
    complete: true,
    missing: [],
    purpose: 'Pre-screen consumer loan applications by predicted repayment risk.',
    sources: [{ name: 'Loan origination system', kind: 'collected_directly' as const }],
    licence: 'LicenseRef-ExampleBank-Internal',
    jurisdictions: ['DE', 'CN'],
    labelColumn: 'credit_risk',
    personalData: true,
    identifiability: 'pseudonymised' as const,
    specialCategoryData: true,
    specialCategories: ['racial_or_ethnic_origin'],
    criminalOffenceData: false,
    childrenData: false,
    legalBasis: { ...legalBasis },
    sensitiveAttributes: ['age', 'sex', 'foreign_worker'],
    quasiIdentifiers: ['age', 'sex', 'postcode'],
    dataSubjectsInformed: true,
    dpiaReference: 'DPIA-2022-014',
    knownBiases: ['Younger applicants are under-represented.'],
  };
}

const dataset = (role: 'training' | 'validation' | 'test', versionId: string, version: number, rows: number) => ({
  role,
  datasetId: ids.dataset,
  name: 'german-credit',
  versionId,
  version,
  origin: 'transformation' as const,
  tableDigest: digestOf(`table ${role}`),
  rawDigest: null,
  rows,
  columns: 21,
  datasheet: datasheet(role),
});

const group = (value: string, size: number, selectionRate: number, tpr: number, fpr: number) => ({
  values: [value],
  size,
  selectionRate,
  truePositiveRate: tpr,
  falsePositiveRate: fpr,
  tooSmallToJudge: false,
});

export function exampleEvidenceDocument(): EvidenceDocument {
  return {
    format: 'assay.evidence/v1',
    assembledAt: '2026-03-02T09:15:00.000Z',
    model: {
      id: ids.model,
      name: 'credit-pre-screening',
      versionId: ids.modelVersion,
      version: 3,
      riskTier: 'high',
      intendedUse: 'Rank consumer loan applications for manual review by credit officers; not for automatic refusal.',
      prohibitedUses: ['Automatic refusal of credit without human review', 'Marketing or employment decisions'],
      jurisdictions: ['DE', 'CN'],
      knownLimitations: ['Declined applicants have no outcome (selection bias).', 'Not validated for business loans.'],
      declaredPerformance: [
        { metric: 'accuracy', minimum: 0.7 },
        { metric: 'rocAuc', minimum: 0.72 },
        { metric: 'expectedCalibrationError', maximum: 0.08 },
      ],
      provider: { name: 'Example Bank AG, Credit Risk Analytics', contact: 'ai-governance@example.com' },
    },
    records: [
      ['dataset_version.registered', 'dataset'],
      ['datasheet.recorded', 'datasheet'],
      ['privacy.scanned', 'scan'],
      ['training.completed', 'run'],
      ['energy.measured', 'energy'],
      ['evaluation.completed', 'evaluation'],
      ['fairness.assessed', 'fairness'],
      ['robustness.assessed', 'robustness'],
      ['explanation.generated', 'explanation'],
      ['privacy.attack-assessed', 'attack'],
    ].map(([kind, label], index) => ({
      kind: kind!,
      digest: digestOf(`record ${label}`),
      ledgerIndex: 120 + index * 3,
      createdAt: new Date(Date.UTC(2026, 2, 1, 8, index * 5)).toISOString(),
    })),
    artifacts: {
      modelDigest: digestOf('model root'),
      files: [
        { path: 'model.json', digest: digestOf('model.json') },
        { path: 'weights.bin', digest: digestOf('weights.bin') },
        { path: 'preprocessor.json', digest: digestOf('preprocessor.json') },
      ],
      signature: { format: 'oms-v1.0', verified: true, method: 'key', keyHint: 'assay-signing-2026' },
    },
    datasets: [dataset('training', ids.training, 4, 700), dataset('validation', ids.validation, 5, 100), dataset('test', ids.test, 6, 200)],
    privacy: {
      scans: [
        { datasetVersionId: ids.training, role: 'training', digest: digestOf('scan training'), rows: 700, piiColumns: ['postcode'] },
        { datasetVersionId: ids.validation, role: 'validation', digest: digestOf('scan validation'), rows: 100, piiColumns: [] },
        { datasetVersionId: ids.test, role: 'test', digest: digestOf('scan test'), rows: 200, piiColumns: [] },
      ],
      findings: [{ entityType: 'DATE_OF_BIRTH', columns: ['postcode'], count: 1, maxShare: 0.02, maxConfidence: 0.35 }],
      personalDataDetected: true,
      kAnonymity: { k: 7, quasiIdentifiers: ['age', 'sex', 'postcode'], records: 700, classes: 61 },
      legalBasis: { ...legalBasis },
    },
    training: {
      runId: ids.run,
      specDigest: digestOf('model spec'),
      modelType: 'mlp',
      backend: { name: 'wasm', version: '4.22.0', tfjsVersion: '4.22.0', deterministic: true },
      seed: 42,
      epochs: 37,
      epochsPlanned: 60,
      stoppedEarly: true,
      startedAt: '2026-03-01T08:10:00.000Z',
      endedAt: '2026-03-01T08:12:41.000Z',
      metrics: [
        { name: 'loss', split: 'training', value: 0.4712 },
        { name: 'loss', split: 'validation', value: 0.5094 },
        { name: 'accuracy', split: 'validation', value: 0.76 },
      ],
      preprocessingDigest: digestOf('preprocessor.json'),
      trainingDatasetVersionId: ids.training,
      validationDatasetVersionId: ids.validation,
    },
    energy: {
      method: 'tdp-estimate',
      energyKwh: 0.00241,
      energyBoundsKwh: { lower: 0.0016, upper: 0.0037 },
      co2eGrams: 0.91,
      co2eBoundsGrams: { lower: 0.55, upper: 1.5 },
      gridIntensity: { gCo2ePerKwh: 380, source: 'Ember yearly electricity data (2024), Germany', region: 'DE', year: '2024' },
      wallSeconds: 161.2,
      cpuSeconds: 290.5,
      peakRssBytes: 412_000_000,
      estimatedFlops: 3.1e10,
    },
    evaluation: {
      datasetVersionId: ids.test,
      rows: 200,
      positiveLabel: 'good',
      metrics: [
        metric('accuracy', 0.755, 0.06),
        metric('precision', 0.79, 0.065),
        metric('recall', 0.88, 0.05),
        metric('f1', 0.832, 0.045),
        metric('rocAuc', 0.781, 0.065),
        metric('logLoss', 0.512, 0.06),
        metric('brier', 0.171, 0.025),
        metric('expectedCalibrationError', 0.046, 0.02),
      ],
      slices: [
        { attribute: 'sex', value: 'female', rows: 62, metrics: [metric('accuracy', 0.742, 0.11)] },
        { attribute: 'sex', value: 'male', rows: 138, metrics: [metric('accuracy', 0.761, 0.07)] },
        { attribute: 'foreign_worker', value: 'yes', rows: 192, metrics: [metric('accuracy', 0.755, 0.06)] },
        { attribute: 'foreign_worker', value: 'no', rows: 8, metrics: [metric('accuracy', 0.75, 0.3)] },
      ],
    },
    fairness: {
      datasetVersionId: ids.test,
      minGroupSize: 5,
      fourFifthsThreshold: 0.8,
      attributeSets: [
        {
          attributes: ['sex'],
          kind: 'attribute',
          groups: [group('female', 62, 0.742, 0.87, 0.55), group('male', 138, 0.797, 0.89, 0.58)],
          demographicParityDifference: 0.055,
          demographicParityRatio: 0.931,
          equalOpportunityDifference: 0.02,
          equalizedOddsDifference: 0.03,
          fourFifthsPass: true,
          adverselyImpactedGroups: [],
        },
        {
          attributes: ['age'],
          kind: 'attribute',
          groups: [group('under_25', 38, 0.684, 0.84, 0.52), group('25_and_over', 162, 0.796, 0.89, 0.57)],
          demographicParityDifference: 0.112,
          demographicParityRatio: 0.859,
          equalOpportunityDifference: 0.05,
          equalizedOddsDifference: 0.05,
          fourFifthsPass: true,
          adverselyImpactedGroups: [],
        },
        {
          attributes: ['foreign_worker'],
          kind: 'attribute',
          groups: [group('yes', 192, 0.776, 0.88, 0.56), group('no', 8, 0.75, 0.86, 0.5)],
          demographicParityDifference: 0.026,
          demographicParityRatio: 0.966,
          equalOpportunityDifference: 0.02,
          equalizedOddsDifference: 0.06,
          fourFifthsPass: true,
          adverselyImpactedGroups: [],
        },
      ],
      minDemographicParityRatio: 0.859,
      maxEqualizedOddsDifference: 0.06,
      preTraining: [
        { attributes: ['sex'], positiveRateRatio: 0.9, positiveRateDifference: 0.07 },
        { attributes: ['age'], positiveRateRatio: 0.83, positiveRateDifference: 0.12 },
        { attributes: ['foreign_worker'], positiveRateRatio: 0.78, positiveRateDifference: 0.2 },
      ],
    },
    robustness: {
      datasetVersionId: ids.test,
      metric: 'accuracy',
      baseline: 0.755,
      conditions: [
        { kind: 'noise', sigma: 0.1, column: null, value: 0.745, drop: 0.01 },
        { kind: 'noise', sigma: 0.3, column: null, value: 0.725, drop: 0.03 },
        { kind: 'masking', sigma: null, column: 'checking_status', value: 0.735, drop: 0.02 },
      ],
      maxDrop: 0.03,
    },
    explanations: {
      global: {
        method: 'permutation-importance',
        features: [
          { name: 'checking_status', importance: 0.061 },
          { name: 'duration_months', importance: 0.034 },
          { name: 'credit_amount', importance: 0.021 },
        ],
      },
      local: [
        { method: 'integrated-gradients', examples: 20, maxCompletenessGap: 0.004 },
        { method: 'kernel-shap', examples: 20, maxCompletenessGap: null },
      ],
      onRequest: true,
    },
    humanOversight: {
      requestedBy: { id: ids.requester, role: 'engineer' },
      requestedAt: '2026-03-02T09:14:30.000Z',
      targetStage: 'production',
      rationale: 'Quarterly retraining; fairness on age improved.',
      approvalRequired: true,
      measures: [
        'Credit officers review every application ranked below the cut-off before any refusal.',
        'Scores are shown with the top three feature attributions.',
      ],
      stopProcedure: 'A compliance officer demotes the production alias; serving stops at once and applications fall back to manual review.',
    },
    differentialPrivacy: {
      accountant: 'rdp',
      mechanism: 'sampled_gaussian',
      conversion: 'balle2020',
      epsilon: 3.2,
      delta: 1e-5,
      optimalOrder: 12,
      steps: 1010,
      sampleRate: 0.0366,
      noiseMultiplier: 1.1,
      l2NormClip: 1,
      expectedBatchSize: 32,
      budget: { epsilon: 8, delta: 1e-5, spentEpsilon: 3.2, remainingEpsilon: 4.8 },
    },
    membershipInference: {
      attack: 'loss_threshold',
      auc: 0.512,
      aucCi: { lower: 0.47, upper: 0.55, level: 0.95, method: 'percentile', resamples: 1000 },
      advantage: 0.031,
      advantageCi: { lower: 0.012, upper: 0.08, level: 0.95, method: 'percentile', resamples: 1000 },
      members: 200,
      nonMembers: 200,
    },
    monitoring: {
      plan: {
        decisionLogging: true,
        features: ['age', 'credit_amount', 'duration_months', 'checking_status'],
        window: 'P7D',
        thresholds: [
          { metric: 'psi', value: 0.2 },
          { metric: 'ks_p_value', value: 0.01 },
          { metric: 'prediction_rate_drift', value: 0.1 },
        ],
        groupDrift: true,
        webhooks: 1,
      },
      openAlerts: 0,
      lastAlertAt: null,
    },
  };
}
