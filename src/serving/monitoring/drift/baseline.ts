import type { Cell, Table } from '../../../pipeline/datasets/table';
import { parseNumber } from '../../../pipeline/datasets/transformations';
import type { CategoricalFeatureState, FeatureState } from '../../../pipeline/training/preprocessing';
import { addTo, bucketOf, countAtMost, psiBinOfBucket, share } from './buckets';

/**
 * What post-market monitoring compares live predictions with: the training distribution of every
 * feature, the model's prediction rates overall and per group, and its test accuracy. Plain JSON
 * (finite numbers, arrays, records) so it can be cached, stored and hashed like the preprocessor.
 */
export const BASELINE_FORMAT = 'assay.monitoring-baseline';
export const BASELINE_VERSION = 1;

/** Quantile buckets per numeric feature: KS is read at their edges, so D is exact to about 1/q. */
export const DEFAULT_QUANTILES = 100;

/** PSI is read on deciles, the convention its reading bands (see PSI_BANDS) were calibrated on. */
export const PSI_BINS = 10;

/** The group that missing cells of a group attribute form (a real value spelled so would merge with it). */
export const MISSING_GROUP = '__missing__';

export interface NumericProfile {
  kind: 'numeric';
  column: string;
  /** Non-missing training cells: the training sample size of KS. */
  present: number;
  /** Share of training cells that are missing. */
  missingShare: number;
  /** Distinct training quantiles at 1/q … (q−1)/q, ascending. Bucket of v = number of edges < v. */
  edges: number[];
  /** cdf[k] = exact share of non-missing training values ≤ edges[k]. */
  cdf: number[];
  /** PSI cuts: the distinct training deciles, a subset of the edges (so a bucket lies in one PSI bin). */
  psiBins: number[];
  /** Share of non-missing training values per PSI bin (psiBins.length + 1 bins), bucketed as live values are. */
  psiExpected: number[];
}

export interface CategoricalProfile {
  kind: 'categorical';
  column: string;
  present: number;
  missingShare: number;
  /** The feature's training categories, in the preprocessor's order. */
  categories: string[];
  /** Share of non-missing training cells per category (a category unseen in training has 0). */
  expected: number[];
}

export type FeatureProfile = NumericProfile | CategoricalProfile;

export interface GroupProfile {
  /** Training rows in the group. */
  count: number;
  /** Share of the group's training predictions per class. */
  rates: Record<string, number>;
}

export interface MonitoringBaseline {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  quantiles: number;
  /** The model's output classes in encoded order (binary: the positive class last). */
  classes: string[];
  features: FeatureProfile[];
  /** Share of training predictions per class. */
  predictionRates: Record<string, number>;
  /** attribute → group value (MISSING_GROUP for missing cells) → the group's prediction rates. */
  groups: Record<string, Record<string, GroupProfile>>;
  /** Share of test rows predicted correctly; null without a test split (or an empty one). */
  accuracy: number | null;
  testRows: number;
  trainingRows: number;
}

export interface BaselineInput {
  /** The training split the preprocessor was fitted on (raw cells). */
  training: Table;
  features: readonly FeatureState[];
  classes: readonly string[];
  /** The model's predicted class per training row, in row order. */
  trainingPredictions: readonly string[];
  /** Columns of `training` to compute per-group prediction rates for; columns it lacks are skipped. */
  groupAttributes: readonly string[];
  test?: { table: Table; predictions: readonly string[]; labelColumn: string };
  /** Quantile buckets per numeric feature, a multiple of PSI_BINS (default DEFAULT_QUANTILES). */
  quantiles?: number;
}

export function buildMonitoringBaseline(input: BaselineInput): MonitoringBaseline {
  const { training, classes } = input;
  const quantiles = input.quantiles ?? DEFAULT_QUANTILES;
  // The PSI deciles must be quantile edges: live values are logged as bucket indices, not values.
  if (!Number.isInteger(quantiles) || quantiles < PSI_BINS || quantiles % PSI_BINS !== 0) {
    throw new RangeError(`quantiles must be a multiple of ${PSI_BINS}`);
  }
  if (input.trainingPredictions.length !== training.rows.length) throw new RangeError('trainingPredictions must hold one prediction per training row');
  const predicted = classIndexes(input.trainingPredictions, classes);
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    quantiles,
    classes: [...classes],
    features: input.features.map((feature) => {
      const cells = columnCells(training, feature.column, 'training');
      return feature.kind === 'numeric' ? numericProfile(feature.column, cells, quantiles) : categoricalProfile(feature, cells);
    }),
    predictionRates: predictionRates(predicted, classes),
    groups: Object.fromEntries(
      input.groupAttributes
        .filter((attribute) => training.columns.includes(attribute))
        .map((attribute) => [attribute, groupProfiles(columnCells(training, attribute, 'training'), predicted, classes)]),
    ),
    ...testAccuracy(input.test),
    trainingRows: training.rows.length,
  };
}

function columnCells(table: Table, column: string, split: string): Cell[] {
  const index = table.columns.indexOf(column);
  if (index < 0) throw new RangeError(`the ${split} table has no column ${JSON.stringify(column)}`);
  return table.rows.map((row) => row[index] ?? null);
}

