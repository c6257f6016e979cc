import type { RandomStream } from './random-source';

/**
 * One Poisson-sampled batch: every row 0…rows−1 is included independently with probability q,
 * so the batch size varies (Binomial(rows, q)) — the sampling the RDP accountant assumes
 * (fixed-size shuffled batches would need another analysis). Drawn by geometric gap skipping
 * (the gap to the next included row is Geometric(q)), which is exactly Bernoulli per row yet
 * costs about q·rows draws rather than rows. Indices come out increasing.
 */
export function poissonSample(rows: number, q: number, random: RandomStream): Int32Array {
  if (q <= 0 || rows === 0) return new Int32Array(0);
  if (q >= 1) return Int32Array.from({ length: rows }, (_, i) => i);
  const logKeep = Math.log1p(-q);
  const picked: number[] = [];
  for (let i = -1; ; ) {
    // P(gap ≥ k) = (1 − q)^k; 1 − U ∈ (0, 1] keeps the logarithm finite.
    i += 1 + Math.floor(Math.log(1 - random.uniform()) / logKeep);
    if (i >= rows) break;
    picked.push(i);
  }
  return Int32Array.from(picked);
}
