import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { MLP_SPEC, syntheticTable, TABLE_FEATURES, TABLE_GROUPS, trainedModel } from './explainability.fixture';
import { ExplainabilityError } from './explainability.error';
import type { FeatureGroup } from './feature-groups';
import { kernelShap } from './kernel-shap';
import { scorePredictor, type PredictFunction } from './predict-function';
import { binomial, shapleyCoalitions } from './shapley-coalitions';

/** Counts calls and rows, so a spec can assert the batching. */
function counting(predict: PredictFunction) {
  const calls: number[] = [];
  const wrapped: PredictFunction = (x, rows) => {
    calls.push(rows);
    return predict(x, rows);
  };
  return { predict: wrapped, calls };
}

/**
 * Exact Shapley values the textbook way, a second implementation: for every player i and every
 * coalition S without i, |S|! (M − |S| − 1)! / M! · (v(S ∪ {i}) − v(S)), with
 * v(S) = mean over the background rows of f(x on S's features, background elsewhere).
 */
async function bruteForceShapley(predict: PredictFunction, x: Float32Array, bg: Float32Array, indices: number[], groups: readonly FeatureGroup[]): Promise<number[]> {
  const m = groups.length;
  const features = x.length;
  const v = new Map<number, number>();
  for (let s = 0; s < 1 << m; s++) {
    let total = 0;
    for (const r of indices) {
      const hybrid = bg.slice(r * features, (r + 1) * features);
      groups.forEach((g, p) => {
        if (s & (1 << p)) for (const f of g.features) hybrid[f] = x[f]!;
      });
      total += (await predict(hybrid, 1))[0]!;
    }
    v.set(s, total / indices.length);
  }
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const size = (s: number) => s.toString(2).split('').filter((c) => c === '1').length;
  return groups.map((_, i) => {
    let phi = 0;
    for (let s = 0; s < 1 << m; s++) {
      if (s & (1 << i)) continue;
      phi += ((factorial(size(s)) * factorial(m - size(s) - 1)) / factorial(m)) * (v.get(s | (1 << i))! - v.get(s)!);
    }
    return phi;
  });
}

/** A non-additive function with interactions, computed in float64 before the float32 hand-over. */
const nonlinear =
  (features: number): PredictFunction =>
  (x, rows) =>
    Promise.resolve(
      Float32Array.from({ length: rows }, (_, r) => {
        const at = (i: number) => x[r * features + (i % features)]!;
        return Math.tanh(at(0) * at(1)) + 0.5 * at(2) ** 2 + 1 / (1 + Math.exp(-(at(3) - 2 * at(4) * at(5)))) + 0.3 * at(6) * at(0);
      }),
    );

let mlp: tf.LayersModel;
const background = syntheticTable(80, 'background');
const inputs = syntheticTable(3, 'inputs');

beforeAll(async () => {
  await tf.setBackend('cpu');
  mlp = await trainedModel(MLP_SPEC);
});

afterAll(() => mlp.dispose());

