/**
 * `artifacts`: the version's files and OMS root digest from its `training.completed` record, and
 * its signature. Whether the signature verified is not a recorded fact but a check made when the
 * document is assembled: the caller verifies the bundle (verifyModelSignature) and passes the
 * outcome; without one the signature counts as not verified. Assay's signer writes OMS v1.0
 * Sigstore bundles with public-key material, so an unverified bundle's method is `key`.
 */
import type { ArtifactsSection } from '../evidence-document';
import type { SignatureVerification } from './assembly-input';
import { EvidenceAssemblyError, readRecord } from './assembly.error';
import type { TrainingCompletedBody } from './producer-bodies';
import type { Evidence } from './record-set';

export function artifactsSection(completed: Evidence<TrainingCompletedBody> | null, verification: SignatureVerification | null): ArtifactsSection | null {
  if (!completed) return null;
  return readRecord(completed, () => {
    const { artifacts, modelDigest, signature } = completed.body;
    if (signature && verification?.signatureDigest !== undefined && verification.signatureDigest !== signature.digest) {
      throw new EvidenceAssemblyError(
        'EVIDENCE_ASSEMBLY_INCONSISTENT',
        `The signature verified is ${verification.signatureDigest}, but the version was signed with ${signature.digest}`,
        { field: 'signatureVerification.signatureDigest', kind: completed.kind, digest: completed.digest },
      );
    }
    return {
      modelDigest,
      files: artifacts.map((file) => ({ path: file.path, digest: file.digest })),
      signature: signature
        ? {
            format: 'oms-v1.0',
            verified: verification?.verified === true,
            method: verification?.method ?? 'key',
            keyHint: verification?.keyHint ?? signature.keyHint ?? null,
          }
        : null,
    };
  });
}
