/**
 * Binary classification evaluation, overall and per slice: accuracy, precision, recall, F1, ROC AUC,
 * log loss, Brier score and expected calibration error, each with a percentile-bootstrap interval,
 * plus the confusion matrix at the threshold, the reliability curve and the ROC curve.
 *
 * Bootstrap: each replicate draws n rows with replacement (as multiplicities, see
 * resample-counts.ts) and every metric is computed on that same replicate; the rows are sorted
 * by score once, so a replicate costs O(n) including AUC. Each slice is resampled within itself,
 * from its own seed stream.
 */
import { bootstrapSettings, type BootstrapOptions, type BootstrapSettings } from '../bootstrap/bootstrap-options';
import { ReplicateTable, type MetricEstimate } from '../bootstrap/metric-estimate';
import { drawCounts, unitWeights } from '../bootstrap/resample-counts';
import { DEFAULT_THRESHOLD, binaryLabels, positiveInteger, probabilities, threshold as checkedThreshold } from '../input-validation';
import { seededUniform } from '../seeded-random';
import { binaryMetrics, type BinaryMetricName } from './binary-metrics';
import { sortBinaryRows, tallyBinary } from './binary-tally';
import { DEFAULT_CALIBRATION_BINS, MAX_CALIBRATION_BINS, reliabilityCurve, type CalibrationReport } from './calibration-bins';
import { logLossEpsilon } from './log-loss';
import { rocCurve, type RocCurve } from './roc-curve';
import { pick, sliceReports, type SliceReport } from './slice-report';

export interface BinaryEvaluationInput {
  /** Actual labels, 0 or 1. */
  yTrue: ArrayLike<number>;
  /** Probability of the positive class, finite and in [0, 1], aligned with yTrue. */
  scores: ArrayLike<number>;
}

export interface BinaryEvaluationOptions extends BootstrapOptions {
  /** A row is predicted positive when its score is ≥ threshold. Default 0.5. */
  threshold?: number;
  /** Equal-width bins for ECE and the reliability curve. Default 10. */
  calibrationBins?: number;
  /** Log-loss clipping ε (see log-loss.ts). Default Number.EPSILON, as scikit-learn for float64. */
  logLossEpsilon?: number;
  /** Slicing columns: name → one value per row. Each slice is evaluated on its own. */
  slices?: Readonly<Record<string, readonly string[]>>;
}

export interface BinaryConfusionMatrix {
  threshold: number;
  /** Rows are actual classes, columns predicted classes, in the order of `labels` (scikit-learn's layout). */
  labels: [0, 1];
  matrix: [[number, number], [number, number]];
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/** The evaluation of one set of rows. */
export interface BinaryEvaluationCore {
  rows: number;
  positives: number;
  negatives: number;
  metrics: Record<BinaryMetricName, MetricEstimate>;
  confusionMatrix: BinaryConfusionMatrix;
  calibration: CalibrationReport;
  rocCurve: RocCurve;
}

export interface BinaryEvaluation extends BinaryEvaluationCore {
  task: 'binary';
  threshold: number;
  logLossEpsilon: number;
  bootstrap: BootstrapSettings;
  slices: SliceReport<BinaryEvaluationCore>[];
}

interface Settings {
  threshold: number;
  bins: number;
  epsilon: number;
  bootstrap: BootstrapSettings;
}

function evaluateRows(labels: Uint8Array, scores: Float64Array, settings: Settings, purpose: string): BinaryEvaluationCore {
  const rows = sortBinaryRows(labels, scores, settings.threshold, settings.bins, settings.epsilon);
  const tally = tallyBinary(rows, unitWeights(rows.n));
  const points = binaryMetrics(tally);
  const { resamples } = settings.bootstrap;
  const table = new ReplicateTable<BinaryMetricName>(resamples);
  if (resamples > 0) {
    const uniform = seededUniform(settings.bootstrap.seed, purpose);
    const counts = new Int32Array(rows.n);
    for (let r = 0; r < resamples; r++) {
      drawCounts(uniform, counts);
      table.recordAll(r, binaryMetrics(tallyBinary(rows, counts)));
    }
  }
  const { tn, fp, fn, tp } = tally;
  return {
    rows: rows.n,
    positives: tp + fn,
    negatives: tn + fp,
    metrics: table.estimateAll(points, settings.bootstrap),
    confusionMatrix: { threshold: settings.threshold, labels: [0, 1], matrix: [[tn, fp], [fn, tp]], tn, fp, fn, tp },
    calibration: reliabilityCurve(rows.bin, rows.score, rows.label, settings.bins),
    rocCurve: rocCurve(rows),
  };
}

/** Evaluates positive-class scores against 0/1 labels; see the module comment. */
export function evaluateBinary(input: BinaryEvaluationInput, options: BinaryEvaluationOptions = {}): BinaryEvaluation {
  const labels = binaryLabels(input.yTrue);
  const scores = probabilities(input.scores, labels.length);
  const settings: Settings = {
    threshold: checkedThreshold(options.threshold, DEFAULT_THRESHOLD),
    bins: positiveInteger(options.calibrationBins, DEFAULT_CALIBRATION_BINS, 'options.calibrationBins', MAX_CALIBRATION_BINS),
    epsilon: logLossEpsilon(options.logLossEpsilon),
    bootstrap: bootstrapSettings(options, 'rows'),
  };
  const overall = evaluateRows(labels, scores, settings, 'overall');
  return {
    task: 'binary',
    threshold: settings.threshold,
    logLossEpsilon: settings.epsilon,
    bootstrap: settings.bootstrap,
    ...overall,
    slices: sliceReports(options.slices, labels.length, (rows, purpose) => evaluateRows(pick(labels, rows), pick(scores, rows), settings, purpose)),
  };
}
