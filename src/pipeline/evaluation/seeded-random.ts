/**
 * Seeded random streams for bootstrap resampling and input noise. A seed is a run seed (a number,
 * expanded per purpose with the training stage's `deriveSeed`) or a string. Each purpose (the
 * overall bootstrap, each slice, each fairness attribute set, each noise level) gets its own
 * stream, so adding a slice or a noise level does not shift the draws of the others. The generator is seedrandom's Alea: about 5× faster
 * than its default ARC4, and the same sequence on every platform.
 */
import seedrandom from 'seedrandom';
import { deriveSeed } from '../training/model/seeds';
import { EvaluationError } from './evaluation.error';

export type Seed = number | string;

/** A seed option, checked: a safe integer or a string. */
export function checkedSeed(seed: Seed | undefined, fallback: Seed, field = 'options.seed'): Seed {
  const chosen = seed ?? fallback;
  if (typeof chosen === 'number' ? !Number.isSafeInteger(chosen) : typeof chosen !== 'string') {
    throw new EvaluationError('EVALUATION_OPTION_INVALID', 'seed must be a safe integer or a string', { field });
  }
  return chosen;
}

/** The string a stream for `purpose` is seeded with. */
export function streamSeed(seed: Seed, ...purpose: (string | number)[]): string {
  return typeof seed === 'number' ? String(deriveSeed(seed, 'evaluation', ...purpose)) : `${seed}:evaluation/${purpose.join('/')}`;
}

/** A uniform generator on [0, 1) for one purpose. */
export function seededUniform(seed: Seed, ...purpose: (string | number)[]): () => number {
  return seedrandom.alea(streamSeed(seed, ...purpose));
}

const { sqrt, log, sin, cos, PI } = Math;

/**
 * Standard normal deviates by the Box–Muller transform, both values of each pair used.
 * u1 is taken from (0, 1] so that ln(u1) is finite. (Math's functions are bound once, above: a
 * global lookup per draw is slow under Jest's vm sandbox.)
 */
export function gaussianSampler(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const u1 = 1 - uniform();
    const u2 = uniform();
    const radius = sqrt(-2 * log(u1));
    spare = radius * sin(2 * PI * u2);
    return radius * cos(2 * PI * u2);
  };
}
