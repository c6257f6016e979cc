import { EMPTY_ROOT, hashChildren } from '../../platform/ledger/verification';

/**
 * The RFC 9162 Merkle tree of one decision-log batch, built bottom-up in memory: each level pairs
 * the nodes of the level below, and a level's unpaired last node is carried up unchanged — the
 * same tree as RFC 9162's recursive split at the largest power of two below n, so its root and
 * audit paths verify with the ledger's own `verifyInclusion`. A batch holds at most
 * ASSAY_DECISION_BATCH_MAX leaves, so building it whole is cheap (2n hashes).
 */
export class BatchTree {
  private readonly levels: Buffer[][];

  constructor(leafHashes: readonly Uint8Array[]) {
    this.levels = [leafHashes.map((hash) => Buffer.from(hash))];
    for (let level = this.levels[0]!; level.length > 1;) {
      const next: Buffer[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(level[i]!, level[i + 1]!));
      if (level.length % 2 === 1) next.push(level.at(-1)!);
      this.levels.push(next);
      level = next;
    }
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  get root(): Buffer {
    return this.size === 0 ? Buffer.from(EMPTY_ROOT) : this.levels.at(-1)![0]!;
  }

  leaf(index: number): Buffer {
    const hash = this.levels[0]![index];
    if (!hash) throw new RangeError(`leaf ${index} is not in a batch of ${this.size}`);
    return hash;
  }

  /** RFC 9162 §2.1.3.1 audit path of leaf `index`, leaf level first. */
  inclusionProof(index: number): Buffer[] {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) throw new RangeError(`leaf ${index} is not in a batch of ${this.size}`);
    const proof: Buffer[] = [];
    let position = index;
    for (const level of this.levels.slice(0, -1)) {
      const sibling = position ^ 1;
      if (sibling < level.length) proof.push(level[sibling]!);
      position >>= 1;
    }
    return proof;
  }
}
