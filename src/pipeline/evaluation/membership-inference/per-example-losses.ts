/**
 * Per-example cross-entropy losses of a TensorFlow.js classifier (flat rows in; one sigmoid unit
 * for two classes, or one softmax unit per class, out), the input of the loss-threshold attack.
 * Rows go through the model in batches, each inside `tf.tidy`, so no tensor outlives a batch.
 *
 * A loss is −ln p(true class) with p clipped to [ε, 1 − ε] as in log-loss.ts, i.e. every loss lies
 * in [−ln(1 − ε), −ln ε]. Models from the training library have a `logits` layer: losses are then
 * taken from the logits (log-sigmoid / log-softmax, as the trainer computes them), which keeps
 * small losses resolved where a float32 probability would round to exactly 1 and many memorised
 * rows would tie at the floor. Other models are scored from their output probabilities.
 */
import * as tf from '@tensorflow/tfjs';
import { LOGITS_LAYER } from '../../training/model/layer-plan';
import { clippedNegativeLog, logLossEpsilon } from '../classification/log-loss';
import { EvaluationError } from '../evaluation.error';
import { classLabels, positiveInteger, requireLength } from '../input-validation';

export const DEFAULT_LOSS_BATCH_SIZE = 1024;

/** `logits`: from the model's `logits` layer; `probabilities`: from its output; `auto`: logits when the layer exists. */
export type LossSource = 'auto' | 'logits' | 'probabilities';

export interface PerExampleLossOptions {
  /** Rows per forward pass. Default 1024. */
  batchSize?: number;
  /** Clipping ε (see log-loss.ts). Default Number.EPSILON, as the evaluators' log loss. */
  logLossEpsilon?: number;
  /** Only these rows (indices into x / yIndices), in this order; e.g. a balancedMembershipSample side. Default: every row. */
  rows?: ArrayLike<number>;
  /** Default `auto`. */
  source?: LossSource;
}

interface ModelShape {
  features: number;
  /** Output units: 1 (sigmoid, two classes) or the class count (softmax). */
  outputs: number;
}

function modelShape(model: tf.LayersModel): ModelShape {
  const inputShape = model.inputs.length === 1 ? model.inputs[0]!.shape : [];
  const outputShape = model.outputs.length === 1 ? model.outputs[0]!.shape : [];
  const features = inputShape[1];
  const outputs = outputShape[1];
  if (inputShape.length !== 2 || outputShape.length !== 2 || typeof features !== 'number' || typeof outputs !== 'number' || outputs < 1) {
    throw new EvaluationError(
      'EVALUATION_PREDICTION_INVALID',
      'the model must take flat rows [batch, features] and give class probabilities [batch, outputs]',
      {
        field: 'model',
      },
    );
  }
  return { features, outputs };
}

/** Views of models ending at their logits; they share the model's layers and weights (never dispose one). */
const logitViews = new WeakMap<tf.LayersModel, tf.LayersModel>();

function logitsView(model: tf.LayersModel, shape: ModelShape, source: LossSource): tf.LayersModel | null {
  if (source === 'probabilities') return null;
  const cached = logitViews.get(model);
  if (cached) return cached;
  const layer = model.layers.find((candidate) => candidate.name === LOGITS_LAYER);
  const output = layer?.output;
  const fits = output !== undefined && !Array.isArray(output) && output.shape.length === 2 && output.shape[1] === shape.outputs;
  if (!fits) {
    if (source === 'logits') {
      throw new EvaluationError('EVALUATION_OPTION_INVALID', `the model has no "${LOGITS_LAYER}" layer of ${shape.outputs} units`, { field: 'options.source' });
    }
    return null;
  }
  const view = tf.model({ inputs: model.inputs, outputs: output });
  logitViews.set(model, view);
  return view;
}

function selectedRows(rows: ArrayLike<number> | undefined, total: number): Int32Array {
  if (rows === undefined) return Int32Array.from({ length: total }, (_, i) => i);
  const selected = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    if (!Number.isInteger(row) || row < 0 || row >= total) {
      throw new EvaluationError('EVALUATION_OPTION_INVALID', `options.rows[${i}] is not a row index in [0, ${total})`, { field: 'options.rows', row: i });
    }
    selected[i] = row;
  }
  return selected;
}

function checkFeatures(x: Float32Array, rows: Int32Array, features: number): void {
  for (const row of rows) {
    for (let k = row * features; k < (row + 1) * features; k++) {
      if (!Number.isFinite(x[k])) throw new EvaluationError('EVALUATION_FEATURE_INVALID', `x row ${row} has a non-finite feature`, { field: 'x', row });
    }
  }
}

