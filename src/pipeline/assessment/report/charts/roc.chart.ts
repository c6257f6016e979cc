/** The ROC curve of a binary classifier against the chance diagonal, with its AUC and interval in the subtitle. */
import type { MetricEstimate, RocCurve } from '../../../evaluation';
import { ReportError } from '../report.error';
import { formatEstimate } from '../report-format';
import type { ChartDefinition } from './chart-definition';
import { CHART_CONFIG, COLOURS, VEGA_LITE_SCHEMA } from './chart-theme';

const MODEL = 'Model';
const CHANCE = 'Chance (diagonal)';

export function rocChart(roc: RocCurve, auc: MetricEstimate | null = null): ChartDefinition {
  if (roc.fpr === null) throw new ReportError('REPORT_CHART_DATA_MISSING', `no ROC curve: ${roc.reason}`, { chart: 'roc' });
  const { fpr, tpr } = roc;
  const title = 'ROC curve';
  const aucText = auc === null ? null : `AUC ${formatEstimate(auc)}`;
  const description =
    `True positive rate against false positive rate at ${fpr.length} decision thresholds` +
    (aucText === null ? '. ' : `; ${aucText}. `) +
    'The dashed diagonal is a classifier no better than chance; the further the curve bows towards the top left, the better the ranking.';
  // `order` keeps the curve's own sequence: points share an fpr where the curve rises vertically.
  const values = [
    ...fpr.map((x, index) => ({ series: MODEL, index, fpr: x, tpr: tpr[index] as number })),
    { series: CHANCE, index: 0, fpr: 0, tpr: 0 },
    { series: CHANCE, index: 1, fpr: 1, tpr: 1 },
  ];
  const series = { domain: [MODEL, CHANCE] };
  return {
    name: 'roc',
    title,
    description,
    vegaLite: {
      $schema: VEGA_LITE_SCHEMA,
      title: aucText === null ? title : { text: title, subtitle: aucText },
      description,
      config: CHART_CONFIG,
      width: 320,
      height: 320,
      data: { values },
      name: 'roc_lines',
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { field: 'fpr', type: 'quantitative', title: 'False positive rate', scale: { domain: [0, 1] } },
        y: { field: 'tpr', type: 'quantitative', title: 'True positive rate', scale: { domain: [0, 1] } },
        order: { field: 'index', type: 'quantitative' },
        color: { field: 'series', type: 'nominal', title: null, scale: { ...series, range: [COLOURS.primary, COLOURS.reference] } },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: {
            ...series,
            range: [
              [1, 0],
              [6, 4],
            ],
          },
        },
      },
    },
  };
}
