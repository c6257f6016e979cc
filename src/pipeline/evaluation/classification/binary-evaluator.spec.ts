import fc from 'fast-check';
import { EvaluationError } from '../evaluation.error';
import { expectEvidenceSafe, syntheticBinary } from '../evaluation.fixture';
import { evaluateBinary, type BinaryEvaluation } from './binary-evaluator';
import { calibrationBin } from './calibration-bins';

const NO_BOOTSTRAP = { resamples: 0 };

function values(evaluation: BinaryEvaluation): Record<string, number | null> {
  return Object.fromEntries(Object.entries(evaluation.metrics).map(([name, estimate]) => [name, estimate.value]));
}

// ---- A second, deliberately naive implementation: loops straight from the definitions. ----

/** AUC as the fraction of (positive, negative) pairs ordered correctly, ties ½. */
function naiveAuc(y: number[], s: number[]): number | null {
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = 0; j < y.length; j++) {
      if (y[i] === 1 && y[j] === 0) {
        pairs++;
        wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
    }
  }
  return pairs === 0 ? null : wins / pairs;
}

/** ECE by explicit loops over bins and rows. */
function naiveEce(y: number[], s: number[], bins: number): number {
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const members = s.map((_, i) => i).filter((i) => s[i]! >= b / bins && (s[i]! < (b + 1) / bins || b === bins - 1));
    if (members.length === 0) continue;
    const meanScore = members.reduce((sum, i) => sum + s[i]!, 0) / members.length;
    const rate = members.reduce((sum, i) => sum + y[i]!, 0) / members.length;
    ece += (members.length / y.length) * Math.abs(meanScore - rate);
  }
  return ece;
}

function naiveMetrics(y: number[], s: number[], threshold: number, bins: number): Record<string, number | null> {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < y.length; i++) {
    const predicted = s[i]! >= threshold;
    if (y[i] === 1 && predicted) tp++;
    if (y[i] === 0 && predicted) fp++;
    if (y[i] === 0 && !predicted) tn++;
    if (y[i] === 1 && !predicted) fn++;
    const p = Math.min(Math.max(s[i]!, Number.EPSILON), 1 - Number.EPSILON);
    logLoss -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
    brier += (s[i]! - y[i]!) ** 2;
  }
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  let f1: number | null;
  if (precision !== null && recall !== null) f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  else f1 = tp + fp + fn === 0 ? null : 0;
  return {
    accuracy: (tp + tn) / y.length,
    precision,
    recall,
    f1,
    rocAuc: naiveAuc(y, s),
    logLoss: logLoss / y.length,
    brier: brier / y.length,
    expectedCalibrationError: naiveEce(y, s, bins),
  };
}

