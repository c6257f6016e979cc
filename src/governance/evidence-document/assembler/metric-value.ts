/**
 * The evaluation library's `MetricEstimate` as the document's `MetricValue`: the value (null when
 * the metric is undefined on the data) and its bootstrap interval (null when there is none — the
 * library's reason, `ciReason` or `reason`, is not part of the document).
 */
import type { MetricEstimate, ConfidenceInterval as EstimateInterval } from '../../../pipeline/evaluation';
import { BINARY_METRICS } from '../../../pipeline/evaluation/classification/binary-metrics';
import { MULTICLASS_METRICS } from '../../../pipeline/evaluation/classification/multiclass-metrics';
import type { ConfidenceInterval, MetricValue } from '../evidence-document';

export function confidenceInterval(ci: EstimateInterval): ConfidenceInterval {
  return {
    lower: ci.lower,
    upper: ci.upper,
    level: ci.level,
    method: ci.method,
    resamples: ci.resamples,
    ...(typeof ci.undefinedResamples === 'number' ? { undefinedResamples: ci.undefinedResamples } : {}),
  };
}

export function metricValue(name: string, estimate: MetricEstimate): MetricValue {
  return { name, value: estimate.value, ci: estimate.ci ? confidenceInterval(estimate.ci) : null };
}

/** The point value alone (fairness groups and disparities carry no interval in the document). */
export const pointValue = (estimate: MetricEstimate | undefined): number | null => estimate?.value ?? null;

/** The library's report order; stored bodies (PostgreSQL jsonb) do not keep key order. */
const REPORT_ORDER: readonly string[] = [...new Set<string>([...BINARY_METRICS, ...MULTICLASS_METRICS])];

const reportPosition = (name: string) => (REPORT_ORDER.includes(name) ? REPORT_ORDER.indexOf(name) : REPORT_ORDER.length);

/** Every metric of a report, in the library's report order (unknown names last, by name). */
export function metricValues(metrics: Readonly<Record<string, MetricEstimate>>): MetricValue[] {
  return Object.keys(metrics)
    .sort((a, b) => reportPosition(a) - reportPosition(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => metricValue(name, metrics[name]!));
}
