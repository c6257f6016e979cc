/** Every way an evaluation, fairness or robustness computation can reject its input. The codes are stable API. */
export const EVALUATION_ERROR_CODES = [
  'EVALUATION_NO_ROWS',
  'EVALUATION_LENGTH_MISMATCH',
  'EVALUATION_LABEL_INVALID',
  'EVALUATION_SCORE_INVALID',
  'EVALUATION_OPTION_INVALID',
  'EVALUATION_ATTRIBUTE_INVALID',
  'EVALUATION_FEATURE_INVALID',
  'EVALUATION_PREDICTION_INVALID',
] as const;

export type EvaluationErrorCode = (typeof EVALUATION_ERROR_CODES)[number];

/**
 * JSON-safe context for a failure. Rows, fields and sizes are cited; cell values never are (a
 * sensitive attribute's value is personal data, and these details reach logs and HTTP responses).
 */
export interface EvaluationErrorDetails {
  /** The input or option at fault (`yTrue`, `scores`, `attributes.sex`, `options.resamples`, …). */
  field?: string;
  /** 0-based row of the offending value. */
  row?: number;
  expected?: number;
  found?: number;
  reason?: string;
}

export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';

  constructor(
    readonly code: EvaluationErrorCode,
    message: string,
    readonly details: EvaluationErrorDetails = {},
  ) {
    super(message);
  }
}
