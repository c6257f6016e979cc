import fc from 'fast-check';
import { EvaluationError } from '../evaluation.error';
import { expectEvidenceSafe } from '../evaluation.fixture';
import { evaluateMulticlass } from './multiclass-evaluator';

const NO_BOOTSTRAP = { resamples: 0 };

/** Naive: per-class counts by loops, sklearn's macro average with zero_division=np.nan (undefined classes skipped). */
function naive(y: number[], probabilities: number[][]): Record<string, number | null> {
  const k = probabilities[0]!.length;
  const predicted = probabilities.map((row) => row.indexOf(Math.max(...row)));
  const perClass = Array.from({ length: k }, (_, c) => {
    const tp = y.filter((label, i) => label === c && predicted[i] === c).length;
    const actual = y.filter((label) => label === c).length;
    const predictedCount = predicted.filter((p) => p === c).length;
    return {
      precision: predictedCount === 0 ? null : tp / predictedCount,
      recall: actual === 0 ? null : tp / actual,
      f1: actual + predictedCount === 0 ? null : (2 * tp) / (actual + predictedCount),
    };
  });
  const macro = (values: (number | null)[]): number | null => {
    const present = values.filter((v): v is number => v !== null);
    return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
  };
  let logLoss = 0;
  y.forEach((label, i) => {
    const clipped = probabilities[i]!.map((p) => Math.min(Math.max(p, Number.EPSILON), 1 - Number.EPSILON));
    logLoss -= Math.log(clipped[label]! / clipped.reduce((a, b) => a + b, 0));
  });
  return {
    accuracy: y.filter((label, i) => label === predicted[i]).length / y.length,
    macroPrecision: macro(perClass.map((c) => c.precision)),
    macroRecall: macro(perClass.map((c) => c.recall)),
    macroF1: macro(perClass.map((c) => c.f1)),
    logLoss: logLoss / y.length,
  };
}

