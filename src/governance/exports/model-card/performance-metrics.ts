/**
 * The performance figures both the model card and the ML-BOM report, read from the evidence
 * document: every test metric with its bootstrap interval, every per-group slice the evaluation
 * computed, and the per-group rates of the fairness assessment. Values are written exactly as
 * recorded (`String(number)`, the shortest text that reads back to the same number); a metric
 * undefined on the data keeps its name and has no value, never 0.
 */
import type { EvidenceDocument, FairnessAttributeSet, MetricValue } from '../../evidence-document';

export interface MetricStatement {
  type: string;
  /** null: undefined on this data (e.g. ROC AUC with one class). */
  value: string | null;
  /** `attribute=value` of the group, joined by `, ` for an intersection; null for the whole test split. */
  slice: string | null;
  interval: { lower: string; upper: string } | null;
}

export const exact = (value: number): string => String(value);

/** `sex=F` or `sex=F, age_band=25-34`. */
export function groupSlice(attributes: readonly string[], values: readonly string[]): string {
  return attributes.map((attribute, i) => `${attribute}=${values[i] ?? ''}`).join(', ');
}

function statement(metric: MetricValue, slice: string | null): MetricStatement {
  return {
    type: metric.name,
    value: metric.value === null ? null : exact(metric.value),
    slice,
    interval: metric.ci === null ? null : { lower: exact(metric.ci.lower), upper: exact(metric.ci.upper) },
  };
}

const GROUP_RATES = ['selectionRate', 'truePositiveRate', 'falsePositiveRate'] as const;

function fairnessRates(set: FairnessAttributeSet): MetricStatement[] {
  return set.groups.flatMap((group) =>
    GROUP_RATES.map((rate) => {
      const value = group[rate];
      return { type: rate, value: value === null ? null : exact(value), slice: groupSlice(set.attributes, group.values), interval: null };
    }),
  );
}

/** Overall test metrics, then per-slice metrics, then fairness group rates; [] when nothing was measured. */
export function performanceMetrics(document: EvidenceDocument): MetricStatement[] {
  const overall = document.evaluation?.metrics.map((metric) => statement(metric, null)) ?? [];
  const slices = document.evaluation?.slices.flatMap((slice) => slice.metrics.map((metric) => statement(metric, `${slice.attribute}=${slice.value}`))) ?? [];
  const rates = document.fairness?.attributeSets.flatMap(fairnessRates) ?? [];
  return [...overall, ...slices, ...rates];
}

/** `95% percentile bootstrap, 200 resamples` when every interval shares them, else one phrase per distinct setting. */
export function intervalMethod(document: EvidenceDocument): string | null {
  const metrics = [...(document.evaluation?.metrics ?? []), ...(document.evaluation?.slices.flatMap((slice) => slice.metrics) ?? [])];
  const phrases = new Set(
    metrics.flatMap((metric) =>
      metric.ci === null
        ? []
        : [`${exact(metric.ci.level * 100)}% ${metric.ci.method} bootstrap${metric.ci.resamples === null ? '' : `, ${metric.ci.resamples} resamples`}`],
    ),
  );
  return phrases.size === 0 ? null : [...phrases].join('; ');
}
