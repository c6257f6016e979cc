/**
 * Every way an upload can fail to become a table. The codes are stable API: the HTTP layer maps
 * them one-to-one onto `ERROR_CODES` (src/platform/errors), so a client sees the same code.
 */
export const INGEST_ERROR_CODES = [
  'DATASET_EMPTY',
  'DATASET_BINARY',
  'DATASET_ENCODING_INVALID',
  'DATASET_TOO_LARGE',
  'DATASET_RECORD_TOO_LARGE',
  'DATASET_TOO_MANY_COLUMNS',
  'DATASET_RAGGED_ROW',
  'DATASET_UNTERMINATED_QUOTE',
  'DATASET_MALFORMED',
  'DATASET_DUPLICATE_COLUMNS',
  'DATASET_DELIMITER_UNDETECTED',
  'DATASET_OPTIONS_INVALID',
  'DATASET_READ_FAILED',
] as const;

export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number];

/** What a caller can show next to the message; every field is optional and JSON-safe. */
export interface IngestErrorDetails {
  /** 1-based physical line in the (decompressed) file where the offending record starts. */
  line?: number;
  /** Line where a quote that never closed was opened. */
  quoteLine?: number;
  expected?: number;
  found?: number;
  /** The configured limit that was exceeded. */
  limit?: number;
  /** Offset in the decompressed content bytes. */
  byteOffset?: number;
  /** Which of several causes sharing one code, e.g. `gzip`, `compression-ratio`, `no-rows`. */
  reason?: string;
  /** Duplicated column names (DATASET_DUPLICATE_COLUMNS). */
  columns?: string[];
  option?: string;
}

export class IngestError extends Error {
  override readonly name = 'IngestError';

  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly details: IngestErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
