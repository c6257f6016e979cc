/**
 * A realistic model report for specs and for the API that serves reports: a credit-style binary
 * model on synthetic, seeded data, measured with the real libraries (evaluateBinary,
 * assessFairness, assessLabelBalance + compareLabelBalance, assessRobustness,
 * permutationImportance). The explanations, energy record and training history are literal
 * records of the libraries' types, with numbers that satisfy their own checks (a linear model in
 * logit space, where integrated gradients and KernelSHAP are exact). Test support, not used by
 * the library.
 *
 * Planted: income differs by sex and drives the score, so the four-fifths rule fails for `sex`;
 * the `65+` age band is too small to judge.
 */
import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';
import {
  assessFairness,
  assessLabelBalance,
  assessRobustness,
  compareLabelBalance,
  encodedFeatureStatistics,
  evaluateBinary,
  type FeatureGroup,
} from '../../evaluation';
import { permutationImportance } from '../../explainability/permutation-importance';
import type { PredictionExplanation } from '../../explainability';
import type { EnergyMeasurement } from '../../energy';
import { MODEL_REPORT_FORMAT, MODEL_REPORT_VERSION, type ModelReport, type ReportedExplanation } from './model-report';

export const FIXTURE_COLUMNS = ['income', 'debt_ratio', 'tenure_years', 'region'] as const;
const FEATURES = 6;
const GROUPS: FeatureGroup[] = [
  { column: 'income', features: [0] },
  { column: 'debt_ratio', features: [1] },
  { column: 'tenure_years', features: [2] },
  { column: 'region', features: [3, 4, 5] },
];
const REGIONS = ['north', 'south', 'west'];
/** The model: logit = w·x + b on standardised numeric features and a one-hot region. */
const WEIGHTS = [1.6, -1.1, 0.45, 0.3, -0.25, 0];
const BIAS = -0.2;
const RESAMPLES = 200;

interface Table {
  x: Float32Array;
  y: number[];
  rows: number;
  sex: string[];
  ageBand: string[];
  region: string[];
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function logit(x: ArrayLike<number>, row: number): number {
  let z = BIAS;
  for (let j = 0; j < FEATURES; j++) z += (WEIGHTS[j] as number) * (x[row * FEATURES + j] as number);
  return z;
}

function syntheticTable(rows: number, seed: string): Table {
  const random = seedrandom(seed);
  const table: Table = { x: new Float32Array(rows * FEATURES), y: [], rows, sex: [], ageBand: [], region: [] };
  for (let r = 0; r < rows; r++) {
    const female = random() < 0.5;
    const u = random();
    const ageBand = u < 0.03 ? '65+' : u < 0.3 ? '18–34' : u < 0.7 ? '35–49' : '50–64';
    const region = Math.floor(random() * 3);
    const income = gaussian(random) + (female ? -0.55 : 0.35);
    const debt = gaussian(random);
    const tenure = gaussian(random) + (ageBand === '18–34' ? -0.6 : 0.2);
    table.x.set([income, debt, tenure, region === 0 ? 1 : 0, region === 1 ? 1 : 0, region === 2 ? 1 : 0], r * FEATURES);
    table.y.push(random() < sigmoid(logit(table.x, r) + 0.5 * gaussian(random)) ? 1 : 0);
    table.sex.push(female ? 'female' : 'male');
    table.ageBand.push(ageBand);
    table.region.push(REGIONS[region] as string);
  }
  return table;
}

async function predict(x: Float32Array, rows: number): Promise<Float32Array> {
  return Promise.resolve(Float32Array.from({ length: rows }, (_, r) => sigmoid(logit(x, r))));
}

function digest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

function completeness(expected: number, total: number) {
  const absoluteError = Math.abs(expected - total);
  const bound = Math.max(0.01 * Math.abs(expected), 1e-5);
  return {
    expected,
    sum: total,
    absoluteError,
    relativeError: expected === 0 ? null : absoluteError / Math.abs(expected),
    bound,
    passed: absoluteError <= bound,
    steps: 32,
  };
}

/** A linear model in logit space: both methods are exact, so both checks pass with zero error. */
function linearExplanation(test: Table, row: number, backgroundMeans: readonly number[]): PredictionExplanation {
  const x = Array.from(test.x.subarray(row * FEATURES, (row + 1) * FEATURES));
  const score = logit(x, 0);
  const probability = sigmoid(score);
  const predicted = probability >= 0.5 ? 1 : 0;
  const perColumn = (reference: readonly number[]) =>
    GROUPS.map((group) => ({
      column: group.column,
      value: group.features.reduce((sum, j) => sum + (WEIGHTS[j] as number) * ((x[j] as number) - (reference[j] as number)), 0),
    })).sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.column < b.column ? -1 : 1));
  const ig = perColumn(new Array<number>(FEATURES).fill(0));
  const shap = perColumn(backgroundMeans);
  const sum = (values: { value: number }[]) => values.reduce((total, a) => total + a.value, 0);
  const baselineScore = BIAS;
  const baseValue = score - sum(shap);
  return {
    format: 'assay.prediction-explanation',
    version: 1,
    prediction: {
      classIndex: predicted,
      label: predicted === 1 ? 'approved' : 'declined',
      probability: predicted === 1 ? probability : 1 - probability,
      threshold: 0.5,
      probabilities: [
        { classIndex: 0, label: 'declined', probability: 1 - probability },
        { classIndex: 1, label: 'approved', probability },
      ],
    },
    explained: { classIndex: 1, label: 'approved', space: 'logit', score },
    methods: [
      {
        method: 'integrated-gradients',
        baseline: 'zeros',
        baselineScore,
        attributions: ig,
        completeness: completeness(score - baselineScore, sum(ig)),
        gradientEvaluations: 33,
      },
      {
        method: 'kernel-shap',
        seed: 7,
        baseValue,
        attributions: shap,
        efficiency: { expected: score - baseValue, sum: sum(shap), absoluteError: 0, bound: 1e-6 * Math.max(1, Math.abs(score - baseValue)), passed: true },
        nsamples: 16,
        exact: true,
        backgroundSize: 50,
        backgroundIndices: Array.from({ length: 50 }, (_, i) => i * 7),
        rowsEvaluated: 800,
      },
    ],
    checksPassed: true,
  };
}

