/**
 * Offline ledger verification: RFC 9162 Merkle tree, RFC 8785 entry hashing, C2SP signed
 * checkpoints. Pure library (node:crypto and `canonicalize` only): the service, the CLI and an
 * offline verifier all use the same code.
 */
export {
  CompactRange,
  EMPTY_ROOT,
  HASH_SIZE,
  appendNodeRefs,
  bytesEqual,
  consistencyProofFromNodes,
  consistencyProofNodeRefs,
  hashChildren,
  hashLeaf,
  inclusionProofFromNodes,
  inclusionProofNodeRefs,
  nodeCompletedAt,
  nodeKey,
  nodeLookup,
  nodesCompletedByAppend,
  rootFromNodes,
  rootNodeRefs,
  verifyConsistency,
  verifyInclusion,
  type NodeLookup,
  type NodeRef,
  type NodeSink,
  type StoredNode,
  type VerifyResult,
} from './merkle';
export {
  assertLedgerEntry,
  canonicalEntry,
  canonicalJson,
  entryLeafHash,
  sha256Digest,
  type ActorType,
  type LedgerEntry,
} from './ledger-entry';
export {
  ed25519KeyId,
  encodeVerifierKey,
  generateSigningKey,
  isValidKeyName,
  parseVerifierKey,
  rawPublicKey,
  signingKeyFromPem,
  signingKeyToPem,
  type NoteSigningKey,
  type NoteVerifierKey,
} from './note-key';
export {
  MAX_NOTE_SIGNATURES,
  openSignedNote,
  parseSignedNote,
  signNote,
  type NoteSignature,
  type NoteVerification,
  type SignedNote,
} from './signed-note';
export {
  formatCheckpoint,
  parseCheckpoint,
  parseCheckpointText,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type CheckpointVerification,
  type ParsedCheckpoint,
} from './checkpoint';
export {
  verifyLedger,
  type CanonicalLedgerEntry,
  type LedgerEntryInput,
  type LedgerProblem,
  type LedgerProblemCode,
  type LedgerVerificationReport,
  type StoredLedgerEntry,
  type VerifyLedgerInput,
} from './ledger-verifier';
export { LedgerVerificationError, type LedgerVerificationErrorCode } from './ledger-verification.error';
