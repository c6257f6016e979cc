/** Training curves: the chart, and the per-epoch numbers behind it. */
import type { ReportCharts } from '../../report-charts';
import type { ModelReport } from '../../model-report';
import { MISSING, formatNumber } from '../../report-format';
import { chartFigure, notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

export function trainingSection(report: ModelReport, charts: ReportCharts): Html {
  const training = report.training;
  if (training === null || training.history.length === 0)
    return section('training', 'Training', notAvailable('no training history is recorded for this model.'));
  const optional = (value: number | undefined) => (value === undefined ? MISSING : formatNumber(value));
  return section(
    'training',
    'Training',
    html`<p>
        ${training.history.length}
        epochs${training.bestEpoch === null ? '; no validation split, so no best epoch.' : `; best epoch by validation loss: ${training.bestEpoch + 1}.`} Epochs
        are counted from 1.
      </p>
      ${chartFigure(charts['training-curves'], 'training curves')}
      <details>
        <summary>Per-epoch metrics</summary>
        ${table({
          caption: 'Loss and accuracy per epoch',
          head: ['Epoch', 'Training loss', 'Training accuracy', 'Validation loss', 'Validation accuracy'],
          rows: training.history.map((e) => [
            String(e.epoch + 1),
            formatNumber(e.loss),
            formatNumber(e.accuracy),
            optional(e.valLoss),
            optional(e.valAccuracy),
          ]),
        })}
      </details>`,
  );
}
