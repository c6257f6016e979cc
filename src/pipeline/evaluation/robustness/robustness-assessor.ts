/**
 * Robustness of a classifier's accuracy and ROC AUC: under Gaussian noise added to its inputs at
 * several levels, and with each original column masked to its training mean (every encoded
 * feature of the column set to that feature's training mean, i.e. the column's information
 * removed). Each condition is one batched `predict` call over all rows; noise is seeded
 * (Box–Muller over a per-level seedrandom stream), so a report is reproducible.
 */
import { binaryMetrics } from '../classification/binary-metrics';
import { sortBinaryRows, tallyBinary } from '../classification/binary-tally';
import { DEFAULT_LOG_LOSS_EPSILON } from '../classification/log-loss';
import { EvaluationError } from '../evaluation.error';
import { DEFAULT_THRESHOLD, requireLength, requireRows, threshold as checkedThreshold } from '../input-validation';
import { DEFAULT_SEED } from '../bootstrap/bootstrap-options';
import { unitWeights } from '../bootstrap/resample-counts';
import { checkedSeed, gaussianSampler, seededUniform, type Seed } from '../seeded-random';
import { type PointValue, defined, undefinedBecause } from '../undefined-reason';
import type { FeatureGroup } from './feature-groups';

/** Positive-class probabilities (length rows) or class probabilities (rows × classes, row-major). */
export type PredictFunction = (x: Float32Array, rows: number) => Promise<ArrayLike<number>>;

export const DEFAULT_NOISE_LEVELS: readonly number[] = [0.05, 0.1, 0.25, 0.5];

export interface RobustnessInput {
  predict: PredictFunction;
  /** Encoded features, rows × features, row-major. */
  x: Float32Array;
  rows: number;
  /** 0/1 labels for a binary model; class indices for a multiclass one. */
  yTrue: ArrayLike<number>;
  /** Original columns and their encoded features; each is masked in turn. */
  featureGroups: readonly FeatureGroup[];
  /** Training mean of every encoded feature (see encodedFeatureStatistics). */
  trainingMeans: ArrayLike<number>;
}

export interface RobustnessOptions {
  /** Noise standard deviations σ, in standardised units. Default [0.05, 0.1, 0.25, 0.5]. */
  noiseLevels?: readonly number[];
  /**
   * Per encoded feature, the size of one standardised unit in x's units (e.g. the training
   * standard deviations), so a feature receives noise σ·scale. Default: 1 for every feature
   * (x is already standardised). A feature with scale 0 receives no noise.
   */
  noiseScale?: ArrayLike<number>;
  /** Run seed (expanded with deriveSeed) or a string seed. Default 0. */
  seed?: Seed;
  /** Binary: a row is predicted positive when its score is ≥ threshold. Default 0.5. */
  threshold?: number;
}

export type MetricChange = { value: number; delta: number } | { value: number | null; delta: null; reason: 'baseline-undefined' | 'condition-undefined' };

export interface ConditionOutcome {
  accuracy: MetricChange;
  rocAuc: MetricChange;
}

export interface RobustnessReport {
  task: 'binary' | 'multiclass';
  rows: number;
  features: number;
  threshold: number;
  seed: Seed;
  noiseScale: 'standardised-inputs' | 'per-feature';
  baseline: { accuracy: PointValue; rocAuc: PointValue };
  /** delta = value under the condition − baseline value. */
  noise: ({ sigma: number } & ConditionOutcome)[];
  masking: ({ column: string; features: number[] } & ConditionOutcome)[];
}

interface Metrics {
  accuracy: PointValue;
  rocAuc: PointValue;
}

function change(value: PointValue, baseline: PointValue): MetricChange {
  if (baseline.value === null) return { value: value.value, delta: null, reason: 'baseline-undefined' };
  if (value.value === null) return { value: null, delta: null, reason: 'condition-undefined' };
  return { value: value.value, delta: value.value - baseline.value };
}

/** Scores the model's output for one condition; the output must have the baseline's shape. */
function scoreOutput(output: ArrayLike<number>, labels: ArrayLike<number>, rows: number, threshold: number, condition: string): { classes: number; metrics: Metrics } {
  const classes = output.length === rows ? 1 : output.length / rows;
  if (!Number.isInteger(classes) || (classes !== 1 && classes < 2)) {
    throw new EvaluationError('EVALUATION_PREDICTION_INVALID', `predict returned ${output.length} values for ${rows} rows (${condition})`, { field: 'predict', expected: rows, found: output.length });
  }
  for (let i = 0; i < output.length; i++) {
    const p = output[i] as number;
    if (!(p >= 0 && p <= 1)) throw new EvaluationError('EVALUATION_PREDICTION_INVALID', `predict returned a value outside [0, 1] (${condition})`, { field: 'predict', row: Math.floor(i / classes) });
  }
  if (classes <= 2) {
    // Binary: one score per row, or two softmax columns of which the second is the positive class.
    const scores = classes === 1 ? Float64Array.from(output) : Float64Array.from({ length: rows }, (_, row) => output[row * 2 + 1] as number);
    const labelBytes = Uint8Array.from(labels);
    const metrics = binaryMetrics(tallyBinary(sortBinaryRows(labelBytes, scores, threshold, 1, DEFAULT_LOG_LOSS_EPSILON), unitWeights(rows)));
    return { classes, metrics: { accuracy: metrics.accuracy, rocAuc: metrics.rocAuc } };
  }
  let correct = 0;
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if ((output[row * classes + c] as number) > (output[row * classes + best] as number)) best = c;
    if (best === labels[row]) correct++;
  }
  return { classes, metrics: { accuracy: defined(correct / rows), rocAuc: undefinedBecause('not-binary') } };
}

