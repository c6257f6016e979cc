import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  CompactRange,
  EMPTY_ROOT,
  appendNodeRefs,
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
  type StoredNode,
} from './merkle';
import { LedgerVerificationError } from './ledger-verification.error';

/** RFC 9162 §2.1.1 MTH, written straight from the recursive definition. */
function naiveRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

interface Tree {
  leaves: Buffer[];
  nodes: StoredNode[];
  lookup: ReturnType<typeof nodeLookup>;
  rootOf: (size: number) => Buffer;
}

function buildTree(size: number, seed: number): Tree {
  const leaves = Array.from({ length: size }, (_, i) => hashLeaf(`${seed}/${i}`));
  const nodes: StoredNode[] = [];
  const range = new CompactRange((level, index, hash) => nodes.push({ level, index, hash }));
  for (const leaf of leaves) range.push(leaf);
  const roots = new Map<number, Buffer>();
  const rootOf = (n: number): Buffer => {
    if (!roots.has(n)) roots.set(n, naiveRoot(leaves.slice(0, n)));
    return roots.get(n)!;
  };
  return { leaves, nodes, lookup: nodeLookup(nodes), rootOf };
}

const arbTree = fc.record({ size: fc.integer({ min: 1, max: 300 }), seed: fc.integer() });
const flipBit = (bytes: Uint8Array, byte: number, bit: number): Buffer => {
  const copy = Buffer.from(bytes);
  copy[byte] = copy[byte]! ^ (1 << bit);
  return copy;
};
const ok = { ok: true };
// Jest compares Buffers byte by byte through its generic equality; strings are much faster.
const show = (nodes: readonly StoredNode[]): string[] =>
  nodes.map((n) => `${n.level}/${n.index}/${Buffer.from(n.hash).toString('hex')}`);

describe('merkle hashing', () => {
  it('uses the RFC 9162 prefixes and the empty-string root', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashLeaf(Buffer.alloc(0)).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    const sha256 = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
    const l = hashLeaf('a');
    const r = hashLeaf('b');
    expect(hashLeaf('a')).toEqual(sha256(Buffer.from([0x00]), Buffer.from('a')));
    expect(hashChildren(l, r)).toEqual(sha256(Buffer.from([0x01]), l, r));
    expect(hashChildren(r, l)).not.toEqual(hashChildren(l, r));
    // Inputs of other lengths (only reachable through bad proofs) keep the same definition.
    expect(hashChildren(Buffer.from('x'), Buffer.from('yz'))).toEqual(sha256(Buffer.from([0x01]), Buffer.from('xyz')));
  });
});

