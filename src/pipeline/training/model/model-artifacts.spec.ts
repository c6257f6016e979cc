import * as tf from '@tensorflow/tfjs';
import { loadModel, MODEL_JSON, saveModel, WEIGHTS_BIN } from './model-artifacts';
import type { ModelSpec } from './model-spec';
import { buildModel } from './model.builder';
import { weightsDigest } from './weights-checkpoint';

const SPEC: ModelSpec = {
  type: 'cnn',
  inputShape: [6, 6, 1],
  convLayers: [{ filters: 2, kernelSize: 3, activation: 'relu', pool: { size: 2 } }],
  denseLayers: [{ units: 4, activation: 'tanh', dropout: 0.5 }],
  training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 8, epochs: 1, seed: 5, l2: 0.01 },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('model artifacts', () => {
  it('saves model.json + weights.bin deterministically and loads the same model back', async () => {
    const model = buildModel(SPEC, 36, 3);
    const metadata = { preprocessorDigest: 'sha256:abc', classes: ['a', 'b', 'c'] };
    const saved = await saveModel(model, { metadata });
    expect(saved.files.map((f) => f.path)).toEqual([MODEL_JSON, WEIGHTS_BIN]);
    expect(saved.files[1]?.bytes.byteLength).toBe(model.countParams() * 4);
    const again = await saveModel(model, { metadata });
    expect(Buffer.from(again.files[0]?.bytes ?? []).equals(Buffer.from(saved.files[0]?.bytes ?? []))).toBe(true);

    const loaded = await loadModel(saved);
    expect(weightsDigest(loaded)).toBe(weightsDigest(model));
    expect(loaded.getUserDefinedMetadata()).toEqual(metadata);
    const x = tf.randomUniform([5, 36], 0, 1, 'float32', 1);
    const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
    tf.dispose([x, p, q]);
    model.dispose();
    loaded.dispose();
  });

  it('refuses truncated weights, foreign layers and oversized topologies', async () => {
    const model = buildModel(SPEC, 36, 3);
    const { files } = await saveModel(model);
    const json = JSON.parse(Buffer.from(files[0]?.bytes ?? []).toString('utf8'));
    const weights = files[1] as { path: string; bytes: Uint8Array };
    const withJson = (value: unknown) => [{ path: MODEL_JSON, bytes: Buffer.from(JSON.stringify(value)) }, weights];

    await expect(loadModel([files[0]!, { path: WEIGHTS_BIN, bytes: weights.bytes.subarray(4) }])).rejects.toMatchObject({ code: 'MODEL_ARTIFACT_INVALID' });
    await expect(loadModel([files[0]!])).rejects.toThrow(/missing weights file/);
    const lambda = structuredClone(json);
    lambda.modelTopology.config.layers[1].class_name = 'Lambda';
    await expect(loadModel(withJson(lambda))).rejects.toThrow(/Lambda is not one Assay builds/);
    const huge = structuredClone(json);
    const dense = huge.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === 'Dense');
    dense.config.units = 1e9;
    await expect(loadModel(withJson(huge))).rejects.toThrow(/exceeds the spec limits/);
    await expect(loadModel([{ path: MODEL_JSON, bytes: Buffer.from('{') }])).rejects.toThrow(/not JSON/);
    model.dispose();
  });
});
