import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelSpec } from './model-spec';
import { train } from './model.trainer';
import { weightsDigest, type WeightsCheckpoint } from './weights-checkpoint';

// The same guarantees on the wasm backend (dense models: its convolution gradients are the engine's business).
const x = Float32Array.from({ length: 1600 }, (_, i) => Math.sin(i));
const y = Float32Array.from({ length: 400 }, (_, i) => (Math.sin(i * 4) > 0 ? 1 : 0));
const SPEC: ModelSpec = {
  type: 'mlp',
  hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0.2 }],
  training: { l2: 0.01, optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 16, epochs: 3, seed: 1 },
};

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe(`${train.name} on wasm`, () => {
  it('gives identical weights for one seed, different ones for another, and resumes bit-identically', async () => {
    const runs = [await train({ spec: SPEC, x, y, classes: 2 }), await train({ spec: SPEC, x, y, classes: 2 }), await train({ spec: SPEC, x, y, classes: 2, seed: 2 })];
    expect(tf.getBackend()).toBe('wasm');
    const [a, b, c] = runs.map((r) => weightsDigest(r.model));
    expect(b).toBe(a);
    expect(c).not.toBe(a);

    let saved: WeightsCheckpoint | undefined;
    const part = await train({ spec: SPEC, x, y, classes: 2, onEpoch: async (e, r) => void (e === 0 ? (saved = await r.checkpoint()) : undefined), shouldStop: () => saved !== undefined });
    const resumed = await train({ spec: SPEC, x, y, classes: 2, initialWeights: saved });
    expect(weightsDigest(resumed.model)).toBe(a);
    [...runs, part, resumed].forEach((r) => r.model.dispose());
  });
});
