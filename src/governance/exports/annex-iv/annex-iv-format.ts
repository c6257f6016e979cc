/**
 * Wording of numbers, flags and lists for the Annex IV document. Formatted once when the document
 * is built, so the HTML and the PDF say exactly the same thing. Fixed-point with `.` as decimal
 * mark, no locale, no clock; a value that is undefined is "—" with its reason, never 0 or blank.
 */
import { formatCount as count, formatNumber as fixed, formatPercent as percent, formatSignificant as significant } from '../../../pipeline/assessment/report';
import type { AnnexIvCell, AnnexIvNumber } from './annex-iv-document';

export const UNDEFINED_VALUE = '— (undefined on this data)';


export { count, fixed, percent, significant };

export function num(value: number, text: string): AnnexIvNumber {
  return { value, text };
}

/** A metric value cell: fixed with three decimals, or the undefined marker. */
export function metricCell(value: number | null | undefined, digits = 3): AnnexIvCell {
  return typeof value === 'number' && Number.isFinite(value) ? num(value, fixed(value, digits)) : UNDEFINED_VALUE;
}

export function countCell(value: number): AnnexIvCell {
  return num(value, count(value));
}

export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** `a, b, c`, or `none` for an empty list (a recorded "none", not a missing answer). */
export function list(values: readonly string[], empty = 'none'): string {
  return values.length === 0 ? empty : values.join(', ');
}

/** Plain JSON as compact text, cut at `max` characters with a visible marker. */
export function jsonText(value: unknown, max = 240): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  return text.length <= max ? text : `${text.slice(0, max)}… (${count(text.length - max)} more characters)`;
}

export function bytes(value: number): string {
  if (value >= 1024 ** 3) return `${significant(value / 1024 ** 3)} GiB`;
  if (value >= 1024 ** 2) return `${significant(value / 1024 ** 2)} MiB`;
  if (value >= 1024) return `${significant(value / 1024)} KiB`;
  return `${count(value)} B`;
}

/** `0.00000291 kWh [8.85e-7, 0.00000578]` style: value and bounds in significant digits. */
export function withBounds(value: number, lower: number, upper: number, unit: string): string {
  return `${significant(value)} ${unit} [${significant(lower)}, ${significant(upper)}]`;
}

const METRIC_LABELS: Readonly<Record<string, string>> = {
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  rocAuc: 'ROC AUC',
  roc_auc: 'ROC AUC',
  logLoss: 'Log loss',
  brier: 'Brier score',
  expectedCalibrationError: 'Expected calibration error',
  macroPrecision: 'Macro precision',
  macroRecall: 'Macro recall',
  macroF1: 'Macro F1',
};

/** A readable metric name followed by its identifier: `ROC AUC (rocAuc)`; unknown names as given. */
export function metricName(name: string): string {
  return Object.hasOwn(METRIC_LABELS, name) ? `${METRIC_LABELS[name]} (${name})` : name;
}

/** `snake_case` and `camelCase` vocabulary values in words: `collected_directly` → `collected directly`. */
export function words(value: string): string {
  return value.replace(/_/g, ' ');
}