function validateFeatureGroups(groups: readonly FeatureGroup[], features: number): void {
  groups.forEach((group, g) => {
    const seen = new Set<number>();
    if (typeof group.column !== 'string' || !Array.isArray(group.features) || group.features.length === 0) {
      throw new EvaluationError('EVALUATION_FEATURE_INVALID', `featureGroups[${g}] needs a column name and at least one feature`, { field: `featureGroups[${g}]` });
    }
    for (const feature of group.features) {
      if (!Number.isInteger(feature) || feature < 0 || feature >= features || seen.has(feature)) {
        throw new EvaluationError('EVALUATION_FEATURE_INVALID', `featureGroups[${g}] lists a feature index that is out of range or repeated`, { field: `featureGroups[${g}]`, expected: features });
      }
      seen.add(feature);
    }
  });
}

function finiteVector(values: ArrayLike<number>, length: number, field: string, nonNegative: boolean): Float64Array {
  requireLength(values.length, length, field);
  const vector = Float64Array.from(values);
  vector.forEach((value, j) => {
    if (!Number.isFinite(value) || (nonNegative && value < 0)) {
      throw new EvaluationError('EVALUATION_FEATURE_INVALID', `${field}[${j}] is not a finite${nonNegative ? ' non-negative' : ''} number`, { field, row: j });
    }
  });
  return vector;
}

export async function assessRobustness(input: RobustnessInput, options: RobustnessOptions = {}): Promise<RobustnessReport> {
  const { rows, x } = input;
  requireRows(rows, 'rows');
  if (!Number.isInteger(rows) || !(x instanceof Float32Array) || x.length % rows !== 0 || x.length === 0) {
    throw new EvaluationError('EVALUATION_LENGTH_MISMATCH', 'x must be a non-empty Float32Array of rows × features', { field: 'x', found: x.length, expected: rows });
  }
  const features = x.length / rows;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new EvaluationError('EVALUATION_FEATURE_INVALID', 'x holds a value that is not finite', { field: 'x', row: (i - (i % features)) / features });
  }
  requireLength(input.yTrue.length, rows, 'yTrue');
  const labels = Int32Array.from(input.yTrue);
  labels.forEach((label, row) => {
    if (label !== input.yTrue[row] || label < 0) throw new EvaluationError('EVALUATION_LABEL_INVALID', `yTrue[${row}] is not a class index`, { field: 'yTrue', row });
  });
  validateFeatureGroups(input.featureGroups, features);
  const means = finiteVector(input.trainingMeans, features, 'trainingMeans', false);
  const scale = options.noiseScale === undefined ? new Float64Array(features).fill(1) : finiteVector(options.noiseScale, features, 'options.noiseScale', true);
  const levels = [...(options.noiseLevels ?? DEFAULT_NOISE_LEVELS)];
  if (!levels.every((sigma) => Number.isFinite(sigma) && sigma >= 0)) {
    throw new EvaluationError('EVALUATION_OPTION_INVALID', 'noiseLevels must be finite and ≥ 0', { field: 'options.noiseLevels' });
  }
  const threshold = checkedThreshold(options.threshold, DEFAULT_THRESHOLD);
  const seed = checkedSeed(options.seed, DEFAULT_SEED);

  const run = async (input_: Float32Array, condition: string): Promise<{ classes: number; metrics: Metrics }> =>
    scoreOutput(await input.predict(input_, rows), labels, rows, threshold, condition);

  const baseline = await run(x.slice(), 'baseline');
  if (baseline.classes <= 2 && labels.some((label) => label > 1)) {
    throw new EvaluationError('EVALUATION_LABEL_INVALID', 'a binary model needs 0/1 labels', { field: 'yTrue' });
  }
  if (baseline.classes > 2 && labels.some((label) => label >= baseline.classes)) {
    throw new EvaluationError('EVALUATION_LABEL_INVALID', `labels must be class indices below ${baseline.classes}`, { field: 'yTrue', expected: baseline.classes });
  }
  const outcome = async (conditioned: Float32Array, condition: string): Promise<ConditionOutcome> => {
    const result = await run(conditioned, condition);
    if (result.classes !== baseline.classes) {
      throw new EvaluationError('EVALUATION_PREDICTION_INVALID', `predict changed its output shape (${condition})`, { field: 'predict' });
    }
    return { accuracy: change(result.metrics.accuracy, baseline.metrics.accuracy), rocAuc: change(result.metrics.rocAuc, baseline.metrics.rocAuc) };
  };

  const noise: RobustnessReport['noise'] = [];
  for (const sigma of levels) {
    const gaussian = gaussianSampler(seededUniform(seed, 'noise', String(sigma)));
    const noisy = x.slice();
    for (let i = 0; i < noisy.length; i++) noisy[i]! += sigma * (scale[i % features] as number) * gaussian();
    noise.push({ sigma, ...(await outcome(noisy, `noise σ=${sigma}`)) });
  }
  const masking: RobustnessReport['masking'] = [];
  for (const group of input.featureGroups) {
    const masked = x.slice();
    for (let row = 0; row < rows; row++) for (const j of group.features) masked[row * features + j] = means[j] as number;
    masking.push({ column: group.column, features: [...group.features], ...(await outcome(masked, `masking ${group.column}`)) });
  }
  return {
    task: baseline.classes <= 2 ? 'binary' : 'multiclass',
    rows,
    features,
    threshold,
    seed,
    noiseScale: options.noiseScale === undefined ? 'standardised-inputs' : 'per-feature',
    baseline: baseline.metrics,
    noise,
    masking,
  };
}
