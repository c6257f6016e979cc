/**
 * What the evidence-document assembler takes: the evidence records that may reach one model
 * version, the registry's facts about the model and the version, the promotion request, and the
 * outcome of verifying the version's signature bundle. Plain data, so the assembler stays a pure
 * function that an offline verifier can run too.
 */
import type { ArtifactSignature, DeclaredMetric, PromotionStage } from '../evidence-document';

/**
 * One evidence record, as `EvidenceRecord` of src/platform/evidence/evidence.service.ts carries it
 * (mirrored, not imported, so this library loads no NestJS). Extra fields are ignored.
 */
export interface EvidenceRecordInput {
  id: string;
  kind: string;
  subject: { type: string; id: string };
  body: Record<string, unknown>;
  /** `sha256:<hex>` over the JCS of `body`. */
  digest: string;
  /** The ledger entry that recorded it; null if it is (wrongly) not in the ledger. */
  ledgerIndex: number | null;
  createdAt: string;
  actor: { type: string; id: string };
  /** The id of the record this one corrects: the corrected record is listed but no longer read. */
  supersedes?: string | null;
}

/** A model version as the registry holds it (`model_versions`, `model_version.registered`). */
export interface ModelVersionFacts {
  id: string;
  version: number;
  /** The succeeded training run the version was made from. */
  runId: string;
  /** OMS root digest of the version's files. */
  modelDigest: string;
  /** Digest of the run's `training.completed` record. */
  trainingEvidence: string;
}

/**
 * A registered model as the registry holds it, with the declarations the registry does not keep
 * yet (limitations, declared performance, provider, oversight): absent ones become null or [].
 */
export interface ModelFacts {
  id: string;
  name: string;
  riskTier: string;
  intendedUse: string | null;
  prohibitedUses: readonly string[];
  jurisdictions: readonly string[];
  knownLimitations?: readonly string[] | null;
  declaredPerformance?: readonly DeclaredMetric[];
  provider?: { name: string; contact: string } | null;
  /** Human oversight measures (EU AI Act Art. 14(3)). */
  oversightMeasures?: readonly string[];
  /** How a person interrupts the system (Art. 14(4)(e)). */
  stopProcedure?: string | null;
  version: ModelVersionFacts;
}

/** The outcome of verifyModelSignature (src/pipeline/training/model-signing) on the version's OMS bundle. */
export interface SignatureVerification {
  verified: boolean;
  /** Hint of the key the bundle was checked against. */
  keyHint: string | null;
  method: ArtifactSignature['method'];
  /** Digest of the bundle that was checked; when given, it must be the one the run recorded. */
  signatureDigest?: string;
}

export interface EvidenceDocumentAssemblyInput {
  /** Records that may reach the version; those that do not (another run, version, dataset) are ignored. */
  records: readonly EvidenceRecordInput[];
  model: ModelFacts;
  /** The promotion's target stage. */
  stage: PromotionStage;
  /** The requester and their role (the document records both for separation of duties). */
  requestedBy: { id: string; role: string };
  /** When the promotion was requested; default `assembledAt`. */
  requestedAt?: string;
  rationale?: string | null;
  /** ISO 8601, UTC. */
  assembledAt: string;
  /** null or absent: the signature was not verified, so the document says `verified: false`. */
  signatureVerification?: SignatureVerification | null;
}
