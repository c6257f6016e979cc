/** End to end on the wasm backend: small CNNs train (loss falls), reproducibly. */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './backend';

const SIZE = 12;
const CLASSES = 3;

/** A learnable toy task: the class is the third of the image (left, middle, right) holding a bright bar. */
function dataset(count: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  const pixels = new Float32Array(count * SIZE * SIZE);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = Math.floor(next() * CLASSES);
    labels[n] = label;
    for (let i = 0; i < SIZE; i++) {
      for (let j = 0; j < SIZE; j++) {
        const inBar = Math.floor(j / (SIZE / CLASSES)) === label && i > 2 && i < SIZE - 3;
        pixels[(n * SIZE + i) * SIZE + j] = (inBar ? 0.8 : 0) + 0.3 * (next() - 0.5);
      }
    }
  }
  return tf.tidy(() => ({
    x: tf.tensor4d(pixels, [count, SIZE, SIZE, 1]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES) as tf.Tensor2D,
  }));
}

/** conv 4 3×3 same → maxpool 2 → conv 8 3×3 valid → relu → maxpool 2 → dense 3; Adam; returns the losses. */
function trainCnn(steps: number): number[] {
  const { x, y } = dataset(32, 7);
  // tf.variable keeps its initial tensor alive; tidy disposes it (and never disposes variables).
  const glorot = (shape: number[], fanIn: number, fanOut: number, seed: number) =>
    tf.tidy(() => tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut)), 'float32', seed)));
  const w1 = glorot([3, 3, 1, 4], 9, 36, 1);
  const b1 = tf.tidy(() => tf.variable(tf.zeros([4])));
  const w2 = glorot([3, 3, 4, 8], 36, 72, 2);
  const w3 = glorot([2 * 2 * 8, CLASSES], 32, CLASSES, 3);
  const optimizer = tf.train.adam(0.02);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => {
      let h = tf.fused.conv2d({ x, filter: w1 as tf.Tensor4D, strides: 1, pad: 'same', bias: b1, activation: 'relu' });
      h = tf.maxPool(h, 2, 2, 'valid');
      h = tf.relu(tf.maxPool(tf.conv2d(h, w2 as tf.Tensor4D, 1, 'valid'), 2, 2, 'valid')); // pool before relu: signed windows
      return tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.reshape(h, [-1, 32]), w3));
    }, true)!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  }
  optimizer.dispose();
  tf.dispose([x, y, w1, b1, w2, w3]);
  return losses;
}

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

describe('CNN training on the wasm backend', () => {
  it('trains: the loss falls over a few Adam steps', () => {
    const before = tf.memory().numTensors;
    const losses = trainCnn(15);
    expect(tf.getBackend()).toBe('wasm');
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is reproducible bit for bit from the same seed', () => {
    expect(trainCnn(4)).toEqual(trainCnn(4));
  });

  it('follows the cpu backend closely step for step', async () => {
    const wasm = trainCnn(5);
    await selectBackend('cpu');
    const cpu = trainCnn(5);
    await selectBackend('wasm');
    wasm.forEach((loss, step) => expect(Math.abs(loss - cpu[step]!)).toBeLessThan(1e-3));
  });

  it('fits a tf.layers model (conv2d / maxPooling2d / dense, categorical cross-entropy)', async () => {
    const { x, y } = dataset(48, 11);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [SIZE, SIZE, 1],
          filters: 6,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({
          filters: 8,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
        tf.layers.flatten(),
        tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const history = await model.fit(x, y, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
    model.dispose();
    tf.dispose([x, y]);
  });
});
