import * as tf from '@tensorflow/tfjs';
import { featureCount, planLayers, type PlannedLayer } from './layer-plan';
import { MODEL_SPEC_LIMITS, type ModelSpec } from './model-spec';
import { validateModelSpec } from './model-spec.validator';
import { SeededDropout } from './seeded-dropout.layer';
import { deriveSeed } from './seeds';
import { TrainingError } from './training.error';

/**
 * The tf.layers model a spec describes, taking flat rows of `inputShape` features (a CNN reshapes
 * them to its [h, w, c]) and giving class probabilities: one sigmoid unit for two classes (the
 * positive class's probability), a softmax over classes otherwise.
 *
 * Layers have fixed names (`dense_0`, `conv_1`, `logits`, …) so weights are named the same in
 * every build and process; kernels start Glorot (Xavier) uniform, biases at zero, each kernel
 * with its own seed derived from the run seed and the layer's name; L1/L2 are kernel
 * regularisers; dropout is SeededDropout.
 */
export function buildModel(
  spec: ModelSpec,
  inputShape: number | readonly number[],
  classes: number | readonly string[],
  seed: number = spec.training.seed,
): tf.LayersModel {
  // Specs are usually validated already; a cast one must not reach tfjs with a billion units.
  const validation = validateModelSpec(spec);
  if (!validation.ok) throw new TrainingError('MODEL_SPEC_INVALID', 'invalid model spec', { problems: validation.problems });
  const plan = planLayers(validation.spec, inputShape, classes);
  const parameters = plan.reduce((sum, layer) => sum + layer.parameters, 0);
  if (parameters > MODEL_SPEC_LIMITS.parameters) {
    throw new TrainingError('MODEL_TOO_LARGE', `the model would have ${parameters} parameters (limit ${MODEL_SPEC_LIMITS.parameters})`, {
      limit: MODEL_SPEC_LIMITS.parameters,
      found: parameters,
    });
  }
  const { l1 = 0, l2 = 0 } = validation.spec.training;
  const regularizer = l1 > 0 || l2 > 0 ? () => tf.regularizers.l1l2({ l1, l2 }) : () => undefined;
  const input = tf.input({ shape: [featureCount(inputShape)], name: 'features' });
  let output: tf.SymbolicTensor = input;
  for (const layer of plan) output = makeLayer(layer, seed, regularizer).apply(output) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: `assay_${validation.spec.type}` });
}

function makeLayer(layer: PlannedLayer, seed: number, regularizer: () => ReturnType<typeof tf.regularizers.l1l2> | undefined): tf.layers.Layer {
  const name = layer.name;
  const kernel = () => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'init', name) }),
    biasInitializer: tf.initializers.zeros(),
    kernelRegularizer: regularizer(),
  });
  switch (layer.kind) {
    case 'reshape':
      return tf.layers.reshape({ name, targetShape: layer.outputShape });
    case 'conv':
      return tf.layers.conv2d({
        name,
        filters: layer.filters,
        kernelSize: layer.kernel,
        strides: layer.strides,
        padding: layer.padding,
        activation: layer.activation,
        ...kernel(),
      });
    case 'pool':
      return tf.layers.maxPooling2d({ name, poolSize: layer.size, strides: layer.strides, padding: 'valid' });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'dense':
      return tf.layers.dense({ name, units: layer.units, activation: layer.activation, ...kernel() });
    case 'dropout':
      return new SeededDropout({ name, rate: layer.rate, seed: deriveSeed(seed, 'dropout', name) });
    case 'output':
      return tf.layers.activation({ name, activation: layer.activation });
  }
}
