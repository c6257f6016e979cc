import { Injectable } from '@nestjs/common';
import { version as ASSAY_VERSION } from '../../../package.json';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthContext } from '../../platform/access/auth-context';
import { EvidenceService, type EvidenceRecord } from '../../platform/evidence/evidence.service';
import { ModelReportService } from '../../pipeline/assessment/model-report.service';
import type { ModelReport } from '../../pipeline/assessment/report';
import type { EvidenceDocument } from '../evidence-document';
import { EvidenceDocumentBuilder } from '../promotion/evidence-document.builder';
import type { PromotionRow } from '../promotion/promotion.record';
import type { ModelVersionRow, RegisteredModelRow } from '../registry/registry.record';
import { MODEL_DOSSIER_FORMAT, type DossierAliasMove, type DossierDatasheet, type DossierPromotion, type DossierRecord, type ModelDossier } from './dossier/model-dossier';

export interface CollectedDossier {
  dossier: ModelDossier;
  /** The evidence document each promotion's decision read, by the document's digest. */
  decisionDocuments: Map<string, Record<string, unknown>>;
}

const plainRecord = (record: EvidenceRecord): DossierRecord => ({
  id: record.id,
  kind: record.kind,
  subject: record.subject,
  body: record.body,
  digest: record.digest,
  ledgerIndex: record.ledgerIndex,
  createdAt: record.createdAt,
  actor: { type: record.actor.type, id: record.actor.id },
  supersedes: record.supersedes,
});

/**
 * Gathers a model version's dossier from evidence: the records that reach it (as the promotion
 * gate gathers them) and those of its promotions, the evidence document of its latest decision,
 * the model report, the datasheets and the alias moves. Nothing here reads a stage's tables.
 */
@Injectable()
export class ModelDossierCollector {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly evidence: EvidenceService,
    private readonly documents: EvidenceDocumentBuilder,
    private readonly reports: ModelReportService,
  ) {}

  async collect(
    auth: AuthContext,
    model: RegisteredModelRow,
    version: ModelVersionRow,
    at: Date,
    checkpoint: ModelDossier['checkpoint'],
  ): Promise<CollectedDossier> {
    const promotions = await this.db.query<PromotionRow[]>(`SELECT * FROM promotion_requests WHERE model_version_id = $1 ORDER BY created_at, id`, [version.id]);
    const reaching = await this.documents.records(model, version);
    const records = new Map(reaching.map((record) => [record.id, record]));
    for (const promotion of promotions)
      for (const record of await this.evidence.forSubject({ type: 'promotion', id: promotion.id })) records.set(record.id, record);
    const ordered = [...records.values()].sort((a, b) => a.ledgerIndex - b.ledgerIndex).map(plainRecord);

    const decisionDocuments = new Map(promotions.map((p) => [p.evidence_document_digest, p.evidence_document]));
    const latest = promotions.at(-1);
    const document: EvidenceDocument = latest
      ? (latest.evidence_document as unknown as EvidenceDocument)
      : await this.documents.build({ model, version, stage: 'production', requestedBy: { id: auth.user.id, role: auth.user.role }, at });

    return {
      decisionDocuments,
      dossier: {
        format: MODEL_DOSSIER_FORMAT,
        generatedAt: at.toISOString(),
        generator: { name: 'assay', version: ASSAY_VERSION },
        document,
        registration: {
          description: model.description,
          ownerId: model.owner_id,
          createdAt: model.created_at.toISOString(),
          oversightMeasures: model.declarations.oversightMeasures ?? [],
          stopProcedure: model.declarations.stopProcedure ?? null,
        },
        report: await this.report(auth, model, version),
        records: ordered,
        datasheets: datasheets(ordered, document),
        promotions: promotions.map(toDossierPromotion),
        aliasMoves: aliasMoves(ordered, version),
        checkpoint,
      },
    };
  }

  private report(auth: AuthContext, model: RegisteredModelRow, version: ModelVersionRow): Promise<ModelReport> {
    return this.reports.forRun(auth, version.run_id, { modelId: model.id, version: version.version, name: model.name });
  }
}


function toDossierPromotion(row: PromotionRow): DossierPromotion {
  return {
    id: row.id,
    targetStage: row.target_stage,
    state: row.state,
    requestedBy: row.requested_by,
    requestedAt: row.created_at.toISOString(),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    rationale: row.rationale,
    evidenceDocumentDigest: row.evidence_document_digest,
    decisionDigest: row.decision_digest,
    decision: row.decision,
  };
}

/** The datasheet in force for each dataset version the model saw: its own, else its source version's (splits have none). */
function datasheets(records: DossierRecord[], document: EvidenceDocument): DossierDatasheet[] {
  const latestFor = (versionId: string) => records.filter((r) => r.kind === 'datasheet.recorded' && r.subject.id === versionId).at(-1);
  const sourceOf = (versionId: string) => {
    const transformed = records.find(
      (r) => r.kind === 'dataset.transformed' && Array.isArray(r.body.outputs) && (r.body.outputs as Array<{ versionId?: string }>).some((o) => o.versionId === versionId),
    );
    return typeof transformed?.body.inputVersionId === 'string' ? transformed.body.inputVersionId : null;
  };
  const out: DossierDatasheet[] = [];
  for (const dataset of document.datasets) {
    const source = sourceOf(dataset.versionId);
    const record = latestFor(dataset.versionId) ?? (source ? latestFor(source) : undefined);
    if (!record) continue;
    out.push({ datasetVersionId: dataset.versionId, documentedVersionId: record.subject.id, role: dataset.role, recordDigest: record.digest, datasheet: record.body });
  }
  return out;
}

function aliasMoves(records: DossierRecord[], version: ModelVersionRow): DossierAliasMove[] {
  return records
    .filter((r) => r.kind === 'alias.moved' && (r.body.fromVersionId === version.id || r.body.toVersionId === version.id))
    .map((r) => ({
      alias: String(r.body.alias),
      action: String(r.body.kind),
      fromVersion: r.body.fromVersionId === version.id ? version.version : null,
      toVersion: r.body.toVersionId === version.id ? version.version : null,
      actor: r.actor.id,
      reason: typeof r.body.reason === 'string' ? r.body.reason : null,
      at: r.createdAt,
    }));
}
