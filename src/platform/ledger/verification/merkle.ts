import { createHash, hash as sha256Once } from 'node:crypto';
import { LedgerVerificationError } from './ledger-verification.error';

/**
 * RFC 9162 (Certificate Transparency v2, same tree as RFC 6962) Merkle tree over SHA-256.
 *
 * Storage model shared with the database layer: every *perfect* subtree is a node `(level, index)`
 * covering leaves [index·2^level, (index+1)·2^level); level 0 holds the leaf hashes and
 * (level+1, i) = hashChildren((level, 2i), (level, 2i+1)), stored once both children exist. Every
 * root and proof of RFC 9162 is a right fold of O(log n) such nodes, so the `…NodeRefs` functions
 * name the rows to fetch (one query) and the `…FromNodes` functions assemble the answer.
 */

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** RFC 9162 §2.1.1: MTH({}) = HASH(), the hash of the empty string. Do not mutate. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** RFC 9162 §2.1.1: MTH({d0}) = HASH(0x00 || d0); the prefix keeps leaves and nodes apart. */
export function hashLeaf(data: Uint8Array | string): Buffer {
  // One-shot hashing of one input is about twice as fast as a Hash object with two updates.
  if (typeof data === 'string') return sha256Once('sha256', `\u0000${data}`, 'buffer'); // strings hash as UTF-8
  return sha256Once('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

// Single-threaded and synchronous, so one scratch buffer saves an allocation per node hash.
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE, NODE_PREFIX[0]);

/** RFC 9162 §2.1.1: HASH(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  }
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return sha256Once('sha256', nodeScratch, 'buffer');
}

export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

export interface StoredNode extends NodeRef {
  readonly hash: Uint8Array;
}

/** How the `…FromNodes` functions read the rows the database returned. */
export type NodeLookup = (level: number, index: number) => Uint8Array | undefined;

/** Called for every perfect node as it is completed. */
export type NodeSink = (level: number, index: number, hash: Uint8Array) => void;

export const nodeKey = (level: number, index: number): string => `${level}/${index}`;

/** A lookup over fetched rows (e.g. the result of `WHERE (level, index) IN (…refs)`). */
export function nodeLookup(nodes: Iterable<StoredNode>): NodeLookup {
  const map = new Map<string, Uint8Array>();
  for (const node of nodes) map.set(nodeKey(node.level, node.index), node.hash);
  return (level, index) => map.get(nodeKey(level, index));
}

/** The leaf whose append completes node (level, index): stored nodes stream in this order, then by level. */
export const nodeCompletedAt = (level: number, index: number): number => (index + 1) * 2 ** level - 1;

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new LedgerVerificationError('INVALID_ARGUMENT', `${what} must be a non-negative safe integer, got ${value}`);
  }
}

/** RFC 9162 §2.1.1: k, the largest power of two smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

interface LeafRange {
  readonly start: number;
  readonly count: number;
}

/**
 * The perfect subtrees, largest first, whose right fold is MTH(D[start:start+count]). Exact only
 * for ranges aligned to the next power of two ≥ count, which every range the RFC 9162 recursions
 * produce is (a left part is 2k-aligned, a right part k-aligned with count ≤ k).
 */
function rangeRefs(range: LeafRange): NodeRef[] {
  const refs: NodeRef[] = [];
  let level = 0;
  let width = 1;
  while (width * 2 <= range.count) {
    width *= 2;
    level++;
  }
  let offset = range.start;
  let rest = range.count;
  for (; level >= 0; level--, width /= 2) {
    if (rest >= width) {
      refs.push({ level, index: offset / width });
      offset += width;
      rest -= width;
    }
  }
  return refs;
}

function fetchNode(lookup: NodeLookup, ref: NodeRef): Uint8Array {
  const hash = lookup(ref.level, ref.index);
  if (hash === undefined) {
    throw new LedgerVerificationError(
      'NODE_MISSING',
      `stored node (level ${ref.level}, index ${ref.index}) is missing`,
    );
  }
  if (hash.length !== HASH_SIZE) {
    throw new LedgerVerificationError(
      'INVALID_ARGUMENT',
      `stored node (level ${ref.level}, index ${ref.index}) is not ${HASH_SIZE} bytes`,
    );
  }
  return hash;
}

function foldRight(hashes: readonly Uint8Array[]): Buffer {
  let acc = hashes[hashes.length - 1];
  if (acc === undefined) return Buffer.from(EMPTY_ROOT);
  if (hashes.length === 1) return Buffer.from(acc);
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i]!, acc);
  return acc as Buffer;
}

const foldRange = (range: LeafRange, lookup: NodeLookup): Buffer =>
  foldRight(rangeRefs(range).map((ref) => fetchNode(lookup, ref)));

// ── Roots ──────────────────────────────────────────────────────────────────────────────────────

/** The nodes whose fold is MTH of the first `size` leaves: one per 1-bit of size (RFC 9162 §2.1.1). */
export function rootNodeRefs(size: number): NodeRef[] {
  assertCount(size, 'tree size');
  return size === 0 ? [] : rangeRefs({ start: 0, count: size });
}

