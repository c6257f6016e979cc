import { ERROR_CODES, type ErrorCode } from './error-codes';

/** A domain failure with a stable code; the exception filter renders it as `{error: {code, message, details}}`. */
export class AssayException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AssayException';
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}
