import * as tf from '@tensorflow/tfjs';
import { LOGITS_LAYER } from '../training/model';
import { LOGISTIC_SPEC, syntheticTable, TABLE_FEATURES, TABLE_GROUPS, trainedModel } from './explainability.fixture';
import { singletonGroups, sumByGroup } from './feature-groups';
import { integratedGradients } from './integrated-gradients';
import { kernelShap } from './kernel-shap';
import { scorePredictor, type PredictFunction } from './predict-function';

/**
 * On a linear function f(x) = w·x + b both methods have a closed form: integrated gradients with
 * baseline b₀ gives w_i (x_i − b₀_i) at any step count (the gradient is constant along the path),
 * and KernelSHAP with an independent background gives w_i (x_i − E_bg[x_i]) (the game is additive,
 * so the weighted regression fits it without residual, sampled or not). The logit of a logistic
 * regression is such a function. Tolerances cover float32 model arithmetic only.
 */
let model: tf.LayersModel;
let w: Float32Array;
let bias: number;
const inputs = syntheticTable(4, 'inputs');
const background = syntheticTable(120, 'background');

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = await trainedModel(LOGISTIC_SPEC);
  const [kernel, b] = model.getLayer(LOGITS_LAYER).getWeights();
  w = kernel!.dataSync() as Float32Array;
  bias = b!.dataSync()[0]!;
});

afterAll(() => model.dispose());

const row = (data: { x: Float32Array }, r: number) => data.x.subarray(r * TABLE_FEATURES, (r + 1) * TABLE_FEATURES);

describe('explanations of a linear model', () => {
  it('integrated gradients on the logit equal w_i (x_i − b₀_i) exactly, for a non-zero baseline, at the first step count', async () => {
    const baseline = Float32Array.from([0.3, -0.2, 0.5, 0.2, 0.5, 0.3]);
    const results = await integratedGradients({ model, target: { space: 'logit' }, x: inputs.x, rows: inputs.rows, baseline, groups: TABLE_GROUPS });
    expect(results).toHaveLength(inputs.rows);
    results.forEach((result, r) => {
      const x = row(inputs, r);
      const exact = Array.from(w, (wi, i) => wi * (x[i]! - baseline[i]!));
      result.attributions.forEach((a, i) => expect(Math.abs(a - exact[i]!)).toBeLessThan(1e-5));
      sumByGroup(exact, TABLE_GROUPS).forEach((value, g) => expect(result.columns[g]!.value).toBeCloseTo(value, 5));
      expect(result.completeness).toMatchObject({ passed: true, steps: 32 });
      expect(result.score).toBeCloseTo(Array.from(w).reduce((s, wi, i) => s + wi * x[i]!, bias), 4);
    });
  });

  it('KernelSHAP on the logit equals w_i (x_i − E_bg[x_i]) per column, with exact enumeration', async () => {
    const predict = scorePredictor(model, { space: 'logit' });
    const x = row(inputs, 0);
    const result = await kernelShap({ predict, x, features: TABLE_FEATURES, background: background.x, backgroundRows: background.rows, groups: TABLE_GROUPS, seed: 3 });
    expect(result.exact).toBe(true);
    const exact = sumByGroup(exactLinearShap(w, x, background.x, result.backgroundIndices), TABLE_GROUPS);
    result.columns.forEach((c, g) => expect(Math.abs(c.value - exact[g]!)).toBeLessThan(1e-4));
  });

  it('KernelSHAP is exact on a linear function with sampled coalitions too (12 players, 60 coalitions)', async () => {
    const features = 12;
    const weights = Float64Array.from({ length: features }, (_, i) => (i % 2 ? 1 : -1) * (0.25 * i + 0.1));
    const linear: PredictFunction = (x, rows) =>
      Promise.resolve(Float32Array.from({ length: rows }, (_, r) => weights.reduce((s, wi, i) => s + wi * x[r * features + i]!, 0.5)));
    const bg = Float32Array.from({ length: 40 * features }, (_, i) => Math.sin(i * 1.7) * 2);
    const x = Float32Array.from({ length: features }, (_, i) => Math.cos(i));
    const result = await kernelShap({ predict: linear, x, features, background: bg, backgroundRows: 40, backgroundSize: 25, nsamples: 60, seed: 5, groups: singletonGroups(features) });
    expect(result.exact).toBe(false);
    expect(result.nsamples).toBe(60);
    const exact = exactLinearShap(Float32Array.from(weights), x, bg, result.backgroundIndices);
    result.columns.forEach((c, i) => expect(Math.abs(c.value - exact[i]!)).toBeLessThan(1e-4));
  });
});

/** w_i (x_i − mean of the used background rows' feature i). */
function exactLinearShap(w: Float32Array, x: Float32Array, bg: Float32Array, indices: number[]): number[] {
  const features = x.length;
  return Array.from(w, (wi, i) => wi * (x[i]! - indices.reduce((s, r) => s + bg[r * features + i]!, 0) / indices.length));
}
