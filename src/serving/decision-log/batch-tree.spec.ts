import { createHash } from 'node:crypto';
import { CompactRange, EMPTY_ROOT, hashLeaf, verifyInclusion } from '../../platform/ledger/verification';
import { BatchTree } from './batch-tree';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => hashLeaf(`leaf ${i}`));

/** RFC 9162 §2.1.1 MTH, written out recursively: the definition the bottom-up build must match. */
function mth(hashes: Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  if (hashes.length === 1) return hashes[0]!;
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(mth(hashes.slice(0, k)))
    .update(mth(hashes.slice(k)))
    .digest();
}

describe('BatchTree: the RFC 9162 tree of one decision batch', () => {
  it('has the recursive definition’s root for every size up to 130, and the ledger’s compact range agrees', () => {
    for (let n = 0; n <= 130; n++) {
      const hashes = leaves(n);
      const tree = new BatchTree(hashes);
      expect(tree.root.equals(mth(hashes))).toBe(true);
      if (n > 0) {
        const range = new CompactRange();
        for (const h of hashes) range.push(h);
        expect(range.root().equals(tree.root)).toBe(true);
      }
    }
  });

  it('gives every leaf an audit path that the ledger verifier accepts, and no other leaf’s', () => {
    for (const n of [1, 2, 3, 5, 8, 13, 64, 100, 257]) {
      const hashes = leaves(n);
      const tree = new BatchTree(hashes);
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i);
        expect(verifyInclusion(i, n, hashes[i]!, proof, tree.root)).toEqual({ ok: true });
        if (n > 1) expect(verifyInclusion(i, n, hashes[(i + 1) % n]!, proof, tree.root).ok).toBe(false);
      }
    }
  });

  it('refuses leaves outside the batch', () => {
    const tree = new BatchTree(leaves(3));
    expect(() => tree.inclusionProof(3)).toThrow(RangeError);
    expect(() => tree.inclusionProof(-1)).toThrow(RangeError);
    expect(() => tree.leaf(3)).toThrow(RangeError);
  });
});
