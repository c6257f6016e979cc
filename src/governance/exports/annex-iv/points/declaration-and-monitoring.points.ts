/**
 * Annex IV points 8 and 9: the EU declaration of conformity (never issued by Assay: always a gap
 * for the provider) and the post-market monitoring system (Art. 72), from the evidence document's
 * `monitoring` section when there is one.
 */
import type { AnnexIvCell, AnnexIvPoint } from '../annex-iv-document';
import { count, list, significant, yesNo } from '../annex-iv-format';
import { fact, facts, filledItem, gapItem, partGapIf, table } from '../annex-iv-items';
import type { DossierEvidence } from '../dossier-evidence';

export function declarationPoint(): AnnexIvPoint {
  return {
    number: 8,
    reference: 'Annex IV(8)',
    title: 'EU declaration of conformity',
    items: [
      gapItem(
        'iv-8-declaration',
        'Annex IV(8)',
        'Copy of the EU declaration of conformity (Art. 47)',
        'Assay does not issue the EU declaration of conformity: the provider draws it up, signs it and adds a copy here.',
      ),
    ],
  };
}

export function monitoringPoint(evidence: DossierEvidence): AnnexIvPoint {
  const monitoring = evidence.document.monitoring ?? null;
  const title = 'Post-market monitoring system and plan (Art. 72)';
  const plan = monitoring?.plan ?? null;
  const item =
    monitoring === null
      ? gapItem(
          'iv-9-monitoring',
          'Annex IV(9)',
          title,
          'The evidence document has no monitoring section: no post-market monitoring plan (Art. 72(3)) is recorded for this version.',
        )
      : filledItem(
          'iv-9-monitoring',
          'Annex IV(9)',
          title,
          [
            facts([
              fact('Decision logging (Art. 12)', plan === null ? null : yesNo(plan.decisionLogging)),
              fact('Monitored features', plan === null ? null : list(plan.features)),
              fact('Monitoring window (ISO 8601 duration)', plan?.window),
              fact('Drift per group of the sensitive attributes', plan === null ? null : yesNo(plan.groupDrift)),
              fact('Alert webhooks', plan === null ? null : count(plan.webhooks)),
              fact('Open alerts', count(monitoring.openAlerts)),
              fact('Last alert', monitoring.lastAlertAt ?? 'none'),
            ]),
            plan === null
              ? null
              : table(
                  'Alert thresholds',
                  ['Metric', 'Threshold'],
                  plan.thresholds.map((threshold): AnnexIvCell[] => [threshold.metric, { value: threshold.value, text: significant(threshold.value, 4) }]),
                ),
            partGapIf(plan === null, 'Post-market monitoring plan (Art. 72(3))', 'Monitoring status is recorded but no plan (features, window, thresholds).'),
          ],
          [evidence.documentSource],
        );
  return { number: 9, reference: 'Annex IV(9)', title: 'Post-market monitoring system', items: [item] };
}
