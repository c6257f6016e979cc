/**
 * Measuring a model (DESIGN.md "Measuring the model"): classification metrics with percentile
 * bootstrap intervals overall and per slice, group fairness over sensitive attributes and their
 * intersections (with label balance before training), and robustness to input noise and masked
 * columns. Pure library: no NestJS, no database; results are plain JSON (no NaN, no infinity, no
 * undefined), ready to become evidence records.
 */
export { EvaluationError, EVALUATION_ERROR_CODES, type EvaluationErrorCode, type EvaluationErrorDetails } from './evaluation.error';
export { UNDEFINED_REASONS, type UndefinedReason, type PointValue } from './undefined-reason';
export { type Seed } from './seeded-random';
export { DEFAULT_THRESHOLD, ROW_SUM_TOLERANCE } from './input-validation';
export {
  BOOTSTRAP_METHOD,
  DEFAULT_RESAMPLES,
  DEFAULT_CONFIDENCE_LEVEL,
  DEFAULT_SEED,
  MAX_RESAMPLES,
  type BootstrapOptions,
  type BootstrapSettings,
} from './bootstrap/bootstrap-options';
export { type ConfidenceInterval, type MetricEstimate, type MissingIntervalReason } from './bootstrap/metric-estimate';
export {
  evaluateBinary,
  type BinaryEvaluation,
  type BinaryEvaluationCore,
  type BinaryEvaluationInput,
  type BinaryEvaluationOptions,
  type BinaryConfusionMatrix,
} from './classification/binary-evaluator';
export { BINARY_METRICS, type BinaryMetricName } from './classification/binary-metrics';
export { DEFAULT_CALIBRATION_BINS, MAX_CALIBRATION_BINS, type CalibrationReport, type ReliabilityBin } from './classification/calibration-bins';
export { DEFAULT_LOG_LOSS_EPSILON } from './classification/log-loss';
export { type RocCurve } from './classification/roc-curve';
export { type SliceReport } from './classification/slice-report';
export {
  evaluateMulticlass,
  type MulticlassEvaluation,
  type MulticlassEvaluationCore,
  type MulticlassEvaluationInput,
  type MulticlassEvaluationOptions,
  type ClassMetrics,
} from './classification/multiclass-evaluator';
export { MULTICLASS_METRICS, type MulticlassMetricName } from './classification/multiclass-metrics';
export {
  assessFairness,
  type FairnessInput,
  type FairnessOptions,
  type FairnessAssessment,
  type FairnessSummary,
  type AttributeSetFairness,
  type GroupFairness,
  type GroupExclusion,
  type ExclusionReason,
  type Comparison,
  type FourFifthsRule,
} from './fairness/fairness-assessor';
export { DISPARITIES, type DisparityName } from './fairness/disparity';
export { DEFAULT_MIN_GROUP_SIZE, DEFAULT_FOUR_FIFTHS_THRESHOLD, type GroupingOptions } from './fairness/fairness-options';
export { DEFAULT_MAX_INTERSECTION_SIZE } from './fairness/attribute-sets';
export {
  assessLabelBalance,
  compareLabelBalance,
  type LabelBalance,
  type LabelBalanceInput,
  type AttributeSetLabelBalance,
  type GroupLabelBalance,
  type LabelBalanceComparison,
  type GroupBeforeAfter,
} from './fairness/label-balance';
export {
  assessRobustness,
  DEFAULT_NOISE_LEVELS,
  type PredictFunction,
  type RobustnessInput,
  type RobustnessOptions,
  type RobustnessReport,
  type MetricChange,
  type ConditionOutcome,
} from './robustness/robustness-assessor';
export { featureGroupsFromPreprocessor, encodedFeatureStatistics, type FeatureGroup, type EncodedFeatureStatistics } from './robustness/feature-groups';
export {
  lossThresholdAttack,
  MEMBERSHIP_ATTACK,
  DEFAULT_LOW_FPR_TARGETS,
  MIN_EXAMPLES_FOR_INTERVAL,
  type MembershipInferenceInput,
  type MembershipInferenceOptions,
  type MembershipInferenceResult,
  type MembershipIntervalReason,
  type TprAtFpr,
} from './membership-inference/loss-threshold-attack';
export { perExampleLosses, DEFAULT_LOSS_BATCH_SIZE, type PerExampleLossOptions, type LossSource } from './membership-inference/per-example-losses';
export {
  balancedMembershipSample,
  DEFAULT_MAX_PER_SIDE,
  type BalancedSampleOptions,
  type BalancedMembershipSample,
} from './membership-inference/balanced-sample';
