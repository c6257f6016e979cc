/**
 * `assay.evidence/v1`: the one JSON document policy rules read for a model version (DESIGN.md
 * "The spine"). It is assembled from the evidence records that reach the version when a promotion
 * is requested, so a decision can be replayed from an exported bundle. Plain JSON only.
 *
 * Absent evidence is explicit: a section that could not be assembled is `null` (the required
 * sections) or left out (the optional ones added by later stages), and a list that is empty means
 * "recorded: none". Rules test presence with CEL `has()`; see evidence-document.schema.ts.
 * Names follow the evidence kinds they come from (`dataset_version.registered`, `privacy.scanned`,
 * `datasheet.recorded`, energy measurements, …); values are snake_case like the datasheet's.
 */

export const EVIDENCE_DOCUMENT_FORMAT = 'assay.evidence/v1';

/** `sha256:<64 hex>` (API.md). */
export type Digest = string;

/** The stages a promotion can target. */
export const PROMOTION_STAGES = ['staging', 'production'] as const;
export type PromotionStage = (typeof PROMOTION_STAGES)[number];

/** EU AI Act tiers; an organisation may add its own (lower-case identifiers). */
export const EU_AI_ACT_RISK_TIERS = ['minimal', 'limited', 'high', 'unacceptable'] as const;

export interface EvidenceDocument {
  format: typeof EVIDENCE_DOCUMENT_FORMAT;
  /** When the document was assembled (ISO 8601, UTC). */
  assembledAt: string;
  model: ModelSection;
  /** The evidence records the document was assembled from, in ledger order. */
  records: EvidenceRecordRef[];
  artifacts: ArtifactsSection | null;
  /** Every dataset version the model saw: training, validation and test splits. */
  datasets: DatasetEvidence[];
  privacy: PrivacySection | null;
  training: TrainingSection | null;
  energy: EnergySection | null;
  evaluation: EvaluationSection | null;
  fairness: FairnessSection | null;
  robustness: RobustnessSection | null;
  explanations: ExplanationsSection | null;
  humanOversight: HumanOversightSection | null;
  /** DP-SGD runs only (issue "Privacy-preserving training"). */
  differentialPrivacy?: DifferentialPrivacySection | null;
  /** Membership-inference audit, for private and non-private runs alike (`privacy.attack-assessed`). */
  membershipInference?: MembershipInferenceSection | null;
  /** Post-market monitoring plan and its latest status (issue "Inference serving and post-market monitoring"). */
  monitoring?: MonitoringSection | null;
}

export interface ModelSection {
  id: string;
  name: string;
  versionId: string;
  version: number;
  /** `minimal` | `limited` | `high` | `unacceptable` (EU AI Act) or an organisation's own tier. */
  riskTier: string;
  intendedUse: string | null;
  prohibitedUses: string[];
  /** ISO 3166-1 alpha-2 codes of the countries where the model is to be used. */
  jurisdictions: string[];
  /** Known and foreseeable limitations (EU AI Act Art. 13(3)(b)(iii)); null when not declared. */
  knownLimitations: string[] | null;
  /** Accuracy levels the provider declares (Art. 13(3)(b)(ii), Art. 15(3)); [] when none. */
  declaredPerformance: DeclaredMetric[];
  /** Provider identity and contact (Art. 13(3)(a)); null when not declared. */
  provider: { name: string; contact: string } | null;
}

/** A declared level: the evaluation metric `metric` must be ≥ minimum and/or ≤ maximum. */
export interface DeclaredMetric {
  metric: string;
  minimum?: number;
  maximum?: number;
}

export interface EvidenceRecordRef {
  kind: string;
  digest: Digest;
  /** Ledger index of the entry that recorded it; null if (wrongly) not in the ledger. */
  ledgerIndex: number | null;
  createdAt: string;
}

export interface ArtifactsSection {
  /** OMS root digest over the model's files. */
  modelDigest: Digest;
  files: Array<{ path: string; digest: Digest }>;
  /** null when the artifacts are unsigned. */
  signature: ArtifactSignature | null;
}

export interface ArtifactSignature {
  format: 'oms-v1.0';
  /** Whether the signature verified against the files and the configured key, when assembled. */
  verified: boolean;
  method: 'key' | 'certificate' | 'sigstore' | 'envelope';
  keyHint: string | null;
}

export type DatasetRole = 'training' | 'validation' | 'test';

export interface DatasetEvidence {
  role: DatasetRole;
  datasetId: string;
  name: string;
  versionId: string;
  version: number;
  origin: 'upload' | 'transformation';
  tableDigest: Digest;
  rawDigest: Digest | null;
  rows: number;
  columns: number;
  /** The `datasheet.recorded` evidence summarised for policy; null when there is no datasheet. */
  datasheet: DatasheetSummary | null;
}

