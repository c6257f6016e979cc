import seedrandom from 'seedrandom';
import { EvaluationError } from '../evaluation.error';
import { expectEvidenceSafe } from '../evaluation.fixture';
import { gaussianSampler, seededUniform } from '../seeded-random';
import { encodedFeatureStatistics, featureGroupsFromPreprocessor, type FeatureGroup } from './feature-groups';
import { assessRobustness, type PredictFunction } from './robustness-assessor';

/**
 * Three original columns encoded as 4 features: `income` (0, standardised), `debt` (1,
 * standardised) and `colour`, one-hot over two slots (2, 3). The label depends on income only.
 */
const ROWS = 2000;
const FEATURES = 4;
const GROUPS: FeatureGroup[] = [
  { column: 'income', features: [0] },
  { column: 'debt', features: [1] },
  { column: 'colour', features: [2, 3] },
];

function dataset(): { x: Float32Array; yTrue: number[] } {
  const gaussian = gaussianSampler(seedrandom('robustness-data'));
  const x = new Float32Array(ROWS * FEATURES);
  const yTrue: number[] = [];
  for (let row = 0; row < ROWS; row++) {
    const income = gaussian();
    x[row * FEATURES] = income;
    x[row * FEATURES + 1] = gaussian();
    const red = row % 3 === 0 ? 1 : 0;
    x[row * FEATURES + 2] = red;
    x[row * FEATURES + 3] = 1 - red;
    yTrue.push(income + 0.3 * gaussian() > 0 ? 1 : 0);
  }
  return { x, yTrue };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** A logistic model on income alone: it ignores debt and colour. */
function incomeModel(calls: { rows: number; length: number }[]): PredictFunction {
  return (x, rows) => {
    calls.push({ rows, length: x.length });
    return Promise.resolve(Float32Array.from({ length: rows }, (_, row) => sigmoid(4 * x[row * FEATURES]!)));
  };
}

describe('assessRobustness', () => {
  const { x, yTrue } = dataset();
  const { means, standardDeviations } = encodedFeatureStatistics(x, ROWS);

  it('finds no change when an ignored column is masked, a large one when a relied-on column is', async () => {
    const calls: { rows: number; length: number }[] = [];
    const report = await assessRobustness({ predict: incomeModel(calls), x, rows: ROWS, yTrue, featureGroups: GROUPS, trainingMeans: means }, { seed: 1 });
    expect(report.task).toBe('binary');
    expect(report.baseline.accuracy.value).toBeGreaterThan(0.85);
    expect(report.baseline.rocAuc.value).toBeGreaterThan(0.9);
    const masked = Object.fromEntries(report.masking.map((m) => [m.column, m]));
    expect(masked.debt!.accuracy).toEqual({ value: report.baseline.accuracy.value, delta: 0 });
    expect(masked.colour!.rocAuc).toEqual({ value: report.baseline.rocAuc.value, delta: 0 });
    // Income masked to its mean: every row gets the same score; AUC falls to ½, accuracy to a base rate.
    expect(masked.income!.rocAuc).toEqual({ value: 0.5, delta: 0.5 - report.baseline.rocAuc.value! });
    expect(masked.income!.accuracy.delta).toBeLessThan(-0.3);
    expect(masked.colour!.features).toEqual([2, 3]);
    // One batched call per condition, each over all rows: baseline + 4 noise levels + 3 columns.
    expect(calls).toHaveLength(1 + 4 + 3);
    expect(calls.every((call) => call.rows === ROWS && call.length === ROWS * FEATURES)).toBe(true);
    expectEvidenceSafe(report);
  });

  it('degrades with the noise level, and reproduces from its seed', async () => {
    const input = { predict: incomeModel([]), x, rows: ROWS, yTrue, featureGroups: GROUPS, trainingMeans: means };
    const report = await assessRobustness(input, { seed: 7, noiseLevels: [0, 0.1, 0.5, 2] });
    expect(report.noise.map((n) => n.sigma)).toEqual([0, 0.1, 0.5, 2]);
    expect(report.noise[0]!.accuracy).toEqual({ value: report.baseline.accuracy.value, delta: 0 });
    const auc = report.noise.map((n) => n.rocAuc.value!);
    expect(auc[1]!).toBeGreaterThan(auc[2]!);
    expect(auc[2]!).toBeGreaterThan(auc[3]!);
    expect(report.noise[3]!.accuracy.delta).toBeLessThan(-0.1);
    expect(await assessRobustness(input, { seed: 7, noiseLevels: [0, 0.1, 0.5, 2] })).toEqual(report);
    const other = await assessRobustness(input, { seed: 8, noiseLevels: [0, 0.1, 0.5, 2] });
    expect(other.noise[2]!.rocAuc.value).not.toBe(report.noise[2]!.rocAuc.value);
  });

  it('adds σ × scale of noise to each feature (σ in standardised units)', async () => {
    const seen: Float32Array[] = [];
    const spy: PredictFunction = (input, rows) => {
      seen.push(input.slice());
      return Promise.resolve(new Float32Array(rows).fill(0.5));
    };
    const scale = [2, 0, 1, 1];
    await assessRobustness({ predict: spy, x, rows: ROWS, yTrue, featureGroups: [], trainingMeans: means }, { noiseLevels: [0.5], noiseScale: scale });
    const noise = seen[1]!.map((value, i) => value - x[i]!);
    const spread = (j: number): number => {
      const column = Array.from({ length: ROWS }, (_, row) => noise[row * FEATURES + j]!);
      const mean = column.reduce((a, b) => a + b, 0) / ROWS;
      return Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / ROWS);
    };
    expect(spread(0)).toBeCloseTo(0.5 * 2, 1);
    expect(spread(1)).toBe(0);
    expect(spread(2)).toBeCloseTo(0.5, 1);
    expect(standardDeviations[0]).toBeCloseTo(1, 1);
  });

  it('masks every encoded feature of a column to its training mean', async () => {
    const seen: Float32Array[] = [];
    const spy: PredictFunction = (input, rows) => {
      seen.push(input.slice());
      return Promise.resolve(new Float32Array(rows).fill(0.5));
    };
    await assessRobustness({ predict: spy, x, rows: ROWS, yTrue, featureGroups: [GROUPS[2]!], trainingMeans: means }, { noiseLevels: [] });
    const masked = seen[1]!;
    // One row in three is red: slot means 1/3 and 2/3 (0.3335 and 0.6665 over 2000 rows).
    expect(means[2]).toBeCloseTo(667 / 2000, 12);
    for (let row = 0; row < 5; row++) {
      expect(masked[row * FEATURES + 2]).toBe(Math.fround(means[2]!));
      expect(masked[row * FEATURES + 3]).toBe(Math.fround(means[3]!));
      expect(masked[row * FEATURES]).toBe(x[row * FEATURES]);
    }
  });

  it('handles a multiclass model: accuracy by argmax, AUC undefined with a reason', async () => {
    const predict: PredictFunction = (input, rows) =>
      Promise.resolve(
        Float32Array.from({ length: rows * 3 }, (_, i) => {
          const row = Math.floor(i / 3);
          const best = input[row * FEATURES]! > 0.5 ? 2 : input[row * FEATURES]! > -0.5 ? 1 : 0;
          return i % 3 === best ? 0.8 : 0.1;
        }),
      );
    const labels = Array.from({ length: ROWS }, (_, row) => (x[row * FEATURES]! > 0.5 ? 2 : x[row * FEATURES]! > -0.5 ? 1 : 0));
    const report = await assessRobustness({ predict, x, rows: ROWS, yTrue: labels, featureGroups: GROUPS, trainingMeans: means }, { noiseLevels: [0.25] });
    expect(report.task).toBe('multiclass');
    expect(report.baseline).toEqual({ accuracy: { value: 1 }, rocAuc: { value: null, reason: 'not-binary' } });
    expect(report.masking[1]!.accuracy).toEqual({ value: 1, delta: 0 });
    expect(report.masking[1]!.rocAuc).toEqual({ value: null, delta: null, reason: 'baseline-undefined' });
    expect(report.noise[0]!.accuracy.delta).toBeLessThan(0);
  });

  it('draws standard normal noise (Box–Muller)', () => {
    const gaussian = gaussianSampler(seededUniform(3, 'box-muller'));
    const draws = Array.from({ length: 20_000 }, gaussian);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeCloseTo(1, 1);
    // P(|z| > 1.96) ≈ 5 %.
    expect(draws.filter((z) => Math.abs(z) > 1.96).length / draws.length).toBeCloseTo(0.05, 2);
  });

  it('rejects malformed inputs and predictions', async () => {
    const base = { predict: incomeModel([]), x, rows: ROWS, yTrue, featureGroups: GROUPS, trainingMeans: means };
    const code = async (run: () => Promise<unknown>): Promise<string> => {
      try {
        await run();
      } catch (error) {
        expect(error).toBeInstanceOf(EvaluationError);
        return (error as EvaluationError).code;
      }
      return 'none';
    };
    expect(await code(() => assessRobustness({ ...base, rows: 3 }))).toBe('EVALUATION_LENGTH_MISMATCH');
    expect(await code(() => assessRobustness({ ...base, trainingMeans: [0] }))).toBe('EVALUATION_LENGTH_MISMATCH');
    expect(await code(() => assessRobustness({ ...base, featureGroups: [{ column: 'bad', features: [9] }] }))).toBe('EVALUATION_FEATURE_INVALID');
    expect(await code(() => assessRobustness({ ...base, predict: (_x, rows) => Promise.resolve(new Float32Array(rows).fill(Number.NaN)) }))).toBe('EVALUATION_PREDICTION_INVALID');
    expect(await code(() => assessRobustness({ ...base, predict: (_x, rows) => Promise.resolve(new Float32Array(rows + 1)) }))).toBe('EVALUATION_PREDICTION_INVALID');
    expect(await code(() => assessRobustness({ ...base, yTrue: yTrue.map((y) => y * 2) }))).toBe('EVALUATION_LABEL_INVALID');
    expect(await code(() => assessRobustness(base, { noiseLevels: [-1] }))).toBe('EVALUATION_OPTION_INVALID');
    const holed = x.slice();
    holed[5] = Number.NaN;
    expect(await code(() => assessRobustness({ ...base, x: holed }))).toBe('EVALUATION_FEATURE_INVALID');
  });
});

describe(featureGroupsFromPreprocessor.name, () => {
  it('groups one-hot slots back to their column, in encoded order', () => {
    const groups = featureGroupsFromPreprocessor({
      features: [
        { kind: 'numeric', column: 'age', imputation: 'mean', fill: 40, scaling: 'standard', center: 40, scale: 10 },
        { kind: 'categorical', column: 'housing', imputation: 'missing-category', categories: ['own', 'rent', 'free'], fill: null, missingSlot: true },
        { kind: 'numeric', column: 'amount', imputation: 'median', fill: 1000, scaling: 'standard', center: 1000, scale: 500 },
      ],
    });
    expect(groups).toEqual([
      { column: 'age', features: [0] },
      { column: 'housing', features: [1, 2, 3, 4] }, // own, rent, free, __missing__
      { column: 'amount', features: [5] },
    ]);
  });
});
