import type { SpecProblem } from '../../datasets/transformations';

/** Every way fitting or applying a preprocessor can fail. The codes are stable API. */
export const PREPROCESSING_ERROR_CODES = [
  'PREPROCESSING_SPEC_INVALID',
  'PREPROCESSING_STATE_INVALID',
  'PREPROCESSING_NO_ROWS',
  'PREPROCESSING_COLUMN_MISSING',
  'PREPROCESSING_NOT_NUMERIC',
  'PREPROCESSING_VALUE_INVALID',
  'PREPROCESSING_TOO_MANY_CATEGORIES',
  'PREPROCESSING_TOO_MANY_FEATURES',
  'PREPROCESSING_FEATURE_NAME_COLLISION',
  'PREPROCESSING_LABEL_MISSING',
  'PREPROCESSING_LABEL_UNKNOWN',
  'PREPROCESSING_LABEL_SINGLE_CLASS',
  'PREPROCESSING_TOO_MANY_CLASSES',
] as const;

export type PreprocessingErrorCode = (typeof PREPROCESSING_ERROR_CODES)[number];

/**
 * JSON-safe context for a failure. Rows and columns are cited, cell values never: a value may be
 * personal data, and these details end up in logs and HTTP responses.
 */
export interface PreprocessingErrorDetails {
  column?: string;
  /** 0-based data row of the table being fitted or transformed. */
  row?: number;
  limit?: number;
  found?: number;
  problems?: SpecProblem[];
}

export class PreprocessingError extends Error {
  override readonly name = 'PreprocessingError';

  constructor(
    readonly code: PreprocessingErrorCode,
    message: string,
    readonly details: PreprocessingErrorDetails = {},
  ) {
    super(details.problems?.length ? `${message}: ${details.problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}` : message);
  }
}
