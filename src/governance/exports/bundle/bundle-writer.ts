/**
 * Seals an evidence bundle: the signed manifest over every file, then the zip. The caller gathers
 * the files (evidence-bundle.service.ts); this part is pure so that specs can build bundles and
 * tamper with them.
 */
import { writeBundleArchive } from './bundle-archive';
import { BUNDLE_FILES, type BundlePredicate } from './bundle-layout';
import { bundleStatement, sha256Hex, signBundleStatement, type BundleSigner } from './bundle-manifest';

export interface SealedBundle {
  zip: Uint8Array;
  /** `sha256:<hex>` of the manifest envelope file, recorded as evidence of the export. */
  manifestDigest: string;
  files: number;
}

export function sealEvidenceBundle(files: ReadonlyMap<string, Uint8Array>, predicate: BundlePredicate, signer: BundleSigner): SealedBundle {
  if (files.has(BUNDLE_FILES.manifest)) throw new Error(`${BUNDLE_FILES.manifest} is written by the sealer`);
  const envelope = signBundleStatement(bundleStatement(files, predicate), signer);
  const manifest = Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`, 'utf8');
  const all = new Map(files);
  all.set(BUNDLE_FILES.manifest, manifest);
  return { zip: writeBundleArchive(all, predicate.createdAt), manifestDigest: `sha256:${sha256Hex(manifest)}`, files: all.size };
}
