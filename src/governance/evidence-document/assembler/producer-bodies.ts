/**
 * The evidence bodies the assembler reads, as their producers write them (see each kind's
 * `*.evidence-kinds.ts`). Result types come from the producing libraries themselves (type imports
 * only, erased at runtime), so a renamed field there fails type checking here.
 */
import type { DatasheetDto } from '../../../pipeline/datasets/datasheet/datasheet.dto';
import type { EnergyMeasurement } from '../../../pipeline/energy';
import type { BinaryEvaluation, FairnessAssessment, LabelBalanceComparison, MulticlassEvaluation, RobustnessReport } from '../../../pipeline/evaluation';
import type { PermutationImportanceResult, PredictionExplanation, SaliencyMap } from '../../../pipeline/explainability';
import type { ColumnPiiFinding } from '../../../pipeline/privacy/recognizers';
import type { ReidentificationRisk } from '../../../pipeline/privacy/reidentification';
import type { BackendInfo } from '../../../pipeline/training/engine';
import type { EpochMetrics } from '../../../pipeline/training/model';
import type { DifferentialPrivacySection, MonitoringPlan } from '../evidence-document';

/** `dataset.registered` (src/pipeline/datasets/datasets.evidence-kinds.ts). */
export interface DatasetRegisteredBody {
  datasetId: string;
  name: string;
  ownerId: string;
}

/** `dataset_version.registered`. */
export interface DatasetVersionRegisteredBody {
  datasetId: string;
  versionId: string;
  version: number;
  origin: 'upload' | 'transformation';
  rawDigest: string | null;
  tableDigest: string;
  rows: number;
  columns: Array<{ name: string; type: string }>;
}

/** `dataset.transformed`. */
export interface DatasetTransformedBody {
  transformationId: string;
  inputVersionId: string;
  outputs: Array<{ role: string; versionId: string; tableDigest: string }>;
}

/** `datasheet.recorded`: the datasheet itself (DatasheetDto as plain JSON). */
export type DatasheetBody = DatasheetDto;

/** `privacy.scanned` (src/pipeline/privacy/privacy-scan.observer.ts). */
export interface PrivacyScannedBody {
  datasetId: string;
  versionId: string;
  rows: number;
  withDatasheet: boolean;
  pii: Array<{ column: string; findings: Array<Pick<ColumnPiiFinding, 'entityType' | 'share' | 'confidence'> & Partial<ColumnPiiFinding>> }>;
  piiColumns: string[];
  reidentification: (ReidentificationRisk & { quasiIdentifiers: string[]; sensitiveAttributes: string[] }) | null;
}

import type { RunInputs, SplitInput } from '../../../pipeline/training/runs/training-run.record';

export type { RunInputs, SplitInput };

/** The parts of a run spec the document reads. */
export interface RunSpecBody {
  model: { type: string; training: { epochs: number; seed?: number } };
}

/** `training.requested`. */
export interface TrainingRequestedBody {
  runId: string;
  inputs: RunInputs;
  spec: RunSpecBody;
  specDigest: string;
}

/** `training.completed` (src/pipeline/training/runs/training-run.executor.ts). */
export interface TrainingCompletedBody {
  runId: string;
  inputs: RunInputs;
  spec: RunSpecBody;
  specDigest: string;
  modelSpecDigest: string;
  preprocessorDigest: string;
  backend: BackendInfo;
  seed: number;
  epochs: { completed: number; stoppedEarly: boolean; bestEpoch: number | null; weightsEpoch: number | null };
  history: EpochMetrics[];
  testMetrics: { loss: number; accuracy: number; rows: number } | null;
  artifacts: Array<{ path: string; digest: string; size: number }>;
  modelDigest: string;
  signature: { digest: string; format: string; keyHint: string; algorithm: string };
  energyEvidence: string;
  attempts: number;
  /** DP-SGD runs only (src/pipeline/training/differential-privacy DpTrainingPrivacy): the section's fields but the budget. */
  differentialPrivacy?: Omit<DifferentialPrivacySection, 'budget'>;
}

/** `privacy.budget-charged` (src/pipeline/training/privacy-budgets). */
export interface BudgetChargedBody {
  runId: string;
  datasetVersionId: string;
  budget: { epsilon: number; delta: number; conversion: string };
  spentEpsilon: number;
  remainingEpsilon: number;
}

/** `privacy.attack-assessed` (the assessment stage's membership-inference audit). */
export interface AttackAssessedBody {
  runId: string;
  modelDigest: string;
  attack: 'loss_threshold';
  auc: number;
  /** null with fewer than 10 rows a side. */
  aucCi: { lower: number; upper: number; level: number; method: string; resamples: number | null } | null;
  advantage: number;
  advantageCi: { lower: number; upper: number; level: number; method: string; resamples: number | null } | null;
  members: number;
  nonMembers: number;
}

/** `energy.measured`. */
export interface EnergyMeasuredBody {
  stage: 'training' | 'evaluation' | 'explanation';
  subject: { type: string; id: string };
  coverage?: { attempt: number; fromEpoch: number; toEpoch: number };
  measurement: EnergyMeasurement;
}

/** What every assessment record names: the run, the model and the `training.completed` record it measured. */
export interface AssessedModel {
  runId: string;
  modelDigest: string;
  trainingEvidence: string;
  split?: { role: 'test'; versionId: string; tableDigest: string; rows: number };
}

/** `evaluation.completed` (src/pipeline/assessment/assessment.observer.ts). */
export interface EvaluationCompletedBody extends AssessedModel {
  split: NonNullable<AssessedModel['split']>;
  classes: string[];
  evaluation: BinaryEvaluation | MulticlassEvaluation;
}

/** `fairness.assessed` (model-assessor.ts `FairnessOutcome`). */
export interface FairnessAssessedBody extends AssessedModel {
  split: NonNullable<AssessedModel['split']>;
  attributes: string[];
  missingAttributes: string[];
  assessment: FairnessAssessment | null;
  labelBalance: LabelBalanceComparison | null;
  reason?: string;
}

/** `robustness.assessed`. */
export interface RobustnessAssessedBody extends AssessedModel {
  split: NonNullable<AssessedModel['split']>;
  report: RobustnessReport;
}

/** `explanation.generated`: global importance, an example explained (or its saliency map), or one requested. */
export type ExplanationGeneratedBody = AssessedModel &
  (
    | { scope: 'global'; explanation: PermutationImportanceResult }
    | { scope: 'example'; explanation: PredictionExplanation | SaliencyMap }
    | { scope: 'request'; inputDigest?: string; explanation: PredictionExplanation }
  );

/** `model_version.registered` (src/governance/registry/registry.evidence-kinds.ts). */
export interface ModelVersionRegisteredBody {
  modelId: string;
  modelVersionId: string;
  version: number;
  runId: string;
  modelDigest: string;
  signatureDigest: string;
  trainingEvidence: string;
}

/** `monitoring.configured` (src/serving/serving.evidence-kinds.ts): the plan as the document carries it, and the stored settings. */
export interface MonitoringConfiguredBody {
  modelId: string;
  plan: MonitoringPlan;
  settings: Record<string, unknown>;
}

/** `monitoring.alerted`: a threshold of the plan crossed by a served version. */
export interface MonitoringAlertedBody {
  alertId: string;
  modelId: string;
  modelVersionId: string;
  version: number;
  metric: string;
  target: string;
  value: number;
  threshold: number;
  samples: number;
  window: { from: string; to: string };
}

/** `monitoring.alert-resolved`. */
export interface MonitoringAlertResolvedBody {
  alertId: string;
  modelVersionId: string;
  reason: string;
}
