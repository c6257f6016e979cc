import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CompactRange,
  EMPTY_ROOT,
  consistencyProofFromNodes,
  hashLeaf,
  inclusionProofFromNodes,
  nodeLookup,
  rootFromNodes,
  verifyConsistency,
  verifyInclusion,
  type StoredNode,
} from './merkle';

// The shared reference folder sits beside the repository root (/work/shared next to /work/main).
const REFERENCE_DIR = path.resolve(__dirname, '../../../..', '../shared/reference/merkle');
const present = existsSync(path.join(REFERENCE_DIR, 'rfc6962_vectors.json'));
const describeReference = present ? describe : describe.skip;
const suffix = present ? '' : ' (SKIPPED: ../shared/reference/merkle not found)';
if (!present) console.warn(`RFC 9162 conformance suites skipped: ${REFERENCE_DIR} not found`);

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

/** JSON.parse turns 18446744073709551615 into 2^64 exactly; keep the decimal text and make it a BigInt. */
function parseWithBigSizes<T>(text: string): T {
  return JSON.parse(text.replace(/"(size1|size2|treeSize|leafIdx)": ?(\d+)/g, '"$1": "$2"')) as T;
}

interface Rfc6962Vectors {
  leaves_hex: string[];
  leaf_hashes_hex: string[];
  node_hashes_by_level_hex: Record<string, string[]>;
  roots_by_tree_size_hex: Record<string, string>;
  inclusion_proofs: Array<{
    valid: boolean;
    leaf_index: number;
    tree_size: number;
    leaf_hash_hex: string;
    expected_root_hex: string;
    proof_hex: string[];
  }>;
  consistency_proofs: Array<{
    valid: boolean;
    size1: number;
    size2: number;
    root1_hex: string;
    root2_hex: string;
    proof_hex: string[];
  }>;
}

/** A file of transparency-dev/merkle testdata/ (base64, `proof` may be null). */
interface Original {
  wantErr: boolean;
  proof: string[] | null;
  leafIdx?: string;
  treeSize?: string;
  root?: string;
  leafHash?: string;
  size1?: string;
  size2?: string;
  root1?: string;
  root2?: string;
}

interface Probe {
  file: string;
  kind: 'inclusion' | 'consistency';
  desc: string;
  want_error: boolean;
  size1?: string;
  size2?: string;
  treeSize?: string;
  leafIdx?: string;
  root1_hex?: string;
  root2_hex?: string;
  root_hex?: string;
  leafHash_hex?: string;
  proof_hex: string[];
}

describeReference(`RFC 6962 vectors (rfc6962_vectors.json)${suffix}`, () => {
  const vectors = (
    present ? JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'rfc6962_vectors.json'), 'utf8')) : {}
  ) as Rfc6962Vectors;
  const leaves: Buffer[] = (vectors.leaves_hex ?? []).map(hex);
  const stored: StoredNode[] = [];
  const range = new CompactRange((level, index, hash) => stored.push({ level, index, hash }));
  const roots: string[] = [range.root().toString('hex')];
  for (const leaf of leaves) {
    range.push(hashLeaf(leaf));
    roots.push(range.root().toString('hex'));
  }
  const lookup = nodeLookup(stored);

  it('hashes leaves as SHA-256(0x00 || data)', () => {
    expect(leaves.map((leaf) => hashLeaf(leaf).toString('hex'))).toEqual(vectors.leaf_hashes_hex);
  });

  it('produces every stored node hash of the 8-leaf tree', () => {
    for (const [name, hashes] of Object.entries(vectors.node_hashes_by_level_hex)) {
      const level = Number(/^level_(\d+)_/.exec(name)![1]);
      const mine = stored.filter((n) => n.level === level).sort((a, b) => a.index - b.index);
      expect(mine.map((n) => Buffer.from(n.hash).toString('hex'))).toEqual(hashes);
    }
  });

  it('computes the roots of sizes 0..8, streaming and from stored nodes', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(vectors.roots_by_tree_size_hex['0']);
    for (let size = 0; size <= 8; size++) {
      expect(roots[size]).toBe(vectors.roots_by_tree_size_hex[String(size)]);
      expect(rootFromNodes(size, lookup).toString('hex')).toBe(vectors.roots_by_tree_size_hex[String(size)]);
    }
  });

  it('builds and verifies the published inclusion proofs', () => {
    const valid = vectors.inclusion_proofs.filter((p) => p.valid);
    expect(valid.length).toBeGreaterThan(0);
    for (const p of valid) {
      const proof = inclusionProofFromNodes(p.leaf_index, p.tree_size, lookup);
      expect(proof.map((h) => h.toString('hex'))).toEqual(p.proof_hex);
      expect(
        verifyInclusion(
          BigInt(p.leaf_index),
          BigInt(p.tree_size),
          hex(p.leaf_hash_hex),
          proof,
          hex(p.expected_root_hex),
        ),
      ).toEqual({ ok: true });
    }
  });

  it('builds and verifies the published consistency proofs', () => {
    const valid = vectors.consistency_proofs.filter((p) => p.valid);
    expect(valid.length).toBeGreaterThan(0);
    for (const p of valid) {
      const proof = consistencyProofFromNodes(p.size1, p.size2, lookup);
      expect(proof.map((h) => h.toString('hex'))).toEqual(p.proof_hex);
      expect(verifyConsistency(BigInt(p.size1), BigInt(p.size2), proof, hex(p.root1_hex), hex(p.root2_hex))).toEqual({
        ok: true,
      });
    }
  });
});

