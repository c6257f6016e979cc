import * as tf from '@tensorflow/tfjs';
import { classCount, LOGITS_LAYER } from './layer-plan';
import { buildModel } from './model.builder';
import { TRAINING_DEFAULTS, type ModelSpec } from './model-spec';
import { validateModelSpec } from './model-spec.validator';
import { captureOptimizerState, createOptimizer, disposeOptimizer, restoreOptimizerState } from './optimizer.factory';
import { SeededDropout } from './seeded-dropout.layer';
import { deriveSeed, seededPermutation } from './seeds';
import { TrainingError } from './training.error';
import { checkTrainingData, classSampleWeights, toTensors } from './training-data';
import {
  modelSpecDigest,
  parseCheckpoint,
  serializeTensor,
  serializeWeights,
  setNamedWeights,
  type EpochMetrics,
  type SerializedTensor,
  type TrainingProgress,
  type WeightsCheckpoint,
} from './weights-checkpoint';

export interface EpochReport {
  loss: number;
  valLoss?: number;
  metrics: { accuracy: number; valAccuracy?: number };
  /** The run's state after this epoch (weights, optimizer state, early-stopping progress); pass back as `initialWeights` to resume. */
  checkpoint: () => Promise<WeightsCheckpoint>;
}

export interface BatchReport {
  epoch: number;
  batch: number;
  batches: number;
  size: number;
  loss: number;
}

export interface TrainOptions {
  /** A validated spec (validateModelSpec). */
  spec: ModelSpec;
  /** Row-major features, `rows × features` (FittedPreprocessor#transform gives this). */
  x: Float32Array;
  /** Binary: 0/1 (1 = classes[1]). Multiclass: class indices. One entry per row. */
  y: Float32Array | Int32Array;
  /** Class names in encoded order (FittedPreprocessor#outputClasses), or their count. */
  classes: readonly string[] | number;
  xVal?: Float32Array;
  yVal?: Float32Array | Int32Array;
  onEpoch?: (epoch: number, report: EpochReport) => void | Promise<void>;
  onBatch?: (report: BatchReport) => void | Promise<void>;
  /** Polled before every batch; true cancels the run (the result says `cancelled`). */
  shouldStop?: () => boolean;
  /** Resume: a checkpoint from `EpochReport.checkpoint` (or serializeWeights). May be untrusted JSON. */
  initialWeights?: unknown;
  /** First epoch to run; defaults to the checkpoint's epochsCompleted, else 0. */
  startEpoch?: number;
  /** Overrides spec.training.seed. */
  seed?: number;
}

export interface TrainResult {
  model: tf.LayersModel;
  history: EpochMetrics[];
  stoppedEarly: boolean;
  cancelled: boolean;
  /** Epoch with the lowest validation loss (null without validation data). */
  bestEpoch: number | null;
  /** Epoch whose weights the model holds: bestEpoch when early stopping restored them, else the last completed. */
  weightsEpoch: number | null;
  epochsCompleted: number;
  seed: number;
  /** modelSpecDigest of the spec with the effective seed. */
  specDigest: string;
}

interface Dataset {
  rows: number;
  x: tf.Tensor2D;
  /** [rows, 1] 0/1 for binary; one-hot [rows, classes] for multiclass. */
  y: tf.Tensor2D;
}

const EVAL_BATCH = 1024;

