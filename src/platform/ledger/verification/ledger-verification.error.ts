/**
 * Codes for what this library throws. Verifiers never throw on bad *input data* (they return a
 * result with a reason); builders and parsers throw this error, so the database layer can map the
 * code onto its own domain exception (e.g. LEDGER_INCONSISTENT) without string matching.
 */
export type LedgerVerificationErrorCode =
  'INVALID_ARGUMENT' | 'NODE_MISSING' | 'ENTRY_MALFORMED' | 'NOTE_MALFORMED' | 'CHECKPOINT_MALFORMED' | 'KEY_MALFORMED';

export class LedgerVerificationError extends Error {
  constructor(
    readonly code: LedgerVerificationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerVerificationError';
  }
}
