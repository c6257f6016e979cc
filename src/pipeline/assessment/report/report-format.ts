/**
 * Number and estimate wording shared by chart descriptions and the HTML page, so both say the
 * same thing. Fixed-point, `.` as the decimal mark, no locale and no clock: the same report gives
 * the same text on every machine. An undefined value is "—" with its reason, never 0 or blank.
 */
import type { MetricEstimate, MissingIntervalReason, PointValue, UndefinedReason } from '../../evaluation';
import { UNDEFINED_REASONS } from '../../evaluation/undefined-reason';

export const MISSING = '—';

const MISSING_INTERVAL_REASONS: Record<MissingIntervalReason, string> = {
  'bootstrap-disabled': 'no interval: bootstrap resampling was turned off',
  'undefined-in-every-resample': 'no interval: the metric was undefined in every bootstrap resample',
};

/** Fixed-point with `digits` decimals; `-0.000` is written `0.000`. */
export function formatNumber(value: number, digits = 3): string {
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** Three significant digits for quantities spanning many orders of magnitude (kWh, grams). */
export function formatSignificant(value: number, digits = 3): string {
  if (value === 0) return '0';
  return Number(value.toPrecision(digits)).toString();
}

/** Integers with thin-space-free comma grouping: 12,345. */
export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatPercent(level: number): string {
  return `${formatSignificant(level * 100, 4)}%`;
}

export function undefinedReasonText(reason: UndefinedReason): string {
  return UNDEFINED_REASONS[reason] ?? reason;
}

export function missingIntervalText(reason: MissingIntervalReason): string {
  return MISSING_INTERVAL_REASONS[reason] ?? reason;
}

/** `0.873 [0.842, 0.901]`, `0.873 (no interval: …)` or `— (reason)`. */
export function formatEstimate(estimate: MetricEstimate, digits = 3): string {
  if (estimate.value === null) return `${MISSING} (${undefinedReasonText(estimate.reason)})`;
  if (estimate.ci === null) return `${formatNumber(estimate.value, digits)} (${missingIntervalText(estimate.ciReason)})`;
  return `${formatNumber(estimate.value, digits)} [${formatNumber(estimate.ci.lower, digits)}, ${formatNumber(estimate.ci.upper, digits)}]`;
}

export function formatPoint(point: PointValue, digits = 3): string {
  return point.value === null ? `${MISSING} (${undefinedReasonText(point.reason)})` : formatNumber(point.value, digits);
}

/** Group values of an attribute set as one label: `female`, `female × 25–34`. */
export function groupLabel(values: readonly string[]): string {
  return values.join(' × ');
}

const METRIC_LABELS: Readonly<Record<string, string>> = {
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  rocAuc: 'ROC AUC',
  logLoss: 'Log loss',
  brier: 'Brier score',
  expectedCalibrationError: 'Expected calibration error',
  macroPrecision: 'Macro precision',
  macroRecall: 'Macro recall',
  macroF1: 'Macro F1',
  roc_auc: 'ROC AUC',
};

/** A readable metric name; unknown names are shown as given. */
export function metricLabel(name: string): string {
  return Object.hasOwn(METRIC_LABELS, name) ? (METRIC_LABELS[name] as string) : name;
}
