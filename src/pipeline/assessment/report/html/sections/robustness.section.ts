/** Robustness: accuracy and ROC AUC under Gaussian input noise and with each column masked to its training mean. */
import type { ConditionOutcome, MetricChange } from '../../../../evaluation';
import type { ModelReport } from '../../model-report';
import { MISSING, formatCount, formatNumber, formatPoint } from '../../report-format';
import { notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

const CHANGE_REASONS = { 'baseline-undefined': 'undefined on the unperturbed data', 'condition-undefined': 'undefined under this condition' } as const;

function value(change: MetricChange): string {
  return change.value === null ? `${MISSING} (${CHANGE_REASONS['condition-undefined']})` : formatNumber(change.value);
}

function delta(change: MetricChange): string {
  if (change.delta === null) return `${MISSING} (${CHANGE_REASONS[change.reason]})`;
  return `${change.delta > 0 ? '+' : ''}${formatNumber(change.delta)}`;
}

function cells(outcome: ConditionOutcome): string[] {
  return [value(outcome.accuracy), delta(outcome.accuracy), value(outcome.rocAuc), delta(outcome.rocAuc)];
}

const HEAD = ['Accuracy', 'Δ accuracy', 'ROC AUC', 'Δ ROC AUC'];

export function robustnessSection(report: ModelReport): Html {
  const robustness = report.robustness;
  if (robustness === null) return section('robustness', 'Robustness', notAvailable('no robustness assessment is recorded.'));
  return section(
    'robustness',
    'Robustness',
    html`<p>
        ${robustness.task === 'binary' ? 'Binary' : 'Multiclass'} model on ${formatCount(robustness.rows)} test rows (${robustness.features} encoded features;
        seed ${String(robustness.seed)}). Unperturbed: accuracy ${formatPoint(robustness.baseline.accuracy)}, ROC AUC
        ${formatPoint(robustness.baseline.rocAuc)}. Δ is the value under the condition minus the unperturbed value.
      </p>
      ${table({
        caption: `Gaussian noise added to every encoded feature (σ in ${robustness.noiseScale === 'standardised-inputs' ? 'standardised units' : 'units of each feature’s scale'})`,
        head: ['Noise σ', ...HEAD],
        rows: robustness.noise.map((n) => [formatNumber(n.sigma, 2), ...cells(n)]),
      })}
      ${table({
        caption: 'Each column masked to its training mean',
        head: ['Masked column', 'Encoded features', ...HEAD],
        rows: robustness.masking.map((m) => [m.column, String(m.features.length), ...cells(m)]),
      })}`,
  );
}
