import * as tf from '@tensorflow/tfjs';
import { LOGITS_LAYER } from '../model/layer-plan';
import type { ModelSpec } from '../model/model-spec';
import { buildModel } from '../model/model.builder';
import { denseNetworkOf, variablesOf } from './dense-network';
import { dpSgdStep, privateGradients, type DpSgdData } from './dp-sgd.step';
import { blobs } from './dp-test.fixture';
import { poissonSample } from './poisson.sampler';
import { seededStream } from './random-source';

const ROWS = 64;
const FEATURES = 4;
const SPEC: ModelSpec = {
  type: 'mlp',
  hiddenLayers: [{ units: 6, activation: 'tanh' }],
  training: { optimizer: { type: 'sgd', learningRate: 0.5 }, batchSize: 16, epochs: 1, seed: 5 },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function dataset(): DpSgdData {
  const { x, y } = blobs(ROWS, FEATURES, 'dp-step');
  return { x: tf.tensor2d(x, [ROWS, FEATURES]), y: tf.tensor2d(y, [ROWS, 1]), sampleWeights: tf.ones<tf.Rank.R1>([ROWS]) };
}

describe(dpSgdStep.name, () => {
  it('with σ = 0 and a huge clip, is plain SGD on the sampled batch, scaled by |batch| / B', () => {
    const data = dataset();
    const expectedBatchSize = 16;
    const indices = poissonSample(ROWS, expectedBatchSize / ROWS, seededStream(1));
    expect(indices.length).toBeGreaterThan(0);
    expect(indices.length).not.toBe(expectedBatchSize); // the interesting case: the batch is not B rows

    // Reference: tfjs autodiff of the batch's MEAN loss, SGD by hand, through the Keras model.
    const reference = buildModel(SPEC, FEATURES, 2);
    const logitsModel = tf.model({ inputs: reference.inputs, outputs: reference.getLayer(LOGITS_LAYER).output });
    const referenceVariables = variablesOf(denseNetworkOf(reference, SPEC, FEATURES, 2));
    const idx = tf.tensor1d(indices, 'int32');
    const { value, grads } = tf.variableGrads(
      () => tf.losses.sigmoidCrossEntropy(tf.gather(data.y, idx), logitsModel.apply(tf.gather(data.x, idx)) as tf.Tensor2D, undefined, 0, tf.Reduction.MEAN),
      referenceVariables,
    );
    const scale = indices.length / expectedBatchSize;
    for (const v of referenceVariables) v.assign(tf.tidy(() => tf.sub(v, tf.mul(0.5 * scale, grads[v.name] as tf.Tensor))));
    tf.dispose([value, idx, ...Object.values(grads)]);

    const model = buildModel(SPEC, FEATURES, 2);
    const network = denseNetworkOf(model, SPEC, FEATURES, 2);
    const initialKernel = (variablesOf(network)[0] as tf.Variable).clone();
    const optimizer = tf.train.sgd(0.5);
    dpSgdStep(network, optimizer, data, indices, { l2NormClip: 1e6, noiseMultiplier: 0, expectedBatchSize, l1: 0, l2: 0 }, seededStream(2));
    variablesOf(network).forEach((variable, k) => {
      const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(variable, referenceVariables[k] as tf.Variable))).dataSync()[0] as number);
      expect(difference).toBeLessThan(1e-6);
    });
    // Not vacuous: the step moved the weights.
    const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(variablesOf(network)[0] as tf.Variable, initialKernel))).dataSync()[0] as number);
    expect(moved).toBeGreaterThan(1e-3);
    initialKernel.dispose();
    optimizer.dispose();
    [model, reference].forEach((m) => m.dispose());
    tf.dispose([data.x, data.y, data.sampleWeights]);
  });

  it('adds Gaussian noise of standard deviation σ·C / B per coordinate', () => {
    const spec: ModelSpec = { ...SPEC, hiddenLayers: [{ units: 200, activation: 'relu' }] };
    const data = dataset();
    const model = buildModel(spec, FEATURES, 2);
    const network = denseNetworkOf(model, spec, FEATURES, 2);
    const [sigma, clip, batch] = [1.3, 0.7, 20];
    // An empty batch: what is left is the noise alone.
    const { gradients } = privateGradients(network, data, new Int32Array(0), { l2NormClip: clip, noiseMultiplier: sigma, expectedBatchSize: batch }, seededStream(3));
    const values = Float64Array.from(gradients.flatMap((g) => Array.from(g.dataSync())));
    expect(values.length).toBeGreaterThan(1000);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    const expected = (sigma * clip) / batch;
    // n ≈ 1400: the sample sd is within ±6% of the truth with overwhelming probability (SE ≈ 1.9%).
    expect(Math.abs(sd / expected - 1)).toBeLessThan(0.06);
    expect(Math.abs(mean)).toBeLessThan((4 * expected) / Math.sqrt(values.length));
    // Kurtosis of a Gaussian is 3 (not uniform's 1.8): the noise has the right shape too.
    const kurtosis = values.reduce((a, b) => a + (b - mean) ** 4, 0) / values.length / sd ** 4;
    expect(kurtosis).toBeGreaterThan(2.6);
    expect(kurtosis).toBeLessThan(3.4);
    tf.dispose(gradients);
    model.dispose();
    tf.dispose([data.x, data.y, data.sampleWeights]);
  });

  it('folds the L1/L2 penalty gradient in after the noise, on kernels only', () => {
    const data = dataset();
    const model = buildModel(SPEC, FEATURES, 2);
    const network = denseNetworkOf(model, SPEC, FEATURES, 2);
    const before = variablesOf(network).map((v) => v.clone());
    const optimizer = tf.train.sgd(0.1);
    // An empty batch and no noise: only the penalty moves the weights.
    dpSgdStep(network, optimizer, data, new Int32Array(0), { l2NormClip: 1, noiseMultiplier: 0, expectedBatchSize: 8, l1: 0.01, l2: 0.02 }, seededStream(4));
    variablesOf(network).forEach((variable, k) => {
      const old = before[k] as tf.Tensor;
      const expected = tf.tidy(() => (k % 2 === 0 ? tf.sub(old, tf.mul(0.1, tf.add(tf.mul(0.01, tf.sign(old)), tf.mul(0.04, old)))) : old));
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(variable, expected))).dataSync()[0] as number)).toBeLessThan(1e-7);
      expected.dispose();
    });
    tf.dispose([...before, data.x, data.y, data.sampleWeights]);
    optimizer.dispose();
    model.dispose();
  });
});
