import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import type { ModelSpec } from './model-spec';
import { evaluate, train } from './model.trainer';
import { TrainingError } from './training.error';
import { weightsDigest, type WeightsCheckpoint } from './weights-checkpoint';

/** Two noisy Gaussian blobs in `features` dimensions; class 1 is `positiveShare` of the rows. */
function blobs(rows: number, features: number, seed: string, positiveShare = 0.5): { x: Float32Array; y: Float32Array } {
  const random = seedrandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const label = random() < positiveShare ? 1 : 0;
    y[r] = label;
    for (let f = 0; f < features; f++) x[r * features + f] = gaussian() + (label ? 0.8 : -0.8) * (f < 2 ? 1 : 0);
  }
  return { x, y };
}

const TRAINING: ModelSpec['training'] = { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 16, epochs: 4, seed: 7 };
const LOGISTIC: ModelSpec = { type: 'logistic_regression', training: TRAINING };
const MLP: ModelSpec = {
  type: 'mlp',
  hiddenLayers: [
    { units: 16, activation: 'relu', dropout: 0.3 },
    { units: 8, activation: 'tanh' },
  ],
  training: { ...TRAINING, l2: 0.001 },
};
const DATA = blobs(200, 6, 'train');
const CLASSES = ['negative', 'positive'];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function digestOf(spec: ModelSpec, seed?: number): Promise<string> {
  const { model } = await train({ spec, ...DATA, classes: CLASSES, ...(seed === undefined ? {} : { seed }) });
  const digest = weightsDigest(model);
  model.dispose();
  return digest;
}