describeReference(`transparency-dev/merkle probes (transparency-dev-probes-hex.json)${suffix}`, () => {
  const probes: Probe[] = present
    ? parseWithBigSizes<{ probes: Probe[] }>(
        readFileSync(path.join(REFERENCE_DIR, 'transparency-dev-probes-hex.json'), 'utf8'),
      ).probes
    : [];

  const run = (p: Probe) =>
    p.kind === 'inclusion'
      ? verifyInclusion(
          BigInt(p.leafIdx!),
          BigInt(p.treeSize!),
          hex(p.leafHash_hex!),
          p.proof_hex.map(hex),
          hex(p.root_hex!),
        )
      : verifyConsistency(
          BigInt(p.size1!),
          BigInt(p.size2!),
          p.proof_hex.map(hex),
          hex(p.root1_hex!),
          hex(p.root2_hex!),
        );

  it('has all 196 probes, with uint64 indices kept exact', () => {
    expect(probes).toHaveLength(196);
    const huge = probes.filter((p) => p.leafIdx !== undefined && BigInt(p.leafIdx) === 2n ** 64n - 1n);
    expect(huge.length).toBeGreaterThan(0);
  });

  it.each(probes.map((p) => [`${p.file}: ${p.desc}`, p] as const))('%s', (_name, probe) => {
    const result = run(probe);
    expect({ file: probe.file, rejected: !result.ok }).toEqual({ file: probe.file, rejected: probe.want_error });
  });

  // The hex file is a conversion; check it against the base64 originals where they are present.
  const testdata = path.join(REFERENCE_DIR, 'transparency-dev-testdata');
  (existsSync(testdata) ? it : it.skip)('matches the base64 originals in transparency-dev-testdata/', () => {
    for (const p of probes) {
      const original = parseWithBigSizes<Original>(readFileSync(path.join(testdata, p.file), 'utf8'));
      expect(original.wantErr).toBe(p.want_error);
      expect((original.proof ?? []).map((s) => b64(s).toString('hex'))).toEqual(p.proof_hex);
      if (p.kind === 'inclusion') {
        expect([
          original.leafIdx,
          original.treeSize,
          b64(original.root!).toString('hex'),
          b64(original.leafHash!).toString('hex'),
        ]).toEqual([p.leafIdx, p.treeSize, p.root_hex, p.leafHash_hex]);
      } else {
        expect([
          original.size1,
          original.size2,
          b64(original.root1!).toString('hex'),
          b64(original.root2!).toString('hex'),
        ]).toEqual([p.size1, p.size2, p.root1_hex, p.root2_hex]);
      }
    }
  });
});
