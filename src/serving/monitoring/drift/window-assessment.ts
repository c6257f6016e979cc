import { MISSING_GROUP, type FeatureProfile, type MonitoringBaseline, type NumericProfile } from './baseline';
import { addTo, own, psiBinOfBucket, share } from './buckets';
import { binnedKolmogorovSmirnov } from './ks';
import { UNKNOWN_CATEGORY, type MonitoringView } from './monitoring-view';
import { populationStabilityIndex, psiBand } from './psi';

export type MonitoringMetricName = 'psi' | 'ks' | 'prediction_rate_delta' | 'group_prediction_rate_delta' | 'accuracy_drop';

export interface MonitoringMetric {
  metric: MonitoringMetricName;
  /** A feature column (psi, ks), `class=<c>`, `<attribute>=<value>/class=<c>`, or `overall` (accuracy_drop). */
  target: string;
  value: number;
  threshold: number;
  samples: number;
  /** value ≥ threshold, on enough samples: the threshold is the first value that breaches. */
  breached: boolean;
  /** Present (true) when samples < minSamples or nothing could be measured; such a metric never breaches. */
  insufficient?: boolean;
  detail?: Record<string, number | string>;
}

/** Absent: the metric is not checked. */
export interface MonitoringThresholds {
  psi?: number;
  ks?: number;
  predictionRateDelta?: number;
  groupPredictionRateDelta?: number;
  accuracyDrop?: number;
}

export interface LoggedPrediction {
  view: MonitoringView;
  /** The predicted class. */
  label: string;
  /** The true class, once known. */
  outcome: string | null;
}

export interface WindowInput {
  baseline: MonitoringBaseline;
  predictions: readonly LoggedPrediction[];
  /** Monitored feature columns (baseline features). */
  features: readonly string[];
  /** Group attributes to check per-group prediction rates on; ones the baseline has no groups for are skipped. */
  groupAttributes: readonly string[];
  thresholds: MonitoringThresholds;
  minSamples: number;
}

export interface WindowAssessment {
  samples: number;
  /** Predictions with a known outcome. */
  outcomes: number;
  metrics: MonitoringMetric[];
}

/**
 * Compares a window of logged predictions with the baseline. Metrics come in a fixed order: psi
 * per feature, ks per numeric feature (both in `features` order), prediction_rate_delta per class,
 * group_prediction_rate_delta per attribute, group (code-unit order) and class, accuracy_drop.
 * Rates are checked on the positive (last) class of a binary model, on every class otherwise.
 */
export function assessWindow(input: WindowInput): WindowAssessment {
  checkInput(input);
  const { baseline, predictions, minSamples } = input;
  const { psi, ks, predictionRateDelta, groupPredictionRateDelta, accuracyDrop } = input.thresholds;
  const judge: Judge = (metric, target, threshold, samples, measure) => judged(metric, target, threshold, samples, minSamples, measure);
  const features = input.features.map((column) => {
    const profile = baseline.features.find((p) => p.column === column);
    if (profile === undefined) throw new RangeError(`${JSON.stringify(column)} is not a feature of the baseline`);
    return { profile, tally: tally(profile, predictions) };
  });
  const classes = baseline.classes.length === 2 ? baseline.classes.slice(1) : baseline.classes;
  const withOutcome = predictions.filter((p) => p.outcome !== null);
  const metrics: MonitoringMetric[] = [];
  if (psi !== undefined) {
    metrics.push(...features.map(({ profile, tally }) => judge('psi', profile.column, psi, predictions.length, () => psiMeasure(profile, tally))));
  }
  if (ks !== undefined) {
    metrics.push(...features.flatMap(({ profile, tally }) => (profile.kind === 'numeric' ? [ksMetric(judge, profile, tally.buckets, ks)] : [])));
  }
  if (predictionRateDelta !== undefined) {
    const labels = predictions.map((p) => p.label);
    metrics.push(...rateMetrics(judge, 'prediction_rate_delta', '', labels, baseline.predictionRates, classes, predictionRateDelta));
  }
  if (groupPredictionRateDelta !== undefined) {
    for (const attribute of input.groupAttributes) {
      const groups = own(baseline.groups, attribute);
      if (groups === undefined) continue;
      for (const [group, labels] of groupLabels(predictions, attribute)) {
        const reference = own(groups, group);
        // A group training never had has no rate to compare with.
        if (reference === undefined) continue;
        const prefix = `${attribute}=${group}/`;
        const extra = { baselineCount: reference.count };
        metrics.push(...rateMetrics(judge, 'group_prediction_rate_delta', prefix, labels, reference.rates, classes, groupPredictionRateDelta, extra));
      }
    }
  }
  if (accuracyDrop !== undefined) metrics.push(accuracyMetric(judge, baseline.accuracy, withOutcome, accuracyDrop));
  return { samples: predictions.length, outcomes: withOutcome.length, metrics };
}

function checkInput({ baseline, predictions, thresholds, minSamples }: WindowInput): void {
  if (!(Number.isInteger(minSamples) && minSamples >= 0)) throw new RangeError('minSamples must be a non-negative integer');
  for (const [name, threshold] of Object.entries(thresholds)) {
    if (threshold !== undefined && !(Number.isFinite(threshold) && threshold >= 0)) throw new RangeError(`thresholds.${name} must be a non-negative number`);
  }
  const known = new Set(baseline.classes);
  predictions.forEach(({ label }, i) => {
    if (!known.has(label)) throw new RangeError(`prediction ${i} is not one of the model's classes`);
  });
}

type Measurement = { value: number; detail?: Record<string, number | string> } | { unmeasurable: string };
type Judge = (metric: MonitoringMetricName, target: string, threshold: number, samples: number, measure: () => Measurement) => MonitoringMetric;

