/**
 * `annexIvDocument(dossier)`: the Annex IV technical documentation of a model version, built
 * from its dossier only. Pure and deterministic: no clock (the dossier's `generatedAt` is the
 * date), no database, the same dossier always gives the same document.
 */
import type { ModelDossier } from '../dossier/model-dossier';
import { ANNEX_IV_DOCUMENT_FORMAT, ANNEX_IV_REGULATION, type AnnexIvDocument, type AnnexIvGapEntry, type AnnexIvPoint } from './annex-iv-document';
import { DossierEvidence } from './dossier-evidence';
import { declarationPoint, monitoringPoint } from './points/declaration-and-monitoring.points';
import { developmentPoint } from './points/development.point';
import { functioningPoint } from './points/functioning.point';
import { generalDescriptionPoint } from './points/general-description.point';
import { lifecycleChangesPoint } from './points/lifecycle-changes.point';
import { metricsAppropriatenessPoint } from './points/metrics-appropriateness.point';
import { riskManagementPoint } from './points/risk-management.point';
import { standardsPoint } from './points/standards.point';

export const ANNEX_IV_TITLE = 'Technical documentation referred to in Article 11(1) of the EU AI Act (Annex IV)';

/** Every gap, item-level and part-level, in document order. */
export function collectGaps(points: readonly AnnexIvPoint[]): AnnexIvGapEntry[] {
  return points.flatMap((point) =>
    point.items.flatMap((item): AnnexIvGapEntry[] => {
      const base = { point: point.number, reference: item.reference, itemId: item.id, itemTitle: item.title };
      if (item.content.status === 'gap') return [{ ...base, part: null, reason: item.content.reason }];
      return item.content.blocks.flatMap((block) => (block.type === 'gap' ? [{ ...base, part: block.part, reason: block.reason }] : []));
    }),
  );
}

export function annexIvDocument(dossier: ModelDossier): AnnexIvDocument {
  const evidence = new DossierEvidence(dossier);
  const { model } = dossier.document;
  const points: AnnexIvPoint[] = [
    generalDescriptionPoint(evidence),
    developmentPoint(evidence),
    functioningPoint(evidence),
    metricsAppropriatenessPoint(evidence),
    riskManagementPoint(evidence),
    lifecycleChangesPoint(evidence),
    standardsPoint(evidence),
    declarationPoint(),
    monitoringPoint(evidence),
  ];
  return {
    format: ANNEX_IV_DOCUMENT_FORMAT,
    title: ANNEX_IV_TITLE,
    regulation: ANNEX_IV_REGULATION,
    generatedAt: dossier.generatedAt,
    generator: { name: dossier.generator.name, version: dossier.generator.version },
    model: { id: model.id, name: model.name, version: model.version, versionId: model.versionId, riskTier: model.riskTier },
    evidenceDocumentDigest: evidence.documentDigest,
    evidenceAssembledAt: dossier.document.assembledAt,
    checkpoint: dossier.checkpoint === null ? null : { ...dossier.checkpoint },
    notice: [
      `Assembled by Assay ${dossier.generator.version} on ${dossier.generatedAt} from the evidence of ${model.name} version ${model.version} only: every statement is taken from the evidence document ${evidence.documentDigest} (assembled ${dossier.document.assembledAt}) or from the evidence records and decisions cited under it, identified by their digests.`,
      'Where the evidence shows nothing for an item, or for a part of one, this document says so as a gap; the provider supplies those parts. Nothing has been filled in to make the document look complete.',
      'This is not an EU declaration of conformity, and it claims no conformity with harmonised standards.',
    ],
    points,
    gaps: collectGaps(points),
  };
}