describe(kernelShap.name, () => {
  it.each([1, 2, 3, 4, 5, 6])('with exact enumeration equals brute-force Shapley values (M = %i, one-hot-like groups, interactions)', async (m) => {
    const features = m + 2;
    // The last group holds three features, like a one-hot column; the others one each.
    const groups = Array.from({ length: m }, (_, g) => ({ name: `c${g}`, features: g === m - 1 ? [g, g + 1, g + 2] : [g] }));
    const random = seedrandom(`m${m}`);
    const bg = Float32Array.from({ length: 30 * features }, () => 2 * random() - 1);
    const x = Float32Array.from({ length: features }, () => 2 * random() - 1);
    const predict = nonlinear(features);
    const result = await kernelShap({ predict, x, features, background: bg, backgroundRows: 30, backgroundSize: 12, groups, seed: m });
    expect(result.exact).toBe(true);
    expect(result.nsamples).toBe(2 ** m);
    const exact = await bruteForceShapley(predict, x, bg, result.backgroundIndices, groups);
    result.columns.forEach((c, g) => expect(Math.abs(c.value - exact[g]!)).toBeLessThan(1e-5));
    expect(result.efficiency.passed).toBe(true);
  });

  it('equals brute-force Shapley values on a trained MLP over original columns', async () => {
    const predict = scorePredictor(mlp);
    const x = inputs.x.subarray(0, TABLE_FEATURES);
    const result = await kernelShap({ predict, x, features: TABLE_FEATURES, background: background.x, backgroundRows: background.rows, backgroundSize: 20, groups: TABLE_GROUPS, seed: 1 });
    const exact = await bruteForceShapley(predict, x, background.x, result.backgroundIndices, TABLE_GROUPS);
    result.columns.forEach((c, g) => expect(Math.abs(c.value - exact[g]!)).toBeLessThan(1e-5));
  });

  it('efficiency: values sum to f(x) − E_bg[f] on a trained MLP, exact and sampled', async () => {
    const predict = scorePredictor(mlp);
    const bgScores = await predict(background.x, background.rows);
    for (let r = 0; r < inputs.rows; r++) {
      const x = inputs.x.subarray(r * TABLE_FEATURES, (r + 1) * TABLE_FEATURES);
      const fx = (await predict(x, 1))[0]!;
      for (const nsamples of [undefined, 8]) {
        // 6 single-feature players: 2^6 = 64 coalitions exactly, or 8 sampled ones.
        const result = await kernelShap({ predict, x, features: TABLE_FEATURES, background: background.x, backgroundRows: background.rows, backgroundSize: 80, ...(nsamples ? { nsamples } : {}), seed: r });
        expect(result.exact).toBe(nsamples === undefined);
        const sum = result.columns.reduce((s, c) => s + c.value, 0);
        expect(result.score).toBeCloseTo(fx, 6);
        expect(result.baseValue).toBeCloseTo(bgScores.reduce((s, v) => s + v, 0) / background.rows, 6);
        expect(Math.abs(sum - (fx - result.baseValue))).toBeLessThan(1e-6);
        expect(result.efficiency).toMatchObject({ passed: true });
        expect(result.efficiency.absoluteError).toBeLessThan(1e-9);
      }
    }
  });

  it('evaluates nsamples × background rows in one predict call, or in batches of whole coalitions with the same values', async () => {
    const { predict, calls } = counting(scorePredictor(mlp));
    const x = inputs.x.subarray(0, TABLE_FEATURES);
    const options = { x, features: TABLE_FEATURES, background: background.x, backgroundRows: background.rows, backgroundSize: 50, seed: 9 };
    const once = await kernelShap({ ...options, predict });
    expect(calls).toEqual([once.rowsEvaluated]);
    expect(once.rowsEvaluated).toBe(once.nsamples * 50);
    expect(once).toMatchObject({ nsamples: 64, backgroundSize: 50, predictCalls: 1 });

    calls.length = 0;
    const chunked = await kernelShap({ ...options, predict, batchRows: 520 });
    expect(calls).toEqual([...Array<number>(6).fill(500), 200]);
    expect(chunked.predictCalls).toBe(7);
    chunked.columns.forEach((c, i) => expect(c.value).toBeCloseTo(once.columns[i]!.value, 10));
  });

  it('with sampled coalitions approximates the exact values (M = 10, half of the coalitions)', async () => {
    const features = 10;
    const predict = nonlinear(features);
    const random = seedrandom('approx');
    const bg = Float32Array.from({ length: 40 * features }, () => 2 * random() - 1);
    const x = Float32Array.from({ length: features }, () => 2 * random() - 1);
    const options = { predict, x, features, background: bg, backgroundRows: 40, seed: 2 };
    const exact = await kernelShap(options);
    expect(exact).toMatchObject({ exact: true, nsamples: 1024 });
    const largest = Math.max(...exact.columns.map((c) => Math.abs(c.value)));
    for (const nsamples of [300, 512]) {
      const sampled = await kernelShap({ ...options, nsamples });
      expect(sampled).toMatchObject({ exact: false, nsamples });
      const error = Math.max(...sampled.columns.map((c, i) => Math.abs(c.value - exact.columns[i]!.value)));
      expect(error).toBeLessThan(0.05 * largest);
    }
  });

  it('is reproducible from its seed, and the seed matters when sampling', async () => {
    const predict = nonlinear(14);
    const random = seedrandom('wide');
    const bg = Float32Array.from({ length: 60 * 14 }, () => 2 * random() - 1);
    const x = Float32Array.from({ length: 14 }, () => 2 * random() - 1);
    const options = { predict, x, features: 14, background: bg, backgroundRows: 60, backgroundSize: 20, nsamples: 200 };
    const a = await kernelShap({ ...options, seed: 4 });
    const b = await kernelShap({ ...options, seed: 4 });
    const c = await kernelShap({ ...options, seed: 5 });
    expect(b).toEqual(a);
    expect(c.backgroundIndices).not.toEqual(a.backgroundIndices);
    expect(a).toMatchObject({ exact: false, nsamples: 200, rowsEvaluated: 4000 });
    expect(a.efficiency.passed).toBe(true);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('rejects bad input with stable codes', async () => {
    const predict = nonlinear(3);
    const base = { predict, x: new Float32Array(3), features: 3, background: new Float32Array(6), backgroundRows: 2, seed: 1 };
    await expect(kernelShap({ ...base, x: new Float32Array(2) })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    await expect(kernelShap({ ...base, x: Float32Array.from([0, NaN, 0]) })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    await expect(kernelShap({ ...base, groups: [{ name: 'a', features: [0, 1] }] })).rejects.toMatchObject({ code: 'EXPLAIN_GROUPS_INVALID' });
    await expect(kernelShap({ ...base, nsamples: 3 })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    const wide = { ...base, x: new Float32Array(40), features: 40, background: new Float32Array(40 * 2000), backgroundRows: 2000 };
    await expect(kernelShap({ ...wide, nsamples: 1 << 20, backgroundSize: 2000 })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID', details: { option: 'nsamples' } });
    await expect(kernelShap({ ...base, predict: (_x, rows) => Promise.resolve(new Float32Array(rows + 1)) })).rejects.toBeInstanceOf(ExplainabilityError);
    await expect(kernelShap({ ...base, predict: (_x, rows) => Promise.resolve(new Float32Array(rows).fill(NaN)) })).rejects.toMatchObject({
      code: 'EXPLAIN_PREDICTION_INVALID',
    });
  });
});

describe(shapleyCoalitions.name, () => {
  it('enumerates every proper coalition when it can, with the Shapley kernel weights summing to 1', () => {
    const c = shapleyCoalitions(5, 30, seedrandom('x'));
    expect(c).toMatchObject({ exact: true, count: 30 });
    const total = c.weights.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
    for (let i = 0; i < c.count; i++) {
      const size = c.masks.subarray(i * 5, (i + 1) * 5).reduce((a, b) => a + b, 0);
      expect(c.weights[i]!).toBeCloseTo(4 / (binomial(5, size) * size * (5 - size)) / (4 / 4 + 4 / 6 + 4 / 6 + 4 / 4), 12);
    }
  });

  it('samples distinct coalitions with their complements, within the budget, total weight 1', () => {
    const m = 20;
    const c = shapleyCoalitions(m, 300, seedrandom('y'));
    expect(c.exact).toBe(false);
    expect(c.count).toBeLessThanOrEqual(300);
    expect(c.count).toBeGreaterThan(250);
    const keys = new Set<string>();
    for (let i = 0; i < c.count; i++) keys.add(c.masks.subarray(i * m, (i + 1) * m).join(''));
    expect(keys.size).toBe(c.count);
    // Size 1 and 19 (40 coalitions) carry the most kernel mass and fit the budget: enumerated.
    for (let p = 0; p < m; p++) {
      const single = Array.from({ length: m }, (_, q) => (q === p ? 1 : 0)).join('');
      expect(keys.has(single)).toBe(true);
      expect(keys.has(single.replace(/[01]/g, (d) => (d === '1' ? '0' : '1')))).toBe(true);
    }
    expect(c.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});