describe('evaluateBinary', () => {
  describe('a hand-worked table', () => {
    // 4 positives, 6 negatives. At threshold 0.5 the predicted positives are 0.9, 0.8 (both
    // positives) and 0.7 (a negative): TP 2, FP 1, FN 2 (0.4, 0.3), TN 5.
    const yTrue = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const scores = [0.9, 0.8, 0.4, 0.3, 0.7, 0.35, 0.2, 0.1, 0.1, 0.05];
    const result = evaluateBinary({ yTrue, scores }, NO_BOOTSTRAP);

    it('counts the confusion matrix at the threshold', () => {
      expect(result.confusionMatrix).toEqual({ threshold: 0.5, labels: [0, 1], matrix: [[5, 1], [2, 2]], tn: 5, fp: 1, fn: 2, tp: 2 });
      expect([result.rows, result.positives, result.negatives]).toEqual([10, 4, 6]);
    });

    it('computes every metric as worked by hand', () => {
      const m = values(result);
      expect(m.accuracy).toBeCloseTo(7 / 10, 12); // (TP + TN) / n = (2 + 5) / 10
      expect(m.precision).toBeCloseTo(2 / 3, 12); // TP / (TP + FP) = 2 / 3
      expect(m.recall).toBeCloseTo(2 / 4, 12); // TP / (TP + FN) = 2 / 4
      expect(m.f1).toBeCloseTo(4 / 7, 12); // 2TP / (2TP + FP + FN) = 4 / 7
      // Negatives scored below each positive: 0.9 → 6, 0.8 → 6, 0.4 → 5 (not 0.7), 0.3 → 4; of 4 × 6 pairs.
      expect(m.rocAuc).toBeCloseTo(21 / 24, 12);
      // −mean ln(probability given to the true class).
      const logLoss = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.3) + Math.log(0.3) + Math.log(0.65) + Math.log(0.8) + Math.log(0.9) + Math.log(0.9) + Math.log(0.95)) / 10;
      expect(m.logLoss).toBeCloseTo(logLoss, 12);
      // Squared errors: .01 .04 .36 .49 | .49 .1225 .04 .01 .01 .0025 → 1.575 / 10.
      expect(m.brier).toBeCloseTo(0.1575, 12);
      // Bins (count, Σscore, positives): 0 (1, .05, 0) 1 (2, .2, 0) 2 (1, .2, 0) 3 (2, .65, 1) 4 (1, .4, 1)
      // 7 (1, .7, 0) 8 (1, .8, 1) 9 (1, .9, 1); Σ|Σscore − positives| = .05+.2+.2+.35+.6+.7+.2+.1 = 2.4 → 2.4 / 10.
      expect(m.expectedCalibrationError).toBeCloseTo(0.24, 12);
    });

    it('draws the reliability curve bin by bin', () => {
      const bin3 = result.calibration.curve[3]!;
      expect(bin3.count).toBe(2); // 0.3 (its lower edge) and 0.35
      expect(bin3.meanPredicted).toBeCloseTo(0.325, 12);
      expect(bin3.observedRate).toBe(0.5);
      expect(result.calibration.curve[5]).toEqual({ lower: 0.5, upper: 0.6, count: 0, meanPredicted: null, observedRate: null });
      expect(result.calibration.curve.map((bin) => bin.count)).toEqual([1, 2, 1, 2, 1, 0, 0, 1, 1, 1]);
    });

    it('is plain JSON, fit to be hashed as evidence', () => {
      expectEvidenceSafe(evaluateBinary({ yTrue, scores }, { resamples: 50, seed: 1 }));
    });
  });

  describe('published scikit-learn examples', () => {
    it('roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75', () => {
      expect(evaluateBinary({ yTrue: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8] }, NO_BOOTSTRAP).metrics.rocAuc.value).toBe(0.75);
    });

    it('roc_curve of the same data: fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1], thresholds [inf, .8, .4, .35, .1]', () => {
      expect(evaluateBinary({ yTrue: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8] }, NO_BOOTSTRAP).rocCurve).toEqual({
        fpr: [0, 0, 0.5, 0.5, 1],
        tpr: [0, 0.5, 0.5, 1, 1],
        thresholds: [null, 0.8, 0.4, 0.35, 0.1],
      });
    });

    it('roc_curve drops points on a straight stretch (drop_intermediate)', () => {
      // Cumulative (FP, TP) descending: (0,1) (0,2) (0,3) (1,3) (2,3) (3,3); (0,2), (1,3), (2,3) lie on straight runs.
      const curve = evaluateBinary({ yTrue: [1, 1, 1, 0, 0, 0], scores: [0.9, 0.8, 0.7, 0.3, 0.2, 0.1] }, NO_BOOTSTRAP).rocCurve;
      expect(curve).toEqual({ fpr: [0, 0, 0, 1], tpr: [0, 1 / 3, 1, 1], thresholds: [null, 0.9, 0.7, 0.1] });
    });

    it('log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) = 0.21616…', () => {
      // Classes sort as ham < spam, so spam is the positive class and its probability the score.
      const result = evaluateBinary({ yTrue: [1, 0, 0, 1], scores: [0.9, 0.1, 0.2, 0.65] }, NO_BOOTSTRAP);
      expect(result.metrics.logLoss.value).toBeCloseTo(0.21616, 5);
    });

    it('brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]) = 0.0375', () => {
      expect(evaluateBinary({ yTrue: [0, 1, 1, 0], scores: [0.1, 0.9, 0.8, 0.3] }, NO_BOOTSTRAP).metrics.brier.value).toBeCloseTo(0.0375, 12);
    });

    it('clips like log_loss: a certain, wrong prediction costs −ln(ε), not infinity', () => {
      const result = evaluateBinary({ yTrue: [1, 0], scores: [0, 0] }, NO_BOOTSTRAP);
      expect(result.metrics.logLoss.value).toBeCloseTo(-Math.log(Number.EPSILON) / 2, 9);
      expect(result.logLossEpsilon).toBe(Number.EPSILON);
      expect(evaluateBinary({ yTrue: [1], scores: [0] }, { ...NO_BOOTSTRAP, logLossEpsilon: 1e-15 }).metrics.logLoss.value).toBeCloseTo(-Math.log(1e-15), 9);
    });
  });

  describe('ties', () => {
    it('counts tied positive/negative pairs as half (average rank)', () => {
      // Pairs: (.6 vs .2) 1, (.6 vs .6) ½, (.9 vs .2) 1, (.9 vs .6) 1 → 3.5 / 4.
      expect(evaluateBinary({ yTrue: [0, 0, 1, 1], scores: [0.2, 0.6, 0.6, 0.9] }, NO_BOOTSTRAP).metrics.rocAuc.value).toBe(0.875);
      expect(evaluateBinary({ yTrue: [0, 1, 0, 1], scores: [0.5, 0.5, 0.5, 0.5] }, NO_BOOTSTRAP).metrics.rocAuc.value).toBe(0.5);
    });

    it('puts a score on a bin edge in the bin it opens; 1 in the last bin', () => {
      expect([0, 0.1, 0.3, 0.7, 0.99999, 1].map((s) => calibrationBin(s, 10))).toEqual([0, 1, 3, 7, 9, 9]);
      expect([1 / 3, 2 / 3].map((s) => calibrationBin(s, 3))).toEqual([1, 2]);
      // 0.29 · 100 = 28.999999999999996 in floating point: a plain floor would say bin 28.
      expect([0.29, 0.57, 0.58].map((s) => calibrationBin(s, 100))).toEqual([29, 57, 58]);
    });
  });

  describe('undefined metrics are null with a reason, never NaN or 0', () => {
    it('precision with no predicted positives', () => {
      const result = evaluateBinary({ yTrue: [1, 0, 1], scores: [0.2, 0.1, 0.3] }, { resamples: 20 });
      expect(result.metrics.precision).toEqual({ value: null, reason: 'no-predicted-positives', ci: null });
      // There are positives and none was found: recall and F1 are a genuine 0.
      expect(result.metrics.recall.value).toBe(0);
      expect(result.metrics.f1.value).toBe(0);
    });

    it('AUC, recall and F1 with one class only', () => {
      const result = evaluateBinary({ yTrue: [0, 0, 0], scores: [0.2, 0.1, 0.3] }, { resamples: 20 });
      expect(result.metrics.rocAuc).toEqual({ value: null, reason: 'single-class', ci: null });
      expect(result.metrics.recall).toEqual({ value: null, reason: 'no-actual-positives', ci: null });
      expect(result.metrics.f1).toEqual({ value: null, reason: 'no-positives-and-no-predictions', ci: null });
      expect(result.rocCurve).toEqual({ fpr: null, tpr: null, thresholds: null, reason: 'single-class' });
      expect(result.metrics.accuracy.value).toBe(1);
      expectEvidenceSafe(result);
    });
  });

  it('agrees with the naive implementation on random data (property)', () => {
    const grid = [0, 0.05, 0.1, 0.25, 0.29, 0.3, 0.5, 0.57, 0.58, 0.7, 0.75, 0.9, 1];
    const row = fc.record({ y: fc.integer({ min: 0, max: 1 }), s: fc.oneof(fc.constantFrom(...grid), fc.double({ min: 0, max: 1, noNaN: true })) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), fc.constantFrom(0.3, 0.5, 0.75), fc.oneof(fc.integer({ min: 1, max: 15 }), fc.constant(100)), (rows, threshold, bins) => {
        const y = rows.map((r) => r.y);
        const s = rows.map((r) => r.s);
        const actual = values(evaluateBinary({ yTrue: y, scores: s }, { resamples: 0, threshold, calibrationBins: bins }));
        const expected = naiveMetrics(y, s, threshold, bins);
        for (const name of Object.keys(expected)) {
          const want = expected[name];
          if (want === null || want === undefined) expect(actual[name]).toBeNull();
          else expect(actual[name]).toBeCloseTo(want, 9);
        }
      }),
      { numRuns: 300, seed: 20240607 },
    );
  });

  it('evaluates each slice on its own rows', () => {
    const { yTrue, scores } = syntheticBinary(300, 'slices');
    const region = yTrue.map((_, i) => ['north', 'south', 'east'][i % 3]!);
    const result = evaluateBinary({ yTrue, scores }, { resamples: 30, slices: { region } });
    expect(result.slices.map((s) => s.column)).toEqual(['region']);
    const groups = result.slices[0]!.groups;
    expect(groups.map((g) => [g.value, g.rows])).toEqual([['east', 100], ['north', 100], ['south', 100]]);
    for (const group of groups) {
      const rows = yTrue.map((_, i) => i).filter((i) => region[i] === group.value);
      const direct = evaluateBinary({ yTrue: rows.map((i) => yTrue[i]!), scores: rows.map((i) => scores[i]!) }, NO_BOOTSTRAP);
      expect(values({ ...direct, metrics: group.evaluation.metrics })).toEqual(values(direct));
      expect(group.evaluation.confusionMatrix).toEqual(direct.confusionMatrix);
      expect(group.evaluation.metrics.accuracy.ci).not.toBeNull();
    }
    expectEvidenceSafe(result);
  });

  describe('input validation', () => {
    const expectCode = (run: () => unknown, code: string, field?: string): void => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(EvaluationError);
        expect((error as EvaluationError).code).toBe(code);
        if (field !== undefined) expect((error as EvaluationError).details.field).toBe(field);
        return;
      }
      throw new Error('expected an EvaluationError');
    };

    it('rejects bad inputs and options with stable codes', () => {
      expectCode(() => evaluateBinary({ yTrue: [], scores: [] }), 'EVALUATION_NO_ROWS');
      expectCode(() => evaluateBinary({ yTrue: [0, 1], scores: [0.5] }), 'EVALUATION_LENGTH_MISMATCH', 'scores');
      expectCode(() => evaluateBinary({ yTrue: [0, 2], scores: [0.5, 0.5] }), 'EVALUATION_LABEL_INVALID', 'yTrue');
      expectCode(() => evaluateBinary({ yTrue: [0, 1], scores: [0.5, Number.NaN] }), 'EVALUATION_SCORE_INVALID', 'scores');
      expectCode(() => evaluateBinary({ yTrue: [0, 1], scores: [0.5, 1.2] }), 'EVALUATION_SCORE_INVALID', 'scores');
      expectCode(() => evaluateBinary({ yTrue: [0, 1], scores: [0.5, 0.5] }, { threshold: 2 }), 'EVALUATION_OPTION_INVALID', 'options.threshold');
      expectCode(() => evaluateBinary({ yTrue: [0, 1], scores: [0.5, 0.5] }, { resamples: 1.5 }), 'EVALUATION_OPTION_INVALID', 'options.resamples');
      expectCode(() => evaluateBinary({ yTrue: [0, 1], scores: [0.5, 0.5] }, { level: 1 }), 'EVALUATION_OPTION_INVALID', 'options.level');
      expectCode(() => evaluateBinary({ yTrue: [0, 1], scores: [0.5, 0.5] }, { calibrationBins: 0 }), 'EVALUATION_OPTION_INVALID', 'options.calibrationBins');
      expectCode(() => evaluateBinary({ yTrue: [0, 1], scores: [0.5, 0.5] }, { slices: { region: ['a'] } }), 'EVALUATION_LENGTH_MISMATCH', 'options.slices.region');
    });
  });
});
