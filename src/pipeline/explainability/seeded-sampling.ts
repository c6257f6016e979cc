import seedrandom from 'seedrandom';
import { deriveSeed } from '../training/model';

/**
 * Seeded randomness for the explainers: every random choice (a permutation, a background sample,
 * a coalition) comes from a stream derived from the caller's seed and its purpose (deriveSeed), so
 * an explanation replays exactly and one purpose's draws do not shift another's. ARC4 seedrandom
 * gives the same stream on every platform.
 */
export type Random = () => number;

export function seededRandom(seed: number, ...purpose: (string | number)[]): Random {
  return seedrandom(String(deriveSeed(seed, 'explain', ...purpose)));
}

/** A uniformly random permutation of 0…n−1 (Fisher–Yates). */
export function randomPermutation(n: number, random: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) swap(order, i, Math.floor(random() * (i + 1)));
  return order;
}

/** k distinct indices out of 0…n−1, uniformly (a partial Fisher–Yates), sorted ascending. */
export function sampleWithoutReplacement(n: number, k: number, random: Random): Int32Array {
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < k; i++) swap(pool, i, i + Math.floor(random() * (n - i)));
  return pool.slice(0, k).sort();
}

/** An index drawn with probability proportional to `weights` (non-negative, positive sum). */
export function weightedIndex(weights: readonly number[], total: number, random: Random): number {
  let u = random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function swap(a: Int32Array, i: number, j: number): void {
  const held = a[i] as number;
  a[i] = a[j] as number;
  a[j] = held;
}
