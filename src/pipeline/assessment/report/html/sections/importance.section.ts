/** Global permutation importance: the chart and, per metric, every column's mean drop and its spread. */
import type { ModelReport } from '../../model-report';
import type { ReportCharts } from '../../report-charts';
import { formatCount, formatNumber, metricLabel } from '../../report-format';
import { chartFigure, notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

export function importanceSection(report: ModelReport, charts: ReportCharts): Html {
  const importance = report.importance;
  if (importance === null) return section('importance', 'Global feature importance', notAvailable('no permutation importance is recorded.'));
  return section(
    'importance',
    'Global feature importance',
    html`<p>
        Permutation importance on ${formatCount(importance.rows)} rows: each original column (all its encoded features together) is shuffled
        ${importance.repeats} times (seed ${importance.seed}) and the drop in each metric is recorded. A drop near zero, or below it, means the model does not
        rely on the column.
      </p>
      ${chartFigure(charts.importance, 'permutation importance')}
      ${importance.metrics.map((metric) =>
        table({
          caption: `${metricLabel(metric.metric)}: baseline ${formatNumber(metric.baseline)}, drop when shuffled (${metric.higherIsBetter ? 'higher is better' : 'lower is better'})`,
          head: ['Column', 'Encoded features', 'Mean drop', 'Standard deviation'],
          rows: metric.columns.map((c) => [c.column, String(c.features), formatNumber(c.mean), formatNumber(c.std)]),
        }),
      )}`,
  );
}
