import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { drawStratifiedCounts } from '../bootstrap/resample-counts';
import { EvaluationError } from '../evaluation.error';
import { expectEvidenceSafe } from '../evaluation.fixture';
import { seededUniform } from '../seeded-random';
import { advantageOf, aucOf, sortMembershipRows, tallyAttack } from './attack-tally';
import { lossThresholdAttack, MIN_EXAMPLES_FOR_INTERVAL } from './loss-threshold-attack';

/** O(M·N): P(member loss < non-member loss) + ½·P(tie). */
function bruteAuc(members: readonly number[], nonMembers: readonly number[]): number {
  let u = 0;
  for (const m of members) for (const n of nonMembers) u += m < n ? 1 : m === n ? 0.5 : 0;
  return u / (members.length * nonMembers.length);
}

/** max over every threshold τ (and "nobody") of #{m ≤ τ}/M − #{n ≤ τ}/N. */
function bruteAdvantage(members: readonly number[], nonMembers: readonly number[]): number {
  let best = 0;
  for (const tau of [...members, ...nonMembers]) {
    const tpr = members.filter((m) => m <= tau).length / members.length;
    const fpr = nonMembers.filter((n) => n <= tau).length / nonMembers.length;
    best = Math.max(best, tpr - fpr);
  }
  return best;
}

/** max TPR over thresholds with FPR ≤ maxFpr (and "nobody"), or null below 1/maxFpr non-members. */
function bruteTprAtFpr(members: readonly number[], nonMembers: readonly number[], maxFpr: number): number | null {
  if (nonMembers.length * maxFpr < 1 - 1e-12) return null;
  let best = 0;
  for (const tau of [...members, ...nonMembers]) {
    const fpr = nonMembers.filter((n) => n <= tau).length / nonMembers.length;
    if (fpr <= maxFpr) best = Math.max(best, members.filter((m) => m <= tau).length / members.length);
  }
  return best;
}

/** Gaussian losses (|N(shift, 1)|), rounded to 2 decimals so ties occur. */
function gaussianLosses(n: number, shift: number, seed: string): number[] {
  const random = seedrandom(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.round(Math.abs(shift + z) * 100) / 100;
  });
}

// Losses from a small grid (many ties) or anywhere (few ties), negative ones included.
const loss = fc.oneof(fc.constantFrom(0, 0.1, 0.5, 1, 2), fc.double({ min: -5, max: 50, noNaN: true }));
const losses = fc.array(loss, { minLength: 1, maxLength: 40 });