describe(CompactRange.name, () => {
  it('has the root of the naive MTH after every push, and emits each stored node once', () => {
    fc.assert(
      fc.property(arbTree, ({ size, seed }) => {
        const leaves = Array.from({ length: size }, (_, i) => hashLeaf(`${seed}/${i}`));
        const seen = new Set<string>();
        const failures: string[] = [];
        const range = new CompactRange((level, index, hash) => {
          const key = nodeKey(level, index);
          if (seen.has(key)) failures.push(`${key} emitted twice`);
          seen.add(key);
          // Emitted while pushing leaf number `range.size`, i.e. in completion order.
          if (nodeCompletedAt(level, index) !== range.size) failures.push(`${key} emitted out of order`);
          if (hash.length !== 32) failures.push(`${key} is not 32 bytes`);
        });
        expect(range.root()).toEqual(EMPTY_ROOT);
        leaves.forEach((leaf, i) => {
          range.push(leaf);
          if ((i % 17 === 0 || i === size - 1) && !range.root().equals(naiveRoot(leaves.slice(0, i + 1))))
            failures.push(`root at ${i + 1}`);
        });
        expect(failures).toEqual([]);
        // A tree of n leaves has 2n - popcount(n) perfect nodes.
        const popcount = size.toString(2).replace(/0/g, '').length;
        expect(seen.size).toBe(2 * size - popcount);
      }),
      { numRuns: 60 },
    );
  });

  it('resumes from the stored nodes named by rootNodeRefs', () => {
    fc.assert(
      fc.property(arbTree, fc.nat(), ({ size, seed }, cut) => {
        const tree = buildTree(size, seed);
        const at = cut % (size + 1);
        const emitted: StoredNode[] = [];
        const resumed = CompactRange.fromNodes(at, tree.lookup, (level, index, hash) =>
          emitted.push({ level, index, hash }),
        );
        expect(resumed.nodes().map(({ level, index }) => ({ level, index }))).toEqual(rootNodeRefs(at));
        for (const leaf of tree.leaves.slice(at)) resumed.push(leaf);
        expect(resumed.root()).toEqual(tree.rootOf(size));
        const expected = tree.nodes.filter((n) => nodeCompletedAt(n.level, n.index) >= at);
        expect(show(emitted)).toEqual(show(expected));
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a leaf hash that is not 32 bytes', () => {
    expect(() => new CompactRange().push(Buffer.alloc(31))).toThrow(LedgerVerificationError);
  });

  it('streams 2^17 leaves with O(log n) state', () => {
    const range = new CompactRange();
    const leaf = hashLeaf('x');
    for (let i = 0; i < 2 ** 17; i++) range.push(leaf);
    expect(range.nodes()).toHaveLength(1);
    expect(range.root()).toHaveLength(32);
  });
});

describe(rootFromNodes.name, () => {
  it('equals the naive MTH for every prefix, reading only rootNodeRefs', () => {
    fc.assert(
      fc.property(arbTree, ({ size, seed }) => {
        const tree = buildTree(size, seed);
        for (let n = 0; n <= size; n += 1 + (n % 7)) {
          const refs = rootNodeRefs(n);
          expect(refs.length).toBe(n.toString(2).replace(/0/g, '').length);
          const fetched = new Set(refs.map((r) => nodeKey(r.level, r.index)));
          const root = rootFromNodes(n, (level, index) =>
            fetched.has(nodeKey(level, index)) ? tree.lookup(level, index) : undefined,
          );
          expect(root.toString('hex')).toBe(tree.rootOf(n).toString('hex'));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('throws NODE_MISSING when a named node was not fetched', () => {
    expect(() => rootFromNodes(3, () => undefined)).toThrow(expect.objectContaining({ code: 'NODE_MISSING' }));
  });
});

describe(nodesCompletedByAppend.name, () => {
  it('creates exactly the nodes a streaming build stores, fetching only appendNodeRefs', () => {
    fc.assert(
      fc.property(arbTree, ({ size, seed }) => {
        const tree = buildTree(size, seed);
        const db = new Map<string, Uint8Array>();
        const inserted: StoredNode[] = [];
        const failures: number[] = [];
        tree.leaves.forEach((leaf, i) => {
          const refs = appendNodeRefs(i);
          // The left siblings are the tail of the previous compact range, nearest first.
          const tail = rootNodeRefs(i)
            .slice(rootNodeRefs(i).length - refs.length)
            .reverse();
          if (JSON.stringify(refs) !== JSON.stringify(tail)) failures.push(i);
          const allowed = new Set(refs.map((r) => nodeKey(r.level, r.index)));
          const created = nodesCompletedByAppend(i, leaf, (level, index) =>
            allowed.has(nodeKey(level, index)) ? db.get(nodeKey(level, index)) : undefined,
          );
          for (const node of created) db.set(nodeKey(node.level, node.index), node.hash);
          inserted.push(...created);
        });
        expect(failures).toEqual([]);
        expect(show(inserted)).toEqual(show(tree.nodes));
        expect(rootFromNodes(size, (l, i) => db.get(nodeKey(l, i)))).toEqual(tree.rootOf(size));
      }),
      { numRuns: 40 },
    );
  });
});

describe(verifyInclusion.name, () => {
  it('accepts every inclusion proof built from stored nodes, fetching O(log n) completed nodes', () => {
    fc.assert(
      fc.property(arbTree, ({ size, seed }) => {
        const tree = buildTree(size, seed);
        const root = tree.rootOf(size);
        const failures: string[] = [];
        for (let i = 0; i < size; i++) {
          const refs = inclusionProofNodeRefs(i, size);
          if (refs.length > 2 * Math.ceil(Math.log2(size)) + 1) failures.push(`${i}: ${refs.length} refs`);
          if (refs.some((ref) => nodeCompletedAt(ref.level, ref.index) >= size))
            failures.push(`${i}: names an incomplete node`);
          const proof = inclusionProofFromNodes(i, size, tree.lookup);
          if (!verifyInclusion(BigInt(i), BigInt(size), tree.leaves[i]!, proof, root).ok)
            failures.push(`${i}: rejected`);
          if (!verifyInclusion(i, size, tree.leaves[i]!, proof, root).ok) failures.push(`${i}: rejected as number`);
        }
        expect(failures).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a flipped bit, a wrong index, a wrong size, a truncated or extended proof', () => {
    fc.assert(
      fc.property(
        arbTree,
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        ({ size, seed }, a, b, c, bit) => {
          const tree = buildTree(size + 1, seed); // one leaf more, so size + 1 is a tree we can ask about
          const index = a % size;
          const root = tree.rootOf(size);
          const leaf = tree.leaves[index]!;
          const proof = inclusionProofFromNodes(index, size, tree.lookup);
          const verify = (i: number, n: number, p: Buffer[], r: Buffer = tree.rootOf(n), l: Buffer = leaf) =>
            verifyInclusion(BigInt(i), BigInt(n), l, p, r).ok;
          expect(verify(index, size, proof, root)).toBe(true);

          if (proof.length > 0) {
            const at = b % proof.length;
            const mutated = proof.map((p, k) => (k === at ? flipBit(p, c % 32, bit) : p));
            expect(verify(index, size, mutated, root)).toBe(false);
            expect(verify(index, size, proof.slice(0, -1), root)).toBe(false);
            expect(verify(index, size, proof.slice(1), root)).toBe(false);
          }
          expect(verifyInclusion(index, size, leaf, proof, flipBit(root, c % 32, bit)).ok).toBe(false);
          expect(verifyInclusion(index, size, flipBit(leaf, c % 32, bit), proof, root).ok).toBe(false);
          expect(verify(index, size, [...proof, tree.leaves[0]!], root)).toBe(false);
          expect(verify(index, size, [tree.leaves[0]!, ...proof], root)).toBe(false);
          const other = (index + 1 + (b % size)) % size;
          if (other !== index) expect(verify(other, size, proof, root)).toBe(false);
          expect(verify(size, size, proof, root)).toBe(false);
          // A different size is a different tree: checked against that tree's root, the proof fails.
          const otherSize = 1 + ((size + (b % (size + 1))) % (size + 1));
          if (otherSize !== size && index < otherSize) expect(verify(index, otherSize, proof)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('binds the tree size only through the root: the signed checkpoint must carry (size, root) together', () => {
    // Leaf 0 has the same path shape in trees of 5 and 6 leaves; only the root tells them apart.
    const tree = buildTree(6, 1);
    const proof = inclusionProofFromNodes(0, 5, tree.lookup);
    expect(verifyInclusion(0n, 6n, tree.leaves[0]!, proof, tree.rootOf(5)).ok).toBe(true);
    expect(verifyInclusion(0n, 6n, tree.leaves[0]!, proof, tree.rootOf(6)).ok).toBe(false);
  });

  it('rejects negative, unsafe or out-of-range indices without throwing', () => {
    const h = hashLeaf('a');
    expect(verifyInclusion(-1, 1, h, [], h).ok).toBe(false);
    expect(verifyInclusion(0.5, 1, h, [], h).ok).toBe(false);
    expect(verifyInclusion(2n ** 64n - 1n, 1n, h, [], h).ok).toBe(false);
    expect(verifyInclusion(0n, 1n, h, [], h)).toEqual(ok);
  });
});

describe(verifyConsistency.name, () => {
  it('accepts every consistency proof built from stored nodes', () => {
    fc.assert(
      fc.property(arbTree, ({ size, seed }) => {
        const tree = buildTree(size, seed);
        const failures: string[] = [];
        for (let m = 1; m <= size; m++) {
          const refs = consistencyProofNodeRefs(m, size);
          if (refs.some((ref) => nodeCompletedAt(ref.level, ref.index) >= size))
            failures.push(`${m}: names an incomplete node`);
          const proof = consistencyProofFromNodes(m, size, tree.lookup);
          if (!verifyConsistency(BigInt(m), BigInt(size), proof, tree.rootOf(m), tree.rootOf(size)).ok)
            failures.push(`${m}: rejected`);
        }
        expect(failures).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects a flipped bit, wrong sizes, swapped roots, a truncated or extended proof', () => {
    fc.assert(
      fc.property(
        arbTree,
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        ({ size, seed }, a, b, c, bit) => {
          const tree = buildTree(size + 1, seed);
          const m = 1 + (a % size);
          const n = size;
          const proof = consistencyProofFromNodes(m, n, tree.lookup);
          const verify = (s1: number, s2: number, p: Buffer[]) =>
            verifyConsistency(s1, s2, p, tree.rootOf(s1), tree.rootOf(s2)).ok;
          expect(verify(m, n, proof)).toBe(true);
          expect(verifyConsistency(m, n, proof, flipBit(tree.rootOf(m), c % 32, bit), tree.rootOf(n)).ok).toBe(false);
          expect(verifyConsistency(m, n, proof, tree.rootOf(m), flipBit(tree.rootOf(n), c % 32, bit)).ok).toBe(false);
          if (proof.length > 0) {
            const at = b % proof.length;
            expect(
              verify(
                m,
                n,
                proof.map((p, k) => (k === at ? flipBit(p, c % 32, bit) : p)),
              ),
            ).toBe(false);
            expect(verify(m, n, proof.slice(0, -1))).toBe(false);
            expect(verify(m, n, proof.slice(1))).toBe(false);
            expect(verify(m, n, [...proof, tree.leaves[0]!])).toBe(false);
            expect(verify(m, n, [tree.leaves[0]!, ...proof])).toBe(false);
            expect(verifyConsistency(n, m, proof, tree.rootOf(n), tree.rootOf(m)).ok).toBe(false);
          }
          // Other sizes name other trees: against their roots the proof fails.
          const m2 = 1 + ((m + (b % n)) % n);
          if (m2 !== m && m2 <= n) expect(verify(m2, n, proof)).toBe(false);
          if (m < n) expect(verify(m, n + 1, proof)).toBe(false);
          if (m < n - 1) expect(verify(m, n - 1, proof)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects size1 = 0 and size2 < size1, and needs an empty proof for equal sizes', () => {
    const tree = buildTree(4, 2);
    expect(verifyConsistency(0, 4, [], EMPTY_ROOT, tree.rootOf(4)).ok).toBe(false);
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT).ok).toBe(false);
    expect(verifyConsistency(4, 3, [], tree.rootOf(4), tree.rootOf(3)).ok).toBe(false);
    expect(verifyConsistency(4, 4, [], tree.rootOf(4), tree.rootOf(4))).toEqual(ok);
    expect(verifyConsistency(4, 4, [tree.leaves[0]!], tree.rootOf(4), tree.rootOf(4)).ok).toBe(false);
    expect(() => consistencyProofNodeRefs(0, 4)).toThrow(LedgerVerificationError);
    expect(() => consistencyProofNodeRefs(5, 4)).toThrow(LedgerVerificationError);
    expect(consistencyProofNodeRefs(4, 4)).toEqual([]);
  });
});
