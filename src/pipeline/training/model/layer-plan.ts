import { pair, windowOutputSize } from './layer-shapes';
import type { Activation, ArchitectureSpec, DenseLayerSpec, Padding } from './model-spec';
import { TrainingError } from './training.error';

/** Names of the last two layers; the trainer reads logits for numerically stable losses. */
export const LOGITS_LAYER = 'logits';
export const PROBABILITIES_LAYER = 'probabilities';

/**
 * One layer of the model as built, with its output shape (per sample), trainable parameters and
 * forward FLOPs per sample. buildModel builds from this plan and estimateFlops reports it, so the
 * energy estimate describes exactly the model that trains.
 */
export type PlannedLayer = {
  name: string;
  outputShape: number[];
  parameters: number;
  flops: number;
} & (
  | { kind: 'reshape' }
  | { kind: 'conv'; filters: number; kernel: [number, number]; strides: [number, number]; padding: Padding; activation: Activation }
  | { kind: 'pool'; size: [number, number]; strides: [number, number] }
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation: Activation | 'linear' }
  | { kind: 'dropout'; rate: number }
  | { kind: 'output'; activation: 'sigmoid' | 'softmax' }
);

/** Output units: one sigmoid unit for two classes, one softmax unit per class otherwise. */
export function outputUnits(classes: number): number {
  return classes === 2 ? 1 : classes;
}

export function classCount(classes: number | readonly string[]): number {
  const n = typeof classes === 'number' ? classes : classes.length;
  if (!Number.isInteger(n) || n < 2) throw new TrainingError('TRAINING_DATA_INVALID', `a classifier needs at least two classes (got ${n})`);
  return n;
}

/** Flat input width: a number, [features], or a CNN's [h, w, c]. */
export function featureCount(inputShape: number | readonly number[]): number {
  const n = typeof inputShape === 'number' ? inputShape : inputShape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(n) || n < 1) throw new TrainingError('TRAINING_DATA_INVALID', `the input must have at least one feature (got ${n})`);
  return n;
}

export function planLayers(spec: ArchitectureSpec, inputShape: number | readonly number[], classes: number | readonly string[]): PlannedLayer[] {
  const features = featureCount(inputShape);
  const k = classCount(classes);
  const layers: PlannedLayer[] = [];
  let width = features;
  const dense = (name: string, units: number, activation: Activation | 'linear') => {
    layers.push({ kind: 'dense', name, units, activation, outputShape: [units], parameters: width * units + units, flops: 2 * width * units });
    width = units;
  };
  const denseStack = (specs: readonly DenseLayerSpec[]) =>
    specs.forEach((layer, i) => {
      dense(`dense_${i}`, layer.units, layer.activation);
      if (layer.dropout) layers.push({ kind: 'dropout', name: `dropout_${i}`, rate: layer.dropout, outputShape: [width], parameters: 0, flops: 0 });
    });

  switch (spec.type) {
    case 'logistic_regression':
      break;
    case 'mlp':
      denseStack(spec.hiddenLayers);
      break;
    case 'cnn': {
      let [h, w, c] = spec.inputShape;
      if (h * w * c !== features) {
        throw new TrainingError('TRAINING_DATA_INVALID', `the CNN takes ${h}×${w}×${c} = ${h * w * c} features per sample; the data has ${features}`);
      }
      layers.push({ kind: 'reshape', name: 'image', outputShape: [h, w, c], parameters: 0, flops: 0 });
      spec.convLayers.forEach((conv, i) => {
        const kernel = pair(conv.kernelSize);
        const strides = pair(conv.strides ?? 1);
        const padding = conv.padding ?? 'valid';
        const oh = windowOutputSize(h, kernel[0], strides[0], padding);
        const ow = windowOutputSize(w, kernel[1], strides[1], padding);
        layers.push({
          kind: 'conv',
          name: `conv_${i}`,
          filters: conv.filters,
          kernel,
          strides,
          padding,
          activation: conv.activation,
          outputShape: [oh, ow, conv.filters],
          parameters: kernel[0] * kernel[1] * c * conv.filters + conv.filters,
          flops: 2 * kernel[0] * kernel[1] * c * conv.filters * oh * ow,
        });
        [h, w, c] = [oh, ow, conv.filters];
        if (conv.pool) {
          const size = pair(conv.pool.size);
          const poolStrides = pair(conv.pool.strides ?? conv.pool.size);
          const ph = windowOutputSize(h, size[0], poolStrides[0], 'valid');
          const pw = windowOutputSize(w, size[1], poolStrides[1], 'valid');
          // A max over a window of s values takes s − 1 comparisons; counted as FLOPs.
          layers.push({ kind: 'pool', name: `pool_${i}`, size, strides: poolStrides, outputShape: [ph, pw, c], parameters: 0, flops: (size[0] * size[1] - 1) * ph * pw * c });
          [h, w] = [ph, pw];
        }
        if (h < 1 || w < 1) throw new TrainingError('MODEL_SPEC_INVALID', `conv layer ${i} shrinks the image to nothing`);
      });
      width = h * w * c;
      layers.push({ kind: 'flatten', name: 'flatten', outputShape: [width], parameters: 0, flops: 0 });
      denseStack(spec.denseLayers);
      break;
    }
  }
  dense(LOGITS_LAYER, outputUnits(k), 'linear');
  layers.push({ kind: 'output', name: PROBABILITIES_LAYER, activation: k === 2 ? 'sigmoid' : 'softmax', outputShape: [outputUnits(k)], parameters: 0, flops: 0 });
  return layers;
}
