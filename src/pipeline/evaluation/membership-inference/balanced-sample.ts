/**
 * Balanced member / non-member samples for the membership-inference audit. The attack's AUC and
 * advantage are comparable between audits only when both sides have the same size, and a cap keeps
 * the loss computation and the bootstrap cheap on large training sets. Each side is a seeded
 * uniform draw without replacement (a partial Fisher–Yates shuffle on its own stream), returned in
 * ascending row order.
 */
import { DEFAULT_SEED } from '../bootstrap/bootstrap-options';
import { EvaluationError } from '../evaluation.error';
import { positiveInteger } from '../input-validation';
import { checkedSeed, seededUniform, type Seed } from '../seeded-random';

/** Rows per side by default: the AUC's standard error is then about 0.01 or less. */
export const DEFAULT_MAX_PER_SIDE = 2000;

export interface BalancedSampleOptions {
  /** At most this many rows per side. Default 2000. */
  maxPerSide?: number;
  /** Run seed (expanded with deriveSeed) or a string seed. Default 0. */
  seed?: Seed;
}

export interface BalancedMembershipSample {
  /** Rows drawn per side: min(memberCount, nonMemberCount, maxPerSide). */
  perSide: number;
  /** Indices into the member rows (the training set), ascending. */
  members: Int32Array;
  /** Indices into the non-member rows (the held-out set), ascending. */
  nonMembers: Int32Array;
  seed: Seed;
}

/** Row indices are Int32: at most 2³¹ − 1 rows per side. */
const MAX_ROWS = 0x7fff_ffff;

function rowCount(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_ROWS) {
    throw new EvaluationError('EVALUATION_OPTION_INVALID', `${field} must be an integer in [0, ${MAX_ROWS}]`, { field });
  }
  if (value === 0) throw new EvaluationError('EVALUATION_NO_ROWS', `${field} is 0: there is nothing to sample`, { field });
  return value;
}

/**
 * `k` distinct indices of [0, n), uniformly at random, ascending: the first k steps of a
 * Fisher–Yates shuffle, with the displaced entries kept in a map so memory is O(k), not O(n).
 */
function sampleWithoutReplacement(n: number, k: number, uniform: () => number): Int32Array {
  const displaced = new Map<number, number>();
  const chosen = new Int32Array(k);
  for (let i = 0; i < k; i++) {
    const j = i + ((uniform() * (n - i)) | 0);
    chosen[i] = displaced.get(j) ?? j;
    displaced.set(j, displaced.get(i) ?? i);
  }
  return chosen.sort();
}

/** Draws the same number of member and non-member rows; see the module comment. */
export function balancedMembershipSample(memberCount: number, nonMemberCount: number, options: BalancedSampleOptions = {}): BalancedMembershipSample {
  const members = rowCount(memberCount, 'memberCount');
  const nonMembers = rowCount(nonMemberCount, 'nonMemberCount');
  const maxPerSide = positiveInteger(options.maxPerSide, DEFAULT_MAX_PER_SIDE, 'options.maxPerSide');
  const seed = checkedSeed(options.seed, DEFAULT_SEED);
  const perSide = Math.min(members, nonMembers, maxPerSide);
  return {
    perSide,
    members: sampleWithoutReplacement(members, perSide, seededUniform(seed, 'membership-sample', 'members')),
    nonMembers: sampleWithoutReplacement(nonMembers, perSide, seededUniform(seed, 'membership-sample', 'non-members')),
    seed,
  };
}