/**
 * Trains a model from its spec with a hand-written loop rather than LayersModel#fit, to control
 * what reproducibility needs: batch order is a seeded permutation per epoch, dropout masks are a
 * function of (seed, step), initialisers are seeded, so the same seed on the same backend gives
 * bit-identical weights (see weightsDigest) — and a run resumed from an epoch checkpoint
 * (weights + optimizer state + early-stopping progress) ends bit-identical to an uninterrupted one.
 *
 * Loss: cross-entropy on the logits (numerically stable), each sample weighted by its class
 * weight, averaged over the batch, plus the L1/L2 kernel penalties. A non-finite loss stops the
 * run with TrainingError TRAINING_DIVERGED.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const seed = options.seed ?? options.spec.training.seed;
  const checked = validateModelSpec({ ...options.spec, training: { ...options.spec.training, seed } });
  if (!checked.ok) throw new TrainingError('MODEL_SPEC_INVALID', 'invalid model spec', { problems: checked.problems });
  const spec = checked.spec;
  const { training } = spec;
  const classes = classCount(options.classes);
  const classNames = typeof options.classes === 'number' ? Array.from({ length: classes }, (_, i) => String(i)) : [...options.classes];
  const features = checkTrainingData(options.x, options.y, classes, 'training');
  if ((options.xVal === undefined) !== (options.yVal === undefined)) {
    throw new TrainingError('TRAINING_DATA_INVALID', 'xVal and yVal go together');
  }
  if (options.xVal && options.yVal && checkTrainingData(options.xVal, options.yVal, classes, 'validation') !== features) {
    throw new TrainingError('TRAINING_DATA_INVALID', 'validation rows have a different number of features');
  }
  if (training.earlyStopping && !options.xVal) {
    throw new TrainingError('TRAINING_DATA_INVALID', 'early stopping watches the validation loss: pass xVal and yVal');
  }
  const sampleWeights = classSampleWeights(training.classWeights, options.y, classes, classNames);
  const specDigest = modelSpecDigest(spec);
  const checkpoint = options.initialWeights === undefined ? undefined : parseCheckpoint(options.initialWeights);
  if (checkpoint?.specDigest !== undefined && checkpoint.specDigest !== specDigest) {
    throw new TrainingError('CHECKPOINT_MISMATCH', 'the checkpoint was made with another model spec or seed', { reason: 'spec-digest' });
  }
  const startEpoch = options.startEpoch ?? checkpoint?.progress?.epochsCompleted ?? 0;
  if (!Number.isSafeInteger(startEpoch) || startEpoch < 0 || startEpoch > training.epochs) {
    throw new TrainingError('TRAINING_DATA_INVALID', `startEpoch must be an integer from 0 to ${training.epochs}`);
  }

  const model = buildModel(spec, features, classes, seed);
  const logitsModel = logitsOf(model);
  const optimizer = createOptimizer(training.optimizer);
  const trainable = model.trainableWeights.map((w) => ({ name: w.originalName, variable: w.read() as tf.Variable }));
  const dropouts = model.layers.filter((layer): layer is SeededDropout => layer instanceof SeededDropout);
  const data = { rows: options.y.length, ...toTensors(options.x, options.y, features, classes) };
  const weightsT = tf.tensor1d(sampleWeights);
  const validation = options.xVal && options.yVal ? { rows: options.yVal.length, ...toTensors(options.xVal, options.yVal, features, classes) } : undefined;
  const early = training.earlyStopping;
  const restoreBest = early ? (early.restoreBestWeights ?? TRAINING_DEFAULTS.restoreBestWeights) : false;
  /** Weights after progress.bestEpoch, while restoreBest. */
  let bestWeights: tf.Tensor[] | undefined;
  let succeeded = false;

  try {
    const progress: TrainingProgress = { epochsCompleted: startEpoch, history: [], bestEpoch: null, bestValLoss: null, epochsWithoutImprovement: 0 };
    if (checkpoint) {
      setNamedWeights(model, checkpoint.weights);
      if (checkpoint.optimizer) {
        const shapes = trainable.map(({ name, variable }) => ({ name, shape: variable.shape }));
        await restoreOptimizerState(optimizer, training.optimizer.type, checkpoint.optimizer, shapes);
      }
      if (checkpoint.progress) {
        const { bestWeights: savedBest, ...saved } = checkpoint.progress;
        Object.assign(progress, saved, { epochsCompleted: startEpoch, history: saved.history.filter((h) => h.epoch < startEpoch) });
        if (restoreBest && progress.bestEpoch !== null) {
          bestWeights = savedBest ? tensorsFor(model, savedBest) : progress.bestEpoch === startEpoch - 1 ? cloneWeights(model) : undefined;
        }
      }
    }
    const batchSize = Math.min(training.batchSize, data.rows);
    const batches = Math.ceil(data.rows / batchSize);
    let stoppedEarly = false;
    let cancelled = false;

    for (let epoch = startEpoch; epoch < training.epochs && !stoppedEarly && !cancelled; epoch++) {
      const order = seededPermutation(data.rows, deriveSeed(seed, 'shuffle', epoch));
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < batches; b++) {
        if (options.shouldStop?.()) {
          cancelled = true;
          break;
        }
        for (const layer of dropouts) layer.step = epoch * batches + b;
        const indices = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, data.rows));
        const { loss, hits } = trainStep(logitsModel, optimizer, trainable, data, weightsT, indices, classes);
        if (!Number.isFinite(loss)) {
          throw new TrainingError('TRAINING_DIVERGED', `the training loss became ${loss} at epoch ${epoch}, batch ${b}; lower the learning rate`, {
            epoch,
            batch: b,
            loss: String(loss),
          });
        }
        lossSum += loss * indices.length;
        correct += hits;
        await options.onBatch?.({ epoch, batch: b, batches, size: indices.length, loss });
        // Let timers, I/O and cancellation requests in between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (cancelled) break;

      const metrics: EpochMetrics = { epoch, loss: lossSum / data.rows, accuracy: correct / data.rows };
      if (validation) {
        const evaluation = evaluateDataset(logitsModel, validation, classes);
        const valLoss = evaluation.loss + penalty(logitsModel);
        if (!Number.isFinite(valLoss)) {
          throw new TrainingError('TRAINING_DIVERGED', `the validation loss became ${valLoss} at epoch ${epoch}`, { epoch, loss: String(valLoss) });
        }
        metrics.valLoss = valLoss;
        metrics.valAccuracy = evaluation.accuracy;
        if (progress.bestValLoss === null || valLoss < progress.bestValLoss - (early?.minDelta ?? TRAINING_DEFAULTS.minDelta)) {
          progress.bestValLoss = valLoss;
          progress.bestEpoch = epoch;
          progress.epochsWithoutImprovement = 0;
          if (restoreBest) {
            tf.dispose(bestWeights);
            bestWeights = cloneWeights(model);
          }
        } else {
          progress.epochsWithoutImprovement++;
        }
        if (early && progress.epochsWithoutImprovement >= early.patience) stoppedEarly = true;
      }
      progress.history.push(metrics);
      progress.epochsCompleted = epoch + 1;
      if (options.onEpoch) {
        const snapshot = async (): Promise<WeightsCheckpoint> => {
          const saved = serializeWeights(model, { specDigest });
          saved.optimizer = await captureOptimizerState(
            optimizer,
            training.optimizer.type,
            trainable.map((t) => t.name),
          );
          saved.progress = { ...progress, history: progress.history.map((h) => ({ ...h })) };
          // The best weights are the current ones when this epoch was the best; no need to store them twice.
          if (bestWeights && progress.bestEpoch !== epoch) saved.progress.bestWeights = serializeAs(model, bestWeights);
          return saved;
        };
        await options.onEpoch(epoch, {
          loss: metrics.loss,
          ...(metrics.valLoss !== undefined ? { valLoss: metrics.valLoss } : {}),
          metrics: { accuracy: metrics.accuracy, ...(metrics.valAccuracy !== undefined ? { valAccuracy: metrics.valAccuracy } : {}) },
          checkpoint: snapshot,
        });
      }
    }

    let weightsEpoch: number | null = progress.epochsCompleted > 0 ? progress.epochsCompleted - 1 : null;
    if (!cancelled && bestWeights && progress.bestEpoch !== null && progress.bestEpoch !== weightsEpoch) {
      model.setWeights(bestWeights);
      weightsEpoch = progress.bestEpoch;
    }
    succeeded = true;
    return {
      model,
      history: progress.history,
      stoppedEarly,
      cancelled,
      bestEpoch: progress.bestEpoch,
      weightsEpoch,
      epochsCompleted: progress.epochsCompleted,
      seed,
      specDigest,
    };
  } finally {
    tf.dispose([data.x, data.y, weightsT, ...(validation ? [validation.x, validation.y] : [])]);
    tf.dispose(bestWeights);
    disposeOptimizer(optimizer);
    if (!succeeded) model.dispose();
  }
}

