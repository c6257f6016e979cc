import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import canonicalize from 'canonicalize';
import type { ModelSpec, OptimizerType } from './model-spec';
import { TrainingError } from './training.error';

export const CHECKPOINT_FORMAT = 'assay.checkpoint';
export const CHECKPOINT_VERSION = 1;

export type TensorDtype = 'float32' | 'int32';

/** A tensor as JSON: little-endian values in base64. */
export interface SerializedTensor {
  name: string;
  shape: number[];
  dtype: TensorDtype;
  dataBase64: string;
}

/** Optimizer state: the step count and its slots (Adam `…/m`, `…/v`; momentum `…/momentum`) named after the weights. */
export interface OptimizerCheckpoint {
  type: OptimizerType;
  iterations: number;
  slots: SerializedTensor[];
  /** Adam: the running products β1^t and β2^t (float32 values, exact in JSON). */
  betaPowers?: [number, number];
}

export interface EpochMetrics {
  epoch: number;
  /** Mean training loss over the epoch's batches: class-weighted cross-entropy plus the L1/L2 penalty. */
  loss: number;
  accuracy: number;
  /** Validation cross-entropy (unweighted) plus the L1/L2 penalty, as Keras reports it. */
  valLoss?: number;
  valAccuracy?: number;
}

/** Where a run stood after an epoch: enough to resume it exactly, early stopping included. */
export interface TrainingProgress {
  epochsCompleted: number;
  history: EpochMetrics[];
  bestEpoch: number | null;
  bestValLoss: number | null;
  epochsWithoutImprovement: number;
  /** Weights of bestEpoch, kept when early stopping restores them and they differ from the current ones. */
  bestWeights?: SerializedTensor[];
}

export interface WeightsCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** modelSpecDigest of the spec that built the model; restoring refuses a checkpoint of another spec. */
  specDigest?: string;
  weights: SerializedTensor[];
  optimizer?: OptimizerCheckpoint;
  progress?: TrainingProgress;
}

/** `sha256:<hex>` over the RFC 8785 canonical JSON of a spec. */
export function modelSpecDigest(spec: ModelSpec): string {
  return `sha256:${createHash('sha256').update(canonicalize(spec) as string, 'utf8').digest('hex')}`;
}

/** Every weight of the model by its stable name (`dense_0/kernel`), in the model's order. */
function namedWeights(model: tf.LayersModel): { name: string; variable: tf.LayerVariable }[] {
  return model.weights.map((variable) => ({ name: variable.originalName, variable }));
}

export function serializeTensor(name: string, tensor: tf.Tensor): SerializedTensor {
  if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
    throw new TrainingError('CHECKPOINT_MISMATCH', `cannot serialise ${name}: dtype ${tensor.dtype}`);
  }
  assertLittleEndian();
  const values = tensor.dataSync() as Float32Array | Int32Array;
  return { name, shape: [...tensor.shape], dtype: tensor.dtype, dataBase64: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
}

export function deserializeTensor(serialized: SerializedTensor, expected?: { shape: readonly number[]; dtype: string }): tf.Tensor {
  const { name, shape, dtype, dataBase64 } = serialized;
  if (expected && (dtype !== expected.dtype || shape.join(',') !== expected.shape.join(','))) {
    throw new TrainingError('CHECKPOINT_MISMATCH', `${name} is ${dtype}[${shape.join(',')}] in the checkpoint, ${expected.dtype}[${expected.shape.join(',')}] in the model`, {
      weight: name,
    });
  }
  assertLittleEndian();
  const bytes = Buffer.from(dataBase64, 'base64');
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== size * 4) {
    throw new TrainingError('CHECKPOINT_MISMATCH', `${name} holds ${bytes.byteLength} bytes; its shape needs ${size * 4}`, { weight: name });
  }
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return tf.tensor(dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy), shape, dtype);
}

/** The model's weights as JSON. Pair with the optimizer state (trainer checkpoints) to resume exactly. */
export function serializeWeights(model: tf.LayersModel, options: { specDigest?: string } = {}): WeightsCheckpoint {
  const checkpoint: WeightsCheckpoint = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    weights: namedWeights(model).map(({ name, variable }) => serializeTensor(name, variable.read())),
  };
  if (options.specDigest !== undefined) checkpoint.specDigest = options.specDigest;
  return checkpoint;
}

/**
 * Loads a checkpoint's weights into a model built from the same spec: every weight must be
 * present with its shape and dtype, and nothing else; with `specDigest`, the checkpoint's must
 * match. `checkpoint` may be untrusted JSON.
 */
export function restoreWeights(model: tf.LayersModel, checkpoint: unknown, options: { specDigest?: string } = {}): void {
  const parsed = parseCheckpoint(checkpoint);
  if (options.specDigest !== undefined && parsed.specDigest !== undefined && parsed.specDigest !== options.specDigest) {
    throw new TrainingError('CHECKPOINT_MISMATCH', 'the checkpoint was made with another model spec', { reason: 'spec-digest' });
  }
  setNamedWeights(model, parsed.weights);
}

