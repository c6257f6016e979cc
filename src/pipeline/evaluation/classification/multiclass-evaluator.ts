/** Multiclass evaluation: accuracy, macro precision / recall / F1, log loss, confusion matrix, with bootstrap intervals. */
import { bootstrapSettings, type BootstrapOptions, type BootstrapSettings } from '../bootstrap/bootstrap-options';
import { ReplicateTable, type MetricEstimate } from '../bootstrap/metric-estimate';
import { drawCounts, unitWeights } from '../bootstrap/resample-counts';
import { EvaluationError } from '../evaluation.error';
import { classLabels, probabilityMatrix, requireRows } from '../input-validation';
import { seededUniform } from '../seeded-random';
import { clippedNegativeLog, logLossEpsilon } from './log-loss';
import { multiclassMetrics, type MulticlassMetricName, type MulticlassTally } from './multiclass-metrics';
import { pick, sliceReports, type SliceReport } from './slice-report';

export interface MulticlassEvaluationInput {
  /** Actual class indices, integers in [0, classes). */
  yTrue: ArrayLike<number>;
  /** Class probabilities, rows × classes, row-major (a softmax output); the class count is its length ÷ rows. */
  scores: ArrayLike<number>;
}

export interface MulticlassEvaluationOptions extends BootstrapOptions {
  /** Log-loss clipping ε (see log-loss.ts). Default Number.EPSILON. */
  logLossEpsilon?: number;
  /** Slicing columns: name → one value per row. */
  slices?: Readonly<Record<string, readonly string[]>>;
}

export interface ClassMetrics {
  class: number;
  /** Rows whose actual class this is. */
  support: number;
  precision: MetricEstimate;
  recall: MetricEstimate;
  f1: MetricEstimate;
}

export interface MulticlassEvaluationCore {
  rows: number;
  metrics: Record<MulticlassMetricName, MetricEstimate>;
  /** Classes left out of each macro average because the metric is undefined for them (on all rows). */
  macroExcludedClasses: { precision: number[]; recall: number[]; f1: number[] };
  perClass: ClassMetrics[];
  /** Rows actual, columns predicted (argmax; the lowest index wins a tie, as numpy's argmax). */
  confusionMatrix: { labels: number[]; matrix: number[][] };
}

export interface MulticlassEvaluation extends MulticlassEvaluationCore {
  task: 'multiclass';
  classes: number;
  logLossEpsilon: number;
  bootstrap: BootstrapSettings;
  slices: SliceReport<MulticlassEvaluationCore>[];
}

interface PreparedRows {
  classes: number;
  actual: Int32Array;
  predicted: Int32Array;
  logLoss: Float64Array;
}

/**
 * Log loss of one row as scikit-learn computes it: clip every probability to [ε, 1 − ε], divide
 * by the clipped row's sum, take −ln of the true class's share.
 */
function prepare(labels: Int32Array, scores: Float64Array, classes: number, epsilon: number): PreparedRows {
  const n = labels.length;
  const prepared: PreparedRows = { classes, actual: labels, predicted: new Int32Array(n), logLoss: new Float64Array(n) };
  for (let row = 0; row < n; row++) {
    let best = 0;
    let clippedSum = 0;
    for (let c = 0; c < classes; c++) {
      const p = scores[row * classes + c] as number;
      if (p > (scores[row * classes + best] as number)) best = c;
      clippedSum += Math.min(Math.max(p, epsilon), 1 - epsilon);
    }
    prepared.predicted[row] = best;
    const truth = Math.min(Math.max(scores[row * classes + (labels[row] as number)] as number, epsilon), 1 - epsilon);
    prepared.logLoss[row] = clippedNegativeLog(truth / clippedSum, 0);
  }
  return prepared;
}

function tally(rows: PreparedRows, weights: Int32Array): MulticlassTally {
  const k = rows.classes;
  const confusion = new Float64Array(k * k);
  let n = 0;
  let sumLogLoss = 0;
  for (let i = 0; i < rows.actual.length; i++) {
    const w = weights[i] as number;
    if (w === 0) continue;
    confusion[(rows.actual[i] as number) * k + (rows.predicted[i] as number)]! += w;
    sumLogLoss += w * (rows.logLoss[i] as number);
    n += w;
  }
  return { classes: k, n, confusion, sumLogLoss };
}

function evaluateRows(labels: Int32Array, scores: Float64Array, classes: number, epsilon: number, bootstrap: BootstrapSettings, purpose: string): MulticlassEvaluationCore {
  const rows = prepare(labels, scores, classes, epsilon);
  const full = tally(rows, unitWeights(labels.length));
  const point = multiclassMetrics(full);
  const table = new ReplicateTable<string>(bootstrap.resamples);
  if (bootstrap.resamples > 0) {
    const uniform = seededUniform(bootstrap.seed, purpose);
    const counts = new Int32Array(labels.length);
    for (let r = 0; r < bootstrap.resamples; r++) {
      drawCounts(uniform, counts);
      const replicate = multiclassMetrics(tally(rows, counts));
      table.recordAll(r, replicate.metrics);
      replicate.perClass.forEach((c, k) => {
        table.record(r, `precision/${k}`, c.precision);
        table.record(r, `recall/${k}`, c.recall);
        table.record(r, `f1/${k}`, c.f1);
      });
    }
  }
  const excluded = (metric: 'precision' | 'recall' | 'f1'): number[] =>
    point.perClass.flatMap((c, k) => (c[metric].value === null ? [k] : []));
  const matrix = Array.from({ length: classes }, (_, actual) => Array.from(full.confusion.subarray(actual * classes, (actual + 1) * classes)));
  return {
    rows: labels.length,
    metrics: table.estimateAll(point.metrics, bootstrap),
    macroExcludedClasses: { precision: excluded('precision'), recall: excluded('recall'), f1: excluded('f1') },
    perClass: point.perClass.map((c, k) => ({
      class: k,
      support: matrix[k]!.reduce((sum, count) => sum + count, 0),
      precision: table.estimate(`precision/${k}`, c.precision, bootstrap),
      recall: table.estimate(`recall/${k}`, c.recall, bootstrap),
      f1: table.estimate(`f1/${k}`, c.f1, bootstrap),
    })),
    confusionMatrix: { labels: Array.from({ length: classes }, (_, k) => k), matrix },
  };
}

export function evaluateMulticlass(input: MulticlassEvaluationInput, options: MulticlassEvaluationOptions = {}): MulticlassEvaluation {
  const n = input.yTrue.length;
  requireRows(n, 'yTrue');
  const classes = input.scores.length / n;
  if (!Number.isInteger(classes) || classes < 2) {
    throw new EvaluationError('EVALUATION_LENGTH_MISMATCH', `scores has ${input.scores.length} entries: not rows × classes for ${n} rows and at least 2 classes`, {
      field: 'scores',
      found: input.scores.length,
    });
  }
  const labels = classLabels(input.yTrue, classes);
  const scores = probabilityMatrix(input.scores, n, classes);
  const epsilon = logLossEpsilon(options.logLossEpsilon);
  const bootstrap = bootstrapSettings(options, 'rows');
  return {
    task: 'multiclass',
    classes,
    logLossEpsilon: epsilon,
    bootstrap,
    ...evaluateRows(labels, scores, classes, epsilon, bootstrap, 'overall'),
    slices: sliceReports(options.slices, n, (rows, purpose) => evaluateRows(pick(labels, rows), pick(scores, rows, classes), classes, epsilon, bootstrap, purpose)),
  };
}
