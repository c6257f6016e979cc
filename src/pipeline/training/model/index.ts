/**
 * Model specs, building, training, checkpoints and artifacts on TensorFlow.js. Pure library: no
 * NestJS, no database; the backend is chosen by the caller (src/pipeline/training/engine).
 */
export * from './model-spec';
export { validateModelSpec, type ModelSpecValidation } from './model-spec.validator';
export { buildModel } from './model.builder';
export { LOGITS_LAYER, PROBABILITIES_LAYER } from './layer-plan';
export { train, evaluate, type TrainOptions, type TrainResult, type EpochReport, type BatchReport } from './model.trainer';
export {
  serializeWeights,
  restoreWeights,
  weightsDigest,
  modelSpecDigest,
  parseCheckpoint,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type WeightsCheckpoint,
  type SerializedTensor,
  type OptimizerCheckpoint,
  type TrainingProgress,
  type EpochMetrics,
} from './weights-checkpoint';
export { estimateFlops, type FlopsEstimate, type LayerFlops } from './flops.estimator';
export { saveModel, loadModel, MODEL_JSON, WEIGHTS_BIN, type ModelFile, type ModelFiles } from './model-artifacts';
export { SeededDropout } from './seeded-dropout.layer';
export { deriveSeed } from './seeds';
export { TrainingError, TRAINING_ERROR_CODES, type TrainingErrorCode, type TrainingErrorDetails } from './training.error';
