import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { train, type ModelSpec } from '../../training/model';
import { expectEvidenceSafe } from '../evaluation.fixture';
import { balancedMembershipSample } from './balanced-sample';
import { lossThresholdAttack } from './loss-threshold-attack';
import { perExampleLosses } from './per-example-losses';

const FEATURES = 8;

/** Gaussian rows; the label is sign(x₀) flipped with probability 0.35, so most of what a model fits beyond x₀ is noise. */
function noisyRows(rows: number, seed: string): { x: Float32Array; y: Int32Array } {
  const random = seedrandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x = new Float32Array(rows * FEATURES);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < FEATURES; f++) x[r * FEATURES + f] = gaussian();
    const clean = x[r * FEATURES]! > 0 ? 1 : 0;
    y[r] = random() < 0.35 ? 1 - clean : clean;
  }
  return { x, y };
}

// Wide, unregularised, trained long on few rows: it memorises its training set.
const OVERFIT: ModelSpec = {
  type: 'mlp',
  hiddenLayers: [
    { units: 64, activation: 'relu' },
    { units: 64, activation: 'relu' },
  ],
  training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 32, epochs: 80, seed: 11 },
};

describe('membership-inference audit of a trained model', () => {
  const members = noisyRows(200, 'members');
  let model: tf.LayersModel;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const trained = await train({ spec: OVERFIT, x: members.x, y: Float32Array.from(members.y), classes: 2 });
    model = trained.model;
    // It has memorised the noise: (almost) every training label is fitted.
    expect(trained.history.at(-1)!.accuracy).toBeGreaterThan(0.95);
  }, 60_000);

  afterAll(() => model?.dispose());

  it('finds the training rows of an overfit model: AUC clearly above ½', async () => {
    const fresh = noisyRows(400, 'non-members');
    const sample = balancedMembershipSample(200, 400, { seed: 5 });
    const before = tf.memory().numTensors;
    const memberLosses = await perExampleLosses(model, members.x, members.y, { rows: sample.members });
    const nonMemberLosses = await perExampleLosses(model, fresh.x, fresh.y, { rows: sample.nonMembers });
    expect(tf.memory().numTensors).toBe(before);

    const result = lossThresholdAttack({ memberLosses, nonMemberLosses }, { seed: 7 });
    // Measured: AUC 0.853 [0.814, 0.894], advantage 0.700 [0.645, 0.770]; mean loss 0.0014 (members) vs 3.33.
    expect(result).toMatchObject({ attack: 'loss_threshold', members: 200, nonMembers: 200, ciReason: null });
    expect(result.aucCi!.lower).toBeGreaterThan(0.6);
    expect(result.advantageCi!.lower).toBeGreaterThan(0.2);
    expect(result.meanMemberLoss).toBeLessThan(result.meanNonMemberLoss);
    expectEvidenceSafe(result);
  });

  it('finds nothing when neither side was trained on: AUC near ½, its interval contains ½', async () => {
    // Inference is cheap: 1000 rows a side make the interval tight (AUC standard error ≈ 0.013).
    const a = noisyRows(1000, 'unseen-a');
    const b = noisyRows(1000, 'unseen-b');
    const result = lossThresholdAttack(
      { memberLosses: await perExampleLosses(model, a.x, a.y), nonMemberLosses: await perExampleLosses(model, b.x, b.y) },
      { seed: 7 },
    );
    // Measured: AUC 0.518 [0.492, 0.543]; advantage 0.038 [0.023, 0.086] (a maximum over thresholds: above 0 even by chance).
    expect(result.aucCi!.lower).toBeLessThan(0.5);
    expect(result.aucCi!.upper).toBeGreaterThan(0.5);
    expect(Math.abs(result.auc - 0.5)).toBeLessThan(0.05);
  });
});