describe(lossThresholdAttack.name, () => {
  it('AUC and advantage equal the O(n²) and all-thresholds definitions, ties included', () => {
    fc.assert(
      fc.property(losses, losses, (members, nonMembers) => {
        const result = lossThresholdAttack({ memberLosses: members, nonMemberLosses: nonMembers }, { resamples: 0, lowFprTargets: [0.05, 0.25] });
        expect(result.tprAtLowFpr.map((point) => point.tpr)).toEqual([0.05, 0.25].map((maxFpr) => bruteTprAtFpr(members, nonMembers, maxFpr)));
        expect(result.auc).toBeCloseTo(bruteAuc(members, nonMembers), 12);
        expect(result.advantage).toBeCloseTo(bruteAdvantage(members, nonMembers), 12);
        expect(result.advantage).toBeGreaterThanOrEqual(0);
        // The threshold reaches the advantage: TPR − FPR there is the maximum.
        expect(result.thresholdTpr - result.thresholdFpr).toBeCloseTo(result.advantage, 12);
        if (result.threshold === null) expect(result.advantage).toBe(0);
        else {
          const tau = result.threshold;
          expect(result.thresholdTpr).toBe(members.filter((m) => m <= tau).length / members.length);
          expect(result.thresholdFpr).toBe(nonMembers.filter((n) => n <= tau).length / nonMembers.length);
        }
      }),
      { numRuns: 300, seed: 20221 },
    );
  });

  it('a weighted tally (a bootstrap replicate) equals the definitions on the rows repeated by their weights', () => {
    fc.assert(
      fc.property(losses, losses, fc.integer({ min: 0, max: 1000 }), (members, nonMembers, seed) => {
        const rows = sortMembershipRows(Float64Array.from(members), Float64Array.from(nonMembers));
        const counts = new Int32Array(rows.n);
        drawStratifiedCounts(seededUniform(seed, 'test'), [rows.memberRows, rows.nonMemberRows], counts);
        const expand = (side: Int32Array) => Array.from(side).flatMap((row) => Array<number>(counts[row]!).fill(rows.loss[row]!));
        const tally = tallyAttack(rows, counts);
        expect(tally.members).toBe(members.length);
        expect(tally.nonMembers).toBe(nonMembers.length);
        expect(aucOf(tally)).toBeCloseTo(bruteAuc(expand(rows.memberRows), expand(rows.nonMemberRows)), 12);
        expect(advantageOf(tally)).toBeCloseTo(bruteAdvantage(expand(rows.memberRows), expand(rows.nonMemberRows)), 12);
      }),
      { numRuns: 200, seed: 20222 },
    );
  });

  it('gives AUC exactly ½ and advantage 0 when both sides have the same losses', () => {
    const same = gaussianLosses(300, 1, 'same');
    const result = lossThresholdAttack({ memberLosses: same, nonMemberLosses: [...same].reverse() }, { resamples: 200 });
    expect(result.auc).toBe(0.5);
    expect(result.advantage).toBe(0);
    expect(result.threshold).toBeNull();
    expect([result.thresholdTpr, result.thresholdFpr]).toEqual([0, 0]);
    expect(result.aucCi!.lower).toBeLessThan(0.5);
    expect(result.aucCi!.upper).toBeGreaterThan(0.5);
  });

  it('gives AUC 1 and advantage 1 when every member has a lower loss than every non-member', () => {
    const result = lossThresholdAttack({ memberLosses: [0.01, 0.2, 0.05, 0.3], nonMemberLosses: [0.31, 2, 0.9] }, { resamples: 0 });
    expect(result).toMatchObject({ auc: 1, advantage: 1, threshold: 0.3, thresholdTpr: 1, thresholdFpr: 0, members: 4, nonMembers: 3 });
    // Reversed, the attack (which guesses "member" for low loss) is always wrong; its advantage floors at 0.
    const reversed = lossThresholdAttack({ memberLosses: [2, 3], nonMemberLosses: [0, 1] }, { resamples: 0 });
    expect(reversed).toMatchObject({ auc: 0, advantage: 0, threshold: null });
  });

  it('reports the TPR at low FPR, and null where the non-members cannot resolve that FPR', () => {
    // 200 non-members with losses 1…200; members: 5 below every non-member, then 95 at 100.5.
    const nonMembers = Array.from({ length: 200 }, (_, i) => i + 1);
    const members = [...Array<number>(5).fill(0.5), ...Array<number>(95).fill(100.5)];
    const result = lossThresholdAttack({ memberLosses: members, nonMemberLosses: nonMembers }, { resamples: 0, lowFprTargets: [0.01, 0.001, 0.5] });
    expect(result.tprAtLowFpr).toEqual([
      // FPR ≤ 1 %: up to 2 of 200 non-members may be called members; the best threshold is loss 2.
      { maxFpr: 0.01, tpr: 0.05, fpr: 0.01, threshold: 2 },
      { maxFpr: 0.001, tpr: null, fpr: null, threshold: null, reason: 'too-few-non-members', nonMembersNeeded: 1000 },
      { maxFpr: 0.5, tpr: 1, fpr: 0.5, threshold: 100.5 },
    ]);
    // The members tie with the two lowest non-members: a threshold cannot split a tie, so at FPR ≤ 0.5 % only
    // "predict nobody" qualifies (TPR 0).
    const tiedNonMembers = [1, 1, ...nonMembers.slice(2)];
    const tied = lossThresholdAttack(
      { memberLosses: Array<number>(10).fill(1), nonMemberLosses: tiedNonMembers },
      { resamples: 0, lowFprTargets: [0.001, 0.005] },
    );
    expect(tied.tprAtLowFpr[1]).toEqual({ maxFpr: 0.005, tpr: 0, fpr: 0, threshold: null });
    expect(tied.tprAtLowFpr[0]).toMatchObject({ tpr: null, nonMembersNeeded: 1000 });
  });

  const members = gaussianLosses(400, 0.6, 'members');
  const nonMembers = gaussianLosses(400, 1, 'non-members');

  it('has intervals that contain the estimate, are reproducible from their seed and narrow with more rows', () => {
    const result = lossThresholdAttack({ memberLosses: members, nonMemberLosses: nonMembers }, { seed: 42 });
    expect(result.bootstrap).toEqual({ method: 'percentile', resamples: 1000, level: 0.95, seed: 42, sampling: 'rows-within-group' });
    expect(result.ciReason).toBeNull();
    for (const [value, ci] of [
      [result.auc, result.aucCi],
      [result.advantage, result.advantageCi],
    ] as const) {
      expect(ci).toMatchObject({ level: 0.95, method: 'percentile', resamples: 1000, undefinedResamples: 0 });
      expect(ci!.lower).toBeLessThanOrEqual(value);
      expect(ci!.upper).toBeGreaterThanOrEqual(value);
    }
    expect(result.auc).toBeGreaterThan(0.55);
    expect(lossThresholdAttack({ memberLosses: members, nonMemberLosses: nonMembers }, { seed: 42 })).toEqual(result);
    const other = lossThresholdAttack({ memberLosses: members, nonMemberLosses: nonMembers }, { seed: 'another' });
    expect(other.auc).toBe(result.auc);
    expect(other.aucCi).not.toEqual(result.aucCi);

    const small = lossThresholdAttack({ memberLosses: members.slice(0, 60), nonMemberLosses: nonMembers.slice(0, 60) }, { seed: 42 });
    expect(small.aucCi!.upper - small.aucCi!.lower).toBeGreaterThan(result.aucCi!.upper - result.aucCi!.lower);
    expectEvidenceSafe(result);
  });

  it('AUC interval is about as wide as the Hanley–McNeil standard error says', () => {
    // SE(AUC) ≈ √((A(1−A) + (M−1)(Q1−A²) + (N−1)(Q2−A²)) / (M·N)), Q1 = A/(2−A), Q2 = 2A²/(1+A).
    const big = lossThresholdAttack({ memberLosses: gaussianLosses(1500, 0.6, 'm'), nonMemberLosses: gaussianLosses(1500, 1, 'n') }, { seed: 1 });
    const a = big.auc;
    const se = Math.sqrt((a * (1 - a) + 1499 * (a / (2 - a) - a * a) + 1499 * ((2 * a * a) / (1 + a) - a * a)) / (1500 * 1500));
    const width = big.aucCi!.upper - big.aucCi!.lower;
    expect(width).toBeGreaterThan(0.8 * 2 * 1.96 * se);
    expect(width).toBeLessThan(1.2 * 2 * 1.96 * se);
  });

  it('gives no interval, with a reason, below 10 rows per side or with the bootstrap off', () => {
    const few = lossThresholdAttack({ memberLosses: members.slice(0, MIN_EXAMPLES_FOR_INTERVAL - 1), nonMemberLosses: nonMembers });
    expect(few).toMatchObject({ aucCi: null, advantageCi: null, ciReason: 'too-few-examples', members: 9, nonMembers: 400 });
    expect(few.auc).toBeCloseTo(bruteAuc(members.slice(0, 9), nonMembers), 12);
    const one = lossThresholdAttack({ memberLosses: [1], nonMemberLosses: [2] });
    expect(one).toMatchObject({ auc: 1, advantage: 1, ciReason: 'too-few-examples' });
    expect(lossThresholdAttack({ memberLosses: members, nonMemberLosses: nonMembers }, { resamples: 0 })).toMatchObject({
      aucCi: null,
      ciReason: 'bootstrap-disabled',
    });
    expectEvidenceSafe(few);
  });

  it('rejects empty or non-finite losses and bad options with evaluation error codes', () => {
    const codeOf = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (error) {
        if (error instanceof EvaluationError) return `${error.code} ${error.details.field ?? ''} ${error.details.row ?? ''}`.trim();
        throw error;
      }
      return undefined;
    };
    expect(codeOf(() => lossThresholdAttack({ memberLosses: [], nonMemberLosses: [1] }))).toBe('EVALUATION_NO_ROWS memberLosses');
    expect(codeOf(() => lossThresholdAttack({ memberLosses: [1], nonMemberLosses: new Float64Array(0) }))).toBe('EVALUATION_NO_ROWS nonMemberLosses');
    expect(codeOf(() => lossThresholdAttack({ memberLosses: [1, Number.NaN], nonMemberLosses: [1] }))).toBe('EVALUATION_SCORE_INVALID memberLosses 1');
    expect(codeOf(() => lossThresholdAttack({ memberLosses: [1], nonMemberLosses: [Infinity] }))).toBe('EVALUATION_SCORE_INVALID nonMemberLosses 0');
    expect(codeOf(() => lossThresholdAttack({ memberLosses: null as unknown as number[], nonMemberLosses: [1] }))).toBe(
      'EVALUATION_SCORE_INVALID memberLosses',
    );
    expect(codeOf(() => lossThresholdAttack({ memberLosses: [1], nonMemberLosses: [2] }, { level: 1 }))).toBe('EVALUATION_OPTION_INVALID options.level');
    expect(codeOf(() => lossThresholdAttack({ memberLosses: [1], nonMemberLosses: [2] }, { lowFprTargets: [0] }))).toBe(
      'EVALUATION_OPTION_INVALID options.lowFprTargets',
    );
  });

  it('copies its input: mutating the arrays afterwards changes nothing', () => {
    const m = Float64Array.from(members);
    const first = lossThresholdAttack({ memberLosses: m, nonMemberLosses: nonMembers }, { resamples: 0 });
    m.fill(0);
    expect(lossThresholdAttack({ memberLosses: members, nonMemberLosses: nonMembers }, { resamples: 0 })).toEqual(first);
  });

  it('runs 1000 replicates on 2000 rows per side in well under a second', () => {
    const m = gaussianLosses(2000, 0.8, 'speed-m');
    const n = gaussianLosses(2000, 1, 'speed-n');
    const started = performance.now();
    const result = lossThresholdAttack({ memberLosses: m, nonMemberLosses: n }, { seed: 3 });
    const elapsed = performance.now() - started;
    expect(result.aucCi).not.toBeNull();
    // Measured ≈ 0.1 s; the bound only catches a pathology (an O(n²) AUC, a global lookup per row).
    expect(elapsed).toBeLessThan(3000);
  });
});
