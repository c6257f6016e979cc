import * as tf from '@tensorflow/tfjs';
import { LOGITS_LAYER } from '../model/layer-plan';
import type { ModelSpec } from '../model/model-spec';
import { buildModel } from '../model/model.builder';
import { denseNetworkOf, variablesOf, type DenseNetwork } from './dense-network';
import { blobs } from './dp-test.fixture';
import { backpropagate, clipFactors, perExampleGradientNorms, perExampleGradients, weightedGradientSum, type BackpropTrace } from './per-example-gradients';

const TRAINING: ModelSpec['training'] = { optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 8, epochs: 1, seed: 11 };
const CASES: [string, ModelSpec, number][] = [
  ['logistic regression, two classes', { type: 'logistic_regression', training: TRAINING }, 2],
  ['logistic regression, four classes', { type: 'logistic_regression', training: TRAINING }, 4],
  [
    'MLP (relu, tanh, sigmoid), three classes',
    {
      type: 'mlp',
      hiddenLayers: [
        { units: 7, activation: 'relu' },
        { units: 5, activation: 'tanh' },
        { units: 4, activation: 'sigmoid' },
      ],
      training: TRAINING,
    },
    3,
  ],
  ['MLP, two classes', { type: 'mlp', hiddenLayers: [{ units: 6, activation: 'relu' }], training: TRAINING }, 2],
];
const ROWS = 12;
const FEATURES = 5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Setup {
  model: tf.LayersModel;
  network: DenseNetwork;
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  weights: tf.Tensor1D;
  trace: BackpropTrace;
}

function setUp(spec: ModelSpec, classes: number): Setup {
  const data = blobs(ROWS, FEATURES, `per-example-${classes}`, { classes });
  const model = buildModel(spec, FEATURES, classes);
  const network = denseNetworkOf(model, spec, FEATURES, classes);
  const x = tf.tensor2d(data.x, [ROWS, FEATURES]);
  const y = classes === 2 ? tf.tensor2d(data.y, [ROWS, 1]) : (tf.oneHot(tf.tensor1d(Int32Array.from(data.y), 'int32'), classes).toFloat() as tf.Tensor2D);
  // Class weights differ from 1, so they must enter the per-example gradients.
  const weights = tf.tensor1d(Array.from(data.y, (label) => 0.5 + label));
  return { model, network, x, y, weights, trace: backpropagate(network, x, y, weights) };
}

function tearDown(s: Setup): void {
  tf.dispose([s.x, s.y, s.weights, s.trace.inputs, s.trace.deltas, s.trace.losses, s.trace.logits]);
  s.model.dispose();
}

/** The reference: tfjs autodiff through the Keras model, one row at a time (what DP-SGD must NOT do). */
function oneRowGradients(s: Setup, row: number, classes: number): tf.Tensor[] {
  const logitsModel = tf.model({ inputs: s.model.inputs, outputs: s.model.getLayer(LOGITS_LAYER).output });
  const variables = variablesOf(s.network);
  const { value, grads } = tf.variableGrads(() => {
    const logits = logitsModel.apply(s.x.slice([row, 0], [1, -1])) as tf.Tensor2D;
    const label = s.y.slice([row, 0], [1, -1]);
    const loss =
      classes === 2
        ? tf.losses.sigmoidCrossEntropy(label, logits, undefined, 0, tf.Reduction.SUM)
        : tf.losses.softmaxCrossEntropy(label, logits, undefined, 0, tf.Reduction.SUM);
    return tf.mul<tf.Scalar>(loss, s.weights.slice([row], [1]).reshape([]));
  }, variables);
  value.dispose();
  return variables.map((v) => grads[v.name] as tf.Tensor);
}

describe('per-example gradients of dense networks', () => {
  it.each(CASES)('%s: equal one backward pass per example (within 1e-5)', (_, spec, classes) => {
    const s = setUp(spec, classes);
    const perExample = perExampleGradients(s.trace);
    let largest = 0;
    for (let row = 0; row < ROWS; row++) {
      const reference = oneRowGradients(s, row, classes);
      reference.forEach((expected, k) => {
        largest = Math.max(largest, tf.tidy(() => tf.max(tf.abs(expected)).dataSync()[0] as number));
        const mine = perExample[k] as tf.Tensor;
        const slice = tf.tidy(() => mine.slice([row], [1]).reshape(expected.shape));
        const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(slice, expected))).dataSync()[0] as number);
        expect(difference).toBeLessThan(1e-5);
        tf.dispose([slice]);
      });
      tf.dispose(reference);
    }
    // Not vacuous: the gradients compared are far from zero.
    expect(largest).toBeGreaterThan(0.05);
    tf.dispose(perExample);
    tearDown(s);
  });

  it.each(CASES)('%s: ghost norms equal the norms of the materialised gradients; clipped norms ≤ C', (_, spec, classes) => {
    const s = setUp(spec, classes);
    const perExample = perExampleGradients(s.trace);
    const materialised = tf.tidy(() => tf.sqrt(tf.addN(perExample.map((g) => tf.sum(tf.square(g.reshape([ROWS, -1])), 1)))).arraySync() as number[]);
    const norms = perExampleGradientNorms(s.trace);
    const ghost = norms.arraySync();
    ghost.forEach((norm, i) => expect(norm).toBeCloseTo(materialised[i] as number, 5));
    // A clip below most norms, so clipping bites.
    const clip = [...ghost].sort((a, b) => a - b)[Math.floor(ROWS / 4)] as number;
    const factors = clipFactors(norms, clip);
    const clipped = tf.tidy(() =>
      tf.sqrt(tf.addN(perExample.map((g) => tf.sum(tf.square(tf.mul(g.reshape([ROWS, -1]), factors.reshape([-1, 1]))), 1)))).arraySync() as number[],
    );
    clipped.forEach((norm, i) => {
      expect(norm).toBeLessThanOrEqual(clip);
      // Small gradients pass unchanged; large ones end at the clip norm.
      expect(norm).toBeCloseTo(Math.min(ghost[i] as number, clip), 4);
    });
    expect(clipped.filter((n, i) => n < (ghost[i] as number) - 1e-6).length).toBeGreaterThan(ROWS / 2);
    // The clipped sum is Σ cᵢ gᵢ of the materialised gradients.
    const sums = weightedGradientSum(s.trace, factors);
    sums.forEach((sum, k) => {
      const expected = tf.tidy(() => {
        const g = perExample[k] as tf.Tensor;
        return tf.sum(tf.mul(g, factors.reshape([ROWS, ...g.shape.slice(1).map(() => 1)])), 0);
      });
      const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(sum, expected))).dataSync()[0] as number);
      expect(difference).toBeLessThan(1e-5);
      expected.dispose();
    });
    tf.dispose([norms, factors, ...sums, ...perExample]);
    tearDown(s);
  });

  it('computes the logits of the Keras model', () => {
    const [, spec, classes] = CASES[2] as (typeof CASES)[number];
    const s = setUp(spec, classes);
    const logitsModel = tf.model({ inputs: s.model.inputs, outputs: s.model.getLayer(LOGITS_LAYER).output });
    const keras = logitsModel.predict(s.x) as tf.Tensor;
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(keras, s.trace.logits))).dataSync()[0] as number)).toBeLessThan(1e-6);
    keras.dispose();
    tearDown(s);
  });
});
