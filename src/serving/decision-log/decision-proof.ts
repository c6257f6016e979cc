import {
  entryLeafHash,
  parseCheckpoint,
  sha256Digest,
  verifyCheckpoint,
  verifyInclusion,
  type LedgerEntry,
  type NoteVerifierKey,
} from '../../platform/ledger/verification';
import { decisionLeafHash, leafText, type DecisionLeaf } from './decision-leaf';

export const DECISION_PROOF_FORMAT = 'assay.decision-proof/v1';
export const DECISIONS_COMMITTED = 'decisions.committed';

/** The body of the `decisions.committed` record that puts one batch's root in the ledger. */
export interface DecisionBatchBody {
  batchId: string;
  /** `sha256:<hex>` RFC 9162 root over the batch's leaf hashes, in leaf order. */
  root: string;
  size: number;
  predictions: number;
  outcomes: number;
  /** Times of the first and last leaf. */
  from: string;
  to: string;
}

/**
 * Everything needed to check one decision offline, in two steps: the leaf is in its batch (an
 * RFC 9162 audit path to the batch root), and the batch root is in the ledger (the
 * `decisions.committed` record, its ledger entry and an inclusion proof against a signed
 * checkpoint). Hashes are lower-case hex.
 */
export interface DecisionProof {
  format: typeof DECISION_PROOF_FORMAT;
  leaf: DecisionLeaf;
  leafHash: string;
  batch: { id: string; size: number; leafIndex: number; root: string; auditPath: string[] };
  record: { digest: string; body: DecisionBatchBody };
  ledger: { entry: LedgerEntry; treeSize: number; inclusionPath: string[] };
  checkpoint: string;
}

export type DecisionProofCheck = { ok: true } | { ok: false; step: 'leaf' | 'batch' | 'record' | 'entry' | 'ledger' | 'checkpoint'; reason: string };

const bytes = (hex: string) => Buffer.from(hex, 'hex');
const fail = (step: Exclude<DecisionProofCheck, { ok: true }>['step'], reason: string): DecisionProofCheck => ({ ok: false, step, reason });

/**
 * Checks a decision proof. With `verifierKey` (the ledger's, from `GET /ledger/public-key`) the
 * checkpoint's signature is checked too; without it only integrity is shown, not origin.
 */
export function verifyDecisionProof(proof: DecisionProof, verifierKey?: NoteVerifierKey | string): DecisionProofCheck {
  const leafHash = decisionLeafHash(leafText(proof.leaf));
  if (leafHash.toString('hex') !== proof.leafHash) return fail('leaf', 'the leaf does not hash to leafHash');
  const { batch, record, ledger } = proof;
  if (`sha256:${batch.root}` !== record.body.root || batch.size !== record.body.size || batch.id !== record.body.batchId) {
    return fail('record', 'the batch is not the one the decisions.committed record names');
  }
  const inBatch = verifyInclusion(batch.leafIndex, batch.size, leafHash, batch.auditPath.map(bytes), bytes(batch.root));
  if (!inBatch.ok) return fail('batch', inBatch.reason);
  if (sha256Digest(record.body) !== record.digest) return fail('record', 'the record body does not hash to its digest');
  if (ledger.entry.action !== DECISIONS_COMMITTED || ledger.entry.evidenceDigest !== record.digest) {
    return fail('entry', 'the ledger entry does not record this decisions.committed record');
  }
  let checkpointSize: number;
  let checkpointRoot: Buffer;
  if (verifierKey !== undefined) {
    const checked = verifyCheckpoint(proof.checkpoint, verifierKey);
    if (!checked.ok) return fail('checkpoint', checked.reason);
    checkpointSize = checked.checkpoint.size;
    checkpointRoot = checked.checkpoint.rootHash;
  } else {
    try {
      ({ size: checkpointSize, rootHash: checkpointRoot } = parseCheckpoint(proof.checkpoint));
    } catch (error) {
      return fail('checkpoint', (error as Error).message);
    }
  }
  if (checkpointSize !== ledger.treeSize) return fail('ledger', `the proof is for tree size ${ledger.treeSize}, the checkpoint is of ${checkpointSize}`);
  const inLedger = verifyInclusion(ledger.entry.index, ledger.treeSize, entryLeafHash(ledger.entry), ledger.inclusionPath.map(bytes), checkpointRoot);
  return inLedger.ok ? { ok: true } : fail('ledger', inLedger.reason);
}
