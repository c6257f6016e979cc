/** Test helpers for the drift specs: seeded normal samples (the specs' python references replay them). */
import seedrandom from 'seedrandom';

/**
 * n normal deviates from the seeded stream `seed`, by the Box–Muller transform with both values of
 * each pair used; u1 is taken from (0, 1] so that ln(u1) is finite.
 */
export function normalSample(seed: string, n: number, mean = 0, sd = 1): number[] {
  const uniform = seedrandom(seed);
  const values: number[] = [];
  while (values.length < n) {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    values.push(mean + sd * radius * Math.cos(angle), mean + sd * radius * Math.sin(angle));
  }
  return values.slice(0, n);
}