describe('evaluateMulticlass', () => {
  // Predictions (argmax; the 0.4/0.4 tie goes to the lower index, 0): 0 1 | 1 1 | 0 2.
  const yTrue = [0, 0, 1, 1, 2, 2];
  const rows = [
    [0.7, 0.2, 0.1],
    [0.3, 0.6, 0.1],
    [0.2, 0.5, 0.3],
    [0.1, 0.8, 0.1],
    [0.4, 0.4, 0.2],
    [0.1, 0.2, 0.7],
  ];
  const scores = Float32Array.from(rows.flat());

  it('works a 3-class table by hand', () => {
    const result = evaluateMulticlass({ yTrue, scores }, NO_BOOTSTRAP);
    expect(result.classes).toBe(3);
    expect(result.confusionMatrix).toEqual({ labels: [0, 1, 2], matrix: [[1, 1, 0], [0, 2, 0], [1, 0, 1]] });
    expect(result.metrics.accuracy.value).toBeCloseTo(4 / 6, 12);
    // Class 0: TP 1 of 2 predicted, 2 actual → P ½, R ½, F1 ½. Class 1: TP 2 of 3 predicted, 2 actual → P ⅔, R 1, F1 ⅘.
    // Class 2: TP 1 of 1 predicted, 2 actual → P 1, R ½, F1 ⅔.
    expect(result.metrics.macroPrecision.value).toBeCloseTo((1 / 2 + 2 / 3 + 1) / 3, 12);
    expect(result.metrics.macroRecall.value).toBeCloseTo((1 / 2 + 1 + 1 / 2) / 3, 12);
    expect(result.metrics.macroF1.value).toBeCloseTo(59 / 90, 12);
    expect(result.perClass.map((c) => [c.class, c.support, c.precision.value, c.recall.value])).toEqual([
      [0, 2, 0.5, 0.5],
      [1, 2, 2 / 3, 1],
      [2, 2, 1, 0.5],
    ]);
    // −mean ln p(true class); float32 inputs, so compare to 6 places.
    const logLoss = -(Math.log(0.7) + Math.log(0.3) + Math.log(0.5) + Math.log(0.8) + Math.log(0.2) + Math.log(0.7)) / 6;
    expect(result.metrics.logLoss.value).toBeCloseTo(logLoss, 6);
  });

  it('leaves a class with an undefined metric out of the macro average, and names it', () => {
    // Class 2 never occurs and is never predicted; class 1 occurs but is never predicted.
    const result = evaluateMulticlass({ yTrue: [0, 1, 0], scores: [0.8, 0.1, 0.1, 0.6, 0.3, 0.1, 0.5, 0.4, 0.1] }, { resamples: 30 });
    expect(result.macroExcludedClasses).toEqual({ precision: [1, 2], recall: [2], f1: [2] });
    expect(result.perClass[2]!.precision).toEqual({ value: null, reason: 'no-predicted-positives', ci: null });
    expect(result.perClass[1]!.recall.value).toBe(0); // present, never found: a genuine 0
    expect(result.metrics.macroPrecision.value).toBeCloseTo(2 / 3, 12); // class 0 only: 2 right of 3 predicted
    expect(result.metrics.macroRecall.value).toBeCloseTo((1 + 0) / 2, 12);
    expectEvidenceSafe(result);
  });

  it('agrees with the naive implementation on random data (property)', () => {
    const row = (k: number): fc.Arbitrary<number[]> =>
      fc.array(fc.integer({ min: 0, max: 20 }), { minLength: k, maxLength: k }).map((w) => {
        const total = w.reduce((a, b) => a + b, 0);
        return total === 0 ? w.map(() => 1 / k) : w.map((v) => v / total);
      });
    const data = fc.integer({ min: 2, max: 5 }).chain((k) => fc.array(fc.tuple(fc.integer({ min: 0, max: k - 1 }), row(k)), { minLength: 1, maxLength: 40 }));
    fc.assert(
      fc.property(data, (pairs) => {
        const y = pairs.map(([label]) => label);
        const p = pairs.map(([, probabilities]) => probabilities);
        const actual = evaluateMulticlass({ yTrue: y, scores: p.flat() }, NO_BOOTSTRAP).metrics;
        const expected = naive(y, p);
        for (const [name, value] of Object.entries(expected)) {
          const got = actual[name as keyof typeof actual].value;
          if (value === null) expect(got).toBeNull();
          else expect(got).toBeCloseTo(value, 9);
        }
      }),
      { numRuns: 200, seed: 77 },
    );
  });

  it('bootstraps every metric and class; intervals contain the value', () => {
    const result = evaluateMulticlass({ yTrue: [...yTrue, ...yTrue, ...yTrue], scores: [...scores, ...scores, ...scores] }, { resamples: 300, seed: 4, slices: { batch: Array.from({ length: 18 }, (_, i) => (i < 9 ? 'a' : 'b')) } });
    for (const estimate of [...Object.values(result.metrics), ...result.perClass.flatMap((c) => [c.precision, c.recall, c.f1])]) {
      expect(estimate.ci).not.toBeNull();
      expect(estimate.ci!.lower).toBeLessThanOrEqual(estimate.value!);
      expect(estimate.ci!.upper).toBeGreaterThanOrEqual(estimate.value!);
    }
    expect(result.slices[0]!.groups.map((g) => [g.value, g.rows])).toEqual([['a', 9], ['b', 9]]);
    expectEvidenceSafe(result);
  });

  it('rejects a matrix that is not rows × classes of probabilities', () => {
    const code = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(EvaluationError);
        return (error as EvaluationError).code;
      }
      return 'none';
    };
    expect(code(() => evaluateMulticlass({ yTrue: [0, 1], scores: [0.5, 0.5, 1] }))).toBe('EVALUATION_LENGTH_MISMATCH');
    expect(code(() => evaluateMulticlass({ yTrue: [0, 1], scores: [0.5, 0.5] }))).toBe('EVALUATION_LENGTH_MISMATCH'); // one class
    expect(code(() => evaluateMulticlass({ yTrue: [0, 3], scores: [0.5, 0.5, 0.5, 0.5] }))).toBe('EVALUATION_LABEL_INVALID');
    expect(code(() => evaluateMulticlass({ yTrue: [0, 1], scores: [0.5, 0.5, 2, 3] }))).toBe('EVALUATION_SCORE_INVALID');
    expect(code(() => evaluateMulticlass({ yTrue: [0, 1], scores: [0.5, 0.5, 0.2, 0.2] }))).toBe('EVALUATION_SCORE_INVALID'); // row sums to 0.4
  });
});
