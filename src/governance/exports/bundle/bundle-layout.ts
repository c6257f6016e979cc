/**
 * The layout of an evidence bundle (`assay.evidence-bundle/v1`): a zip whose every file is listed
 * with its SHA-256 in `manifest.dsse.json`, an in-toto Statement v1 signed in a DSSE envelope with
 * the ledger's Ed25519 key — the key that also signs the ledger's checkpoints, so one trusted key
 * anchors the manifest, the checkpoint and through them everything else.
 */
export const BUNDLE_FORMAT = 'assay.evidence-bundle/v1';
export const BUNDLE_PREDICATE_TYPE = 'https://assay.dev/evidence-bundle/v1';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

export const BUNDLE_FILES = {
  manifest: 'manifest.dsse.json',
  readme: 'README.txt',
  /** One evidence record per line (id, kind, subject, body, digest, ledgerIndex, createdAt, actor, supersedes). */
  records: 'evidence/records.jsonl',
  /** The `assay.evidence/v1` document the documents were generated from. */
  evidenceDocument: 'evidence/evidence-document.json',
  /** The ledger entries of the records, one canonical (RFC 8785) entry per line, as hashed into the tree. */
  entries: 'ledger/entries.jsonl',
  inclusionProofs: 'ledger/inclusion-proofs.json',
  consistencyProofs: 'ledger/consistency-proofs.json',
  checkpoint: 'ledger/checkpoint.txt',
  /** signed-note verifier key (`<name>+<key id>+<base64>`) of the ledger key. */
  ledgerKey: 'keys/ledger.vkey',
  /** SubjectPublicKeyInfo PEM of the model-signing key. */
  modelSigningKey: 'keys/model-signing.pem',
  /** The model's OMS v1.0 signature (Sigstore bundle) and the files it covers. */
  modelSignature: 'model/signature.sigstore.json',
  modelFiles: 'model/files.json',
} as const;

/** `policy/evidence-documents/<hex of the document's JCS SHA-256>.json`: the document each decision read. */
export const decisionDocumentPath = (digest: string): string => `policy/evidence-documents/${digest.replace(/^sha256:/, '')}.json`;
/** `policy/packs/<hex of the pack digest>/<pack id>/<file>`: the exact files of each pack version a decision used. */
export const packFilePath = (packDigest: string, packId: string, file: string): string => `policy/packs/${packDigest.replace(/^sha256:/, '')}/${packId}/${file}`;
export const PACKS_PREFIX = 'policy/packs/';
export const DECISION_DOCUMENTS_PREFIX = 'policy/evidence-documents/';
export const DOCUMENTS_PREFIX = 'documents/';

/** What the signed manifest says the bundle is about. */
export interface BundlePredicate {
  format: typeof BUNDLE_FORMAT;
  createdAt: string;
  generator: { name: string; version: string };
  model: { id: string; name: string; versionId: string; version: number; modelDigest: string };
  /** The checkpoint every inclusion proof of the bundle is against. */
  checkpoint: { origin: string; treeSize: number; rootHash: string };
  /** The ledger key that signed the manifest and the checkpoint. */
  ledgerKey: { name: string; keyId: string };
}

export interface InclusionProofFile {
  treeSize: number;
  rootHash: string;
  proofs: Array<{ index: number; leafHash: string; path: string[] }>;
}

/** Proofs that the bundle's tree extends earlier ones (the sizes asked for at export). */
export interface ConsistencyProofFile {
  treeSize: number;
  proofs: Array<{ from: number; fromRootHash: string; path: string[] }>;
}

/** One file the model's OMS signature covers. */
export interface ModelFileEntry {
  path: string;
  digest: string;
  size?: number;
}
