/**
 * Codes for what this library throws. Builders (manifest, signer, digester) throw; the verifier
 * never throws on bad input data, it returns `{ ok: false, problems }`.
 */
export type ModelSigningErrorCode =
  /** The file list, a path, a digest or an option cannot become an OMS manifest. */
  | 'MANIFEST_INVALID'
  /** The key is not one OMS / DSSE signing here supports (Ed25519, ECDSA P-256/P-384/P-521). */
  | 'KEY_UNSUPPORTED'
  /** A directory entry was refused: symbolic link, special file, or a name that is not UTF-8. */
  | 'FILE_REFUSED';

export class ModelSigningError extends Error {
  override readonly name = 'ModelSigningError';

  constructor(
    readonly code: ModelSigningErrorCode,
    message: string,
    readonly details: { path?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
