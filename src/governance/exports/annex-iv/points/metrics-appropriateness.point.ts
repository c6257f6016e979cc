/**
 * Annex IV point 4: the performance metrics used, what each measures, the conditions that bear on
 * whether they suit the system (class balance, threshold, intervals, what the policy packs
 * require), and a gap for the provider's own judgement of their appropriateness.
 */
import type { AnnexIvCell, AnnexIvPoint } from '../annex-iv-document';
import { count, fixed, jsonText, metricCell, metricName, percent } from '../annex-iv-format';
import { fact, facts, filledItem, gapItem, partGap, table } from '../annex-iv-items';
import { asNumber, at, cite, citeDecision, type DossierEvidence } from '../dossier-evidence';

/** What each evaluation metric measures: definitions, not findings about this system. */
const METRIC_MEANINGS: Readonly<Record<string, string>> = {
  accuracy: 'Share of test rows classified correctly at the decision threshold.',
  precision: 'Share of predicted positives that are truly positive.',
  recall: 'Share of true positives the model predicts positive (true-positive rate).',
  f1: 'Harmonic mean of precision and recall.',
  rocAuc: 'Probability that a random positive is scored above a random negative: ranking quality over all thresholds.',
  logLoss: 'Mean negative log-likelihood of the true class: penalises confident errors.',
  brier: 'Mean squared difference between the predicted probability and the outcome.',
  expectedCalibrationError: 'Row-weighted mean gap between predicted probability and observed rate over probability bins.',
  macroPrecision: 'Precision averaged over the classes with equal weight.',
  macroRecall: 'Recall averaged over the classes with equal weight.',
  macroF1: 'F1 averaged over the classes with equal weight.',
};

/** Pack parameters about metrics that the latest decision read (`params.requiredTestMetrics`, …). */
function metricParameters(evidence: DossierEvidence): string[] {
  const rules = evidence.latestPromotion()?.decision.rules ?? [];
  const seen = new Map<string, string>();
  for (const rule of rules) {
    for (const [path, value] of Object.entries(rule.observed)) {
      if (/^params\.(requiredTestMetrics|minConfidenceLevel)/.test(path) && !seen.has(`${rule.packId} ${path}`)) {
        seen.set(`${rule.packId} ${path}`, `${rule.packId}: ${path.slice('params.'.length).replace(/\[\*\]$/, '')} = ${jsonText(value, 200)}`);
      }
    }
  }
  return [...seen.values()];
}

export function metricsAppropriatenessPoint(evidence: DossierEvidence): AnnexIvPoint {
  const { evaluation, fairness, robustness } = evidence.document;
  const title = 'Performance metrics and their appropriateness';
  const item =
    evaluation === null
      ? gapItem('iv-4-metrics', 'Annex IV(4)', title, 'No evaluation on held-out test data is recorded: no performance metric was used.')
      : (() => {
          const record = evidence.latestRunRecord('evaluation.completed');
          const positives = asNumber(at(record?.body, 'evaluation.positives'));
          const negatives = asNumber(at(record?.body, 'evaluation.negatives'));
          const threshold = asNumber(at(record?.body, 'settings.threshold'));
          const levels = [...new Set(evaluation.metrics.map((metric) => metric.ci?.level).filter((level): level is number => level !== undefined))];
          const parameters = metricParameters(evidence);
          const promotion = evidence.latestPromotion();
          return filledItem(
            'iv-4-metrics',
            'Annex IV(4)',
            title,
            [
              table(
                'Metrics used on the held-out test data',
                ['Metric', 'What it measures', 'Value'],
                evaluation.metrics.map((metric): AnnexIvCell[] => [metricName(metric.name), METRIC_MEANINGS[metric.name] ?? '—', metricCell(metric.value)]),
              ),
              facts([
                fact(
                  'Class balance of the test data',
                  positives === null || negatives === null
                    ? null
                    : `${count(positives)} positive, ${count(negatives)} negative (${percent(positives / Math.max(1, positives + negatives))} positive)`,
                ),
                fact('Decision threshold', threshold === null ? null : fixed(threshold, 2)),
                fact('Confidence level of the intervals', levels.length === 0 ? null : levels.map(percent).join(', ')),
                fact('Required by the policy packs', parameters.length === 0 ? null : parameters.join('; ')),
                fact(
                  'Fairness metrics',
                  fairness === null
                    ? null
                    : `demographic parity ratio against the four-fifths threshold ${fixed(fairness.fourFifthsThreshold, 2)}, equal opportunity and equalized odds differences`,
                ),
                fact('Robustness metric', robustness?.metric),
              ]),
              partGap(
                'Appropriateness of the metrics for the intended purpose',
                'Assay records which metrics were measured and required, not why they suit this system (for instance the relative cost of false positives and false negatives); the provider states it.',
              ),
            ],
            [...cite(record), ...(promotion ? [citeDecision(promotion)] : [])],
          );
        })();
  return { number: 4, reference: 'Annex IV(4)', title: 'Appropriateness of the performance metrics', items: [item] };
}
