/** The binary metrics as values computed from a tally (see binary-tally.ts). */
import { type PointValue, defined, ratio, undefinedBecause } from '../undefined-reason';
import type { BinaryTally } from './binary-tally';

/** The binary metrics, in report order. */
export const BINARY_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss', 'brier', 'expectedCalibrationError'] as const;

export type BinaryMetricName = (typeof BINARY_METRICS)[number];

/**
 * Metric values from a tally. Definitions follow scikit-learn:
 * - precision TP/(TP+FP), recall TP/(TP+FN);
 * - F1 = 2TP/(2TP+FP+FN), which equals 2PR/(P+R) where both are defined and is 0 (not undefined)
 *   when there are positives but none is found (scikit-learn ≥ 1.3);
 * - ROC AUC = U/(P·N), the Mann–Whitney statistic with ties counted ½: exactly the trapezoidal
 *   area under the ROC curve that `roc_auc_score` computes;
 * - log loss and Brier score are means over rows; ECE is defined in calibration-bins.ts.
 */
export function binaryMetrics(t: BinaryTally): Record<BinaryMetricName, PointValue> {
  if (t.n === 0) {
    const none = undefinedBecause('no-rows');
    return { accuracy: none, precision: none, recall: none, f1: none, rocAuc: none, logLoss: none, brier: none, expectedCalibrationError: none };
  }
  const positives = t.tp + t.fn;
  const negatives = t.tn + t.fp;
  let calibrationGap = 0;
  for (const residual of t.binResidual) calibrationGap += Math.abs(residual);
  return {
    accuracy: defined((t.tp + t.tn) / t.n),
    precision: ratio(t.tp, t.tp + t.fp, 'no-predicted-positives'),
    recall: ratio(t.tp, positives, 'no-actual-positives'),
    f1: ratio(2 * t.tp, 2 * t.tp + t.fp + t.fn, 'no-positives-and-no-predictions'),
    rocAuc: positives === 0 || negatives === 0 ? undefinedBecause('single-class') : defined(t.rankSum / (positives * negatives)),
    logLoss: defined(t.sumLogLoss / t.n),
    brier: defined(t.sumSquaredError / t.n),
    // Σ_b (n_b/n)·|sumScore_b/n_b − positives_b/n_b| = Σ_b |sumScore_b − positives_b| / n.
    expectedCalibrationError: defined(calibrationGap / t.n),
  };
}
