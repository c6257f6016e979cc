/**
 * The reliability diagram (DeGroot & Fienberg 1983; Niculescu-Mizil & Caruana 2005): per score
 * bin, the mean predicted probability against the observed positive rate, beside the diagonal of
 * perfect calibration; below it, the rows per bin, because a bin of five rows proves little.
 * Empty bins have no point (their rate is undefined) and a zero-height bar.
 */
import type { CalibrationReport, MetricEstimate } from '../../../evaluation';
import { ReportError } from '../report.error';
import { formatEstimate, formatCount } from '../report-format';
import { unitInterval, type ChartDefinition } from './chart-definition';
import { CHART_CONFIG, COLOURS, VEGA_LITE_SCHEMA } from './chart-theme';

const MODEL = 'Model';
const PERFECT = 'Perfect calibration';

export function calibrationChart(calibration: CalibrationReport, ece: MetricEstimate | null = null): ChartDefinition {
  const filled = calibration.curve.filter((bin) => bin.count > 0);
  if (filled.length === 0) throw new ReportError('REPORT_CHART_DATA_MISSING', 'no calibration bin holds any row', { chart: 'calibration' });
  const rows = calibration.curve.reduce((sum, bin) => sum + bin.count, 0);
  const title = 'Calibration (reliability diagram)';
  const eceText = ece === null ? null : `Expected calibration error ${formatEstimate(ece)}`;
  const description =
    `Observed positive rate against mean predicted probability in ${calibration.bins} equal-width score bins, ` +
    `${filled.length} of which hold rows (${formatCount(rows)} rows in all)` +
    (eceText === null ? '. ' : `; ${eceText}. `) +
    'Points on the dashed diagonal are perfectly calibrated; points below it mean the model over-predicts the positive class. ' +
    'The bars below give the rows in each bin.';
  const series = { domain: [MODEL, PERFECT] };
  const points = filled.map((bin) => ({ series: MODEL, predicted: bin.meanPredicted as number, observed: bin.observedRate as number, count: bin.count }));
  return {
    name: 'calibration',
    title,
    description,
    vegaLite: {
      $schema: VEGA_LITE_SCHEMA,
      title: eceText === null ? title : { text: title, subtitle: eceText },
      description,
      config: CHART_CONFIG,
      vconcat: [
        {
          width: 320,
          height: 280,
          layer: [
            {
              data: { values: [...points, { series: PERFECT, predicted: 0, observed: 0 }, { series: PERFECT, predicted: 1, observed: 1 }] },
              name: 'calibration_lines',
              mark: { type: 'line', strokeWidth: 2 },
              encoding: {
                x: unitInterval('predicted', 'Mean predicted probability'),
                y: unitInterval('observed', 'Observed positive rate'),
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
            {
              data: { values: points },
              name: 'calibration_points',
              mark: { type: 'point', filled: true, size: 50, color: COLOURS.primary },
              encoding: {
                x: unitInterval('predicted'),
                y: unitInterval('observed'),
              },
            },
          ],
        },
        {
          width: 320,
          height: 90,
          data: { values: calibration.curve.map((bin) => ({ lower: bin.lower, upper: bin.upper, count: bin.count })) },
          name: 'calibration_counts',
          mark: { type: 'rect', color: COLOURS.reference, stroke: 'white', strokeWidth: 1 },
          encoding: {
            x: unitInterval('lower', 'Score bin'),
            x2: { field: 'upper' },
            y: { field: 'count', type: 'quantitative', title: 'Rows' },
          },
        },
      ],
    },
  };
}
