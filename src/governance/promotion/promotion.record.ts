import type { PolicyDecision } from '../policy';

export type PromotionState = 'blocked' | 'pending_approval' | 'approved' | 'rejected';
export const PROMOTION_STATES: readonly PromotionState[] = ['blocked', 'pending_approval', 'approved', 'rejected'];
export type Stage = 'staging' | 'production';
export const STAGES: readonly Stage[] = ['staging', 'production'];

export interface PromotionRow {
  id: string;
  model_id: string;
  model_version_id: string;
  target_stage: Stage;
  state: PromotionState;
  requested_by: string;
  evidence_document: Record<string, unknown>;
  evidence_document_digest: string;
  decision: PolicyDecision;
  decision_digest: string;
  decided_by: string | null;
  rationale: string | null;
  created_at: Date;
  decided_at: Date | null;
}

export interface PromotionView {
  id: string;
  modelId: string;
  modelVersionId: string;
  version: number;
  targetStage: Stage;
  state: PromotionState;
  requestedBy: string;
  evidenceDocumentDigest: string;
  decisionDigest: string;
  decision: PolicyDecision;
  decidedBy: string | null;
  rationale: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export const toPromotionView = (row: PromotionRow & { version: number }): PromotionView => ({
  id: row.id,
  modelId: row.model_id,
  modelVersionId: row.model_version_id,
  version: row.version,
  targetStage: row.target_stage,
  state: row.state,
  requestedBy: row.requested_by,
  evidenceDocumentDigest: row.evidence_document_digest,
  decisionDigest: row.decision_digest,
  decision: row.decision,
  decidedBy: row.decided_by,
  rationale: row.rationale,
  createdAt: row.created_at.toISOString(),
  decidedAt: row.decided_at?.toISOString() ?? null,
});
