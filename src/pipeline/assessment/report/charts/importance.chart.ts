/**
 * Global permutation importance: per metric, how much it deteriorates when each original column
 * is shuffled (bar: mean over the repeats; whiskers: ± one standard deviation), largest first as
 * the library sorts them. A bar left of zero means shuffling the column did not hurt.
 */
import type { MetricImportance, PermutationImportanceResult } from '../../../explainability';
import { ReportError } from '../report.error';
import { formatNumber, metricLabel } from '../report-format';
import type { ChartDefinition, LayerSpec, PositionDef } from './chart-definition';
import { CHART_CONFIG, COLOURS, VEGA_LITE_SCHEMA } from './chart-theme';

/** Columns drawn per metric; the HTML table lists all of them. */
export const DEFAULT_MAX_IMPORTANCE_COLUMNS = 30;

function metricPanel(metric: MetricImportance, index: number, maxColumns: number): LayerSpec {
  const columns = metric.columns.slice(0, maxColumns);
  const label = metricLabel(metric.metric);
  const axisTitle = `Drop in ${label}`;
  const y: PositionDef = {
    field: 'column',
    type: 'nominal',
    sort: null,
    scale: { domain: columns.map((c) => c.column) },
    axis: { title: null, labelLimit: 240 },
  };
  const x = (field: string, title?: string): PositionDef => ({ field, type: 'quantitative', ...(title === undefined ? {} : { title }) });
  return {
    width: 300,
    height: { step: 20 },
    title: `${label} (baseline ${formatNumber(metric.baseline)})${metric.columns.length > columns.length ? `, top ${columns.length} of ${metric.columns.length}` : ''}`,
    data: { values: columns.map((c) => ({ column: c.column, mean: c.mean, lower: c.mean - c.std, upper: c.mean + c.std })) },
    layer: [
      {
        name: `importance_${index}_bars`,
        mark: { type: 'bar', color: COLOURS.primary },
        encoding: { y, x: x('mean', axisTitle) },
      },
      {
        name: `importance_${index}_intervals`,
        mark: { type: 'errorbar', ticks: true, color: COLOURS.text },
        encoding: { y, x: x('lower', axisTitle), x2: { field: 'upper' } },
      },
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: COLOURS.reference }, encoding: { x: x('zero', axisTitle) } },
    ],
  };
}

export function importanceChart(result: PermutationImportanceResult, maxColumns = DEFAULT_MAX_IMPORTANCE_COLUMNS): ChartDefinition {
  const metrics = result.metrics.filter((metric) => metric.columns.length > 0);
  if (metrics.length === 0) throw new ReportError('REPORT_CHART_DATA_MISSING', 'no permutation importance to draw', { chart: 'importance' });
  const title = 'Global feature importance (permutation)';
  const description =
    `How much each metric drops when one column's values are shuffled across ${result.rows} rows, averaged over ${result.repeats} repeats (seed ${result.seed}). ` +
    metrics
      .map((metric) => {
        const top = metric.columns.slice(0, 5).map((c) => `${c.column} ${formatNumber(c.mean)} ± ${formatNumber(c.std)}`);
        return `${metricLabel(metric.metric)} (baseline ${formatNumber(metric.baseline)}): ${top.join(', ')}${metric.columns.length > 5 ? ', …' : ''}.`;
      })
      .join(' ');
  return {
    name: 'importance',
    title,
    description,
    vegaLite: {
      $schema: VEGA_LITE_SCHEMA,
      title: {
        text: title,
        subtitle: `Drop in each metric when one column is shuffled. Bars: mean over ${result.repeats} repeats; whiskers: ± one standard deviation.`,
      },
      description,
      config: CHART_CONFIG,
      hconcat: metrics.map((metric, index) => metricPanel(metric, index, maxColumns)),
    },
  };
}