/**
 * Mean cross-entropy (unweighted, without the penalty) and accuracy of a model on encoded data:
 * the test-set numbers. Works on models from buildModel, train and loadModel.
 */
export function evaluate(model: tf.LayersModel, data: { x: Float32Array; y: Float32Array | Int32Array; classes: readonly string[] | number }): { loss: number; accuracy: number } {
  const classes = classCount(data.classes);
  const features = checkTrainingData(data.x, data.y, classes, 'evaluation');
  const dataset = { rows: data.y.length, ...toTensors(data.x, data.y, features, classes) };
  try {
    return evaluateDataset(logitsOf(model), dataset, classes);
  } finally {
    tf.dispose([dataset.x, dataset.y]);
  }
}

/** A view of the model that ends at the logits (sharing its layers and weights); never dispose it. */
function logitsOf(model: tf.LayersModel): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: model.getLayer(LOGITS_LAYER).output });
}

function trainStep(
  logitsModel: tf.LayersModel,
  optimizer: tf.Optimizer,
  trainable: readonly { variable: tf.Variable }[],
  data: Dataset,
  sampleWeights: tf.Tensor1D,
  indices: Int32Array,
  classes: number,
): { loss: number; hits: number } {
  const idx = tf.tensor1d(indices, 'int32');
  let hits: tf.Tensor | undefined;
  let cost: tf.Scalar | null = null;
  try {
    cost = optimizer.minimize(
      () => {
        const xb = tf.gather(data.x, idx);
        const yb = tf.gather(data.y, idx);
        const wb = tf.gather(sampleWeights, idx);
        const logits = logitsModel.apply(xb, { training: true }) as tf.Tensor2D;
        hits = tf.keep(countHits(logits, yb, classes));
        let total: tf.Scalar = tf.mean(tf.mul(crossEntropy(yb, logits, classes), wb));
        for (const regularizer of logitsModel.calculateLosses()) total = tf.add(total, regularizer);
        return total;
      },
      true,
      trainable.map((t) => t.variable),
    );
    return { loss: (cost as tf.Scalar).dataSync()[0] as number, hits: (hits as tf.Tensor).dataSync()[0] as number };
  } finally {
    tf.dispose([idx, ...(hits ? [hits] : []), ...(cost ? [cost] : [])]);
  }
}

