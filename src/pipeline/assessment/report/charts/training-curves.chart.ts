/**
 * Training curves: training and validation loss per epoch, with the best epoch (the one early
 * stopping keeps) marked. Epochs are recorded from 0 and drawn from 1, as people count them.
 * The two series differ by colour, dash and point shape.
 */
import type { EpochMetrics } from '../../../training/model';
import { ReportError } from '../report.error';
import { formatNumber } from '../report-format';
import type { ChartDefinition, LayerSpec } from './chart-definition';
import { CHART_CONFIG, COLOURS, VEGA_LITE_SCHEMA } from './chart-theme';

const TRAINING = 'Training loss';
const VALIDATION = 'Validation loss';

function bestEpochRule(bestEpoch: number): LayerSpec {
  return {
    data: { values: [{ epoch: bestEpoch + 1, label: `best epoch ${bestEpoch + 1}` }] },
    layer: [
      { mark: { type: 'rule', color: COLOURS.reference, strokeDash: [2, 3] }, encoding: { x: { field: 'epoch', type: 'quantitative' } } },
      {
        mark: { type: 'text', align: 'left', dx: 3, y: -8, fontSize: 10, color: COLOURS.text },
        encoding: { x: { field: 'epoch', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}

function seriesSummary(name: string, values: readonly number[]): string {
  const lowest = values.indexOf(Math.min(...values));
  return `${name} from ${formatNumber(values[0] as number)} to ${formatNumber(values[values.length - 1] as number)} (lowest ${formatNumber(values[lowest] as number)})`;
}

export function trainingCurvesChart(history: readonly EpochMetrics[], bestEpoch: number | null = null): ChartDefinition {
  if (history.length === 0) throw new ReportError('REPORT_CHART_DATA_MISSING', 'no epochs were recorded', { chart: 'training-curves' });
  const epochs = [...history].sort((a, b) => a.epoch - b.epoch);
  const validated = epochs.filter((e) => e.valLoss !== undefined);
  const values = [
    ...epochs.map((e) => ({ epoch: e.epoch + 1, series: TRAINING, loss: e.loss })),
    ...validated.map((e) => ({ epoch: e.epoch + 1, series: VALIDATION, loss: e.valLoss as number })),
  ];
  const series = { domain: validated.length > 0 ? [TRAINING, VALIDATION] : [TRAINING] };
  const title = 'Training curves';
  const description =
    `Loss per epoch over ${epochs.length} epoch${epochs.length === 1 ? '' : 's'}: ` +
    [
      seriesSummary(
        'training loss',
        epochs.map((e) => e.loss),
      ),
      ...(validated.length > 0
        ? [
            seriesSummary(
              'validation loss',
              validated.map((e) => e.valLoss as number),
            ),
          ]
        : []),
    ].join('; ') +
    (bestEpoch === null ? '.' : `. The best epoch, by validation loss, is epoch ${bestEpoch + 1}.`);
  return {
    name: 'training-curves',
    title,
    description,
    vegaLite: {
      $schema: VEGA_LITE_SCHEMA,
      title,
      description,
      config: CHART_CONFIG,
      width: 420,
      height: 260,
      layer: [
        {
          data: { values },
          name: 'loss_lines',
          mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 36 } },
          encoding: {
            x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1, format: 'd' } },
            y: { field: 'loss', type: 'quantitative', title: 'Loss (cross-entropy + penalty)', scale: { zero: false } },
            color: { field: 'series', type: 'nominal', title: null, scale: { ...series, range: [COLOURS.primary, COLOURS.secondary] } },
            strokeDash: {
              field: 'series',
              type: 'nominal',
              title: null,
              scale: {
                ...series,
                range: [
                  [1, 0],
                  [6, 3],
                ],
              },
            },
            shape: { field: 'series', type: 'nominal', title: null, scale: { ...series, range: ['circle', 'square'] } },
          },
        },
        ...(bestEpoch === null ? [] : [bestEpochRule(bestEpoch)]),
      ],
    },
  };
}
