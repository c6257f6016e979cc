import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { EvaluationError } from '../evaluation.error';
import { expectEvidenceSafe } from '../evaluation.fixture';
import { seededUniform } from '../seeded-random';
import { assessFairness, type AttributeSetFairness } from './fairness-assessor';
import { FN, FP, TN, TP, resampleCells } from './group-rates';

const NO_BOOTSTRAP = { resamples: 0 };

/** Rows of one group: labels and selections (score 1 = selected, 0 = not, at threshold 0.5). */
function rows(group: string, labels: number[], selected: number[]): { yTrue: number[]; scores: number[]; group: string[] } {
  return { yTrue: labels, scores: selected.map((s) => (s === 1 ? 0.9 : 0.1)), group: labels.map(() => group) };
}

function concat(...parts: { yTrue: number[]; scores: number[]; group: string[] }[]): { yTrue: number[]; scores: number[]; group: string[] } {
  return { yTrue: parts.flatMap((p) => p.yTrue), scores: parts.flatMap((p) => p.scores), group: parts.flatMap((p) => p.group) };
}

/** A population where group members are selected at the given rates, labels at 50 %. */
function population(n: number, seed: string, selectionRates: Record<string, number>): { yTrue: number[]; scores: number[]; group: string[] } {
  const random = seedrandom(seed);
  const names = Object.keys(selectionRates);
  const yTrue: number[] = [];
  const scores: number[] = [];
  const group: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = names[i % names.length]!;
    yTrue.push(random() < 0.5 ? 1 : 0);
    scores.push(random() < selectionRates[g]! ? 0.8 : 0.2);
    group.push(g);
  }
  return { yTrue, scores, group };
}

// ---- Naive per-group loops, straight from fairlearn's definitions. ----
function naiveGroupRates(y: number[], selected: number[], members: number[]): { selection: number; tpr: number | null; fpr: number | null } {
  const pos = members.filter((i) => y[i] === 1);
  const neg = members.filter((i) => y[i] === 0);
  return {
    selection: members.filter((i) => selected[i] === 1).length / members.length,
    tpr: pos.length === 0 ? null : pos.filter((i) => selected[i] === 1).length / pos.length,
    fpr: neg.length === 0 ? null : neg.filter((i) => selected[i] === 1).length / neg.length,
  };
}

