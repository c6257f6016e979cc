/**
 * Every error code Assay returns, with its HTTP status. Codes are stable API: clients match on
 * them, the OpenAPI document lists them, and the exception filter maps them to statuses here
 * and nowhere else. Modules add their codes to this table.
 */
export const ERROR_CODES = {
  // HTTP edge
  VALIDATION_FAILED: { status: 400, description: 'The request body or query failed validation.' },
  UNKNOWN_FIELD: { status: 400, description: 'The body contains a field the endpoint does not accept.' },
  FORBIDDEN_FIELD: { status: 400, description: 'The body sets a field the caller may not set (e.g. role, __proto__).' },
  MALFORMED_JSON: { status: 400, description: 'The body is not valid JSON.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The body is not of a content type the endpoint accepts.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The body exceeds the configured size limit.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No such route.' },
  RATE_LIMITED: { status: 429, description: 'Too many requests; retry later.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected error; details are in the server log under the request id.' },
  // access
  AUTH_REQUIRED: { status: 401, description: 'No bearer token was given.' },
  AUTH_INVALID_TOKEN: { status: 401, description: 'The token is malformed, unknown, expired, revoked or its user is disabled.' },
  AUTH_INVALID_CREDENTIALS: { status: 401, description: 'E-mail or password is wrong, or the account is disabled.' },
  AUTH_TOO_MANY_FAILURES: { status: 429, description: 'Too many failed sign-ins for this account or address.' },
  ACCESS_DENIED: { status: 403, description: 'The caller’s role or relation to the resource does not allow this.' },
  USER_NOT_FOUND: { status: 404, description: 'No such user (or not visible to the caller).' },
  USER_EMAIL_TAKEN: { status: 409, description: 'A user with this e-mail exists.' },
  USER_LAST_ADMIN: { status: 409, description: 'The change would leave no active administrator.' },
  TOKEN_NOT_FOUND: { status: 404, description: 'No such API token (or not visible to the caller).' },
  TOKEN_TTL_TOO_LONG: { status: 400, description: 'The requested token lifetime exceeds ASSAY_TOKEN_MAX_TTL_DAYS.' },
  // ledger and evidence
  LEDGER_PROOF_OUT_OF_RANGE: { status: 400, description: 'The proof asked for lies outside the current tree.' },
  LEDGER_ENTRY_NOT_FOUND: { status: 404, description: 'No ledger entry at that index (or not visible to the caller).' },
  EVIDENCE_NOT_FOUND: { status: 404, description: 'No evidence record with that digest (or not visible to the caller).' },
  EVIDENCE_INVALID: { status: 422, description: 'The evidence body does not satisfy the JSON schema of its kind.' },
  EVIDENCE_SUPERSEDES_INVALID: { status: 409, description: 'A correction must name an existing record of the same kind and subject.' },
  // datasets
  DATASET_NOT_FOUND: { status: 404, description: 'No such dataset (or not visible to the caller).' },
  DATASET_VERSION_NOT_FOUND: { status: 404, description: 'No such dataset version.' },
  DATASET_NAME_TAKEN: { status: 409, description: 'You already have a dataset with this name.' },
  DATASET_EMPTY: { status: 400, description: 'The upload has no bytes or no data rows.' },
  DATASET_BINARY: { status: 415, description: 'The upload is not delimited text.' },
  DATASET_ENCODING_INVALID: { status: 400, description: 'The bytes are not valid in the declared encoding.' },
  DATASET_TOO_LARGE: { status: 413, description: 'The upload (or its decompressed content) exceeds ASSAY_DATASET_MAX_BYTES.' },
  DATASET_RECORD_TOO_LARGE: { status: 413, description: 'A record exceeds ASSAY_DATASET_MAX_RECORD_BYTES.' },
  DATASET_TOO_MANY_COLUMNS: { status: 400, description: 'The header has more columns than ASSAY_DATASET_MAX_COLUMNS.' },
  DATASET_RAGGED_ROW: { status: 400, description: 'A row has a different number of fields than the header (details.line).' },
  DATASET_UNTERMINATED_QUOTE: { status: 400, description: 'A quoted field never closes.' },
  DATASET_DUPLICATE_COLUMNS: { status: 400, description: 'The header repeats a column name (and renaming was not asked for).' },
  DATASET_DELIMITER_UNDETECTED: { status: 400, description: 'No delimiter could be sniffed; pass delimiter=.' },
  DATASET_MALFORMED: { status: 400, description: 'The upload is not well-formed delimited text.' },
  DATASET_READ_FAILED: { status: 400, description: 'The upload could not be read to its end (aborted or truncated).' },
  DATASET_OPTIONS_INVALID: { status: 400, description: 'The ingest options are invalid.' },
  DATASHEET_INVALID: { status: 400, description: 'The datasheet refers to columns the version does not have, or is inconsistent.' },
  TRANSFORMATION_INVALID: { status: 400, description: 'The transformation spec is invalid for this version.' },
  RUN_REQUEST_INVALID: { status: 400, description: 'The run request or its model / preprocessing spec is invalid (details.problems, JSON Pointers).' },
  RUN_DATASET_NOT_SPLIT: { status: 409, description: 'The dataset version has no split transformation with a `train` output to train on.' },
  RUN_NOT_FOUND: { status: 404, description: 'No such training run (or not visible to the caller).' },
  RUN_NOT_CANCELLABLE: { status: 409, description: 'The run has already finished.' },
  RUN_NOT_SUCCEEDED: { status: 409, description: 'The run has no model (it has not succeeded).' },
  EXPLANATION_INPUT_INVALID: { status: 400, description: 'The input to explain does not fit the model (details name the field).' },
  MODEL_NOT_FOUND: { status: 404, description: 'No such registered model (or not visible to the caller).' },
  MODEL_NAME_TAKEN: { status: 409, description: 'A registered model has this name already.' },
  MODEL_VERSION_NOT_FOUND: { status: 404, description: 'The registered model has no such version.' },
  RUN_ALREADY_REGISTERED: { status: 409, description: 'The run is a model version already (details name it).' },
  REPORT_CHART_NOT_FOUND: { status: 404, description: 'The report has no such chart (files are <name>.svg or <name>.png).' },
  POLICY_PACK_NOT_FOUND: { status: 404, description: 'No policy pack with this id is loaded.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, description: 'The Idempotency-Key was used before with a different request.' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, description: 'The Idempotency-Key header must be 1–200 visible ASCII characters.' },
  // platform
  DATABASE_UNAVAILABLE: { status: 503, description: 'The database cannot be reached.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
