/**
 * Declarative model specs: plain JSON (a discriminated union on `type` plus `training`), so a spec
 * can be validated, stored with the run, hashed (modelSpecDigest) and replayed. Build them with
 * `validateModelSpec` from untrusted input; never trust a cast.
 */
export type Activation = 'relu' | 'tanh' | 'sigmoid';
export type Padding = 'valid' | 'same';
export type OptimizerType = 'sgd' | 'momentum' | 'adam';

export interface DenseLayerSpec {
  units: number;
  activation: Activation;
  /** Fraction of this layer's outputs dropped while training, in [0, 1). */
  dropout?: number;
}

export interface ConvLayerSpec {
  filters: number;
  /** Square kernel side, or [height, width]. */
  kernelSize: number | [number, number];
  /** Default 1. */
  strides?: number | [number, number];
  /** Default `valid`. */
  padding?: Padding;
  activation: Activation;
  /** Max pooling after the activation; strides default to the pool size; padding `valid`. */
  pool?: { size: number | [number, number]; strides?: number | [number, number] };
}

export interface LogisticRegressionSpec {
  type: 'logistic_regression';
}

export interface MlpSpec {
  type: 'mlp';
  hiddenLayers: DenseLayerSpec[];
}

export interface CnnSpec {
  type: 'cnn';
  /** [height, width, channels]; the model takes the flat h·w·c row (row-major, channels last) and reshapes it. */
  inputShape: [number, number, number];
  convLayers: ConvLayerSpec[];
  denseLayers: DenseLayerSpec[];
}

export type ArchitectureSpec = LogisticRegressionSpec | MlpSpec | CnnSpec;
export type ModelType = ArchitectureSpec['type'];

export interface OptimizerSpec {
  type: OptimizerType;
  learningRate: number;
  /** `momentum` only; default 0.9. */
  momentum?: number;
  /** `adam` only; defaults 0.9 and 0.999. */
  beta1?: number;
  beta2?: number;
}

export interface EarlyStoppingSpec {
  /** Epochs without an improvement of the validation loss before training stops. */
  patience: number;
  /** An improvement is a decrease by more than this; default 0. */
  minDelta?: number;
  /** Return the weights of the best epoch rather than the last; default true. */
  restoreBestWeights?: boolean;
}

export interface TrainingSpec {
  optimizer: OptimizerSpec;
  batchSize: number;
  epochs: number;
  /** Kernel (not bias) penalties, Keras convention: l1·Σ|w| + l2·Σw². */
  l1?: number;
  l2?: number;
  /** On the validation loss; needs validation data. */
  earlyStopping?: EarlyStoppingSpec;
  /** Per-class loss weights by class name (absent classes weigh 1), or `balanced`: n / (classes · n_class). */
  classWeights?: Record<string, number> | 'balanced';
  /** Run seed: initialisers, dropout masks and batch order all derive from it. */
  seed: number;
}

export type ModelSpec = ArchitectureSpec & { training: TrainingSpec };

export const MODEL_TYPES: readonly ModelType[] = ['logistic_regression', 'mlp', 'cnn'];
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid'];
export const OPTIMIZER_TYPES: readonly OptimizerType[] = ['sgd', 'momentum', 'adam'];
export const PADDINGS: readonly Padding[] = ['valid', 'same'];

/** Bounds against hostile or mistaken specs; training time and memory grow with each. */
export const MODEL_SPEC_LIMITS = {
  denseLayers: 8,
  convLayers: 6,
  units: 4096,
  filters: 512,
  kernelSize: 11,
  strides: 8,
  poolSize: 8,
  inputSide: 1024,
  inputChannels: 16,
  epochs: 1000,
  batchSize: 65_536,
  patience: 1000,
  classWeights: 1000,
  /** Trainable parameters of the built model (checked by buildModel, which knows the input width). */
  parameters: 20_000_000,
  /** Largest seed: seeds are unsigned 32-bit integers. */
  seed: 0xffff_ffff,
} as const;

export const TRAINING_DEFAULTS = {
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  minDelta: 0,
  restoreBestWeights: true,
  /** Adam's ε, fixed so a run does not depend on the backend's default. */
  epsilon: 1e-7,
} as const;
