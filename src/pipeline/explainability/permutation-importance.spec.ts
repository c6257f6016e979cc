import * as tf from '@tensorflow/tfjs';
import { LOGISTIC_SPEC, syntheticTable, TABLE_FEATURES, TABLE_GROUPS, trainedModel } from './explainability.fixture';
import { accuracyMetric, type Metric } from './metrics';
import { permutationImportance } from './permutation-importance';
import { probabilityPredictor, scorePredictor, type PredictFunction } from './predict-function';

let model: tf.LayersModel;
const test = syntheticTable(400, 'test');

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = await trainedModel(LOGISTIC_SPEC);
});

afterAll(() => model.dispose());

const base = () => ({ x: test.x, rows: test.rows, features: TABLE_FEATURES, y: test.y, groups: TABLE_GROUPS, seed: 42 });

describe(permutationImportance.name, () => {
  it('ranks the planted informative column first and the planted noise column last, by accuracy and by ROC AUC', async () => {
    const result = await permutationImportance({ ...base(), predict: scorePredictor(model) });
    expect(result.metrics.map((m) => m.metric)).toEqual(['accuracy', 'roc_auc']);
    for (const metric of result.metrics) {
      expect(metric.baseline).toBeGreaterThan(metric.metric === 'accuracy' ? 0.85 : 0.93);
      expect(metric.columns[0]!.column).toBe('signal');
      expect(metric.columns.at(-1)!.column).toBe('noise');
      expect(metric.columns[0]!.mean).toBeGreaterThan(0.2);
      expect(Math.abs(metric.columns.at(-1)!.mean)).toBeLessThan(0.02);
      for (const column of metric.columns) {
        expect(column.drops).toHaveLength(5);
        const mean = column.drops.reduce((a, b) => a + b, 0) / 5;
        expect(column.mean).toBeCloseTo(mean, 12);
        expect(column.std).toBeCloseTo(Math.sqrt(column.drops.reduce((a, d) => a + (d - mean) ** 2, 0) / 5), 12);
      }
      expect(metric.columns.find((c) => c.column === 'colour')!.features).toBe(3);
    }
    expect(result).toMatchObject({ repeats: 5, rows: 400, predictCalls: 1 + 4 * 5, rowsEvaluated: 21 * 400 });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('permutes a one-hot group with one row permutation (rows stay valid encodings) in one predict call per column and repeat', async () => {
    const inner = scorePredictor(model);
    const seen: { rows: number; validOneHot: boolean; changed: number[] }[] = [];
    const spy: PredictFunction = (x, rows) => {
      let validOneHot = true;
      const changed = new Set<number>();
      for (let r = 0; r < rows; r++) {
        const slots = [3, 4, 5].map((f) => x[r * TABLE_FEATURES + f]!);
        if (slots.reduce((a, b) => a + b, 0) !== 1 || !slots.every((v) => v === 0 || v === 1)) validOneHot = false;
        for (let f = 0; f < TABLE_FEATURES; f++) if (x[r * TABLE_FEATURES + f] !== test.x[r * TABLE_FEATURES + f]) changed.add(f);
      }
      seen.push({ rows, validOneHot, changed: [...changed].sort() });
      return inner(x, rows);
    };
    await permutationImportance({ ...base(), predict: spy, repeats: 2 });
    expect(seen.map((s) => s.changed)).toEqual([[], [0], [0], [1], [1], [2], [2], [3, 4, 5], [3, 4, 5]]);
    expect(seen.every((s) => s.rows === 400 && s.validOneHot)).toBe(true);
  });

  it('is reproducible from its seed; a different seed draws different permutations', async () => {
    const predict = scorePredictor(model);
    const a = await permutationImportance({ ...base(), predict, repeats: 3 });
    expect(await permutationImportance({ ...base(), predict, repeats: 3 })).toEqual(a);
    const b = await permutationImportance({ ...base(), predict, repeats: 3, seed: 43 });
    expect(b.metrics[0]!.columns[0]!.drops).not.toEqual(a.metrics[0]!.columns[0]!.drops);
  });

  it('takes per-class outputs and caller metrics (lower-is-better counted as a rise)', async () => {
    const logLoss: Metric = {
      name: 'log_loss',
      higherIsBetter: false,
      compute: (y, p, outputs) => {
        let sum = 0;
        for (let r = 0; r < y.length; r++) sum -= Math.log(Math.max(1e-7, p[r * outputs + y[r]!]!));
        return sum / y.length;
      },
    };
    const result = await permutationImportance({ ...base(), predict: probabilityPredictor(model), metrics: [accuracyMetric(), logLoss], repeats: 2 });
    const [accuracy, loss] = result.metrics;
    expect(loss!.metric).toBe('log_loss');
    expect(loss!.columns[0]!.column).toBe('signal');
    expect(loss!.columns[0]!.mean).toBeGreaterThan(0);
    // Two outputs per row: accuracy on [P(0), P(1)] equals accuracy on P(1) alone.
    const single = await permutationImportance({ ...base(), predict: scorePredictor(model), metrics: [accuracyMetric()], repeats: 2 });
    expect(accuracy).toEqual(single.metrics[0]);
  });

  it('rejects bad input with stable codes', async () => {
    const predict = scorePredictor(model);
    await expect(permutationImportance({ ...base(), predict, y: test.y.subarray(1) })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    await expect(permutationImportance({ ...base(), predict, repeats: 0 })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    await expect(permutationImportance({ ...base(), predict, seed: -1 })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    await expect(permutationImportance({ ...base(), predict, y: new Float32Array(400) })).rejects.toMatchObject({ code: 'EXPLAIN_METRIC_UNDEFINED' });
    await expect(permutationImportance({ ...base(), predict: (_x, rows) => Promise.resolve(new Float32Array(rows * 1.5)) })).rejects.toMatchObject({
      code: 'EXPLAIN_PREDICTION_INVALID',
    });
  });
});
