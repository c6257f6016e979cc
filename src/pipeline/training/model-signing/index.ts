/**
 * Model signing in the OpenSSF Model Signing (OMS) v1.0 format: a manifest of file digests as an
 * in-toto Statement v1, signed in a DSSE envelope, wrapped in a Sigstore bundle with public-key
 * verification material; and the verifier for it. Pure library (Node crypto only).
 */
export { ModelSigningError, type ModelSigningErrorCode } from './model-signing.error';
export {
  IN_TOTO_PAYLOAD_TYPE,
  decodeBase64Strict,
  keyHint,
  preAuthEncoding,
  signPae,
  signatureAlgorithmOf,
  verifyPae,
  type DsseEnvelope,
  type DsseSignature,
  type SignatureAlgorithm,
} from './dsse-envelope';
export {
  IN_TOTO_STATEMENT_TYPE,
  OMS_DEFAULT_IGNORE_PATHS,
  OMS_HASH_ALGORITHMS,
  OMS_PREDICATE_TYPE,
  canonicalModelPath,
  createModelManifest,
  omsRootDigest,
  statementProblems,
  type FileDigest,
  type ModelManifestOptions,
  type OmsHashAlgorithm,
  type OmsPredicate,
  type OmsResourceDescriptor,
  type OmsSerialization,
  type OmsStatement,
} from './oms-statement';
export { SIGSTORE_BUNDLE_MEDIA_TYPE, createOmsBundle, signManifest, signModel, type OmsBundle, type SigningKey } from './model-signer';
export {
  bundleSigningKey,
  verifyModelSignature,
  type ModelFile,
  type ModelVerification,
  type VerificationMethod,
  type VerifyModelOptions,
} from './model-verifier';
export { digestDirectory, sha256File, type DigestDirectoryOptions } from './model-digester';