export interface DatasheetSummary {
  digest: Digest;
  /** datasheetCompleteness(): nothing a compliance review needs is missing. */
  complete: boolean;
  /** Dotted paths of the fields still missing (empty when complete). */
  missing: string[];
  /** motivation.purpose: the original purpose of the collection (Art. 10(2)(b)). */
  purpose: string;
  sources: Array<{ name: string; kind: 'collected_directly' | 'third_party' | 'public' | 'synthetic' | 'derived' }>;
  licence: string | null;
  jurisdictions: string[] | null;
  labelColumn: string | null;
  personalData: boolean;
  identifiability: 'identified' | 'pseudonymised' | 'anonymised' | null;
  specialCategoryData: boolean;
  /** GDPR Art. 9(1) categories present. */
  specialCategories: string[];
  criminalOffenceData: boolean;
  childrenData: boolean | null;
  legalBasis: LegalBasis | null;
  /** null when not declared; [] when declared as none. */
  sensitiveAttributes: string[] | null;
  quasiIdentifiers: string[] | null;
  dataSubjectsInformed: boolean | null;
  dpiaReference: string | null;
  knownBiases: string[] | null;
}

export interface LegalBasis {
  /** GDPR Art. 6(1)(a)–(f), snake_case (`consent`, `contract`, …). */
  article6: string;
  /** GDPR Art. 9(2) condition, when special-category data is processed. */
  article9Condition: string | null;
  /** When relying on consent: whether its scope covers training models; null otherwise. */
  consentCoversModelTraining: boolean | null;
}

export interface PrivacySection {
  /** One per scanned dataset version. */
  scans: PrivacyScanSummary[];
  /** Findings of every scan, by entity type. */
  findings: PrivacyFinding[];
  /** At least one finding in any scanned dataset. */
  personalDataDetected: boolean;
  /** k-anonymity of the training data over its declared quasi-identifiers; null when not assessed. */
  kAnonymity: KAnonymity | null;
  /** The lawful basis declared for the training data; null when none is declared. */
  legalBasis: LegalBasis | null;
}

export interface PrivacyScanSummary {
  datasetVersionId: string;
  role: DatasetRole;
  digest: Digest;
  rows: number;
  piiColumns: string[];
}

export interface PrivacyFinding {
  /** Presidio-style entity type (`EMAIL_ADDRESS`, `CN_RESIDENT_ID`, …). */
  entityType: string;
  /** Columns in which it was found (across scans), and how many. */
  columns: string[];
  count: number;
  maxShare: number;
  maxConfidence: number;
}

export interface KAnonymity {
  k: number;
  quasiIdentifiers: string[];
  records: number;
  classes: number;
}

export interface TrainingSection {
  runId: string;
  specDigest: Digest;
  modelType: string;
  backend: { name: 'tensorflow' | 'wasm' | 'cpu'; version: string; tfjsVersion: string; deterministic: boolean };
  seed: number;
  epochs: number;
  epochsPlanned: number;
  stoppedEarly: boolean;
  startedAt: string;
  endedAt: string;
  /** Final metrics of the run, e.g. `{name: "loss", split: "validation", value: 0.51}`. */
  metrics: Array<{ name: string; split: 'training' | 'validation'; value: number }>;
  preprocessingDigest: Digest | null;
  trainingDatasetVersionId: string;
  validationDatasetVersionId: string | null;
}

export interface Interval {
  lower: number;
  upper: number;
}

export interface EnergySection {
  method: 'rapl' | 'tdp-estimate';
  energyKwh: number;
  energyBoundsKwh: Interval;
  co2eGrams: number;
  co2eBoundsGrams: Interval;
  gridIntensity: { gCo2ePerKwh: number; source: string; region: string; year: string };
  wallSeconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  estimatedFlops: number | null;
}

/** As src/pipeline/evaluation reports it (bootstrap percentile intervals). */
export interface ConfidenceInterval extends Interval {
  /** e.g. 0.95 */
  level: number;
  /** e.g. `percentile` */
  method: string;
  resamples: number | null;
  /** Replicates on which the metric was undefined and left out. */
  undefinedResamples?: number;
}

export interface MetricValue {
  /** Evaluation metric name: accuracy, precision, recall, f1, rocAuc, logLoss, brier, expectedCalibrationError, … */
  name: string;
  /** null when the metric is undefined on this data (e.g. ROC AUC with one class). */
  value: number | null;
  ci: ConfidenceInterval | null;
}

