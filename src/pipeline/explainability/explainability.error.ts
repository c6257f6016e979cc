/** Every way an explanation can fail. The codes are stable API. */
export const EXPLAINABILITY_ERROR_CODES = [
  /** Shapes, sizes, non-finite inputs or out-of-range options. */
  'EXPLAIN_INPUT_INVALID',
  /** Feature groups that do not partition the encoded features exactly once. */
  'EXPLAIN_GROUPS_INVALID',
  /** A class index the model does not have, or a score space the model cannot give. */
  'EXPLAIN_TARGET_INVALID',
  /** A model this library cannot explain (several inputs, no image shape for a saliency map, …). */
  'EXPLAIN_MODEL_UNSUPPORTED',
  /** A predict function that returned the wrong number of values or a non-finite one. */
  'EXPLAIN_PREDICTION_INVALID',
  /** A metric undefined on the data (ROC AUC with one class) or returning a non-finite value. */
  'EXPLAIN_METRIC_UNDEFINED',
  /** KernelSHAP asked for without background rows. */
  'EXPLAIN_BACKGROUND_REQUIRED',
] as const;

export type ExplainabilityErrorCode = (typeof EXPLAINABILITY_ERROR_CODES)[number];

/**
 * JSON-safe context. Feature values are never cited: a value may be personal data, and these
 * details end up in logs and HTTP responses.
 */
export interface ExplainabilityErrorDetails {
  /** The option or argument at fault. */
  option?: string;
  /** An original column (feature group) name. */
  column?: string;
  /** 0-based row or encoded-feature index. */
  index?: number;
  expected?: number;
  found?: number;
  metric?: string;
}

export class ExplainabilityError extends Error {
  override readonly name = 'ExplainabilityError';

  constructor(
    readonly code: ExplainabilityErrorCode,
    message: string,
    readonly details: ExplainabilityErrorDetails = {},
  ) {
    super(message);
  }
}
