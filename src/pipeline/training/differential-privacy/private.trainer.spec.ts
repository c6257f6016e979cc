import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../model/model-spec';
import { evaluate } from '../model/model.trainer';
import { TrainingError } from '../model/training.error';
import { restoreWeights, weightsDigest } from '../model/weights-checkpoint';
import { buildModel } from '../model/model.builder';
import { DifferentialPrivacyError } from './differential-privacy.error';
import type { DpWeightsCheckpoint } from './dp-checkpoint';
import { dpSgdSchedule } from './dp-sgd.schedule';
import { blobs } from './dp-test.fixture';
import { computePrivacySpent } from './privacy-spent';
import type { DpTrainingOptions } from './dp-training.options';
import { trainPrivately } from './private.trainer';

const TRAINING: ModelSpec['training'] = { optimizer: { type: 'adam', learningRate: 0.05 }, batchSize: 20, epochs: 3, seed: 21 };
const LOGISTIC: ModelSpec = { type: 'logistic_regression', training: TRAINING };
const MLP: ModelSpec = { type: 'mlp', hiddenLayers: [{ units: 8, activation: 'relu' }], training: { ...TRAINING, l2: 0.001 } };
const DP: DpTrainingOptions = { noiseMultiplier: 1.1, l2NormClip: 1, delta: 1e-3 };
const DATA = blobs(200, 5, 'dp-train', { separation: 3 });
const CLASSES = ['no', 'yes'];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe(trainPrivately.name, () => {
  it('learns a separable problem despite the noise, and reports the privacy spent', async () => {
    const test = blobs(200, 5, 'dp-test', { separation: 3 });
    const spec: ModelSpec = { ...LOGISTIC, training: { ...TRAINING, epochs: 5 } };
    const result = await trainPrivately({ spec, ...DATA, classes: CLASSES, dp: DP });
    const accuracy = evaluate(result.model, { ...test, classes: CLASSES }).accuracy;
    expect(accuracy).toBeGreaterThan(0.85);
    // 200 rows, B = 20: 10 steps per epoch at q = 0.1 — what the schedule promises before the run.
    expect(dpSgdSchedule({ rows: 200, expectedBatchSize: 20, epochs: 5 })).toEqual({ sampleRate: 0.1, expectedBatchSize: 20, stepsPerEpoch: 10, steps: 50 });
    expect(result.privacy).toEqual({
      ...computePrivacySpent({ sampleRate: 0.1, noiseMultiplier: 1.1, steps: 50, delta: 1e-3 }),
      l2NormClip: 1,
      expectedBatchSize: 20,
      randomness: 'seeded',
    });
    expect(result.privacy).toMatchObject({ conversion: 'balle2020', steps: 50, epsilon: expect.any(Number) });
    expect(JSON.parse(JSON.stringify(result.privacy))).toEqual(result.privacy);
    expect(result.history).toHaveLength(5);
    result.model.dispose();
  });

  it.each([
    ['logistic regression', LOGISTIC],
    ['MLP with L2', MLP],
  ])('%s: same seed → identical weights, another seed → other weights', async (_, spec) => {
    const digest = async (seed?: number) => {
      const { model } = await trainPrivately({ spec, ...DATA, classes: CLASSES, dp: DP, ...(seed === undefined ? {} : { seed }) });
      const d = weightsDigest(model);
      model.dispose();
      return d;
    };
    const first = await digest();
    expect(await digest()).toBe(first);
    expect(await digest(22)).not.toBe(first);
  });

  it('resumes from an epoch checkpoint bit-identical, and the accountant continues the step count', async () => {
    const whole = await trainPrivately({ spec: MLP, ...DATA, classes: CLASSES, dp: DP });
    let saved: DpWeightsCheckpoint | undefined;
    const part = await trainPrivately({
      spec: MLP,
      ...DATA,
      classes: CLASSES,
      dp: DP,
      onEpoch: async (epoch, report) => {
        expect(report.privacy.steps).toBe((epoch + 1) * 10);
        if (epoch === 0) saved = await report.checkpoint();
      },
      shouldStop: () => saved !== undefined,
    });
    expect(part).toMatchObject({ cancelled: true, epochsCompleted: 1 });
    expect(saved?.privacy).toEqual({ steps: 10, sampleRate: 0.1, noiseMultiplier: 1.1, l2NormClip: 1, expectedBatchSize: 20 });
    // Still an ordinary checkpoint for restoreWeights.
    const plain = buildModel(MLP, 5, 2);
    restoreWeights(plain, saved);
    expect(weightsDigest(plain)).toBe(weightsDigest(part.model));

    const resumed = await trainPrivately({ spec: MLP, ...DATA, classes: CLASSES, dp: DP, initialWeights: JSON.parse(JSON.stringify(saved)) });
    expect(weightsDigest(resumed.model)).toBe(weightsDigest(whole.model));
    expect(resumed.privacy).toEqual(whole.privacy);
    expect(resumed.history).toEqual(whole.history);
    [whole, part, resumed].forEach((r) => r.model.dispose());
    plain.dispose();
  });

  it('refuses a checkpoint without accounting or with another configuration', async () => {
    let saved: DpWeightsCheckpoint | undefined;
    const part = await trainPrivately({
      spec: LOGISTIC,
      ...DATA,
      classes: CLASSES,
      dp: DP,
      onEpoch: async (_, report) => void (saved = await report.checkpoint()),
      shouldStop: () => saved !== undefined,
    });
    part.model.dispose();
    const { privacy: _dropped, ...withoutPrivacy } = saved as DpWeightsCheckpoint;
    await expect(trainPrivately({ spec: LOGISTIC, ...DATA, classes: CLASSES, dp: DP, initialWeights: withoutPrivacy })).rejects.toMatchObject({ code: 'DP_CHECKPOINT_MISMATCH' });
    await expect(trainPrivately({ spec: LOGISTIC, ...DATA, classes: CLASSES, dp: { ...DP, noiseMultiplier: 2 }, initialWeights: saved })).rejects.toMatchObject({
      code: 'DP_CHECKPOINT_MISMATCH',
      details: { parameter: 'noiseMultiplier' },
    });
  });

  it.each([
    ['CNN specs', { type: 'cnn', inputShape: [1, 5, 1], convLayers: [{ filters: 2, kernelSize: 1, activation: 'relu' }], denseLayers: [], training: TRAINING }, 'type'],
    ['dropout', { ...MLP, hiddenLayers: [{ units: 4, activation: 'relu', dropout: 0.2 }] }, 'hiddenLayers[0].dropout'],
    ['balanced class weights', { ...LOGISTIC, training: { ...TRAINING, classWeights: 'balanced' } }, 'training.classWeights'],
  ] as [string, ModelSpec, string][])('refuses %s', async (_, spec, parameter) => {
    const attempt = trainPrivately({ spec, ...DATA, classes: CLASSES, dp: DP });
    await expect(attempt).rejects.toBeInstanceOf(DifferentialPrivacyError);
    await expect(attempt).rejects.toMatchObject({ code: 'DP_SPEC_UNSUPPORTED', details: { parameter } });
  });

  it('refuses bad DP options and bad data with the errors train() gives', async () => {
    await expect(trainPrivately({ spec: LOGISTIC, ...DATA, classes: CLASSES, dp: { ...DP, l2NormClip: 0 } })).rejects.toMatchObject({
      code: 'DP_PARAMETER_INVALID',
      details: { parameter: 'l2NormClip' },
    });
    await expect(trainPrivately({ spec: LOGISTIC, ...DATA, classes: CLASSES, dp: { ...DP, delta: 0 } })).rejects.toMatchObject({ details: { parameter: 'delta' } });
    await expect(trainPrivately({ spec: LOGISTIC, x: DATA.x, y: DATA.y.map(() => 2), classes: CLASSES, dp: DP })).rejects.toBeInstanceOf(TrainingError);
  });

  it('leaks no tensors over a run with validation, early stopping, checkpoints and class weights', async () => {
    const val = blobs(60, 5, 'dp-val', { separation: 3 });
    const spec: ModelSpec = { ...MLP, training: { ...MLP.training, classWeights: { yes: 2 }, optimizer: { type: 'momentum', learningRate: 0.1 }, earlyStopping: { patience: 1 } } };
    const before = tf.memory().numTensors;
    const result = await trainPrivately({
      spec,
      ...DATA,
      xVal: val.x,
      yVal: val.y,
      classes: CLASSES,
      dp: { ...DP, randomness: 'secure' },
      onEpoch: async (_, report) => void JSON.stringify(await report.checkpoint()),
    });
    expect(result.history[0]?.valLoss).toEqual(expect.any(Number));
    expect(result.privacy.randomness).toBe('secure');
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
