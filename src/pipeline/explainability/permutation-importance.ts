import { ExplainabilityError } from './explainability.error';
import { checkFeatureGroups, singletonGroups, type FeatureGroup } from './feature-groups';
import { checkInteger, checkMatrix, checkPredictions, checkSeed } from './input-checks';
import { defaultMetrics, type Metric } from './metrics';
import type { PredictFunction } from './predict-function';
import { randomPermutation, seededRandom } from './seeded-sampling';

export interface PermutationImportanceOptions {
  /** Scores (`rows` values) or per-class outputs (`rows × outputs`) — whatever the metrics read. */
  predict: PredictFunction;
  /** Row-major `rows × features`: usually the held-out test split, encoded. */
  x: Float32Array;
  rows: number;
  features: number;
  /** True labels, one per row: 0/1 for binary, class indices for multiclass. */
  y: ArrayLike<number>;
  /** Original columns; default one group per encoded feature. */
  groups?: readonly FeatureGroup[];
  /** Default: accuracy and ROC AUC for binary predictions, accuracy otherwise. */
  metrics?: readonly Metric[];
  /** Permutations per column; default 5. */
  repeats?: number;
  seed: number;
}

export interface ColumnImportance {
  column: string;
  /** Encoded features permuted together. */
  features: number;
  /** Mean deterioration of the metric over the repeats (positive: the model relies on the column). */
  mean: number;
  /** Population standard deviation (ddof 0, as scikit-learn's permutation_importance) of the deteriorations. */
  std: number;
  /** Deterioration per repeat, in repeat order. */
  drops: number[];
}

export interface MetricImportance {
  metric: string;
  higherIsBetter: boolean;
  /** The metric on the unpermuted data. */
  baseline: number;
  /** Sorted by mean deterioration, largest first (ties by column name). */
  columns: ColumnImportance[];
}

export interface PermutationImportanceResult {
  method: 'permutation-importance';
  seed: number;
  repeats: number;
  rows: number;
  /** 1 (baseline) + columns × repeats. */
  predictCalls: number;
  rowsEvaluated: number;
  metrics: MetricImportance[];
}

export const PERMUTATION_DEFAULTS = { repeats: 5 } as const;

/**
 * Global permutation importance (Breiman 2001; Fisher, Rudin & Dominici 2019): how much a metric
 * deteriorates when one original column's values are shuffled across rows, breaking its link to
 * the label while keeping its distribution. All encoded features of a column (its one-hot slots)
 * move together under the same row permutation, so a shuffled row still holds a valid encoding.
 * Each (column, repeat) is one batched predict call; its permutation comes from a stream seeded by
 * (seed, column, repeat), so results do not depend on column order.
 */
export async function permutationImportance(options: PermutationImportanceOptions): Promise<PermutationImportanceResult> {
  const { predict, x, rows, features, y } = options;
  checkInteger(features, 'features', 1);
  checkMatrix(x, rows, features, 'x');
  if (y.length !== rows) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `${y.length} labels for ${rows} rows`, { option: 'y', expected: rows, found: y.length });
  const groups = checkFeatureGroups(options.groups ?? singletonGroups(features), features);
  const repeats = options.repeats ?? PERMUTATION_DEFAULTS.repeats;
  checkInteger(repeats, 'repeats', 1, 1000);
  checkSeed(options.seed);

  const reference = await predict(x, rows);
  const outputs = reference.length / rows;
  if (!Number.isInteger(outputs) || outputs < 1) {
    throw new ExplainabilityError('EXPLAIN_PREDICTION_INVALID', `the predict function returned ${reference.length} values for ${rows} rows`, { found: reference.length });
  }
  checkPredictions(reference, rows * outputs);
  const metrics = options.metrics ?? defaultMetrics(outputs);
  if (metrics.length === 0) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', 'at least one metric is needed', { option: 'metrics' });
  const evaluate = (predictions: Float32Array) => metrics.map((metric) => metricValue(metric, y, predictions, outputs));
  const baselines = evaluate(reference);

  // One working copy: a group's columns are overwritten with permuted rows, scored, then restored.
  const work = x.slice();
  const drops = metrics.map(() => groups.map(() => new Array<number>(repeats)));
  let predictCalls = 1;
  for (const [g, group] of groups.entries()) {
    for (let repeat = 0; repeat < repeats; repeat++) {
      const order = randomPermutation(rows, seededRandom(options.seed, 'permutation', group.name, repeat));
      for (let r = 0; r < rows; r++) {
        const from = (order[r] as number) * features;
        for (const f of group.features) work[r * features + f] = x[from + f] as number;
      }
      const predictions = await predict(work, rows);
      predictCalls++;
      checkPredictions(predictions, rows * outputs);
      evaluate(predictions).forEach((value, m) => {
        const metric = metrics[m] as Metric;
        const baseline = baselines[m] as number;
        (drops[m] as number[][])[g]![repeat] = metric.higherIsBetter ? baseline - value : value - baseline;
      });
    }
    for (let r = 0; r < rows; r++) for (const f of group.features) work[r * features + f] = x[r * features + f] as number;
  }

  return {
    method: 'permutation-importance',
    seed: options.seed,
    repeats,
    rows,
    predictCalls,
    rowsEvaluated: predictCalls * rows,
    metrics: metrics.map((metric, m) => ({
      metric: metric.name,
      higherIsBetter: metric.higherIsBetter,
      baseline: baselines[m] as number,
      columns: groups
        .map((group, g): ColumnImportance => {
          const values = (drops[m] as number[][])[g] as number[];
          const mean = values.reduce((a, b) => a + b, 0) / repeats;
          const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / repeats);
          return { column: group.name, features: group.features.length, mean, std, drops: values };
        })
        .sort((a, b) => b.mean - a.mean || (a.column < b.column ? -1 : a.column > b.column ? 1 : 0)),
    })),
  };
}

function metricValue(metric: Metric, y: ArrayLike<number>, predictions: Float32Array, outputs: number): number {
  const value = metric.compute(y, predictions, outputs);
  if (!Number.isFinite(value)) {
    throw new ExplainabilityError('EXPLAIN_METRIC_UNDEFINED', `metric ${metric.name} gave ${String(value)}`, { metric: metric.name });
  }
  return value;
}
