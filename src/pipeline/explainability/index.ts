/**
 * Explainability: global permutation importance, local integrated gradients and KernelSHAP,
 * saliency maps for image models, and a per-prediction explanation for one input ("right to an
 * explanation"). Attributions are grouped back to original columns. Pure library: no NestJS, no
 * database; it reads models built by src/pipeline/training and works either on a tfjs model or on
 * a generic batched predict function. Results are plain JSON, ready to hash as evidence.
 */
export { ExplainabilityError, EXPLAINABILITY_ERROR_CODES, type ExplainabilityErrorCode, type ExplainabilityErrorDetails } from './explainability.error';
export { featureGroupsFromPreprocessor, singletonGroups, checkFeatureGroups, sumByGroup, type FeatureGroup } from './feature-groups';
export { modelScorer, modelShape, type ModelScorer, type ScoreSpace, type ScoreTarget } from './model-scorer';
export { scorePredictor, probabilityPredictor, DEFAULT_BATCH_ROWS, type PredictFunction, type PredictorOptions } from './predict-function';
export { accuracyMetric, rocAucMetric, rocAuc, defaultMetrics, type Metric } from './metrics';
export {
  permutationImportance,
  PERMUTATION_DEFAULTS,
  type PermutationImportanceOptions,
  type PermutationImportanceResult,
  type MetricImportance,
  type ColumnImportance,
} from './permutation-importance';
export {
  integratedGradients,
  columnMeans,
  INTEGRATED_GRADIENTS_DEFAULTS,
  type IntegratedGradientsOptions,
  type IntegratedGradientsExplanation,
  type CompletenessCheck,
  type CompletenessTolerance,
  type ColumnAttribution,
} from './integrated-gradients';
export { kernelShap, KERNEL_SHAP_DEFAULTS, KERNEL_SHAP_LIMITS, type KernelShapOptions, type KernelShapExplanation, type EfficiencyCheck } from './kernel-shap';
export { shapleyCoalitions, type Coalitions } from './shapley-coalitions';
export { saliencyMap, imageShapeOf, type SaliencyOptions, type SaliencyMap, type ImageShape } from './saliency-map';
export { renderSaliencyPng, type SaliencyPngOptions, type Colormap } from './saliency-png';
export {
  explainPrediction,
  EXPLANATION_METHODS,
  type ExplainPredictionOptions,
  type PredictionExplanation,
  type ExplanationMethod,
  type MethodExplanation,
  type IntegratedGradientsSummary,
  type KernelShapSummary,
  type ClassProbability,
} from './prediction-explainer';
export { assertJsonSafe } from './json-safety';