export const FIXTURE_ENERGY: EnergyMeasurement = {
  method: 'tdp-estimate',
  startedAt: '2025-03-14T09:12:03.000Z',
  endedAt: '2025-03-14T09:12:41.500Z',
  wallSeconds: 38.5,
  cpuSeconds: 61.2,
  cpuUtilisation: 0.795,
  peakRssBytes: 412_000_000,
  peakRssBasis: 'sampled',
  memorySamples: 77,
  estimatedFlops: 2.4e11,
  energyJoules: 760.1,
  energyKwh: 0.000211,
  energyBoundsKwh: [0.0000707, 0.000422],
  components: { cpuJoules: 734.4, memoryJoules: 25.7 },
  co2eGrams: 0.0452,
  co2eBoundsGrams: [0.0136, 0.0993],
  gridIntensity: {
    gCo2ePerKwh: 214,
    source: 'European Environment Agency, indicator ENER 038 (placeholder default)',
    year: '2023',
    region: 'EU-27 (annual average)',
    relativeUncertainty: 0.1,
  },
  assumptions: {
    tdpPerCoreW: 12,
    tdpPerCoreSource: 'default',
    memoryWPerGb: 0.3725,
    memoryBasis: 'peak-rss',
    pue: 1,
    cores: 2,
    cpuBandFactors: [0.3, 2],
    memoryBandFactors: [0.5, 1.5],
    raplRelativeUncertainty: 0.05,
  },
  cpu: { model: 'Intel(R) Xeon(R) CPU @ 2.20GHz', cores: 2, logicalCpus: 2 },
  notes: ['energy estimated from TDP per core × CPU time; RAPL counters were not readable'],
  warnings: [],
};