export function setNamedWeights(model: tf.LayersModel, weights: readonly SerializedTensor[]): void {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const targets = namedWeights(model);
  if (byName.size !== weights.length || byName.size !== targets.length || targets.some(({ name }) => !byName.has(name))) {
    throw new TrainingError('CHECKPOINT_MISMATCH', 'the checkpoint does not hold exactly the weights of this model', { reason: 'weight-names' });
  }
  const tensors = targets.map(({ name, variable }) => deserializeTensor(byName.get(name) as SerializedTensor, { shape: variable.read().shape, dtype: variable.dtype }));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

/**
 * `sha256:<hex>` over the weights in canonical order (sorted by name), each framed as
 * name, dtype and shape (UTF-8, NUL-terminated), then its byte length (uint64 BE) and its
 * little-endian values. Two models have the same digest exactly when every weight is bit-identical.
 */
export function weightsDigest(model: tf.LayersModel): string {
  assertLittleEndian();
  const hash = createHash('sha256');
  const weights = namedWeights(model).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, variable } of weights) {
    const values = variable.read().dataSync() as Float32Array | Int32Array;
    hash.update(`${name}\u0000${variable.dtype}\u0000${variable.read().shape.join(',')}\u0000`, 'utf8');
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(values.byteLength));
    hash.update(length);
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return `sha256:${hash.digest('hex')}`;
}

/** An untrusted checkpoint to a typed one (structure only; shapes are checked against the model on restore). */
export function parseCheckpoint(input: unknown): WeightsCheckpoint {
  const bad = (reason: string): never => {
    throw new TrainingError('CHECKPOINT_MISMATCH', `not a weights checkpoint: ${reason}`, { reason: 'malformed' });
  };
  if (!isRecord(input)) return bad('expected an object');
  if (input.format !== CHECKPOINT_FORMAT || input.version !== CHECKPOINT_VERSION) return bad(`format must be ${CHECKPOINT_FORMAT} v${CHECKPOINT_VERSION}`);
  if (input.specDigest !== undefined && typeof input.specDigest !== 'string') return bad('specDigest must be a string');
  const tensors = (value: unknown, what: string): SerializedTensor[] => {
    if (!Array.isArray(value)) return bad(`${what} must be an array`);
    return value.map((t: unknown, i) => {
      if (!isRecord(t) || typeof t.name !== 'string' || typeof t.dataBase64 !== 'string' || (t.dtype !== 'float32' && t.dtype !== 'int32')) {
        return bad(`${what}[${i}] is not a tensor`);
      }
      if (!Array.isArray(t.shape) || t.shape.length > 8 || !t.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
        return bad(`${what}[${i}] has a bad shape`);
      }
      return { name: t.name, shape: [...(t.shape as number[])], dtype: t.dtype, dataBase64: t.dataBase64 };
    });
  };
  const checkpoint: WeightsCheckpoint = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, weights: tensors(input.weights, 'weights') };
  if (typeof input.specDigest === 'string') checkpoint.specDigest = input.specDigest;
  const optimizer = input.optimizer;
  if (optimizer !== undefined) {
    if (!isRecord(optimizer) || !['sgd', 'momentum', 'adam'].includes(optimizer.type as string)) return bad('bad optimizer state');
    if (!Number.isSafeInteger(optimizer.iterations) || (optimizer.iterations as number) < 0) return bad('bad optimizer iterations');
    checkpoint.optimizer = { type: optimizer.type as OptimizerType, iterations: optimizer.iterations as number, slots: tensors(optimizer.slots, 'optimizer.slots') };
    const powers = optimizer.betaPowers;
    if (powers !== undefined) {
      if (!Array.isArray(powers) || powers.length !== 2 || !powers.every((p) => typeof p === 'number' && Number.isFinite(p))) return bad('bad optimizer betaPowers');
      checkpoint.optimizer.betaPowers = [powers[0] as number, powers[1] as number];
    }
  }
  const progress = input.progress;
  if (progress !== undefined) {
    if (!isRecord(progress) || !Number.isSafeInteger(progress.epochsCompleted) || (progress.epochsCompleted as number) < 0) return bad('bad progress');
    if (!Array.isArray(progress.history) || !Number.isSafeInteger(progress.epochsWithoutImprovement)) return bad('bad progress');
    const nullableNumber = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
    if (!nullableNumber(progress.bestEpoch) || !nullableNumber(progress.bestValLoss)) return bad('bad progress');
    const history = progress.history.map((entry: unknown, i): EpochMetrics => {
      if (!isRecord(entry) || !Number.isSafeInteger(entry.epoch) || typeof entry.loss !== 'number' || typeof entry.accuracy !== 'number') {
        return bad(`bad history entry ${i}`);
      }
      const metrics: EpochMetrics = { epoch: entry.epoch as number, loss: entry.loss, accuracy: entry.accuracy };
      if (typeof entry.valLoss === 'number') metrics.valLoss = entry.valLoss;
      if (typeof entry.valAccuracy === 'number') metrics.valAccuracy = entry.valAccuracy;
      return metrics;
    });
    checkpoint.progress = {
      epochsCompleted: progress.epochsCompleted as number,
      history,
      bestEpoch: progress.bestEpoch as number | null,
      bestValLoss: progress.bestValLoss as number | null,
      epochsWithoutImprovement: progress.epochsWithoutImprovement as number,
    };
    if (progress.bestWeights !== undefined) checkpoint.progress.bestWeights = tensors(progress.bestWeights, 'progress.bestWeights');
  }
  return checkpoint;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Typed arrays use the platform's byte order; checkpoints and digests are defined little-endian.
function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new TrainingError('CHECKPOINT_MISMATCH', 'big-endian platforms are not supported', { reason: 'endianness' });
}
