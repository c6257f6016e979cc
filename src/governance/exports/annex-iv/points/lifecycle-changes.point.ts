/**
 * Annex IV point 6: relevant changes through the lifecycle — the model's registration and every
 * change of its declarations, the version's registration, promotion requests and decisions,
 * alias moves (promotions, demotions, rollbacks) with their reasons, and waivers; oldest first.
 */
import type { AnnexIvCell, AnnexIvPoint, AnnexIvSource } from '../annex-iv-document';
import { jsonText } from '../annex-iv-format';
import { filledItem, gapItem, table } from '../annex-iv-items';
import { asRecord, asString, citeDecision, type DossierEvidence } from '../dossier-evidence';

interface LifecycleEvent {
  at: string;
  event: string;
  details: string;
  actor: string;
  reference: string;
}

const RECORD_EVENTS: Readonly<Record<string, string>> = {
  'model.registered': 'Model registered',
  'model.updated': 'Model declarations changed',
  'model_version.registered': 'Version registered',
  'waiver.granted': 'Waiver granted',
  'waiver.revoked': 'Waiver revoked',
};

function changedFields(body: Record<string, unknown>): string {
  const before = asRecord(body.before) ?? {};
  const after = asRecord(body.after) ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.map((key) => `${key}: ${jsonText(before[key] ?? null, 120)} → ${jsonText(after[key] ?? null, 120)}`).join('; ');
}

export function lifecycleChangesPoint(evidence: DossierEvidence): AnnexIvPoint {
  const { model } = evidence.document;
  const { dossier } = evidence;
  const records = dossier.records.filter(
    (record) =>
      Object.hasOwn(RECORD_EVENTS, record.kind) &&
      (record.subject.id === model.id || record.subject.id === model.versionId || record.body.modelVersionId === model.versionId),
  );
  const events: LifecycleEvent[] = records.map((record) => ({
    at: record.createdAt,
    event: RECORD_EVENTS[record.kind] ?? record.kind,
    details:
      record.kind === 'model.updated'
        ? changedFields(record.body)
        : record.kind === 'model_version.registered'
          ? `version ${jsonText(record.body.version ?? null)}, run ${asString(record.body.runId) ?? '?'}`
          : record.kind.startsWith('waiver.')
            ? `${asString(record.body.packId) ?? ''} / ${asString(record.body.ruleId) ?? ''}: ${asString(record.body.justification) ?? asString(record.body.reason) ?? ''}`
            : `${asString(record.body.name) ?? model.name}, risk tier ${asString(record.body.riskTier) ?? '?'}`,
    actor: `${record.actor.type} ${record.actor.id}`,
    reference: record.digest,
  }));
  for (const promotion of dossier.promotions) {
    events.push({
      at: promotion.requestedAt,
      event: `Promotion to ${promotion.targetStage} requested`,
      details: `policy outcome: ${promotion.decision.outcome.replace(/_/g, ' ')}; state: ${promotion.state.replace(/_/g, ' ')}`,
      actor: promotion.requestedBy,
      reference: promotion.decisionDigest,
    });
    if (promotion.decidedAt !== null) {
      events.push({
        at: promotion.decidedAt,
        event: `Promotion to ${promotion.targetStage} ${promotion.state === 'rejected' ? 'rejected' : 'approved'}`,
        details: promotion.rationale ?? 'no rationale recorded',
        actor: promotion.decidedBy ?? 'unknown',
        reference: promotion.id,
      });
    }
  }
  for (const move of dossier.aliasMoves) {
    events.push({
      at: move.at,
      event: `Alias ${move.alias}: ${move.action}`,
      details: `${move.fromVersion === null ? 'none' : `v${move.fromVersion}`} → ${move.toVersion === null ? 'none' : `v${move.toVersion}`}; reason: ${move.reason ?? 'none recorded'}`,
      actor: move.actor,
      reference: '—',
    });
  }
  events.sort((a, b) => a.at.localeCompare(b.at));
  const title = 'Relevant changes through the lifecycle';
  const sources: AnnexIvSource[] = [...records.map((record) => ({ kind: record.kind, digest: record.digest })), ...dossier.promotions.map(citeDecision)];
  const item =
    events.length === 0
      ? gapItem('iv-6-changes', 'Annex IV(6)', title, 'No registration, change, promotion or alias move is recorded for this model version.')
      : filledItem(
          'iv-6-changes',
          'Annex IV(6)',
          title,
          [
            table(
              'Lifecycle events, oldest first',
              ['When', 'Event', 'Details', 'Actor', 'Record or decision'],
              events.map((event): AnnexIvCell[] => [event.at, event.event, event.details, event.actor, event.reference]),
            ),
          ],
          sources,
        );
  return { number: 6, reference: 'Annex IV(6)', title: 'Relevant changes made through the lifecycle', items: [item] };
}
