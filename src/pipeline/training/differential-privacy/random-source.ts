import { randomFillSync } from 'node:crypto';
import seedrandom from 'seedrandom';

/**
 * Where DP-SGD's randomness (Poisson sampling and Gaussian noise) comes from.
 *
 * - `seeded`: a seedrandom Alea stream per purpose and step, derived from the run seed, so a run
 *   is reproducible bit for bit and resumes exactly. The guarantee then holds only against an
 *   adversary who does not know the seed: whoever knows it (and the other records) can replay
 *   the run and subtract the noise. Keep the seed of a private run secret.
 * - `secure`: node:crypto (a CSPRNG), never reproducible; the choice for models that leave the
 *   organisation. Accounting is identical: ε does not depend on the source.
 *
 * Gaussians come from Box–Muller in double precision, rounded to float32. Like Opacus and
 * TensorFlow Privacy this does not defend against the floating-point attack of Mironov 2012
 * ("On significance of the least significant bits for differential privacy").
 */
export type RandomnessSource = 'seeded' | 'secure';

export const RANDOMNESS_SOURCES: readonly RandomnessSource[] = ['seeded', 'secure'];

export interface RandomStream {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** n independent standard normal draws. */
  gaussians(n: number): Float32Array;
}

export function seededStream(seed: number): RandomStream {
  return streamOf(seedrandom.alea(String(seed)));
}

export function secureStream(): RandomStream {
  const pool = new Uint32Array(2048);
  let next = pool.length;
  const word = () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++] as number;
  };
  // 53 random bits: 27 from one word, 26 from the next.
  return streamOf(() => ((word() >>> 5) * 67_108_864 + (word() >>> 6)) / 9_007_199_254_740_992);
}

function streamOf(uniform: () => number): RandomStream {
  return {
    uniform,
    gaussians(n: number): Float32Array {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i += 2) {
        const radius = Math.sqrt(-2 * Math.log(1 - uniform())); // 1 − U ∈ (0, 1]: no log 0
        const angle = 2 * Math.PI * uniform();
        out[i] = radius * Math.cos(angle);
        if (i + 1 < n) out[i + 1] = radius * Math.sin(angle);
      }
      return out;
    },
  };
}
