import { EvaluationError } from '../evaluation.error';
import { expectEvidenceSafe } from '../evaluation.fixture';
import { assessFairness } from './fairness-assessor';
import { assessLabelBalance, compareLabelBalance } from './label-balance';

describe('assessLabelBalance', () => {
  // Training split: f 40 rows, 10 positive (¼); m 50 rows, 30 positive (⅗); x 5 rows, 5 positive.
  const sex = [...Array<string>(40).fill('f'), ...Array<string>(50).fill('m'), ...Array<string>(5).fill('x')];
  const yTrue = [...Array.from({ length: 40 }, (_, i) => (i < 10 ? 1 : 0)), ...Array.from({ length: 50 }, (_, i) => (i < 30 ? 1 : 0)), 1, 1, 1, 1, 1];
  const age = sex.map((_, i) => (i % 2 === 0 ? 'young' : 'old'));

  it('reports base rates per group and the gap between groups large enough to judge', () => {
    const balance = assessLabelBalance({ yTrue, attributes: { sex } }, { maxIntersectionSize: 1 });
    expect(balance).toMatchObject({ rows: 95, positives: 45, minGroupSize: 30 });
    expect(balance.baseRate).toBeCloseTo(45 / 95, 12);
    const set = balance.attributeSets[0]!;
    expect(set.groups).toEqual([
      { values: ['f'], size: 40, positives: 10, baseRate: 0.25, tooSmallToJudge: false },
      { values: ['m'], size: 50, positives: 30, baseRate: 0.6, tooSmallToJudge: false },
      { values: ['x'], size: 5, positives: 5, baseRate: 1, tooSmallToJudge: true },
    ]);
    // x (5 rows) is left out: difference 0.6 − 0.25, ratio 0.25 / 0.6.
    expect(set.baseRateDifference.value).toBeCloseTo(0.35, 12);
    expect(set.baseRateRatio.value).toBeCloseTo(0.25 / 0.6, 12);
    expect(set.smallGroups).toEqual([['x']]);
    expectEvidenceSafe(balance);
  });

  it('covers intersections as the fairness assessment does', () => {
    const balance = assessLabelBalance({ yTrue, attributes: { sex, age } });
    expect(balance.attributeSets.map((s) => s.attributes)).toEqual([['sex'], ['age'], ['sex', 'age']]);
    expect(balance.attributeSets[2]!.groups.map((g) => [g.values, g.size])).toEqual([
      [['f', 'old'], 20],
      [['f', 'young'], 20],
      [['m', 'old'], 25],
      [['m', 'young'], 25],
      [['x', 'old'], 2],
      [['x', 'young'], 3],
    ]);
    // Every intersection group is below 30 rows: nothing to compare.
    expect(balance.attributeSets[2]!.baseRateRatio).toEqual({ value: null, reason: 'fewer-than-two-groups' });
  });

  it('lines training label rates up with test label and selection rates', () => {
    const before = assessLabelBalance({ yTrue, attributes: { sex } });
    // Test split: f 4 rows (2 positive, 1 selected), m 2 rows (1 positive, 2 selected), y 1 row (new group).
    const after = assessFairness(
      { yTrue: [1, 1, 0, 0, 1, 0, 0], scores: [0.9, 0.1, 0.1, 0.2, 0.8, 0.7, 0.1], attributes: { sex: ['f', 'f', 'f', 'f', 'm', 'm', 'y'] } },
      { resamples: 0 },
    );
    const comparison = compareLabelBalance(before, after);
    expect(comparison.attributeSets).toHaveLength(1);
    expect(comparison.attributeSets[0]!.groups).toEqual([
      { values: ['f'], training: { size: 40, baseRate: 0.25, tooSmallToJudge: false }, evaluation: { size: 4, baseRate: 0.5, selectionRate: 0.25, tooSmallToJudge: true } },
      { values: ['m'], training: { size: 50, baseRate: 0.6, tooSmallToJudge: false }, evaluation: { size: 2, baseRate: 0.5, selectionRate: 1, tooSmallToJudge: true } },
      { values: ['x'], training: { size: 5, baseRate: 1, tooSmallToJudge: true }, evaluation: null },
      { values: ['y'], training: null, evaluation: { size: 1, baseRate: 0, selectionRate: 0, tooSmallToJudge: true } },
    ]);
    expectEvidenceSafe(comparison);
  });

  it('rejects labels that are not 0/1', () => {
    expect(() => assessLabelBalance({ yTrue: [0, 2], attributes: { sex: ['f', 'm'] } })).toThrow(EvaluationError);
  });
});