/** Per-sample cross-entropy from logits: sigmoid for one output unit, softmax otherwise. */
function crossEntropy(y: tf.Tensor2D, logits: tf.Tensor2D, classes: number): tf.Tensor1D {
  return classes === 2
    ? tf.losses.sigmoidCrossEntropy<tf.Tensor2D, tf.Tensor2D>(y, logits, undefined, 0, tf.Reduction.NONE).reshape([-1])
    : tf.losses.softmaxCrossEntropy(y, logits, undefined, 0, tf.Reduction.NONE);
}

function countHits(logits: tf.Tensor2D, y: tf.Tensor2D, classes: number): tf.Scalar {
  return tf.tidy(() =>
    classes === 2 ? tf.sum(tf.equal(tf.cast(tf.greater(logits, 0), 'float32'), y)) : tf.sum(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1))),
  );
}

function evaluateDataset(logitsModel: tf.LayersModel, data: Dataset, classes: number): { loss: number; accuracy: number } {
  let lossSum = 0;
  let hits = 0;
  for (let start = 0; start < data.rows; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, data.rows - start);
    const [loss, hit] = tf.tidy((): [tf.Scalar, tf.Scalar] => {
      const xb = data.x.slice([start, 0], [size, -1]);
      const yb = data.y.slice([start, 0], [size, -1]);
      const logits = logitsModel.predict(xb) as tf.Tensor2D;
      return [tf.sum(crossEntropy(yb, logits, classes)), countHits(logits, yb, classes)];
    });
    lossSum += loss.dataSync()[0] as number;
    hits += hit.dataSync()[0] as number;
    tf.dispose([loss, hit]);
  }
  return { loss: lossSum / data.rows, accuracy: hits / data.rows };
}

/** The L1/L2 penalty at the current weights. */
function penalty(logitsModel: tf.LayersModel): number {
  const losses = logitsModel.calculateLosses();
  if (losses.length === 0) return 0;
  const total = tf.tidy(() => tf.addN(losses));
  const value = total.dataSync()[0] as number;
  tf.dispose([total, ...losses]);
  return value;
}

function cloneWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => w.clone());
}

function serializeAs(model: tf.LayersModel, tensors: readonly tf.Tensor[]): SerializedTensor[] {
  return model.weights.map((w, i) => serializeTensor(w.originalName, tensors[i] as tf.Tensor));
}

/** Serialized weights as tensors in the model's weight order, checked like a restore. */
function tensorsFor(model: tf.LayersModel, weights: readonly SerializedTensor[]): tf.Tensor[] {
  const current = cloneWeights(model);
  try {
    setNamedWeights(model, weights);
    return cloneWeights(model);
  } finally {
    model.setWeights(current);
    tf.dispose(current);
  }
}