/**
 * A metric from its measurement, taken only when there are samples. Insufficient (never breached)
 * below minSamples; with no samples or nothing to compare with, value 0 and detail.reason say so.
 */
function judged(
  metric: MonitoringMetricName,
  target: string,
  threshold: number,
  samples: number,
  minSamples: number,
  measure: () => Measurement,
): MonitoringMetric {
  const measured = samples === 0 ? { unmeasurable: 'no samples' } : measure();
  if ('unmeasurable' in measured) {
    return { metric, target, value: 0, threshold, samples, breached: false, insufficient: true, detail: { reason: measured.unmeasurable } };
  }
  const insufficient = samples < minSamples;
  return {
    metric,
    target,
    value: measured.value,
    threshold,
    samples,
    breached: !insufficient && measured.value >= threshold,
    ...(insufficient && { insufficient }),
    ...(measured.detail && { detail: measured.detail }),
  };
}

/** KS on the live values present (missing cells are not part of a distribution of numbers). */
function ksMetric(judge: Judge, profile: NumericProfile, buckets: readonly number[], threshold: number): MonitoringMetric {
  const samples = buckets.reduce((sum, count) => sum + count, 0);
  return judge('ks', profile.column, threshold, samples, () => {
    if (profile.present === 0) return { unmeasurable: 'no training values' };
    const ks = binnedKolmogorovSmirnov(profile, buckets);
    return { value: ks.statistic, detail: { pValue: ks.pValue, resolution: ks.resolution } };
  });
}

/** |live − baseline| share of predictions per class; detail holds the signed delta and both rates. */
function rateMetrics(
  judge: Judge,
  metric: MonitoringMetricName,
  prefix: string,
  labels: readonly string[],
  reference: Readonly<Record<string, number>>,
  classes: readonly string[],
  threshold: number,
  extra: Record<string, number> = {},
): MonitoringMetric[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return classes.map((c) =>
    judge(metric, `${prefix}class=${c}`, threshold, labels.length, () => {
      const live = share(counts.get(c) ?? 0, labels.length);
      const baseline = reference[c] ?? 0;
      return { value: Math.abs(live - baseline), detail: { delta: live - baseline, live, baseline, ...extra } };
    }),
  );
}

/** Test accuracy − live accuracy on the predictions whose outcome is known (negative: better than tested). */
function accuracyMetric(judge: Judge, reference: number | null, withOutcome: readonly LoggedPrediction[], threshold: number): MonitoringMetric {
  return judge('accuracy_drop', 'overall', threshold, withOutcome.length, () => {
    if (reference === null) return { unmeasurable: 'no baseline accuracy' };
    const live = withOutcome.filter((p) => p.label === p.outcome).length / withOutcome.length;
    return { value: reference - live, detail: { live, baseline: reference } };
  });
}

/**
 * A feature's live counts: `buckets` per quantile bucket (numeric) or per category with unseen
 * categories last (categorical); `missing` cells apart.
 */
interface Tally {
  buckets: number[];
  missing: number;
}

function tally(profile: FeatureProfile, predictions: readonly LoggedPrediction[]): Tally {
  const slots = profile.kind === 'numeric' ? profile.edges.length + 1 : profile.categories.length + 1;
  const buckets = new Array<number>(slots).fill(0);
  let missing = 0;
  predictions.forEach(({ view }, i) => {
    if (!Object.hasOwn(view.f, profile.column)) throw new RangeError(`prediction ${i} has no view of ${JSON.stringify(profile.column)}`);
    const value = view.f[profile.column] ?? null;
    if (value === null) missing++;
    else addTo(buckets, slotOf(profile, value, i));
  });
  return { buckets, missing };
}

/** The tally slot of a logged value; anything the baseline could not have produced is refused. */
function slotOf(profile: FeatureProfile, value: number | string, i: number): number {
  let slot = -1;
  if (profile.kind === 'numeric') {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= profile.edges.length) slot = value;
  } else if (typeof value === 'string') {
    slot = value === UNKNOWN_CATEGORY ? profile.categories.length : profile.categories.indexOf(value);
  }
  if (slot < 0) throw new RangeError(`prediction ${i}: the view of ${JSON.stringify(profile.column)} does not match the baseline`);
  return slot;
}

/**
 * PSI over all cells: numeric features on the PSI deciles, categorical ones per category plus an
 * unseen-category bin (expected 0), both with a missing bin. Training shares of present values
 * are scaled by (1 − missingShare) so the expected bins cover all training cells.
 */
function psiMeasure(profile: FeatureProfile, { buckets, missing }: Tally): Measurement {
  const present = 1 - profile.missingShare;
  let expected: number[];
  let actual: number[];
  if (profile.kind === 'numeric') {
    expected = profile.psiExpected.map((e) => e * present);
    actual = new Array<number>(profile.psiExpected.length).fill(0);
    const binOf = psiBinOfBucket(profile.edges, profile.psiBins);
    buckets.forEach((count, b) => addTo(actual, binOf[b] as number, count));
  } else {
    expected = [...profile.expected.map((e) => e * present), 0];
    actual = buckets;
  }
  const value = populationStabilityIndex([...expected, profile.missingShare], [...actual, missing]);
  return { value, detail: { band: psiBand(value) } };
}

/** Predicted labels per group of `attribute`, groups in code-unit order; views without the attribute are left out. */
function groupLabels(predictions: readonly LoggedPrediction[], attribute: string): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const { view, label } of predictions) {
    if (!Object.hasOwn(view.g, attribute)) continue;
    const group = view.g[attribute] ?? MISSING_GROUP;
    const labels = groups.get(group) ?? [];
    labels.push(label);
    groups.set(group, labels);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
