/**
 * Evidence bundles (`assay.evidence-bundle/v1`): the layout, the signed manifest, sealing and the
 * offline verifier `assay verify` runs. Pure library: no NestJS, no database.
 */
export * from './bundle-layout';
export { BundleArchiveError, isSafeBundlePath, readBundleArchive, writeBundleArchive, MAX_BUNDLE_ENTRIES, MAX_BUNDLE_FILE_BYTES, MAX_BUNDLE_TOTAL_BYTES } from './bundle-archive';
export { bundleStatement, openBundleManifest, sha256Hex, signBundleStatement, type BundleSigner, type BundleStatement, type OpenedManifest } from './bundle-manifest';
export { sealEvidenceBundle, type SealedBundle } from './bundle-writer';
export { parseTrustedKey, describeKey } from './trusted-key';
export {
  BUNDLE_CHECKS,
  verifyEvidenceBundle,
  type BundleCheck,
  type BundleCheckId,
  type BundleVerificationReport,
  type CheckStatus,
  type VerifyBundleOptions,
} from './bundle-verifier';
