/**
 * The model report: everything a reviewer needs about one trained model (one training run and, once
 * registered, its model version) as plain JSON, composed of the records the measuring libraries
 * produce, unchanged. It is the JSON form of `GET /models/:id/versions/:version/report` and the
 * input of the HTML page and the charts. A section that was not measured is `null` (the page says
 * "not available"), never an empty object or a made-up value.
 */
import type { BinaryEvaluation, FairnessAssessment, LabelBalanceComparison, MulticlassEvaluation, RobustnessReport } from '../../evaluation';
import type { EnergyMeasurement } from '../../energy';
import type { PermutationImportanceResult, PredictionExplanation } from '../../explainability';
import type { EpochMetrics } from '../../training/model';

export const MODEL_REPORT_FORMAT = 'assay.model-report';
export const MODEL_REPORT_VERSION = 1;

/** What was trained, how, and from which seed: the page header. */
export interface ReportedModel {
  /** Registered model id; null for a run not (yet) registered. */
  modelId: string | null;
  name: string;
  /** Model version number; null before registration. */
  version: number | null;
  runId: string;
  /** Digest of the trained weights (`sha256:<hex>`); null when the run produced none. */
  modelDigest: string | null;
  /** `logistic_regression`, `mlp`, `cnn`, … (ModelSpec.type). */
  modelType: string | null;
  /** TensorFlow.js backend the run used (`cpu`, `wasm`, `tensorflow`). */
  backend: string;
  seed: number | string;
  /** Class names in encoded order (index = class index); null when unknown. */
  classes: string[] | null;
}

/** A dataset version the model was trained or measured on. */
export interface ReportedDataset {
  /** `training`, `validation`, `test`, or another role. */
  role: string;
  name: string;
  datasetId: string | null;
  version: number | string | null;
  /** Content digest of the dataset version (`sha256:<hex>`). */
  digest: string;
}

export interface ReportedTraining {
  /** Per-epoch metrics as recorded by the trainer (epochs counted from 0). */
  history: EpochMetrics[];
  /** Epoch with the lowest validation loss; null without validation. */
  bestEpoch: number | null;
}

/** One example prediction and its explanation. */
export interface ReportedExplanation {
  /** Which input this is, in words a reviewer understands (`test row 17`); never the input's values. */
  label: string;
  explanation: PredictionExplanation;
}

/** One energy measurement and the work it covers. */
export interface ReportedEnergy {
  /** `training`, `evaluation`, `explanation`, … */
  activity: string;
  measurement: EnergyMeasurement;
}

/** An evidence record the report was assembled from. */
export interface EvidenceReference {
  /** `evaluation.completed`, `fairness.assessed`, … */
  kind: string;
  /** The record's digest (`sha256:<hex>`). */
  digest: string;
  /** The record's id; null when referenced by digest only. */
  id: string | null;
  /** When the record was made (ISO 8601); null when unknown. */
  createdAt: string | null;
}

export interface ModelReport {
  format: typeof MODEL_REPORT_FORMAT;
  version: typeof MODEL_REPORT_VERSION;
  /** When the report was assembled (ISO 8601), supplied by the caller; the renderers never read the clock. */
  generatedAt: string | null;
  model: ReportedModel;
  datasets: ReportedDataset[];
  training: ReportedTraining | null;
  /** On the held-out test split. */
  evaluation: BinaryEvaluation | MulticlassEvaluation | null;
  fairness: FairnessAssessment | null;
  /** Training label rates beside test outcomes (compareLabelBalance). */
  labelBalance: LabelBalanceComparison | null;
  robustness: RobustnessReport | null;
  importance: PermutationImportanceResult | null;
  explanations: ReportedExplanation[] | null;
  energy: ReportedEnergy[] | null;
  /** Every evidence record behind the sections above. */
  evidence: EvidenceReference[];
}
