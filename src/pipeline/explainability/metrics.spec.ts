import seedrandom from 'seedrandom';
import { accuracyMetric, rocAuc, rocAucMetric } from './metrics';

/** ROC AUC by its definition: over all (positive, negative) pairs, 1 for a correct order, ½ for a tie. */
function pairwiseAuc(y: number[], s: number[]): number {
  let sum = 0;
  let pairs = 0;
  y.forEach((yi, i) =>
    y.forEach((yj, j) => {
      if (yi !== 1 || yj !== 0) return;
      pairs++;
      sum += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }),
  );
  return sum / pairs;
}

describe(rocAuc.name, () => {
  it('matches a hand-worked table with ties', () => {
    // Positives 0.8, 0.4, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4, 0.8>0.1, 0.4=0.4, 0.4>0.1, 0.4=0.4, 0.4>0.1) = 5/6.
    expect(rocAuc([1, 1, 1, 0, 0], [0.8, 0.4, 0.4, 0.4, 0.1])).toBeCloseTo(5 / 6, 12);
  });

  it('equals the pairwise definition on random data with many ties', () => {
    const random = seedrandom('auc');
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + Math.floor(random() * 60);
      const y = Array.from({ length: n }, (_, i) => (i < 2 ? i : random() < 0.4 ? 1 : 0));
      const s = y.map(() => Math.round(random() * 8) / 8);
      expect(rocAuc(y, s)).toBeCloseTo(pairwiseAuc(y, s), 12);
    }
  });

  it('is undefined with a single class', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(expect.objectContaining({ code: 'EXPLAIN_METRIC_UNDEFINED' }));
    expect(() => rocAucMetric().compute([0, 1], new Float32Array(6), 3)).toThrow(expect.objectContaining({ code: 'EXPLAIN_METRIC_UNDEFINED' }));
  });
});

describe(accuracyMetric.name, () => {
  it('thresholds one score per row, reads P(class 1) of two outputs, and takes the argmax of more', () => {
    expect(accuracyMetric().compute([1, 0, 1, 0], Float32Array.from([0.5, 0.49, 0.2, 0.9]), 1)).toBe(0.5);
    expect(accuracyMetric(0).compute([1, 0], Float32Array.from([0.1, -0.1]), 1)).toBe(1);
    expect(accuracyMetric().compute([1, 0], Float32Array.from([0.5, 0.5, 0.7, 0.3]), 2)).toBe(1);
    expect(accuracyMetric().compute([2, 0, 1], Float32Array.from([0.1, 0.2, 0.7, 0.4, 0.4, 0.2, 0.5, 0.2, 0.3]), 3)).toBeCloseTo(2 / 3, 12);
  });
});