export interface EvaluationSection {
  datasetVersionId: string;
  rows: number;
  positiveLabel: string | null;
  metrics: MetricValue[];
  /** Per group of a sensitive attribute (Art. 13(3)(b)(v)); [] when not computed. */
  slices: Array<{ attribute: string; value: string; rows: number; metrics: MetricValue[] }>;
}

/** Point values of src/pipeline/evaluation's fairness assessment (their intervals stay in its evidence record). */
export interface FairnessGroup {
  /** One value per attribute of the set. */
  values: string[];
  size: number;
  selectionRate: number | null;
  truePositiveRate: number | null;
  falsePositiveRate: number | null;
  /** Fewer rows than `minGroupSize`: reported, left out of the comparisons. */
  tooSmallToJudge: boolean;
}

export interface FairnessAttributeSet {
  /** Sensitive attribute columns: one (`kind: attribute`) or several (`kind: intersection`). */
  attributes: string[];
  kind: 'attribute' | 'intersection';
  groups: FairnessGroup[];
  demographicParityDifference: number | null;
  /** Lowest over highest selection rate (disparate impact); null when undefined (e.g. every rate 0). */
  demographicParityRatio: number | null;
  equalOpportunityDifference: number | null;
  equalizedOddsDifference: number | null;
  /** demographicParityRatio ≥ fourFifthsThreshold (29 CFR § 1607.4(D)); null when undetermined. */
  fourFifthsPass: boolean | null;
  adverselyImpactedGroups: string[][];
}

export interface FairnessSection {
  datasetVersionId: string;
  minGroupSize: number;
  fourFifthsThreshold: number;
  attributeSets: FairnessAttributeSet[];
  /** Minimum over attribute sets; null when none has a ratio. */
  minDemographicParityRatio: number | null;
  maxEqualizedOddsDifference: number | null;
  /** Label rates by group before training (label balance); null when not assessed. */
  preTraining: Array<{ attributes: string[]; positiveRateRatio: number | null; positiveRateDifference: number | null }> | null;
}

export interface RobustnessCondition {
  /** `noise`: Gaussian input noise of `sigma`; `masking`: the feature `column` replaced by its training mean. */
  kind: 'noise' | 'masking';
  sigma: number | null;
  column: string | null;
  /** The metric under the condition, and its drop from the baseline; null when undefined. */
  value: number | null;
  drop: number | null;
}

export interface RobustnessSection {
  datasetVersionId: string;
  /** `accuracy` or `rocAuc`. */
  metric: string;
  baseline: number | null;
  conditions: RobustnessCondition[];
  /** Largest drop of `metric` under any condition; null when none is defined. */
  maxDrop: number | null;
}

export interface ExplanationsSection {
  global: { method: string; features: Array<{ name: string; importance: number }> } | null;
  local: Array<{ method: string; examples: number; maxCompletenessGap: number | null }>;
  /** A per-prediction explanation can be requested when serving. */
  onRequest: boolean;
}

export interface HumanOversightSection {
  requestedBy: { id: string; role: string };
  requestedAt: string;
  targetStage: PromotionStage;
  rationale: string | null;
  /** Human approval by someone other than the requester is required (always true in Assay). */
  approvalRequired: boolean;
  /** Oversight measures declared for the model (Art. 14(3)). */
  measures: string[];
  /** How a person interrupts the system (Art. 14(4)(e)); null when not declared. */
  stopProcedure: string | null;
}

/** src/pipeline/training/differential-privacy's DpTrainingPrivacy, without the per-order RDP curve. */
export interface DifferentialPrivacySection {
  accountant: 'rdp';
  mechanism: 'sampled_gaussian';
  conversion: 'classic' | 'balle2020';
  /** null: no finite guarantee (σ = 0). */
  epsilon: number | null;
  delta: number;
  optimalOrder: number | null;
  steps: number;
  sampleRate: number;
  noiseMultiplier: number;
  l2NormClip: number;
  expectedBatchSize: number;
  /** The dataset version's budget after this run; null when it has none. */
  budget: { epsilon: number; delta: number; spentEpsilon: number; remainingEpsilon: number } | null;
}

export interface MembershipInferenceSection {
  attack: 'loss_threshold';
  auc: number;
  aucCi: ConfidenceInterval;
  advantage: number;
  advantageCi: ConfidenceInterval;
  members: number;
  nonMembers: number;
}

export interface MonitoringSection {
  plan: MonitoringPlan | null;
  openAlerts: number;
  lastAlertAt: string | null;
}

export interface MonitoringPlan {
  /** Every prediction is recorded in the decision log (EU AI Act Art. 12). */
  decisionLogging: boolean;
  features: string[];
  /** ISO 8601 duration of a monitoring window. */
  window: string;
  thresholds: Array<{ metric: string; value: number }>;
  groupDrift: boolean;
  webhooks: number;
}
