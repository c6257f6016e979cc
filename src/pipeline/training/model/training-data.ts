import * as tf from '@tensorflow/tfjs';
import { outputUnits } from './layer-plan';
import type { TrainingSpec } from './model-spec';
import { TrainingError } from './training.error';

/**
 * The checks, tensors and row weights both trainers (model.trainer and DP-SGD's private.trainer)
 * apply to their data: same errors, same encoding, so a DP run refuses exactly what a plain run does.
 */

/** Feature count; refuses non-finite features and labels that are not classes (citing rows, never values). */
export function checkTrainingData(x: Float32Array, y: Float32Array | Int32Array, classes: number, what: string): number {
  const rows = y.length;
  if (rows === 0) throw new TrainingError('TRAINING_DATA_INVALID', `the ${what} data has no rows`);
  if (x.length === 0 || x.length % rows !== 0) {
    throw new TrainingError('TRAINING_DATA_INVALID', `the ${what} x holds ${x.length} values, not a whole number of features for ${rows} rows`);
  }
  const features = x.length / rows;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new TrainingError('TRAINING_DATA_INVALID', `${what} row ${Math.floor(i / features)} has a non-finite feature`);
  }
  const top = classes === 2 ? 1 : classes - 1;
  for (let r = 0; r < rows; r++) {
    const label = y[r] as number;
    if (!Number.isInteger(label) || label < 0 || label > top) {
      throw new TrainingError('TRAINING_DATA_INVALID', `${what} row ${r} has a label that is not a class index from 0 to ${top}`);
    }
  }
  return features;
}

/** x [rows, features]; y [rows, 1] 0/1 for two classes, one-hot [rows, classes] otherwise. */
export function toTensors(x: Float32Array, y: Float32Array | Int32Array, features: number, classes: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const rows = y.length;
  return tf.tidy(() => ({
    x: tf.tensor2d(x, [rows, features]),
    y:
      classes === 2
        ? tf.tensor2d(Float32Array.from(y), [rows, outputUnits(classes)])
        : (tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), classes), 'float32') as tf.Tensor2D),
  }));
}

/** Each row's loss weight from its class: the spec's weights by class name, or `balanced` n / (classes · n_class). */
export function classSampleWeights(classWeights: TrainingSpec['classWeights'], y: Float32Array | Int32Array, classes: number, names: readonly string[]): Float32Array {
  const perClass = new Array<number>(classes).fill(1);
  if (classWeights === 'balanced') {
    const counts = new Array<number>(classes).fill(0);
    for (const label of y) counts[label] = (counts[label] ?? 0) + 1;
    counts.forEach((count, k) => (perClass[k] = count > 0 ? y.length / (classes * count) : 1));
  } else if (classWeights) {
    for (const name of Object.keys(classWeights)) {
      const k = names.indexOf(name);
      if (k < 0) throw new TrainingError('TRAINING_DATA_INVALID', `classWeights names ${JSON.stringify(name)}, which is not a class`);
      perClass[k] = classWeights[name] as number;
    }
  }
  return Float32Array.from(y, (label) => perClass[label] as number);
}
