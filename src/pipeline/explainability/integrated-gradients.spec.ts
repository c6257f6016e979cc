import * as tf from '@tensorflow/tfjs';
import { MLP_SPEC, syntheticTable, TABLE_FEATURES, TABLE_GROUPS, trainedModel } from './explainability.fixture';
import { columnMeans, integratedGradients } from './integrated-gradients';
import { modelScorer } from './model-scorer';
import { scorePredictor } from './predict-function';

let mlp: tf.LayersModel;
const train = syntheticTable(300, 'train');
const inputs = syntheticTable(6, 'inputs');

beforeAll(async () => {
  await tf.setBackend('cpu');
  mlp = await trainedModel(MLP_SPEC, train);
});

afterAll(() => mlp.dispose());

describe(integratedGradients.name, () => {
  it('completeness holds within 1 % on a trained MLP (probability and logit, both classes), baseline = the training mean', async () => {
    const baseline = columnMeans(train.x, train.rows, TABLE_FEATURES);
    for (const target of [{}, { classIndex: 0 }, { space: 'logit' as const }]) {
      const results = await integratedGradients({ model: mlp, target, x: inputs.x, rows: inputs.rows, baseline, groups: TABLE_GROUPS });
      const predict = scorePredictor(mlp, target);
      const fx = await predict(inputs.x, inputs.rows);
      const [fb] = await predict(baseline, 1);
      results.forEach((result, r) => {
        const expected = fx[r]! - fb!;
        const sum = result.attributions.reduce((a, b) => a + b, 0);
        expect(result.completeness.passed).toBe(true);
        expect(Math.abs(sum - expected)).toBeLessThanOrEqual(Math.max(0.01 * Math.abs(expected), 1e-5));
        expect(result.completeness.expected).toBeCloseTo(expected, 6);
        expect(result.completeness.sum).toBeCloseTo(sum, 10);
        expect(result.columns.map((c) => c.column)).toEqual(TABLE_GROUPS.map((g) => g.name));
        expect(result.columns.reduce((a, c) => a + c.value, 0)).toBeCloseTo(sum, 10);
        // The colour group is the sum of its one-hot slots.
        expect(result.columns[3]!.value).toBeCloseTo(result.attributions[3]! + result.attributions[4]! + result.attributions[5]!, 10);
        expect(result.gradientEvaluations).toBe(result.completeness.steps + 1);
      });
    }
  });

  it('doubles the steps until the check passes, reusing the gradients computed so far, and reports a failure honestly', async () => {
    const x = inputs.x.subarray(0, TABLE_FEATURES);
    const strict = { relative: 1e-9, absolute: 0 };
    const [capped] = await integratedGradients({ model: mlp, x, initialSteps: 2, maxSteps: 16, tolerance: strict });
    expect(capped!.completeness).toMatchObject({ passed: false, steps: 16 });
    expect(capped!.completeness.absoluteError).toBeGreaterThan(capped!.completeness.bound);
    expect(capped!.completeness.relativeError).toBeCloseTo(capped!.completeness.absoluteError / Math.abs(capped!.completeness.expected), 12);
    // 3 points for 2 steps, then 2 + 4 + 8 midpoints: 17 evaluations for 16 steps, none repeated.
    expect(capped!.gradientEvaluations).toBe(17);
    // The same 16-step estimate computed in one go.
    const [direct] = await integratedGradients({ model: mlp, x, initialSteps: 16, maxSteps: 16, tolerance: strict });
    direct!.attributions.forEach((a, i) => expect(a).toBeCloseTo(capped!.attributions[i]!, 6));
    // Chunking path points does not change the result.
    const [chunked] = await integratedGradients({ model: mlp, x, initialSteps: 16, maxSteps: 16, tolerance: strict, batchRows: 5 });
    chunked!.attributions.forEach((a, i) => expect(a).toBeCloseTo(direct!.attributions[i]!, 6));
  });

  it('a zero difference passes on the absolute floor, with relativeError null', async () => {
    const x = inputs.x.subarray(0, TABLE_FEATURES);
    const [result] = await integratedGradients({ model: mlp, x, baseline: x.slice() });
    expect(result!.completeness).toMatchObject({ expected: 0, relativeError: null, passed: true, steps: 32 });
    expect(result!.attributions.every((a) => a === 0)).toBe(true);
  });

  it('leaves no tensors behind', async () => {
    const scorer = modelScorer(mlp);
    await integratedGradients({ model: scorer, x: inputs.x.subarray(0, TABLE_FEATURES) });
    const before = tf.memory().numTensors;
    await integratedGradients({ model: mlp, target: { space: 'logit' }, x: inputs.x.subarray(0, 2 * TABLE_FEATURES), rows: 2, initialSteps: 4, maxSteps: 64, tolerance: { relative: 0, absolute: 0 }, batchRows: 7 });
    await integratedGradients({ model: scorer, x: inputs.x, rows: inputs.rows });
    await expect(integratedGradients({ model: mlp, x: new Float32Array(3) })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options with stable codes', async () => {
    const x = inputs.x.subarray(0, TABLE_FEATURES);
    await expect(integratedGradients({ model: mlp, x, baseline: new Float32Array(2) })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    await expect(integratedGradients({ model: mlp, x, initialSteps: 64, maxSteps: 32 })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    await expect(integratedGradients({ model: mlp, x, target: { classIndex: 2 } })).rejects.toMatchObject({ code: 'EXPLAIN_TARGET_INVALID' });
    await expect(integratedGradients({ model: mlp, x, groups: [{ name: 'a', features: [0, 1, 2, 3, 4] }] })).rejects.toMatchObject({ code: 'EXPLAIN_GROUPS_INVALID' });
    await expect(integratedGradients({ model: mlp, x, tolerance: { relative: -1 } })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
  });
});
