import { ExplainabilityError } from './explainability.error';

/**
 * Metrics for permutation importance: a function of the true labels and the predictions of a
 * predict function (`outputs` values per row). Permutation importance reports the metric's
 * deterioration, so a metric says which direction is better.
 */
export interface Metric {
  name: string;
  higherIsBetter: boolean;
  /** yTrue: binary 0/1 or class indices, one per row; predictions: `rows × outputs`. */
  compute(yTrue: ArrayLike<number>, predictions: Float32Array, outputs: number): number;
}

/**
 * Accuracy. Binary (one output per row, or two: [P(class 0), P(class 1)]): the positive-class score
 * against `threshold` (default 0.5: a probability; use 0 for logits). More outputs: the argmax
 * (first on ties) against the class index.
 */
export function accuracyMetric(threshold = 0.5): Metric {
  return {
    name: 'accuracy',
    higherIsBetter: true,
    compute(yTrue, predictions, outputs) {
      const rows = yTrue.length;
      let hits = 0;
      for (let r = 0; r < rows; r++) {
        let predicted: number;
        if (outputs <= 2) {
          const positive = (outputs === 1 ? predictions[r] : predictions[2 * r + 1]) as number;
          predicted = positive >= threshold ? 1 : 0;
        } else {
          predicted = 0;
          for (let k = 1; k < outputs; k++) if ((predictions[r * outputs + k] as number) > (predictions[r * outputs + predicted] as number)) predicted = k;
        }
        if (predicted === yTrue[r]) hits++;
      }
      return hits / rows;
    },
  };
}

/** ROC AUC of one score per row (binary labels 0/1); with two outputs per row, of the second (P(class 1)). */
export function rocAucMetric(): Metric {
  return {
    name: 'roc_auc',
    higherIsBetter: true,
    compute(yTrue, predictions, outputs) {
      if (outputs === 1) return rocAuc(yTrue, predictions);
      if (outputs === 2) return rocAuc(yTrue, Float32Array.from({ length: yTrue.length }, (_, r) => predictions[2 * r + 1] as number));
      throw new ExplainabilityError('EXPLAIN_METRIC_UNDEFINED', 'ROC AUC here is binary; the predictions have more than two outputs per row', { metric: 'roc_auc' });
    },
  };
}

/**
 * ROC AUC as the Mann–Whitney U statistic: the probability that a random positive scores above a
 * random negative, ties counting one half (midranks). O(n log n).
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = yTrue.length;
  if (scores.length !== n) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', 'labels and scores differ in length', { expected: n, found: scores.length });
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const midrank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      const label = yTrue[order[k] as number];
      if (label !== 0 && label !== 1) throw new ExplainabilityError('EXPLAIN_METRIC_UNDEFINED', 'ROC AUC needs 0/1 labels', { metric: 'roc_auc', index: order[k] as number });
      if (label === 1) {
        positives++;
        rankSum += midrank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new ExplainabilityError('EXPLAIN_METRIC_UNDEFINED', 'ROC AUC needs both classes among the labels', { metric: 'roc_auc' });
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Accuracy and, for binary predictions (one or two outputs per row), ROC AUC. */
export function defaultMetrics(outputs: number): Metric[] {
  return outputs <= 2 ? [accuracyMetric(), rocAucMetric()] : [accuracyMetric()];
}
