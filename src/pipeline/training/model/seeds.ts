import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';

/**
 * An unsigned 32-bit seed for one purpose of one run (`init/dense_0`, `shuffle/3`, …): the first
 * four bytes of SHA-256 over the run seed and the purpose. Streams for different purposes are
 * independent, and adding a layer does not shift the seeds of the others.
 */
export function deriveSeed(runSeed: number, ...purpose: (string | number)[]): number {
  return createHash('sha256').update(`assay.seed/v1:${runSeed}:${purpose.join('/')}`, 'utf8').digest().readUInt32BE(0);
}

/** A uniformly random permutation of 0…n−1 (Fisher–Yates with ARC4 seedrandom: the same on every platform). */
export function seededPermutation(n: number, seed: number): Int32Array {
  const random = seedrandom(String(seed));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = order[i] as number;
    order[i] = order[j] as number;
    order[j] = held;
  }
  return order;
}