function classIndexes(predictions: readonly string[], classes: readonly string[]): number[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  return predictions.map((prediction, row) => {
    const encoded = index.get(prediction);
    if (encoded === undefined) throw new RangeError(`the prediction for training row ${row} is not one of the model's classes`);
    return encoded;
  });
}

function numericProfile(column: string, cells: readonly Cell[], quantiles: number): NumericProfile {
  const values = presentNumbers(column, cells).sort((a, b) => a - b);
  const cuts = lowerQuantiles(values, quantiles);
  const edges = distinct(cuts);
  const psiBins = distinct(cuts.filter((_, i) => (i + 1) % (quantiles / PSI_BINS) === 0));
  const binOf = psiBinOfBucket(edges, psiBins);
  const psiCounts = new Array<number>(psiBins.length + 1).fill(0);
  for (const value of values) addTo(psiCounts, binOf[bucketOf(edges, value)] as number);
  return {
    kind: 'numeric',
    column,
    present: values.length,
    missingShare: share(cells.length - values.length, cells.length),
    edges,
    cdf: edges.map((edge) => countAtMost(values, edge) / values.length),
    psiBins,
    psiExpected: psiCounts.map((count) => share(count, values.length)),
  };
}

function presentNumbers(column: string, cells: readonly Cell[]): number[] {
  const values: number[] = [];
  cells.forEach((cell, row) => {
    if (cell === null) return;
    const value = parseNumber(cell);
    // The row, never the value: a cell may be personal data, and errors end up in logs.
    if (value === undefined) throw new RangeError(`column ${JSON.stringify(column)} is numeric; training row ${row} is not a number`);
    values.push(value === 0 ? 0 : value); // −0 → 0: JSON has no −0, and the baseline must survive a round trip
  });
  return values;
}

/**
 * Quantiles at k/q, k = 1 … q−1, by numpy's `method='lower'`: ascending[⌊(n−1)·k/q⌋]. Every
 * cut is a training value, so values tied at a cut fall in its bucket and the cdf there is exact
 * (a column of small integers gets its own values as edges). (n−1)·k is an exact integer and a
 * fraction of it is at least 1/q away from an integer, so the floor never suffers from rounding.
 */
function lowerQuantiles(ascending: readonly number[], q: number): number[] {
  const n = ascending.length;
  if (n === 0) return [];
  return Array.from({ length: q - 1 }, (_, i) => ascending[Math.floor(((n - 1) * (i + 1)) / q)] as number);
}

function distinct(ascending: readonly number[]): number[] {
  return ascending.filter((value, i) => i === 0 || value !== ascending[i - 1]);
}

function categoricalProfile(feature: CategoricalFeatureState, cells: readonly Cell[]): CategoricalProfile {
  const slot = new Map(feature.categories.map((category, i) => [category, i]));
  const counts = new Array<number>(feature.categories.length).fill(0);
  let present = 0;
  cells.forEach((cell, row) => {
    if (cell === null) return;
    const i = slot.get(cell);
    if (i === undefined) {
      throw new RangeError(`column ${JSON.stringify(feature.column)}: training row ${row} holds a category the preprocessor was not fitted on`);
    }
    addTo(counts, i);
    present++;
  });
  return {
    kind: 'categorical',
    column: feature.column,
    present,
    missingShare: share(cells.length - present, cells.length),
    categories: [...feature.categories],
    expected: counts.map((count) => share(count, present)),
  };
}

/** Share of `predicted` (class indexes) per class, every class present (0 when never predicted). */
function predictionRates(predicted: readonly number[], classes: readonly string[]): Record<string, number> {
  const counts = new Array<number>(classes.length).fill(0);
  for (const p of predicted) addTo(counts, p);
  return Object.fromEntries(classes.map((c, i) => [c, share(counts[i] as number, predicted.length)]));
}

function groupProfiles(cells: readonly Cell[], predicted: readonly number[], classes: readonly string[]): Record<string, GroupProfile> {
  const members = new Map<string, number[]>();
  cells.forEach((cell, row) => {
    const group = cell ?? MISSING_GROUP;
    const list = members.get(group) ?? [];
    list.push(predicted[row] as number);
    members.set(group, list);
  });
  // Object.fromEntries defines own properties: a value such as `__proto__` stays an ordinary key.
  return Object.fromEntries([...members].map(([group, list]) => [group, { count: list.length, rates: predictionRates(list, classes) }]));
}

function testAccuracy(test: BaselineInput['test']): Pick<MonitoringBaseline, 'accuracy' | 'testRows'> {
  if (test === undefined) return { accuracy: null, testRows: 0 };
  const labels = columnCells(test.table, test.labelColumn, 'test');
  if (test.predictions.length !== labels.length) throw new RangeError('test.predictions must hold one prediction per test row');
  let correct = 0;
  labels.forEach((label, row) => {
    if (label === null) throw new RangeError(`test row ${row} has no label`);
    if (label === test.predictions[row]) correct++;
  });
  return { accuracy: labels.length > 0 ? correct / labels.length : null, testRows: labels.length };
}
