/**
 * Annex IV point 5: the risk management system (Art. 9) as Assay evidences it — the promotion
 * gate. The latest promotion decision: packs applied, the outcome, every rule with its
 * citations, the values it read and its result, and the waivers; earlier decisions in summary.
 */
import type { DossierPromotion } from '../../dossier/model-dossier';
import type { AnnexIvCell, AnnexIvItem, AnnexIvPoint } from '../annex-iv-document';
import { count, jsonText, list } from '../annex-iv-format';
import { fact, facts, filledItem, gapItem, paragraph, partGap, table } from '../annex-iv-items';
import { citeDecision, type DossierEvidence } from '../dossier-evidence';

const OBSERVED_MAX = 160;

export function riskManagementPoint(evidence: DossierEvidence): AnnexIvPoint {
  const promotion = evidence.latestPromotion();
  const items =
    promotion === undefined
      ? [
          gapItem(
            'iv-5-decision',
            'Annex IV(5)',
            'Policy decision on the evidence',
            'The version was never put forward for promotion: no policy decision is recorded, so no risk control was applied to it.',
          ),
        ]
      : [decisionItem(evidence, promotion), packsItem(promotion), rulesItem(promotion), waiversItem(promotion), historyItem(evidence)].filter(
          (item): item is AnnexIvItem => item !== null,
        );
  return { number: 5, reference: 'Annex IV(5)', title: 'Risk management system (Art. 9)', items };
}

function ruleList(refs: ReadonlyArray<{ packId: string; ruleId: string }>): string {
  return list(refs.map((ref) => `${ref.packId} / ${ref.ruleId}`));
}

function decisionItem(evidence: DossierEvidence, promotion: DossierPromotion): AnnexIvItem {
  const { decision } = promotion;
  const counts = Object.entries(decision.counts).map(([outcome, n]) => `${outcome.replace(/_/g, ' ')} ${count(n)}`);
  return filledItem(
    'iv-5-decision',
    'Annex IV(5)',
    'Policy decision on the evidence',
    [
      facts([
        fact('Promotion', `${promotion.id} to ${promotion.targetStage}`),
        fact('Requested', `${promotion.requestedAt} by ${promotion.requestedBy}`),
        fact('State', promotion.state.replace(/_/g, ' ')),
        fact('Outcome of the policy evaluation', decision.outcome.replace(/_/g, ' ')),
        fact('Evaluated for', `${decision.stage}, risk tier ${decision.riskTier}, jurisdictions ${list(decision.jurisdictions)}, at ${decision.evaluatedAt}`),
        fact('Rule outcomes', counts.join(', ')),
        fact('Blocked by', decision.blockedBy.length === 0 ? null : ruleList(decision.blockedBy)),
        fact('Warnings', decision.warnings.length === 0 ? null : ruleList(decision.warnings)),
        fact('Decided', promotion.decidedAt === null ? null : `${promotion.decidedAt} by ${promotion.decidedBy ?? 'unknown'}`),
        fact('Rationale of the decision', promotion.rationale),
        fact('Evidence document read', decision.evidenceDigest),
        fact('Decision digest', promotion.decisionDigest),
      ]),
      decision.evidenceDigest === evidence.documentDigest
        ? null
        : paragraph(`This decision read evidence document ${decision.evidenceDigest}; the other points of this document describe ${evidence.documentDigest}.`),
      partGap(
        'The provider’s risk management process (Art. 9(2)–(9))',
        'Assay evidences the checks of its promotion gate; identifying and estimating risks, choosing the measures against them and reviewing them over the lifecycle is the provider’s process to describe.',
      ),
    ],
    [citeDecision(promotion)],
  );
}

function packsItem(promotion: DossierPromotion): AnnexIvItem {
  const rows = promotion.decision.packs.map((pack): AnnexIvCell[] => [
    `${pack.id} ${pack.version}`,
    pack.title,
    pack.jurisdiction,
    pack.applicable ? 'applied' : `not applied: ${pack.reason ?? 'no reason recorded'}`,
    Object.keys(pack.parameters).length === 0 ? '—' : jsonText(pack.parameters, 400),
    pack.digest,
  ]);
  return filledItem(
    'iv-5-packs',
    'Annex IV(5)',
    'Policy packs applied',
    [table('Policy packs of the decision', ['Pack', 'Title', 'Jurisdiction', 'Applied', 'Parameters', 'Pack digest'], rows)],
    [citeDecision(promotion)],
  );
}

function rulesItem(promotion: DossierPromotion): AnnexIvItem {
  const rows = promotion.decision.rules.map((rule): AnnexIvCell[] => [
    `${rule.packId} / ${rule.ruleId}: ${rule.title}`,
    list(rule.cites),
    `${rule.severity}${rule.waivable ? ', waivable' : ''}`,
    rule.outcome.replace(/_/g, ' '),
    Object.entries(rule.observed)
      .map(([path, value]) => `${path} = ${jsonText(value, OBSERVED_MAX)}`)
      .join('; ') || '—',
    rule.message ?? rule.reason ?? '—',
  ]);
  return filledItem(
    'iv-5-rules',
    'Annex IV(5)',
    'Decision per rule, with citations and observed values',
    [
      table('Every rule of the decision', ['Rule', 'Cites', 'Severity', 'Outcome', 'Observed values', 'Message'], rows),
      paragraph(`Observed values longer than ${OBSERVED_MAX} characters are cut here; the decision record holds them in full.`),
    ],
    [citeDecision(promotion)],
  );
}

function waiversItem(promotion: DossierPromotion): AnnexIvItem {
  const { waivers } = promotion.decision;
  const rows = waivers.map((use): AnnexIvCell[] => [
    `${use.waiver.packId} / ${use.waiver.ruleId}`,
    use.status.replace(/_/g, ' '),
    use.waiver.justification,
    use.waiver.expiresAt,
    use.waiver.grantedBy ?? '—',
  ]);
  return filledItem(
    'iv-5-waivers',
    'Annex IV(5)',
    'Waivers',
    [
      waivers.length === 0
        ? paragraph('The decision used no waiver.')
        : table('Waivers considered by the decision', ['Rule', 'Status', 'Justification', 'Expires', 'Granted by'], rows),
    ],
    [citeDecision(promotion)],
  );
}

function historyItem(evidence: DossierEvidence): AnnexIvItem | null {
  const promotions = [...evidence.dossier.promotions].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
  if (promotions.length < 2) return null;
  const rows = promotions.map((promotion): AnnexIvCell[] => [
    promotion.requestedAt,
    promotion.targetStage,
    promotion.state.replace(/_/g, ' '),
    promotion.decision.outcome.replace(/_/g, ' '),
    ruleList(promotion.decision.blockedBy),
    promotion.decisionDigest,
  ]);
  return filledItem(
    'iv-5-history',
    'Annex IV(5)',
    'Earlier policy decisions on this version',
    [table('All promotion decisions, oldest first', ['Requested', 'Stage', 'State', 'Outcome', 'Blocked by', 'Decision digest'], rows)],
    promotions.map(citeDecision),
  );
}
