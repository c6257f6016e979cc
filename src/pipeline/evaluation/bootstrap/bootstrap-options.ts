/** Bootstrap settings (resamples, confidence level, seed), their defaults and checks. */
import { EvaluationError } from '../evaluation.error';
import { checkedSeed, type Seed } from '../seeded-random';

/** The percentile bootstrap (Efron 1979): the interval's ends are quantiles of the replicate values. */
export const BOOTSTRAP_METHOD = 'percentile';

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_CONFIDENCE_LEVEL = 0.95;
export const DEFAULT_SEED = 0;
/** Replicates cost memory (8 bytes per metric per replicate); far beyond any useful precision. */
export const MAX_RESAMPLES = 100_000;

export interface BootstrapOptions {
  /** Replicates to draw; 0 turns intervals off (every `ci` is then null). Default 1000. */
  resamples?: number;
  /** Two-sided confidence level in (0, 1). Default 0.95. */
  level?: number;
  /** Run seed (expanded with deriveSeed) or a string seed. Default 0. */
  seed?: Seed;
}

/** The settings a result was computed with; recorded in every result so it can be reproduced. */
export interface BootstrapSettings {
  method: typeof BOOTSTRAP_METHOD;
  resamples: number;
  level: number;
  seed: Seed;
  /** How replicates are drawn: `rows` (n rows with replacement) or `rows-within-group`. */
  sampling: 'rows' | 'rows-within-group';
}

export function bootstrapSettings(options: BootstrapOptions | undefined, sampling: BootstrapSettings['sampling']): BootstrapSettings {
  const resamples = options?.resamples ?? DEFAULT_RESAMPLES;
  const level = options?.level ?? DEFAULT_CONFIDENCE_LEVEL;
  const seed = checkedSeed(options?.seed, DEFAULT_SEED);
  if (!Number.isInteger(resamples) || resamples < 0 || resamples > MAX_RESAMPLES) {
    throw new EvaluationError('EVALUATION_OPTION_INVALID', `resamples must be an integer in [0, ${MAX_RESAMPLES}]`, { field: 'options.resamples' });
  }
  if (!(level > 0 && level < 1)) {
    throw new EvaluationError('EVALUATION_OPTION_INVALID', 'level must be strictly between 0 and 1', { field: 'options.level' });
  }
  return { method: BOOTSTRAP_METHOD, resamples, level, seed, sampling };
}
