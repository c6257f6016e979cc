/** Registered models and model versions as stored and as the API shows them. */

/** What a provider declares about a model (EU AI Act Art. 13–15; NIST AI RMF MEASURE 2.5). */
export interface ModelDeclarations {
  knownLimitations?: string[];
  declaredPerformance?: { metric: string; minimum?: number; maximum?: number }[];
  provider?: { name: string; contact: string };
  oversightMeasures?: string[];
  stopProcedure?: string;
}

export interface RegisteredModelRow {
  id: string;
  name: string;
  owner_id: string;
  description: string;
  intended_use: string;
  prohibited_uses: string[];
  risk_tier: string;
  jurisdictions: string[];
  declarations: ModelDeclarations;
  created_at: Date;
  updated_at: Date;
}

export interface ModelVersionRow {
  id: string;
  model_id: string;
  version: number;
  run_id: string;
  model_digest: string;
  artifacts: { path: string; digest: string; size: number }[];
  signature_digest: string;
  training_evidence: string;
  status: 'registered' | 'archived';
  created_by: string;
  created_at: Date;
}

export interface RegisteredModelView {
  id: string;
  name: string;
  ownerId: string;
  description: string;
  intendedUse: string;
  prohibitedUses: string[];
  riskTier: string;
  jurisdictions: string[];
  declarations: ModelDeclarations;
  createdAt: string;
  updatedAt: string;
}

export interface ModelVersionView {
  id: string;
  modelId: string;
  version: number;
  runId: string;
  modelDigest: string;
  artifacts: { path: string; digest: string; size: number }[];
  signatureDigest: string;
  trainingEvidence: string;
  status: string;
  createdBy: string;
  createdAt: string;
}

export const toModelView = (row: RegisteredModelRow): RegisteredModelView => ({
  id: row.id,
  name: row.name,
  ownerId: row.owner_id,
  description: row.description,
  intendedUse: row.intended_use,
  prohibitedUses: row.prohibited_uses,
  riskTier: row.risk_tier,
  jurisdictions: row.jurisdictions,
  declarations: row.declarations,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export const toVersionView = (row: ModelVersionRow): ModelVersionView => ({
  id: row.id,
  modelId: row.model_id,
  version: row.version,
  runId: row.run_id,
  modelDigest: row.model_digest,
  artifacts: row.artifacts,
  signatureDigest: row.signature_digest,
  trainingEvidence: row.training_evidence,
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
});