describe(train.name, () => {
  it.each([
    ['logistic regression', LOGISTIC],
    ['MLP with dropout and L2', MLP],
  ])('%s: same seed → identical weights, different seed → different weights', async (_, spec) => {
    const first = await digestOf(spec);
    expect(await digestOf(spec)).toBe(first);
    expect(await digestOf(spec, 8)).not.toBe(first);
  });

  it('resumes from an epoch checkpoint (weights, Adam moments, dropout steps) bit-identical to an uninterrupted run', async () => {
    const uninterrupted = await train({ spec: MLP, ...DATA, classes: CLASSES });
    const expected = weightsDigest(uninterrupted.model);
    uninterrupted.model.dispose();

    let saved: WeightsCheckpoint | undefined;
    const first = await train({
      spec: MLP,
      ...DATA,
      classes: CLASSES,
      onEpoch: async (epoch, report) => {
        if (epoch === 1) saved = await report.checkpoint();
      },
      shouldStop: () => saved !== undefined,
    });
    expect(first.cancelled).toBe(true);
    expect(first.epochsCompleted).toBe(2);
    first.model.dispose();

    // Through JSON, as a checkpoint would be stored.
    const resumed = await train({ spec: MLP, ...DATA, classes: CLASSES, initialWeights: JSON.parse(JSON.stringify(saved)) });
    expect(resumed.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
    expect(weightsDigest(resumed.model)).toBe(expected);
    resumed.model.dispose();
  });

  it('stops early when the validation loss stops improving, and returns the best weights', async () => {
    // Validation labels are the training labels flipped: every epoch of learning makes validation worse.
    const val = blobs(100, 6, 'val');
    const yVal = val.y.map((v) => 1 - v);
    const spec: ModelSpec = { ...LOGISTIC, training: { ...TRAINING, epochs: 50, earlyStopping: { patience: 3 } } };
    const result = await train({ spec, ...DATA, xVal: val.x, yVal, classes: CLASSES });
    expect(result.stoppedEarly).toBe(true);
    expect(result.bestEpoch).toBe(0);
    expect(result.history).toHaveLength(4);
    expect(result.weightsEpoch).toBe(0);
    const valLosses = result.history.map((h) => h.valLoss as number);
    expect(valLosses[3]).toBeGreaterThan(valLosses[0] as number);
    // The returned model is the epoch-0 model: its validation loss is the best one recorded.
    expect(evaluate(result.model, { x: val.x, y: yVal, classes: CLASSES }).loss).toBeCloseTo(valLosses[0] as number, 5);
    result.model.dispose();
  });

  it('resumes early stopping with its best weights from the checkpoint', async () => {
    const val = blobs(100, 6, 'val');
    const yVal = val.y.map((v) => 1 - v);
    const spec: ModelSpec = { ...MLP, training: { ...MLP.training, epochs: 50, earlyStopping: { patience: 3 } } };
    const whole = await train({ spec, ...DATA, xVal: val.x, yVal, classes: CLASSES });
    let saved: WeightsCheckpoint | undefined;
    const part = await train({
      spec,
      ...DATA,
      xVal: val.x,
      yVal,
      classes: CLASSES,
      onEpoch: async (epoch, report) => {
        if (epoch === 1) saved = await report.checkpoint();
      },
      shouldStop: () => saved !== undefined,
    });
    expect(saved?.progress).toMatchObject({ epochsCompleted: 2, bestEpoch: 0, epochsWithoutImprovement: 1, bestWeights: expect.any(Array) });
    const resumed = await train({ spec, ...DATA, xVal: val.x, yVal, classes: CLASSES, initialWeights: saved });
    expect(resumed).toMatchObject({ stoppedEarly: true, bestEpoch: whole.bestEpoch, weightsEpoch: whole.weightsEpoch, history: whole.history });
    expect(weightsDigest(resumed.model)).toBe(weightsDigest(whole.model));
    [whole, part, resumed].forEach((r) => r.model.dispose());
  });

  it('class weights change the model: balanced weights raise recall of the rare class', async () => {
    const rare = blobs(400, 6, 'rare', 0.1);
    const recall = async (classWeights?: 'balanced') => {
      const spec: ModelSpec = { ...LOGISTIC, training: { ...TRAINING, epochs: 10, ...(classWeights ? { classWeights } : {}) } };
      const { model } = await train({ spec, ...rare, classes: CLASSES });
      const p = (model.predict(tf.tensor2d(rare.x, [400, 6])) as tf.Tensor).dataSync();
      let hits = 0;
      let positives = 0;
      rare.y.forEach((label, i) => {
        if (label === 1) {
          positives++;
          if ((p[i] as number) > 0.5) hits++;
        }
      });
      const digest = weightsDigest(model);
      model.dispose();
      return { recall: hits / positives, digest };
    };
    const plain = await recall();
    const balanced = await recall('balanced');
    expect(balanced.digest).not.toBe(plain.digest);
    expect(balanced.recall).toBeGreaterThan(plain.recall);
  });

  it('reports a diverging run (learning rate 1e10) as TRAINING_DIVERGED', async () => {
    const spec: ModelSpec = { ...MLP, training: { ...MLP.training, optimizer: { type: 'sgd', learningRate: 1e10 } } };
    const error = await train({ spec, ...DATA, classes: CLASSES }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect(error).toMatchObject({ code: 'TRAINING_DIVERGED', details: { epoch: expect.any(Number), loss: expect.stringMatching(/NaN|Infinity/) } });
  });

  it('reports batches and epochs, and cancels between batches', async () => {
    let batches = 0;
    const epochs: number[] = [];
    const result = await train({
      spec: LOGISTIC,
      ...DATA,
      classes: CLASSES,
      onBatch: () => {
        batches++;
      },
      onEpoch: (epoch, report) => {
        epochs.push(epoch);
        expect(report.loss).toBeGreaterThan(0);
        expect(report.metrics.accuracy).toBeGreaterThanOrEqual(0);
        expect(report.valLoss).toBeUndefined();
      },
      shouldStop: () => batches >= 20,
    });
    // 200 rows / 16 = 13 batches an epoch: the 21st batch is never run.
    expect(batches).toBe(20);
    expect(epochs).toEqual([0]);
    expect(result).toMatchObject({ cancelled: true, epochsCompleted: 1 });
    result.model.dispose();
  });

  it('releases every tensor it made (but the model) on success and on failure', async () => {
    const before = tf.memory().numTensors;
    const val = blobs(50, 6, 'val');
    const { model } = await train({ spec: { ...MLP, training: { ...MLP.training, earlyStopping: { patience: 1 } } }, ...DATA, xVal: val.x, yVal: val.y, classes: CLASSES });
    model.dispose();
    const diverging: ModelSpec = { ...MLP, training: { ...MLP.training, optimizer: { type: 'sgd', learningRate: 1e10 } } };
    await expect(train({ spec: diverging, ...DATA, classes: CLASSES })).rejects.toThrow(TrainingError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('re-validates a spec that was cast rather than validated', async () => {
    const cast = { type: 'mlp', hiddenLayers: [{ units: 1e9, activation: 'relu' }], training: TRAINING } as ModelSpec;
    await expect(train({ spec: cast, ...DATA, classes: CLASSES })).rejects.toMatchObject({ code: 'MODEL_SPEC_INVALID' });
  });

  it('refuses labels that are not classes, and checkpoints of another spec', async () => {
    const bad = { ...DATA, y: DATA.y.map((v, i) => (i === 3 ? 2 : v)) };
    await expect(train({ spec: LOGISTIC, ...bad, classes: CLASSES })).rejects.toMatchObject({ code: 'TRAINING_DATA_INVALID' });
    let saved: WeightsCheckpoint | undefined;
    const run = await train({ spec: LOGISTIC, ...DATA, classes: CLASSES, onEpoch: async (_, r) => void (saved = await r.checkpoint()) });
    run.model.dispose();
    await expect(train({ spec: LOGISTIC, ...DATA, classes: CLASSES, seed: 99, initialWeights: saved })).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH' });
  });

  it('trains a multiclass softmax model', async () => {
    const random = seedrandom('multi');
    const rows = 300;
    const x = new Float32Array(rows * 2);
    const y = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const k = r % 3;
      y[r] = k;
      x[r * 2] = Math.cos((2 * Math.PI * k) / 3) * 2 + random() - 0.5;
      x[r * 2 + 1] = Math.sin((2 * Math.PI * k) / 3) * 2 + random() - 0.5;
    }
    const spec: ModelSpec = { type: 'mlp', hiddenLayers: [{ units: 8, activation: 'relu' }], training: { ...TRAINING, epochs: 10 } };
    const { model } = await train({ spec, x, y, classes: ['a', 'b', 'c'] });
    expect(evaluate(model, { x, y, classes: 3 }).accuracy).toBeGreaterThan(0.95);
    model.dispose();
  });
});