/**
 * One batch through the model: each row's cross-entropy from the logits (float32, not yet
 * clipped), or, without a logits view, the class probabilities (the caller takes −ln p).
 */
function batchOutput(model: tf.LayersModel, logits: tf.LayersModel | null, xb: Float32Array, labels: Int32Array, shape: ModelShape): tf.Tensor {
  return tf.tidy(() => {
    const input = tf.tensor2d(xb, [labels.length, shape.features]);
    if (logits === null) return model.predict(input) as tf.Tensor;
    const z = logits.predict(input) as tf.Tensor2D;
    if (shape.outputs === 1) {
      const y = tf.tensor2d(Float32Array.from(labels), [labels.length, 1]);
      return tf.losses.sigmoidCrossEntropy(y, z, undefined, 0, tf.Reduction.NONE);
    }
    const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), shape.outputs);
    return tf.losses.softmaxCrossEntropy(oneHot, z, undefined, 0, tf.Reduction.NONE);
  });
}

function clampLoss(loss: number, floor: number, ceiling: number): number {
  return loss < floor ? floor : loss > ceiling ? ceiling : loss;
}

/** P(true class) from a one-unit sigmoid output p = P(class 1), in float64. */
function binaryTrueProbability(p: number, label: number): number {
  return label === 1 ? p : 1 - p;
}

/**
 * Cross-entropy loss of each row (or of `options.rows`, in that order) under the model. `x` is
 * row-major `rows × features`; `yIndices` holds the true class of each row (0/1 for a one-unit
 * sigmoid model). See the module comment for clipping and the logits.
 */
export async function perExampleLosses(
  model: tf.LayersModel,
  x: Float32Array,
  yIndices: ArrayLike<number>,
  options: PerExampleLossOptions = {},
): Promise<Float64Array> {
  const shape = modelShape(model);
  const classes = shape.outputs === 1 ? 2 : shape.outputs;
  const labels = classLabels(yIndices, classes, 'yIndices');
  if (!(x instanceof Float32Array)) throw new EvaluationError('EVALUATION_FEATURE_INVALID', 'x must be a Float32Array', { field: 'x' });
  requireLength(x.length, labels.length * shape.features, 'x');
  const epsilon = logLossEpsilon(options.logLossEpsilon);
  const batchSize = positiveInteger(options.batchSize, DEFAULT_LOSS_BATCH_SIZE, 'options.batchSize', 65_536);
  const source = options.source ?? 'auto';
  if (source !== 'auto' && source !== 'logits' && source !== 'probabilities') {
    throw new EvaluationError('EVALUATION_OPTION_INVALID', 'source must be auto, logits or probabilities', { field: 'options.source' });
  }
  const rows = selectedRows(options.rows, labels.length);
  checkFeatures(x, rows, shape.features);
  const logits = logitsView(model, shape, source);

  // Clipping p to [ε, 1 − ε] bounds the loss to [−ln(1 − ε), −ln ε]: the same bounds on both paths.
  const floor = clippedNegativeLog(1, epsilon);
  const ceiling = clippedNegativeLog(0, epsilon);
  const losses = new Float64Array(rows.length);
  for (let start = 0; start < rows.length; start += batchSize) {
    const size = Math.min(batchSize, rows.length - start);
    const xb = new Float32Array(size * shape.features);
    const yb = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const row = rows[start + i] as number;
      xb.set(x.subarray(row * shape.features, (row + 1) * shape.features), i * shape.features);
      yb[i] = labels[row] as number;
    }
    const output = batchOutput(model, logits, xb, yb, shape);
    let values: Float32Array | Int32Array | Uint8Array;
    try {
      values = await output.data();
    } finally {
      output.dispose();
    }
    for (let i = 0; i < size; i++) {
      const loss =
        logits !== null
          ? clampLoss(values[i] as number, floor, ceiling)
          : clippedNegativeLog(
              shape.outputs === 1 ? binaryTrueProbability(values[i] as number, yb[i] as number) : (values[i * shape.outputs + (yb[i] as number)] as number),
              epsilon,
            );
      if (Number.isNaN(loss)) {
        throw new EvaluationError('EVALUATION_PREDICTION_INVALID', `the model's output for row ${rows[start + i]} is not a number`, {
          field: 'model',
          row: rows[start + i],
        });
      }
      losses[start + i] = loss;
    }
  }
  return losses;
}