export function rootFromNodes(size: number, lookup: NodeLookup): Buffer {
  return foldRight(rootNodeRefs(size).map((ref) => fetchNode(lookup, ref)));
}

// ── Inclusion proofs ───────────────────────────────────────────────────────────────────────────

/** RFC 9162 §2.1.3.1 PATH(m, D[n]), as the leaf ranges whose MTH are the proof elements, leaf side first. */
function inclusionRanges(index: number, size: number): LeafRange[] {
  assertCount(index, 'leaf index');
  assertCount(size, 'tree size');
  if (index >= size)
    throw new LedgerVerificationError('INVALID_ARGUMENT', `leaf index ${index} is not below tree size ${size}`);
  const ranges: LeafRange[] = [];
  let lo = 0;
  let n = size;
  let m = index;
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      ranges.push({ start: lo + k, count: n - k }); // PATH(m, D[0:k]) : MTH(D[k:n])
      n = k;
    } else {
      ranges.push({ start: lo, count: k }); // PATH(m - k, D[k:n]) : MTH(D[0:k])
      lo += k;
      m -= k;
      n -= k;
    }
  }
  return ranges.reverse();
}

export function inclusionProofNodeRefs(index: number, size: number): NodeRef[] {
  return inclusionRanges(index, size).flatMap(rangeRefs);
}

export function inclusionProofFromNodes(index: number, size: number, lookup: NodeLookup): Buffer[] {
  return inclusionRanges(index, size).map((range) => foldRange(range, lookup));
}

// ── Consistency proofs ─────────────────────────────────────────────────────────────────────────

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), as leaf ranges, deepest first. */
function consistencyRanges(size1: number, size2: number): LeafRange[] {
  assertCount(size1, 'size1');
  assertCount(size2, 'size2');
  if (size1 === 0 || size1 > size2) {
    throw new LedgerVerificationError(
      'INVALID_ARGUMENT',
      `a consistency proof needs 0 < size1 ≤ size2, got ${size1}, ${size2}`,
    );
  }
  const ranges: LeafRange[] = [];
  let lo = 0;
  let m = size1;
  let n = size2;
  let whole = true; // the RFC's b: is D[lo:lo+n] a prefix the verifier already knows the root of?
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      ranges.push({ start: lo + k, count: n - k }); // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
      n = k;
    } else {
      ranges.push({ start: lo, count: k }); // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
      lo += k;
      m -= k;
      n -= k;
      whole = false;
    }
  }
  if (!whole) ranges.push({ start: lo, count: m }); // SUBPROOF(m, D[m], false) = [MTH(D[m])]
  return ranges.reverse();
}

export function consistencyProofNodeRefs(size1: number, size2: number): NodeRef[] {
  return consistencyRanges(size1, size2).flatMap(rangeRefs);
}

export function consistencyProofFromNodes(size1: number, size2: number, lookup: NodeLookup): Buffer[] {
  return consistencyRanges(size1, size2).map((range) => foldRange(range, lookup));
}

// ── Appending ──────────────────────────────────────────────────────────────────────────────────

/**
 * The left siblings needed to append leaf `index`: one per trailing 1-bit of index. They are the
 * last entries of rootNodeRefs(index), so a caller that keeps the current compact range has them.
 */
export function appendNodeRefs(index: number): NodeRef[] {
  assertCount(index, 'leaf index');
  const refs: NodeRef[] = [];
  for (let i = index, level = 0; i % 2 === 1; i = (i - 1) / 2, level++) refs.push({ level, index: i - 1 });
  return refs;
}

/** The perfect nodes that appending `leafHash` as leaf `index` completes, leaf first: insert all of them. */
export function nodesCompletedByAppend(index: number, leafHash: Uint8Array, lookup: NodeLookup): StoredNode[] {
  assertCount(index, 'leaf index');
  if (leafHash.length !== HASH_SIZE)
    throw new LedgerVerificationError('INVALID_ARGUMENT', `leaf hash must be ${HASH_SIZE} bytes`);
  let hash: Buffer = Buffer.from(leafHash);
  const nodes: StoredNode[] = [{ level: 0, index, hash }];
  for (let i = index, level = 0; i % 2 === 1;) {
    hash = hashChildren(fetchNode(lookup, { level, index: i - 1 }), hash);
    i = (i - 1) / 2;
    level++;
    nodes.push({ level, index: i, hash });
  }
  return nodes;
}

// ── Streaming ──────────────────────────────────────────────────────────────────────────────────

/**
 * A compact range [0, size): the perfect subtrees of size's binary decomposition (largest first),
 * O(log n) hashes. Pushing a leaf merges equal-sized neighbours exactly as the stored tree grows,
 * so `onNode` sees every stored node once, in completion order.
 */
export class CompactRange {
  private readonly stack: Uint8Array[] = [];
  private count = 0;

  constructor(private readonly onNode?: NodeSink) {}

