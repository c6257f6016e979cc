/**
 * Differential privacy for training: an RDP accountant for the sampled Gaussian mechanism with
 * the classic and Balle et al. 2020 conversions to (ε, δ), noise calibration for a target ε, and
 * DP-SGD (Poisson sampling, per-example clipping, Gaussian noise) for the logistic regression and
 * MLP specs of ../model. Pure library: no NestJS, no database; results are plain JSON evidence.
 */
export { computeRdp, composeRdp, type RdpOptions } from './rdp.accountant';
export { epsilonFromRdp, DEFAULT_RDP_CONVERSION, RDP_CONVERSIONS, type RdpConversion, type EpsilonAtOrder } from './epsilon.converter';
export { computePrivacySpent, type PrivacySpent, type PrivacySpentOptions } from './privacy-spent';
export { noiseMultiplierForEpsilon, MAX_NOISE_MULTIPLIER, type CalibrationOptions, type Calibration } from './noise-multiplier.calibrator';
export { DEFAULT_RDP_ORDERS, MAX_RDP_ORDERS, MAX_RDP_ORDER } from './rdp-orders';
export { dpSgdSchedule, type DpSgdSchedule } from './dp-sgd.schedule';
export { poissonSample } from './poisson.sampler';
export { seededStream, secureStream, RANDOMNESS_SOURCES, type RandomnessSource, type RandomStream } from './random-source';
export { assertDpTrainable, denseNetworkOf, variablesOf, type DenseNetwork, type DenseLayerParams } from './dense-network';
export { backpropagate, perExampleGradients, perExampleGradientNorms, clipFactors, weightedGradientSum, type BackpropTrace } from './per-example-gradients';
export { privateGradients, dpSgdStep, type DpSgdData, type DpSgdParameters, type PrivateGradients } from './dp-sgd.step';
export { parseDpCheckpoint, type DpAccountingState, type DpWeightsCheckpoint } from './dp-checkpoint';
export {
  trainPrivately,
  type PrivateTrainOptions,
  type PrivateTrainResult,
  type PrivateEpochReport,
} from './private.trainer';
export { checkDpOptions, type DpTrainingOptions, type DpTrainingPrivacy } from './dp-training.options';
export {
  DifferentialPrivacyError,
  DIFFERENTIAL_PRIVACY_ERROR_CODES,
  type DifferentialPrivacyErrorCode,
  type DifferentialPrivacyErrorDetails,
} from './differential-privacy.error';
