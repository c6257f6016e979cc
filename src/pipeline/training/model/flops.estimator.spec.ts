import * as tf from '@tensorflow/tfjs';
import { estimateFlops } from './flops.estimator';
import type { ModelSpec } from './model-spec';
import { buildModel } from './model.builder';

const TRAINING: ModelSpec['training'] = { optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 8, epochs: 1, seed: 1 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe(estimateFlops.name, () => {
  it('counts a LeNet-style CNN layer by layer and agrees with the built model on parameters', () => {
    const spec: ModelSpec = {
      type: 'cnn',
      inputShape: [28, 28, 1],
      convLayers: [
        { filters: 8, kernelSize: 5, activation: 'relu', pool: { size: 2 } },
        { filters: 16, kernelSize: 3, padding: 'same', strides: 2, activation: 'relu' },
      ],
      denseLayers: [{ units: 32, activation: 'relu', dropout: 0.5 }],
      training: TRAINING,
    };
    const estimate = estimateFlops(spec, 784, 10);
    const byName = Object.fromEntries(estimate.layers.map((l) => [l.name, l]));
    // conv_0: 5×5×1×8 over 24×24 outputs.
    expect(byName.conv_0).toMatchObject({ outputShape: [24, 24, 8], flops: 2 * 5 * 5 * 1 * 8 * 24 * 24, parameters: 5 * 5 * 8 + 8 });
    expect(byName.pool_0).toMatchObject({ outputShape: [12, 12, 8], flops: 3 * 12 * 12 * 8 });
    // conv_1: `same` with stride 2 → ⌈12/2⌉ = 6.
    expect(byName.conv_1).toMatchObject({ outputShape: [6, 6, 16], flops: 2 * 3 * 3 * 8 * 16 * 6 * 6 });
    expect(byName.dense_0).toMatchObject({ flops: 2 * 576 * 32 });
    expect(byName.logits).toMatchObject({ outputShape: [10], flops: 2 * 32 * 10 });
    expect(estimate.forwardFlopsPerSample).toBe(estimate.layers.reduce((s, l) => s + l.flops, 0));
    expect(estimate.trainingFlopsPerSample).toBe(3 * estimate.forwardFlopsPerSample);

    const model = buildModel(spec, 784, 10);
    expect(model.countParams()).toBe(estimate.parameters);
    expect(model.outputs[0]?.shape).toEqual([null, 10]);
    model.dispose();
  });

  it('gives logistic regression one output unit for two classes', () => {
    const estimate = estimateFlops({ type: 'logistic_regression' }, 61, ['good', 'bad']);
    expect(estimate).toMatchObject({ parameters: 62, forwardFlopsPerSample: 122 });
  });
});
