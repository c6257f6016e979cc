/** Multiclass accuracy, per-class and macro-averaged precision / recall / F1, and log loss, from a weighted confusion matrix. */
import { type PointValue, defined, ratio, undefinedBecause } from '../undefined-reason';

export const MULTICLASS_METRICS = ['accuracy', 'macroPrecision', 'macroRecall', 'macroF1', 'logLoss'] as const;

export type MulticlassMetricName = (typeof MULTICLASS_METRICS)[number];

export interface MulticlassTally {
  classes: number;
  n: number;
  /** classes × classes, row-major: [actual · classes + predicted]. */
  confusion: Float64Array;
  sumLogLoss: number;
}

export interface PerClassPoints {
  precision: PointValue;
  recall: PointValue;
  f1: PointValue;
}

export function perClassPoints(t: MulticlassTally): PerClassPoints[] {
  const k = t.classes;
  return Array.from({ length: k }, (_, c) => {
    let actual = 0;
    let predicted = 0;
    for (let other = 0; other < k; other++) {
      actual += t.confusion[c * k + other] as number;
      predicted += t.confusion[other * k + c] as number;
    }
    const tp = t.confusion[c * k + c] as number;
    return {
      precision: ratio(tp, predicted, 'no-predicted-positives'),
      recall: ratio(tp, actual, 'no-actual-positives'),
      f1: ratio(2 * tp, actual + predicted, 'no-positives-and-no-predictions'),
    };
  });
}

/**
 * Macro average over the classes on which the metric is defined: scikit-learn's
 * `zero_division=np.nan` behaviour (an undefined class is left out, not counted as 0).
 */
export function macroAverage(values: readonly PointValue[]): PointValue {
  let sum = 0;
  let count = 0;
  for (const point of values) {
    if (point.value !== null) {
      sum += point.value;
      count++;
    }
  }
  return count === 0 ? undefinedBecause('no-class-defined') : defined(sum / count);
}

export function multiclassMetrics(t: MulticlassTally): { metrics: Record<MulticlassMetricName, PointValue>; perClass: PerClassPoints[] } {
  const perClass = perClassPoints(t);
  if (t.n === 0) {
    const none = undefinedBecause('no-rows');
    return { metrics: { accuracy: none, macroPrecision: none, macroRecall: none, macroF1: none, logLoss: none }, perClass };
  }
  let correct = 0;
  for (let c = 0; c < t.classes; c++) correct += t.confusion[c * t.classes + c] as number;
  return {
    metrics: {
      accuracy: defined(correct / t.n),
      macroPrecision: macroAverage(perClass.map((c) => c.precision)),
      macroRecall: macroAverage(perClass.map((c) => c.recall)),
      macroF1: macroAverage(perClass.map((c) => c.f1)),
      logLoss: defined(t.sumLogLoss / t.n),
    },
    perClass,
  };
}
