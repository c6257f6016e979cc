import * as tf from '@tensorflow/tfjs';
import { serializeTensor, setNamedWeights, type SerializedTensor } from '../model/weights-checkpoint';

/** Copies of a model's weights kept for early stopping's restore, as model.trainer keeps them. */
export function cloneWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => w.clone());
}

export function serializeAs(model: tf.LayersModel, tensors: readonly tf.Tensor[]): SerializedTensor[] {
  return model.weights.map((w, i) => serializeTensor(w.originalName, tensors[i] as tf.Tensor));
}

/** Serialized weights as tensors in the model's weight order, checked like a restore. */
export function tensorsFor(model: tf.LayersModel, weights: readonly SerializedTensor[]): tf.Tensor[] {
  const current = cloneWeights(model);
  try {
    setNamedWeights(model, weights);
    return cloneWeights(model);
  } finally {
    model.setWeights(current);
    tf.dispose(current);
  }
}
