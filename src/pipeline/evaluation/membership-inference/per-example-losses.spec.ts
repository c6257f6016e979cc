import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { buildModel, evaluate, type ModelSpec } from '../../training/model';
import { EvaluationError } from '../evaluation.error';
import { perExampleLosses } from './per-example-losses';

const TRAINING: ModelSpec['training'] = { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 16, epochs: 1, seed: 3 };
const EPSILON = Number.EPSILON;

/** Sets a one-input, one-unit model's kernel and bias. */
function setLine(model: tf.LayersModel, kernel: number, bias: number): void {
  const weights = [tf.tensor2d([[kernel]]), tf.tensor1d([bias])];
  model.setWeights(weights);
  tf.dispose(weights);
}

function randomRows(rows: number, features: number, classes: number, seed: string): { x: Float32Array; y: Int32Array } {
  const random = seedrandom(seed);
  return {
    x: Float32Array.from({ length: rows * features }, () => 4 * random() - 2),
    y: Int32Array.from({ length: rows }, () => Math.floor(random() * classes)),
  };
}

/** −ln p(true class) in float64 from the model's output probabilities. */
function expectedLosses(model: tf.LayersModel, x: Float32Array, y: Int32Array, features: number): number[] {
  const output = tf.tidy(() => model.predict(tf.tensor2d(x, [y.length, features])) as tf.Tensor2D);
  const probabilities = output.arraySync();
  output.dispose();
  return Array.from(y, (label, row) => {
    const p = probabilities[row]!;
    return -Math.log(p.length === 1 ? (label === 1 ? p[0]! : 1 - p[0]!) : p[label]!);
  });
}

async function errorOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof EvaluationError) return `${error.code} ${error.details.field ?? ''}`.trim();
    throw error;
  }
  return 'no error';
}

describe(perExampleLosses.name, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('binary sigmoid model: losses from the logits match −ln p, average to the trainer`s loss, and leak no tensor', async () => {
    const model = buildModel({ type: 'mlp', hiddenLayers: [{ units: 8, activation: 'tanh' }], training: TRAINING }, 5, 2);
    const { x, y } = randomRows(300, 5, 2, 'binary');
    const before = tf.memory().numTensors;
    const losses = await perExampleLosses(model, x, y, { batchSize: 64 });
    const viaProbabilities = await perExampleLosses(model, x, y, { source: 'probabilities' });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses).toBeInstanceOf(Float64Array);
    const expected = expectedLosses(model, x, y, 5);
    losses.forEach((loss, row) => {
      expect(loss).toBeCloseTo(expected[row]!, 5);
      expect(viaProbabilities[row]).toBeCloseTo(expected[row]!, 5);
    });
    const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
    expect(mean).toBeCloseTo(evaluate(model, { x, y: Float32Array.from(y), classes: 2 }).loss, 5);
    // Batching does not change a row's loss.
    expect(await perExampleLosses(model, x, y, { batchSize: 7 })).toEqual(losses);
    model.dispose();
  });

  it('multiclass softmax model, on a subset of rows in the given order', async () => {
    const model = buildModel({ type: 'logistic_regression', training: TRAINING }, 4, 3);
    const { x, y } = randomRows(50, 4, 3, 'multiclass');
    const expected = expectedLosses(model, x, y, 4);
    const all = await perExampleLosses(model, x, y);
    all.forEach((loss, row) => expect(loss).toBeCloseTo(expected[row]!, 5));
    const rows = [49, 0, 7, 7];
    expect(Array.from(await perExampleLosses(model, x, y, { rows }))).toEqual(rows.map((row) => all[row]));
    expect(await perExampleLosses(model, x, y, { rows: [] })).toEqual(new Float64Array(0));
    model.dispose();
  });

  it('clips to [−ln(1 − ε), −ln ε] on both paths, so confident rows are finite and tie only at the bounds', async () => {
    // One input, one sigmoid unit, kernel 1000: p is exactly 1 (x = 1) or 0 (x = −1) in float32.
    const plain = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1, activation: 'sigmoid', kernelInitializer: 'zeros' })] });
    setLine(plain, 1000, 0);
    const x = Float32Array.of(1, 1, -1, -1);
    const y = Int32Array.of(1, 0, 0, 1);
    const floor = -Math.log(1 - EPSILON);
    const ceiling = -Math.log(EPSILON);
    expect(Array.from(await perExampleLosses(plain, x, y))).toEqual([floor, ceiling, floor, ceiling]);
    expect(await errorOf(() => perExampleLosses(plain, x, y, { source: 'logits' }))).toBe('EVALUATION_OPTION_INVALID options.source');

    // The same function from the training library's builder: scored from its logits (±1000), clipped alike.
    const built = buildModel({ type: 'logistic_regression', training: TRAINING }, 1, 2);
    setLine(built, 1000, 0);
    expect(Array.from(await perExampleLosses(built, x, y))).toEqual([floor, ceiling, floor, ceiling]);
    // A moderately confident row keeps a loss far below what float32 probabilities resolve (≈ 6e-8).
    setLine(built, 20, 0);
    const [small] = await perExampleLosses(built, Float32Array.of(1), [1]);
    expect(small).toBeCloseTo(Math.log1p(Math.exp(-20)), 15);
    expect(small).toBeGreaterThan(1e-9);
    [plain, built].forEach((m) => m.dispose());
  });

  it('rejects bad labels, features, rows and options', async () => {
    const model = buildModel({ type: 'logistic_regression', training: TRAINING }, 2, 2);
    const x = Float32Array.of(0, 1, 1, 0);
    expect(await errorOf(() => perExampleLosses(model, x, [0, 2]))).toBe('EVALUATION_LABEL_INVALID yIndices');
    expect(await errorOf(() => perExampleLosses(model, x, []))).toBe('EVALUATION_NO_ROWS yIndices');
    expect(await errorOf(() => perExampleLosses(model, x, [0]))).toBe('EVALUATION_LENGTH_MISMATCH x');
    expect(await errorOf(() => perExampleLosses(model, Float32Array.of(0, Number.NaN, 1, 0), [0, 1]))).toBe('EVALUATION_FEATURE_INVALID x');
    expect(await errorOf(() => perExampleLosses(model, x, [0, 1], { rows: [2] }))).toBe('EVALUATION_OPTION_INVALID options.rows');
    expect(await errorOf(() => perExampleLosses(model, x, [0, 1], { batchSize: 0 }))).toBe('EVALUATION_OPTION_INVALID options.batchSize');
    expect(await errorOf(() => perExampleLosses(model, x, [0, 1], { logLossEpsilon: 0.7 }))).toBe('EVALUATION_OPTION_INVALID options.logLossEpsilon');
    model.dispose();
  });
});