async function buildReport(): Promise<ModelReport> {
  const train = syntheticTable(900, 'assay-report-train');
  const test = syntheticTable(600, 'assay-report-test');
  const scores = Array.from(await predict(test.x, test.rows));
  const attributes = { sex: test.sex, age_band: test.ageBand };
  const evaluation = evaluateBinary({ yTrue: test.y, scores }, { resamples: RESAMPLES, seed: 1, slices: { region: test.region } });
  const fairness = assessFairness({ yTrue: test.y, scores, attributes }, { resamples: RESAMPLES, seed: 1 });
  const labelBalance = compareLabelBalance(assessLabelBalance({ yTrue: train.y, attributes: { sex: train.sex, age_band: train.ageBand } }), fairness);
  const statistics = encodedFeatureStatistics(train.x, train.rows);
  const robustness = await assessRobustness(
    { predict, x: test.x, rows: test.rows, yTrue: test.y, featureGroups: GROUPS, trainingMeans: statistics.means },
    { seed: 1, noiseLevels: [0.1, 0.25, 0.5, 1] },
  );
  const importance = await permutationImportance({
    predict,
    x: test.x,
    rows: test.rows,
    features: FEATURES,
    y: test.y,
    groups: GROUPS.map((group) => ({ name: group.column, features: group.features })),
    repeats: 5,
    seed: 1,
  });
  const explanations: ReportedExplanation[] = [3, 17].map((row) => ({ label: `test row ${row}`, explanation: linearExplanation(test, row, statistics.means) }));
  const evidenceKinds = ['training.completed', 'energy.measured', 'evaluation.completed', 'fairness.assessed', 'robustness.assessed', 'explanation.generated'];
  return {
    format: MODEL_REPORT_FORMAT,
    version: MODEL_REPORT_VERSION,
    generatedAt: '2025-03-14T10:00:00.000Z',
    model: {
      modelId: '0195a3c4-7d21-7c3e-9f00-3a5d2b1c0e01',
      name: 'credit-default',
      version: 3,
      runId: '0195a3c4-6a10-7b2f-8e11-1f2e3d4c5b6a',
      modelDigest: digest('weights of credit-default v3'),
      modelType: 'logistic_regression',
      backend: 'cpu',
      seed: 42,
      classes: ['declined', 'approved'],
    },
    datasets: [
      {
        role: 'training',
        name: 'credit-applications',
        datasetId: '0195a3c4-1111-7000-8000-000000000001',
        version: 4,
        digest: digest('credit-applications v4 train'),
      },
      {
        role: 'test',
        name: 'credit-applications',
        datasetId: '0195a3c4-1111-7000-8000-000000000001',
        version: 4,
        digest: digest('credit-applications v4 test'),
      },
    ],
    training: {
      history: [0.69, 0.61, 0.56, 0.53, 0.515, 0.506, 0.5, 0.497, 0.495, 0.494].map((loss, epoch) => ({
        epoch,
        loss,
        accuracy: 0.6 + epoch * 0.015,
        valLoss: [0.68, 0.6, 0.557, 0.534, 0.522, 0.516, 0.513, 0.512, 0.5125, 0.513][epoch] as number,
        valAccuracy: 0.59 + epoch * 0.014,
      })),
      bestEpoch: 7,
    },
    evaluation,
    fairness,
    labelBalance,
    robustness,
    importance,
    explanations,
    energy: [{ activity: 'training', measurement: FIXTURE_ENERGY }],
    evidence: evidenceKinds.map((kind, i) => ({
      kind,
      digest: digest(`evidence ${i} ${kind}`),
      id: `0195a3c4-9999-7000-8000-00000000000${i}`,
      createdAt: `2025-03-14T09:${String(13 + i).padStart(2, '0')}:00.000Z`,
    })),
  };
}

let built: Promise<ModelReport> | undefined;

/** The full report (computed once per process; each call returns a fresh copy to modify freely). */
export async function modelReportFixture(): Promise<ModelReport> {
  built ??= buildReport();
  return structuredClone(await built);
}

/** A report of a run with nothing measured yet: every optional section null. */
export function emptyModelReport(): ModelReport {
  return {
    format: MODEL_REPORT_FORMAT,
    version: MODEL_REPORT_VERSION,
    generatedAt: null,
    model: { modelId: null, name: 'untrained', version: null, runId: 'run-0', modelDigest: null, modelType: null, backend: 'cpu', seed: 0, classes: null },
    datasets: [],
    training: null,
    evaluation: null,
    fairness: null,
    labelBalance: null,
    robustness: null,
    importance: null,
    explanations: null,
    energy: null,
    evidence: [],
  };
}

/** Strings that break out of HTML, attributes and SVG unless escaped. */
export const HOSTILE = `<script>alert("x")</script>&'"<img src=x onerror=alert(1)>`;

/** The full report with column names, group values, dataset and model names replaced by hostile strings. */
export async function hostileModelReport(): Promise<ModelReport> {
  const report = await modelReportFixture();
  report.model.name = `${HOSTILE} model`;
  report.model.classes = [`${HOSTILE} no`, `${HOSTILE} yes`];
  for (const dataset of report.datasets) dataset.name = `${HOSTILE} data`;
  const rename = (column: string) => `${HOSTILE} ${column}`;
  for (const metric of report.importance?.metrics ?? []) for (const column of metric.columns) column.column = rename(column.column);
  for (const masked of report.robustness?.masking ?? []) masked.column = rename(masked.column);
  for (const example of report.explanations ?? []) {
    example.label = `${HOSTILE} row`;
    for (const method of example.explanation.methods) for (const attribution of method.attributions) attribution.column = rename(attribution.column);
  }
  for (const set of report.fairness?.attributeSets ?? []) {
    set.attributes = set.attributes.map(rename);
    for (const group of set.groups) group.values = group.values.map(rename);
  }
  for (const set of report.labelBalance?.attributeSets ?? []) {
    set.attributes = set.attributes.map(rename);
    for (const group of set.groups) group.values = group.values.map(rename);
  }
  if (report.evaluation !== null) for (const slice of report.evaluation.slices) slice.column = rename(slice.column);
  for (const evidence of report.evidence) evidence.kind = rename(evidence.kind);
  return report;
}
