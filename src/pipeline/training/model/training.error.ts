import type { SpecProblem } from '../../datasets/transformations';

/** Every way building, training, checkpointing or loading a model can fail. The codes are stable API. */
export const TRAINING_ERROR_CODES = [
  'MODEL_SPEC_INVALID',
  'MODEL_TOO_LARGE',
  'TRAINING_DATA_INVALID',
  'TRAINING_DIVERGED',
  'CHECKPOINT_MISMATCH',
  'MODEL_ARTIFACT_INVALID',
] as const;

export type TrainingErrorCode = (typeof TRAINING_ERROR_CODES)[number];

/** JSON-safe context; never holds training data. */
export interface TrainingErrorDetails {
  problems?: SpecProblem[];
  /** 0-based epoch (and batch within it) where training failed. */
  epoch?: number;
  batch?: number;
  /** The offending loss, as text (`NaN`, `Infinity`): JSON has no such numbers. */
  loss?: string;
  limit?: number;
  found?: number;
  weight?: string;
  reason?: string;
}

export class TrainingError extends Error {
  override readonly name = 'TrainingError';

  constructor(
    readonly code: TrainingErrorCode,
    message: string,
    readonly details: TrainingErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(details.problems?.length ? `${message}: ${details.problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}` : message, options);
  }
}
