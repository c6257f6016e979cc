import type * as tf from '@tensorflow/tfjs';
import { planLayers } from '../model/layer-plan';
import type { Activation, ModelSpec } from '../model/model-spec';
import { DifferentialPrivacyError } from './differential-privacy.error';

/**
 * The dense stack of a model built by buildModel from a `logistic_regression` or `mlp` spec, as
 * the variables DP-SGD reads and updates: per layer its kernel [in, out], bias [out] and
 * activation, ending with the linear `logits` layer. The LayersModel keeps owning the variables,
 * so the trained model is an ordinary one (predict, evaluate, saveModel all work on it).
 */
export interface DenseLayerParams {
  name: string;
  kernel: tf.Variable;
  bias: tf.Variable;
  activation: Activation | 'linear';
}

export interface DenseNetwork {
  layers: DenseLayerParams[];
  /** One sigmoid logit (two classes) rather than a softmax over classes. */
  binary: boolean;
}

/**
 * Refuses what per-example clipping here does not handle, before any tensor is made:
 * - CNN specs: per-example gradients are derived for dense layers only.
 * - dropout: its mask would have to enter the per-example activations and deltas; DP runs are
 *   regularised by clipping and noise already.
 * - `balanced` class weights: they are computed from the training labels' counts, a release the
 *   accountant does not cover. Explicit weights are fine: they scale each example's loss, and the
 *   clipping bounds each example's influence whatever its weight.
 * L1/L2 are supported: their gradient does not depend on the data, so it is added after the noise
 * at no privacy cost (as weight decay is in Opacus).
 */
export function assertDpTrainable(spec: ModelSpec): void {
  if (spec.type !== 'logistic_regression' && spec.type !== 'mlp') {
    throw new DifferentialPrivacyError('DP_SPEC_UNSUPPORTED', `DP-SGD trains logistic_regression and mlp specs, not ${spec.type}`, { parameter: 'type', value: spec.type });
  }
  if (spec.type === 'mlp') {
    spec.hiddenLayers.forEach((layer, i) => {
      if (layer.dropout) {
        throw new DifferentialPrivacyError('DP_SPEC_UNSUPPORTED', `DP-SGD does not train with dropout (hiddenLayers[${i}].dropout = ${layer.dropout})`, {
          parameter: `hiddenLayers[${i}].dropout`,
          value: String(layer.dropout),
        });
      }
    });
  }
  if (spec.training.classWeights === 'balanced') {
    throw new DifferentialPrivacyError('DP_SPEC_UNSUPPORTED', 'balanced class weights come from the private label counts; give explicit class weights', {
      parameter: 'training.classWeights',
      value: 'balanced',
    });
  }
}

export function denseNetworkOf(model: tf.LayersModel, spec: ModelSpec, features: number, classes: number): DenseNetwork {
  assertDpTrainable(spec);
  const byName = new Map(model.trainableWeights.map((w) => [w.originalName, w]));
  const variable = (name: string): tf.Variable => {
    const weight = byName.get(name);
    if (!weight) throw new DifferentialPrivacyError('DP_SPEC_UNSUPPORTED', `the model has no weight ${name}`, { parameter: name });
    return weight.read() as tf.Variable;
  };
  const layers = planLayers(spec, features, classes).flatMap((layer) =>
    layer.kind === 'dense' ? [{ name: layer.name, kernel: variable(`${layer.name}/kernel`), bias: variable(`${layer.name}/bias`), activation: layer.activation }] : [],
  );
  return { layers, binary: classes === 2 };
}

/** The trainable variables in the model's order (kernel, bias per layer): the order of gradient lists. */
export function variablesOf(network: DenseNetwork): tf.Variable[] {
  return network.layers.flatMap((layer) => [layer.kernel, layer.bias]);
}
