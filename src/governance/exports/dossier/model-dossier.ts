/**
 * Everything Assay knows about one model version, gathered for the documents a regulator takes
 * away (model card, CycloneDX ML-BOM, lineage, EU AI Act Annex IV). Plain JSON, filled from
 * evidence records only, so every document generator is a pure function of it and can be tested
 * without a database. The bundle service fills it; `dossier.fixture.ts` has a realistic one.
 */
import type { EvidenceDocument } from '../../evidence-document';
import type { PolicyDecision } from '../../policy';
import type { ModelReport } from '../../../pipeline/assessment/report';

export const MODEL_DOSSIER_FORMAT = 'assay.model-dossier/v1';

/** One evidence record as stored (src/platform/evidence/evidence.service.ts `EvidenceRecord`), plain JSON. */
export interface DossierRecord {
  id: string;
  kind: string;
  subject: { type: string; id: string };
  body: Record<string, unknown>;
  /** `sha256:<hex>` over the JCS of `body`. */
  digest: string;
  ledgerIndex: number;
  createdAt: string;
  actor: { type: string; id: string };
  supersedes: string | null;
}

/** The datasheet recorded for a dataset version the model saw (`datasheet.recorded` body's `datasheet`). */
export interface DossierDatasheet {
  datasetVersionId: string;
  /** The dataset version whose datasheet this is (a split's source version when the split has none). */
  documentedVersionId: string;
  role: 'training' | 'validation' | 'test';
  /** Digest of the `datasheet.recorded` record. */
  recordDigest: string;
  datasheet: Record<string, unknown>;
}

/** A promotion request of this version with its recorded decision (`policy.evaluated`, approval or rejection). */
export interface DossierPromotion {
  id: string;
  targetStage: 'staging' | 'production';
  state: 'blocked' | 'pending_approval' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  rationale: string | null;
  evidenceDocumentDigest: string;
  decisionDigest: string;
  decision: PolicyDecision;
}

/** A move of a stage alias (promotion, demotion, rollback) involving this version. */
export interface DossierAliasMove {
  alias: string;
  action: string;
  fromVersion: number | null;
  toVersion: number | null;
  actor: string;
  reason: string | null;
  at: string;
}

export interface ModelDossier {
  format: typeof MODEL_DOSSIER_FORMAT;
  /** ISO 8601 UTC; generators never read the clock. */
  generatedAt: string;
  generator: { name: 'assay'; version: string };
  /**
   * The `assay.evidence/v1` document of the version: the one the latest promotion decision read,
   * or, when the version was never put forward, one assembled for the export.
   */
  document: EvidenceDocument;
  /** Registered-model fields the evidence document does not carry. */
  registration: { description: string; ownerId: string; createdAt: string; oversightMeasures: string[]; stopProcedure: string | null };
  /** The model report (metrics, fairness, robustness, explanations, energy) assembled from evidence; null when the run has none. */
  report: ModelReport | null;
  /** Every evidence record in the bundle, in ledger order. */
  records: DossierRecord[];
  datasheets: DossierDatasheet[];
  promotions: DossierPromotion[];
  aliasMoves: DossierAliasMove[];
  /** The ledger checkpoint the bundle's proofs are against. */
  checkpoint: { origin: string; treeSize: number; rootHash: string } | null;
}
