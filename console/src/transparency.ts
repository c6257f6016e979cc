/**
 * In-browser checks of the ledger with WebCrypto, so the console does not just trust the server:
 * RFC 8785 (JCS) of an entry, RFC 9162 leaf hash and inclusion proof, and the C2SP signed-note
 * checkpoint with its Ed25519 signature (the primitives live in verify/crypto.ts, shared with the bundle verifier).
 */

import { fromHex, leafHash, parseCheckpoint, parseVerifierKey, toHex, verifyCheckpointSignature, verifyInclusion } from './verify/crypto';

export { fromHex, toHex } from './verify/crypto';

export interface ProofResult {
  ok: boolean;
  leafHashMatches: boolean;
  inclusion: boolean;
  signature: boolean;
  treeSize: number;
  root: string;
}

/** Everything the console checks for one entry: its leaf hash, its inclusion proof, and the signed checkpoint the proof ends in. */
export async function verifyEntry(
  entry: { index: number },
  claimedLeafHash: string,
  checkpointNote: string,
  key: { verifierKey: string },
  fetchProof: (index: number, treeSize: number) => Promise<{ proof: string[] }>,
): Promise<ProofResult> {
  const checkpoint = parseCheckpoint(checkpointNote);
  const leaf = await leafHash(entry);
  const leafHashMatches = toHex(leaf) === claimedLeafHash;
  const { proof } = await fetchProof(entry.index, checkpoint.size);
  const inclusion = await verifyInclusion(entry.index, checkpoint.size, leaf, proof.map(fromHex), checkpoint.root);
  const signature = (await verifyCheckpointSignature(checkpoint, await parseVerifierKey(key.verifierKey))) === null;
  return { ok: leafHashMatches && inclusion && signature, leafHashMatches, inclusion, signature, treeSize: checkpoint.size, root: toHex(checkpoint.root) };
}