describe('assessFairness', () => {
  describe('a hand-worked table (fairlearn definitions)', () => {
    // Group A, 5 rows: labels 1 1 0 0 0, selected 1 0 1 0 0 → TP 1, FN 1, FP 1, TN 2.
    //   base rate 2/5, selection rate 2/5, TPR 1/2, FPR 1/3.
    // Group B, 4 rows: labels 1 1 1 0, all selected → TP 3, FP 1.
    //   base rate 3/4, selection rate 1, TPR 1, FPR 1.
    const data = concat(rows('A', [1, 1, 0, 0, 0], [1, 0, 1, 0, 0]), rows('B', [1, 1, 1, 0], [1, 1, 1, 1]));
    const result = assessFairness({ yTrue: data.yTrue, scores: data.scores, attributes: { group: data.group } }, { ...NO_BOOTSTRAP, minGroupSize: 1 });
    const set = result.attributeSets[0]!;

    it('reports each group', () => {
      expect(set.attributes).toEqual(['group']);
      const [a, b] = set.groups;
      expect([a!.values, a!.size, a!.positives, a!.selected, a!.tooSmallToJudge]).toEqual([['A'], 5, 2, 2, false]);
      expect([a!.baseRate.value, a!.selectionRate.value, a!.truePositiveRate.value, a!.falsePositiveRate.value]).toEqual([2 / 5, 2 / 5, 1 / 2, 1 / 3]);
      expect([b!.baseRate.value, b!.selectionRate.value, b!.truePositiveRate.value, b!.falsePositiveRate.value]).toEqual([3 / 4, 1, 1, 1]);
    });

    it('computes the disparities', () => {
      expect(set.demographicParityDifference.value).toBeCloseTo(1 - 2 / 5, 12); // max − min selection rate
      expect(set.demographicParityRatio.value).toBeCloseTo(2 / 5, 12); // min ÷ max
      expect(set.equalOpportunityDifference.value).toBeCloseTo(1 - 1 / 2, 12); // TPR difference
      expect(set.equalizedOddsDifference.value).toBeCloseTo(Math.max(1 - 1 / 2, 1 - 1 / 3), 12); // max(TPR diff, FPR diff) = 2/3
    });

    it('applies the four-fifths rule', () => {
      expect(set.fourFifthsRule).toEqual({ threshold: 0.8, ratio: 0.4, passes: false, reason: null, referenceGroup: ['B'], adverselyImpactedGroups: [['A']] });
      expect(result.summary.fourFifthsFailures).toEqual([{ attributes: ['group'], kind: 'attribute', ratio: 0.4, adverselyImpactedGroups: [['A']] }]);
    });
  });

  it('flags a planted disparity with the four-fifths rule, and passes a balanced model', () => {
    const planted = population(2000, 'planted', { men: 0.5, women: 0.3 });
    const unfair = assessFairness({ yTrue: planted.yTrue, scores: planted.scores, attributes: { sex: planted.group } }, { resamples: 200, seed: 1 });
    expect(unfair.attributeSets[0]!.fourFifthsRule.passes).toBe(false);
    expect(unfair.attributeSets[0]!.fourFifthsRule.adverselyImpactedGroups).toEqual([['women']]);
    expect(unfair.attributeSets[0]!.demographicParityRatio.value).toBeGreaterThan(0.5);
    expect(unfair.attributeSets[0]!.demographicParityRatio.ci!.upper).toBeLessThan(0.8); // confidently below
    const balanced = population(2000, 'balanced', { men: 0.5, women: 0.5 });
    const fair = assessFairness({ yTrue: balanced.yTrue, scores: balanced.scores, attributes: { sex: balanced.group } }, { resamples: 200, seed: 1 });
    expect(fair.attributeSets[0]!.fourFifthsRule.passes).toBe(true);
    expect(fair.attributeSets[0]!.fourFifthsRule.adverselyImpactedGroups).toEqual([]);
    expect(fair.summary.fourFifthsFailures).toEqual([]);
    // The threshold is configurable: at 0.99 even sampling noise fails.
    const strict = assessFairness({ yTrue: balanced.yTrue, scores: balanced.scores, attributes: { sex: balanced.group } }, { resamples: 0, fourFifthsThreshold: 0.99 });
    expect(strict.attributeSets[0]!.fourFifthsRule.passes).toBe(fair.attributeSets[0]!.demographicParityRatio.value! >= 0.99);
  });

  it('reports a small group, flags it and leaves it out of every comparison, saying so', () => {
    // 'other' has 10 rows, all selected: included, it would make the ratio 0.3 / 1.
    const base = population(600, 'small', { a: 0.3, b: 0.32 });
    const data = concat(base, rows('other', Array.from({ length: 10 }, (_, i) => i % 2), Array.from({ length: 10 }, () => 1)));
    const result = assessFairness({ yTrue: data.yTrue, scores: data.scores, attributes: { group: data.group } }, { resamples: 100, seed: 2 });
    const set = result.attributeSets[0]!;
    const other = set.groups.find((g) => g.values[0] === 'other')!;
    expect(other.tooSmallToJudge).toBe(true);
    expect(other.selectionRate.value).toBe(1);
    expect(other.selectionRate.ci).not.toBeNull();
    const [a, b] = set.groups;
    const rates = [a!.selectionRate.value!, b!.selectionRate.value!];
    expect(set.demographicParityRatio.value).toBeCloseTo(Math.min(...rates) / Math.max(...rates), 12);
    expect(set.excludedGroups).toEqual([
      { values: ['other'], size: 10, reason: 'too-small-to-judge', excludedFrom: ['demographicParityDifference', 'demographicParityRatio', 'equalOpportunityDifference', 'equalizedOddsDifference', 'fourFifthsRule'] },
    ]);
    expect(result.summary.smallGroups).toEqual([{ attributes: ['group'], values: ['other'], size: 10, excludedFrom: set.excludedGroups[0]!.excludedFrom }]);
  });

  it('leaves a group without positives out of the TPR comparisons only', () => {
    const data = concat(rows('A', [1, 0, 1, 0], [1, 0, 0, 1]), rows('B', [0, 0, 0, 0], [1, 0, 0, 0]), rows('C', [1, 1, 0, 0], [1, 1, 1, 0]));
    const set = assessFairness({ yTrue: data.yTrue, scores: data.scores, attributes: { g: data.group } }, { ...NO_BOOTSTRAP, minGroupSize: 1 }).attributeSets[0]!;
    expect(set.groups[1]!.truePositiveRate).toEqual({ value: null, reason: 'no-actual-positives', ci: null });
    expect(set.excludedGroups).toEqual([{ values: ['B'], size: 4, reason: 'no-actual-positives', excludedFrom: ['equalOpportunityDifference', 'equalizedOddsDifference'] }]);
    // TPR: A ½, C 1 → ½. FPR: A ½, B ¼, C ½ → ¼. Selection: A ½, B ¼, C ¾ → ½.
    expect(set.equalOpportunityDifference.value).toBe(0.5);
    expect(set.equalizedOddsDifference.value).toBe(0.5);
    expect(set.demographicParityDifference.value).toBe(0.5);
  });

  it('says why a comparison is undefined', () => {
    const data = population(100, 'one', { only: 0.4 });
    const set = assessFairness({ yTrue: data.yTrue, scores: data.scores, attributes: { g: data.group } }, { resamples: 20 }).attributeSets[0]!;
    expect(set.demographicParityRatio).toEqual({ value: null, reason: 'fewer-than-two-groups', ci: null });
    expect(set.fourFifthsRule).toMatchObject({ passes: null, ratio: null, reason: 'fewer-than-two-groups' });
    const none = concat(rows('A', Array(40).fill(1), Array(40).fill(0)), rows('B', Array(40).fill(0), Array(40).fill(0)));
    const zero = assessFairness({ yTrue: none.yTrue, scores: none.scores, attributes: { g: none.group } }, NO_BOOTSTRAP);
    expect(zero.attributeSets[0]!.demographicParityRatio).toEqual({ value: null, reason: 'zero-max-selection-rate', ci: null });
    expect(zero.summary.fourFifthsUndetermined).toEqual([{ attributes: ['g'], kind: 'attribute', reason: 'zero-max-selection-rate' }]);
  });

  it('assesses every attribute and their intersections (2…k, default pairs)', () => {
    const random = seedrandom('intersections');
    const n = 400;
    const attributes = {
      sex: Array.from({ length: n }, () => (random() < 0.5 ? 'f' : 'm')),
      age: Array.from({ length: n }, () => (random() < 0.5 ? 'young' : 'old')),
      region: Array.from({ length: n }, () => (random() < 0.5 ? 'n' : 's')),
    };
    const yTrue = Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0));
    const scores = Array.from({ length: n }, () => random());
    const names = (sets: AttributeSetFairness[]): string[] => sets.map((s) => s.attributes.join('×'));
    const pairs = assessFairness({ yTrue, scores, attributes }, NO_BOOTSTRAP);
    expect(names(pairs.attributeSets)).toEqual(['sex', 'age', 'region', 'sex×age', 'sex×region', 'age×region']);
    expect(pairs.attributeSets[3]!.kind).toBe('intersection');
    expect(pairs.attributeSets[3]!.groups.map((g) => g.values)).toEqual([['f', 'old'], ['f', 'young'], ['m', 'old'], ['m', 'young']]);
    expect(pairs.attributeSets[3]!.groups.reduce((sum, g) => sum + g.size, 0)).toBe(n);
    expect(names(assessFairness({ yTrue, scores, attributes }, { ...NO_BOOTSTRAP, maxIntersectionSize: 3 }).attributeSets)).toHaveLength(7);
    expect(names(assessFairness({ yTrue, scores, attributes }, { ...NO_BOOTSTRAP, maxIntersectionSize: 1 }).attributeSets)).toEqual(['sex', 'age', 'region']);
  });

  it('agrees with naive per-group loops on random data (property)', () => {
    const row = fc.record({ y: fc.integer({ min: 0, max: 1 }), s: fc.double({ min: 0, max: 1, noNaN: true }), g: fc.constantFrom('a', 'b', 'c', 'd') });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 12 }), (data, minGroupSize) => {
        const y = data.map((r) => r.y);
        const selected = data.map((r) => (r.s >= 0.5 ? 1 : 0));
        const group = data.map((r) => r.g);
        const set = assessFairness({ yTrue: y, scores: data.map((r) => r.s), attributes: { g: group } }, { ...NO_BOOTSTRAP, minGroupSize }).attributeSets[0]!;
        const names = [...new Set(group)].sort();
        expect(set.groups.map((g) => g.values[0])).toEqual(names);
        const naive = names.map((name) => naiveGroupRates(y, selected, group.map((g, i) => (g === name ? i : -1)).filter((i) => i >= 0)));
        set.groups.forEach((g, i) => {
          expect(g.selectionRate.value).toBeCloseTo(naive[i]!.selection, 12);
          expect(g.truePositiveRate.value).toBe(naive[i]!.tpr);
          expect(g.falsePositiveRate.value).toBe(naive[i]!.fpr);
        });
        const judged = names.map((name, i) => ({ i, size: group.filter((g) => g === name).length })).filter((g) => g.size >= minGroupSize).map((g) => naive[g.i]!);
        const spread = (values: (number | null)[]): number | null => {
          const present = values.filter((v): v is number => v !== null);
          return present.length < 2 ? null : Math.max(...present) - Math.min(...present);
        };
        expect(set.demographicParityDifference.value).toBe(spread(judged.map((g) => g.selection)));
        const tprDiff = spread(judged.map((g) => g.tpr));
        const fprDiff = spread(judged.map((g) => g.fpr));
        expect(set.equalOpportunityDifference.value).toBe(tprDiff);
        expect(set.equalizedOddsDifference.value).toBe(tprDiff === null || fprDiff === null ? null : Math.max(tprDiff, fprDiff));
      }),
      { numRuns: 300, seed: 99 },
    );
  });

  it('redraws a group\'s rows uniformly, keeping its size', () => {
    // A group of 4 rows, one in each cell: 4000 replicates draw each cell 4000 times in expectation (sd ≈ 55).
    const uniform = seededUniform(2, 'cells');
    const into = new Int32Array(4);
    const total = [0, 0, 0, 0];
    const group = Uint8Array.of(TN, FP, FN, TP);
    let wrongSize = 0;
    for (let r = 0; r < 4000; r++) {
      resampleCells(uniform, group, into);
      if (into[0]! + into[1]! + into[2]! + into[3]! !== 4) wrongSize++;
      for (let cell = 0; cell < 4; cell++) total[cell]! += into[cell]!;
    }
    expect(wrongSize).toBe(0);
    for (const drawn of total) expect(Math.abs(drawn - 4000)).toBeLessThan(300);
  });

  it('bootstraps within groups: intervals contain the value and shrink with group size', () => {
    const small = population(300, 'ci', { a: 0.5, b: 0.35 });
    const large = population(4000, 'ci', { a: 0.5, b: 0.35 });
    const at = (data: typeof small): AttributeSetFairness =>
      assessFairness({ yTrue: data.yTrue, scores: data.scores, attributes: { g: data.group } }, { resamples: 500, seed: 8 }).attributeSets[0]!;
    const [s, l] = [at(small), at(large)];
    for (const name of ['demographicParityDifference', 'demographicParityRatio', 'equalOpportunityDifference', 'equalizedOddsDifference'] as const) {
      for (const set of [s, l]) {
        const { value, ci } = set[name];
        expect(ci!.lower).toBeLessThanOrEqual(value!);
        expect(ci!.upper).toBeGreaterThanOrEqual(value!);
        expect(ci!.undefinedResamples).toBe(0);
      }
      expect(l[name].ci!.upper - l[name].ci!.lower).toBeLessThan(s[name].ci!.upper - s[name].ci!.lower);
    }
    // A group's selection rate over n rows: 95 % ≈ ±1.96·√(p(1−p)/n).
    const group = l.groups[0]!;
    const p = group.selectionRate.value!;
    const theory = 2 * 1.96 * Math.sqrt((p * (1 - p)) / group.size);
    expect(group.selectionRate.ci!.upper - group.selectionRate.ci!.lower).toBeGreaterThan(0.8 * theory);
    expect(group.selectionRate.ci!.upper - group.selectionRate.ci!.lower).toBeLessThan(1.2 * theory);
    const result = assessFairness({ yTrue: small.yTrue, scores: small.scores, attributes: { g: small.group } }, { resamples: 50, seed: 'x' });
    expect(result.bootstrap).toEqual({ method: 'percentile', resamples: 50, level: 0.95, seed: 'x', sampling: 'rows-within-group' });
    expectEvidenceSafe(result);
  });

  it('costs a small multiple of the bare resampling for three attributes and their pairs on 10 000 rows', () => {
    const random = seedrandom('speed');
    const n = 10_000;
    const attribute = (values: string[]): string[] => Array.from({ length: n }, () => values[Math.floor(random() * values.length)]!);
    const attributes = { sex: attribute(['f', 'm']), age: attribute(['<25', '25-45', '>45']), region: attribute(['n', 'e', 's', 'w']) };
    const yTrue = Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
    const scores = Array.from({ length: n }, () => random());
    // Baseline in the same run (the machine is shared): the 6 sets × 300 × 10 000 uniform draws
    // that a bootstrap stratified per attribute set cannot avoid. Best of two rounds each, so a
    // burst of load on the other core does not decide the ratio.
    const uniform = seededUniform(1, 'baseline');
    let baseline = Infinity;
    let elapsed = Infinity;
    let sum = 0;
    for (let round = 0; round < 2; round++) {
      let started = performance.now();
      for (let i = 0; i < 6 * 300 * n; i++) sum += uniform();
      baseline = Math.min(baseline, performance.now() - started);
      started = performance.now();
      const result = assessFairness({ yTrue, scores, attributes }, { resamples: 300, seed: 1 });
      elapsed = Math.min(elapsed, performance.now() - started);
      expect(result.attributeSets).toHaveLength(6);
    }
    expect(sum).toBeGreaterThan(0);
    // Measured 2–2.5× the baseline alone, up to ~9× with the other core busy; a pathology such as a
    // global lookup per draw under Jest costs 25×.
    expect(elapsed / baseline).toBeLessThan(12);
  });

  it('rejects misaligned or malformed attributes', () => {
    const code = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(EvaluationError);
        return (error as EvaluationError).code;
      }
      return 'none';
    };
    expect(code(() => assessFairness({ yTrue: [0, 1], scores: [0.1, 0.9], attributes: { sex: ['f'] } }))).toBe('EVALUATION_LENGTH_MISMATCH');
    expect(code(() => assessFairness({ yTrue: [0, 1], scores: [0.1, 0.9], attributes: {} }))).toBe('EVALUATION_ATTRIBUTE_INVALID');
    expect(code(() => assessFairness({ yTrue: [0, 1], scores: [0.1, 0.9], attributes: { sex: ['f', null as unknown as string] } }))).toBe('EVALUATION_ATTRIBUTE_INVALID');
    expect(code(() => assessFairness({ yTrue: [0, 1], scores: [0.1, 0.9], attributes: { sex: ['f', 'm'] } }, { minGroupSize: 0 }))).toBe('EVALUATION_OPTION_INVALID');
    expect(code(() => assessFairness({ yTrue: [0, 1], scores: [0.1, 0.9], attributes: { sex: ['f', 'm'] } }, { fourFifthsThreshold: 1.5 }))).toBe('EVALUATION_OPTION_INVALID');
  });
});
