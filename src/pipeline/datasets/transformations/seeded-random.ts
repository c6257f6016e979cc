import seedrandom from 'seedrandom';
import type { SplitSeed } from './transformation-spec';

/** A uniform [0, 1) generator. */
export type Random = () => number;

/**
 * ARC4-based seedrandom, seeded with the seed's text: stable across platforms and Node versions,
 * which Math.random is not, so a recorded seed replays the same split anywhere.
 */
export function seededRandom(seed: SplitSeed): Random {
  return seedrandom(String(seed));
}

/** Fisher–Yates (Durstenfeld) in place: every permutation equally likely given a uniform source. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = items[i] as T;
    items[i] = items[j] as T;
    items[j] = held;
  }
  return items;
}

// Fractional parts are compared after rounding to this grid, so float noise (0.7 × 10 =
// 7.000000000000001) does not decide who gets the spare row; real ties go to the PRNG.
const REMAINDER_GRID = 1e9;

/**
 * Largest-remainder (Hamilton) apportionment: integer counts summing to `total`, each within one
 * of `total × weight / Σweights`. Ties are broken by `random` rather than by position, so many
 * small strata do not all hand their spare row to the same output.
 */
export function largestRemainder(total: number, weights: readonly number[], random: Random): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => (total * w) / sum);
  const counts = quotas.map((q) => Math.floor(q));
  const order = quotas.map((q, index) => ({ index, remainder: Math.round((q - Math.floor(q)) * REMAINDER_GRID), tie: random() }));
  order.sort((a, b) => b.remainder - a.remainder || a.tie - b.tie);
  let spare = total - counts.reduce((a, b) => a + b, 0);
  for (const { index } of order) {
    if (spare <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    spare--;
  }
  // Float quotas a hair above an integer could floor one too high; take it back from the smallest remainder.
  for (let k = order.length - 1; spare < 0 && k >= 0; k--) {
    const index = order[k]?.index ?? 0;
    if ((counts[index] ?? 0) > 0) {
      counts[index] = (counts[index] ?? 0) - 1;
      spare++;
    }
  }
  return counts;
}
