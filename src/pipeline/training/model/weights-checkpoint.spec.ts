import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from './model-spec';
import { buildModel } from './model.builder';
import { modelSpecDigest, restoreWeights, serializeWeights, weightsDigest } from './weights-checkpoint';

const SPEC: ModelSpec = {
  type: 'mlp',
  hiddenLayers: [{ units: 5, activation: 'relu', dropout: 0.1 }],
  training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 8, epochs: 1, seed: 3 },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('weights checkpoints', () => {
  it('builds bit-identical models from one seed (Glorot, per-layer seeds) and different ones from another', () => {
    const [a, b, c] = [buildModel(SPEC, 4, 2), buildModel(SPEC, 4, 2), buildModel(SPEC, 4, 2, 4)];
    expect(weightsDigest(a)).toBe(weightsDigest(b));
    expect(weightsDigest(c)).not.toBe(weightsDigest(a));
    // Glorot uniform: |w| ≤ √(6 / (fan_in + fan_out)); biases start at 0.
    const kernel = a.getLayer('dense_0').getWeights()[0]?.dataSync() ?? [];
    expect(Math.max(...Array.from(kernel, Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (4 + 5)));
    expect(Array.from(a.getLayer('dense_0').getWeights()[1]?.dataSync() ?? [])).toEqual([0, 0, 0, 0, 0]);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('round-trips weights through JSON and refuses checkpoints of another model', () => {
    const source = buildModel(SPEC, 4, 2);
    const target = buildModel(SPEC, 4, 2, 99);
    const checkpoint = JSON.parse(JSON.stringify(serializeWeights(source, { specDigest: modelSpecDigest(SPEC) }))) as unknown;
    restoreWeights(target, checkpoint, { specDigest: modelSpecDigest(SPEC) });
    expect(weightsDigest(target)).toBe(weightsDigest(source));

    const other = buildModel({ ...SPEC, hiddenLayers: [{ units: 6, activation: 'relu' }] }, 4, 2);
    expect(() => restoreWeights(other, checkpoint)).toThrow(expect.objectContaining({ code: 'CHECKPOINT_MISMATCH' }) as Error);
    expect(() => restoreWeights(target, checkpoint, { specDigest: 'sha256:00' })).toThrow(/another model spec/);
    expect(() => restoreWeights(target, { format: 'assay.checkpoint', version: 1, weights: 'no' })).toThrow(/not a weights checkpoint/);
    [source, target, other].forEach((m) => m.dispose());
  });

  it('changes the digest when a single bit of one weight changes', () => {
    const model = buildModel(SPEC, 4, 2);
    const before = weightsDigest(model);
    const weights = model.getWeights().map((w) => w.clone());
    const bias = weights[weights.length - 1] as tf.Tensor;
    const bits = new Float32Array(bias.dataSync());
    const words = new Uint32Array(bits.buffer);
    words[0] = (words[0] as number) ^ 1;
    weights[weights.length - 1] = tf.tensor(bits, bias.shape);
    model.setWeights(weights);
    expect(weightsDigest(model)).not.toBe(before);
    tf.dispose([...weights, bias]);
    model.dispose();
  });
});