  /** Resume at `size` from the stored nodes named by rootNodeRefs(size) (e.g. for a batch append). */
  static fromNodes(size: number, lookup: NodeLookup, onNode?: NodeSink): CompactRange {
    const range = new CompactRange(onNode);
    for (const ref of rootNodeRefs(size)) range.stack.push(Buffer.from(fetchNode(lookup, ref)));
    range.count = size;
    return range;
  }

  get size(): number {
    return this.count;
  }

  /** Append one leaf hash (not copied: do not mutate it afterwards). */
  push(leafHash: Uint8Array): void {
    if (leafHash.length !== HASH_SIZE)
      throw new LedgerVerificationError('INVALID_ARGUMENT', `leaf hash must be ${HASH_SIZE} bytes`);
    if (this.count >= Number.MAX_SAFE_INTEGER) throw new LedgerVerificationError('INVALID_ARGUMENT', 'tree is full');
    let index = this.count;
    let level = 0;
    let hash = leafHash;
    this.onNode?.(0, index, hash);
    while (index % 2 === 1) {
      hash = hashChildren(this.stack.pop()!, hash);
      index = (index - 1) / 2;
      level++;
      this.onNode?.(level, index, hash);
    }
    this.stack.push(hash);
    this.count++;
  }

  /** MTH of the leaves pushed so far (RFC 9162 §2.1.1). */
  root(): Buffer {
    return foldRight(this.stack);
  }

  /** The stored nodes this range consists of, i.e. rootNodeRefs(size) with their hashes. */
  nodes(): StoredNode[] {
    return rootNodeRefs(this.count).map((ref, i) => ({ ...ref, hash: this.stack[i]! }));
  }
}

// ── Verification (RFC 9162 §2.1.3.2, §2.1.4.2) ─────────────────────────────────────────────────

/** Verifiers return a reason instead of throwing: bad proofs are expected input, not bugs. */
export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: VerifyResult = Object.freeze({ ok: true });
const fail = (reason: string): VerifyResult => ({ ok: false, reason });

export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && Buffer.compare(a, b) === 0;

function asIndex(value: bigint | number): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
}

const isOdd = (x: bigint): boolean => (x & 1n) === 1n;

function badLength(hashes: readonly Uint8Array[], what: string): string | undefined {
  const i = hashes.findIndex((h) => h.length !== HASH_SIZE);
  return i < 0 ? undefined : `${what} ${i} is ${hashes[i]!.length} bytes, not ${HASH_SIZE}`;
}

/** RFC 9162 §2.1.3.2. Indices are bigint-capable because tree sizes are uint64 on the wire. */
export function verifyInclusion(
  leafIndex: bigint | number,
  treeSize: bigint | number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): VerifyResult {
  const index = asIndex(leafIndex);
  const size = asIndex(treeSize);
  if (index === undefined || size === undefined) return fail('leaf index and tree size must be non-negative integers');
  if (index >= size) return fail(`leaf index ${index} is not below tree size ${size}`);
  if (leafHash.length !== HASH_SIZE) return fail(`leaf hash is ${leafHash.length} bytes, not ${HASH_SIZE}`);
  const bad = badLength(proof, 'proof element');
  if (bad) return fail(bad);

  let fn = index;
  let sn = size - 1n;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0n) return fail('proof is longer than the path from the leaf to the root');
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail('proof is shorter than the path from the leaf to the root');
  return bytesEqual(r, root) ? OK : fail('recomputed root does not match the given root');
}

/**
 * RFC 9162 §2.1.4.2, with the edge cases of transparency-dev/merkle `proof.VerifyConsistency`:
 * size1 = 0 is rejected (a proof from the empty tree proves nothing), and equal sizes need an
 * empty proof and byte-identical roots.
 */
export function verifyConsistency(
  size1: bigint | number,
  size2: bigint | number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): VerifyResult {
  const m = asIndex(size1);
  const n = asIndex(size2);
  if (m === undefined || n === undefined) return fail('tree sizes must be non-negative integers');
  if (n < m) return fail(`size2 ${n} is smaller than size1 ${m}`);
  if (m === 0n) return fail('a consistency proof from the empty tree proves nothing');
  if (m === n) {
    if (proof.length > 0) return fail('sizes are equal but the proof is not empty');
    return bytesEqual(root1, root2) ? OK : fail('sizes are equal but the roots differ');
  }
  if (proof.length === 0) return fail('proof is empty');
  const bad = badLength(proof, 'proof element') ?? badLength([root1, root2], 'root');
  if (bad) return fail(bad);

  // Step 2: a power-of-two first tree is itself a node of the second, so the proof omits it.
  const path = (m & (m - 1n)) === 0n ? [root1, ...proof] : proof;
  let fn = m - 1n;
  let sn = n - 1n;
  while (isOdd(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0n) return fail('proof is longer than needed');
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail('proof is shorter than needed');
  if (!bytesEqual(fr, root1)) return fail('recomputed first root does not match root1');
  return bytesEqual(sr, root2) ? OK : fail('recomputed second root does not match root2');
}
