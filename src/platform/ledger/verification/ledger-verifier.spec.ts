import { signCheckpoint } from './checkpoint';
import { entryLeafHash, type LedgerEntry } from './ledger-entry';
import { verifyLedger, type StoredLedgerEntry, type VerifyLedgerInput } from './ledger-verifier';
import { CompactRange, nodeCompletedAt, type StoredNode } from './merkle';
import { encodeVerifierKey, generateSigningKey } from './note-key';

const ORIGIN = 'assay.example/ledger';
const key = generateSigningKey(ORIGIN);
const verifierKey = encodeVerifierKey(key);
const T0 = Date.parse('2025-01-01T00:00:00.000Z');

function makeEntry(index: number, variant: number): LedgerEntry {
  return {
    index,
    time: new Date(T0 + index * 1000).toISOString(),
    actor: index % 3 === 0 ? { type: 'system', id: 'scheduler' } : { type: 'user', id: `u-${index % 5}` },
    action: 'evaluation.completed',
    subject: { type: 'model-version', id: `mv-${index}` },
    evidenceDigest: index % 4 === 0 ? null : `sha256:${index.toString(16).padStart(64, '0')}`,
    data: { attempt: index, tags: ['a', 'b'], ...(variant ? { variant } : {}) },
  };
}

/** What the database holds: entries with their leaf hashes, every stored node in completion order, and signed checkpoints. */
function makeLedger(size: number, variant = 0) {
  const entries = Array.from({ length: size }, (_, i) => makeEntry(i, variant));
  const nodes: StoredNode[] = [];
  const roots: Buffer[] = [];
  const tree = new CompactRange((level, index, hash) => nodes.push({ level, index, hash }));
  roots.push(tree.root());
  const leafHashes = entries.map(entryLeafHash);
  for (const leaf of leafHashes) {
    tree.push(leaf);
    roots[tree.size] = tree.size <= 64 || tree.size === size ? tree.root() : Buffer.alloc(0); // small sizes suffice for earlier checkpoints
  }
  const checkpointAt = (n: number) => signCheckpoint({ origin: ORIGIN, size: n, rootHash: roots[n]! }, key);
  const stored = (list: LedgerEntry[] = entries): StoredLedgerEntry[] =>
    list.map((entry, i) => ({ entry, leafHash: leafHashes[i] ?? entryLeafHash(entry) }));
  const nodesUpTo = (n: number) => nodes.filter((node) => nodeCompletedAt(node.level, node.index) < n);
  return { entries, nodes, roots, checkpointAt, stored, nodesUpTo };
}

const SIZE = 20;
const ledger = makeLedger(SIZE);
const base = (overrides: Partial<VerifyLedgerInput> = {}): VerifyLedgerInput => ({
  entries: ledger.stored(),
  storedNodes: ledger.nodes,
  checkpoint: ledger.checkpointAt(SIZE),
  earlierCheckpoint: ledger.checkpointAt(7),
  verifierKey,
  origin: ORIGIN,
  ...overrides,
});
const codes = (report: { problems: readonly { code: string }[] }) =>
  [...new Set(report.problems.map((p) => p.code))].sort();

async function* slowly<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((resolve) => setImmediate(resolve));
    yield item;
  }
}

describe(verifyLedger.name, () => {
  it('passes a good log, with or without stored hashes, from arrays or async streams', async () => {
    const full = await verifyLedger(base());
    expect(full).toMatchObject({
      ok: true,
      entries: SIZE,
      problems: [],
      problemsOmitted: 0,
      root: ledger.roots[SIZE]!.toString('hex'),
    });
    expect(full.firstBadIndex).toBeUndefined();
    expect(full.checkpoint).toEqual({ origin: ORIGIN, size: SIZE, root: ledger.roots[SIZE]!.toString('hex') });

    expect((await verifyLedger(base({ entries: ledger.entries, storedNodes: undefined }))).ok).toBe(true);
    expect((await verifyLedger(base({ entries: slowly(ledger.stored()), storedNodes: slowly(ledger.nodes) }))).ok).toBe(
      true,
    );
  });

  it('passes a log that grew after its latest checkpoint, and an empty log at size 0', async () => {
    expect((await verifyLedger(base({ checkpoint: ledger.checkpointAt(13) }))).ok).toBe(true);
    const empty = makeLedger(0);
    expect(
      await verifyLedger({ entries: [], storedNodes: [], checkpoint: empty.checkpointAt(0), verifierKey }),
    ).toMatchObject({ ok: true, entries: 0 });
  });

  it('detects a changed entry field: ENTRY_HASH_MISMATCH at its index, and the checkpoint roots no longer match', async () => {
    const tampered = ledger.entries.map((e, i) => (i === 5 ? { ...e, action: 'evaluation.forged' } : e));
    const report = await verifyLedger(base({ entries: ledger.stored(tampered) }));
    expect(report.ok).toBe(false);
    expect(report.firstBadIndex).toBe(5);
    expect(report.problems[0]).toMatchObject({ code: 'ENTRY_HASH_MISMATCH', index: 5 });
    // The stored nodes above leaf 5 differ only as a consequence: not reported again.
    expect(codes(report)).toEqual(['CHECKPOINT_ROOT_MISMATCH', 'ENTRY_HASH_MISMATCH']);
    expect(report.problems.filter((p) => p.code === 'CHECKPOINT_ROOT_MISMATCH').map((p) => p.checkpoint)).toEqual([
      'latest',
      'earlier',
    ]);

    // With no stored hashes at all, the signed roots still catch it (but cannot say where).
    const bare = await verifyLedger(base({ entries: tampered, storedNodes: undefined }));
    expect(codes(bare)).toEqual(['CHECKPOINT_ROOT_MISMATCH']);
    expect(bare.firstBadIndex).toBeUndefined();
  });

  it('detects an entry deleted from the end: LOG_TRUNCATED at the first missing index', async () => {
    const report = await verifyLedger(
      base({ entries: ledger.stored().slice(0, -1), storedNodes: ledger.nodesUpTo(SIZE - 1) }),
    );
    expect(report).toMatchObject({ ok: false, entries: SIZE - 1, firstBadIndex: SIZE - 1 });
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'LOG_TRUNCATED', index: SIZE - 1, checkpoint: 'latest' }),
    ]);

    // If only the entry row went, the stored nodes give it away too.
    const rowOnly = await verifyLedger(base({ entries: ledger.stored().slice(0, -1) }));
    expect(codes(rowOnly)).toEqual(['LOG_TRUNCATED', 'NODE_UNEXPECTED']);
    expect(rowOnly.firstBadIndex).toBe(SIZE - 1);
  });

  it('detects two swapped entries: INDEX_GAP at the first of them', async () => {
    const swapped = [...ledger.stored()];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const report = await verifyLedger(base({ entries: swapped }));
    expect(report.firstBadIndex).toBe(3);
    expect(report.problems.filter((p) => p.code === 'INDEX_GAP').map((p) => p.index)).toEqual([3, 4]);

    // Swapped and renumbered so the indices look right: the hashes give it away.
    const renumbered = ledger.entries.map((e, i) =>
      i === 3 ? { ...ledger.entries[4]!, index: 3 } : i === 4 ? { ...ledger.entries[3]!, index: 4 } : e,
    );
    const again = await verifyLedger(base({ entries: ledger.stored(renumbered) }));
    expect(again.firstBadIndex).toBe(3);
    expect(again.problems.filter((p) => p.code === 'ENTRY_HASH_MISMATCH').map((p) => p.index)).toEqual([3, 4]);
    expect(codes(again)).toContain('CHECKPOINT_ROOT_MISMATCH');
  });

  it('reports an entry deleted from the middle once, as INDEX_GAP', async () => {
    const gap = ledger.stored().filter((_, i) => i !== 5);
    const report = await verifyLedger(base({ entries: gap }));
    expect(report.firstBadIndex).toBe(5);
    expect(report.problems.filter((p) => p.code === 'INDEX_GAP')).toEqual([
      expect.objectContaining({ index: 5, message: expect.stringContaining('1 entry missing') }),
    ]);
    expect(codes(report)).toContain('LOG_TRUNCATED');
  });

  it('detects a forked earlier checkpoint (same size, other root) and one the log does not extend', async () => {
    const other = makeLedger(SIZE, 1); // a different history of the same length
    const forkSameSize = signCheckpoint({ origin: ORIGIN, size: SIZE, rootHash: other.roots[SIZE]! }, key);
    const report = await verifyLedger(base({ earlierCheckpoint: forkSameSize }));
    expect(report.ok).toBe(false);
    expect(codes(report)).toEqual(['CHECKPOINT_INCONSISTENT', 'CHECKPOINT_ROOT_MISMATCH']);
    expect(report.problems.find((p) => p.code === 'CHECKPOINT_INCONSISTENT')!.message).toMatch(
      /^fork: two signed checkpoints of size 20/,
    );
    expect(report.problems.find((p) => p.code === 'CHECKPOINT_ROOT_MISMATCH')).toMatchObject({ checkpoint: 'earlier' });

    const forkedPrefix = signCheckpoint({ origin: ORIGIN, size: 7, rootHash: makeLedger(7, 2).roots[7]! }, key);
    const prefix = await verifyLedger(base({ earlierCheckpoint: forkedPrefix }));
    expect(codes(prefix)).toEqual(['CHECKPOINT_INCONSISTENT', 'CHECKPOINT_ROOT_MISMATCH']);
    expect(prefix.problems.find((p) => p.code === 'CHECKPOINT_INCONSISTENT')!.message).toMatch(/does not extend/);

    // A later checkpoint smaller than an earlier one: rolled back.
    const rolledBack = await verifyLedger(
      base({ checkpoint: ledger.checkpointAt(5), earlierCheckpoint: ledger.checkpointAt(9) }),
    );
    expect(codes(rolledBack)).toEqual(['CHECKPOINT_INCONSISTENT']);
  });

  it('detects a one-bit change in the checkpoint signature', async () => {
    const note = ledger.checkpointAt(SIZE);
    const line = note.slice(note.lastIndexOf('\u2014 '));
    const b64 = line.split(' ')[2]!.trim();
    const bytes = Buffer.from(b64, 'base64');
    bytes[10] = bytes[10]! ^ 0x80;
    const report = await verifyLedger(base({ checkpoint: note.replace(b64, bytes.toString('base64')) }));
    expect(report).toMatchObject({
      ok: false,
      problems: [expect.objectContaining({ code: 'CHECKPOINT_SIGNATURE_INVALID', checkpoint: 'latest' })],
    });
    expect(report.checkpoint).toBeUndefined();
    expect(report.firstBadIndex).toBeUndefined();

    const wrongKey = signCheckpoint(
      { origin: ORIGIN, size: SIZE, rootHash: ledger.roots[SIZE]! },
      generateSigningKey(ORIGIN),
    );
    expect(codes(await verifyLedger(base({ checkpoint: wrongKey })))).toEqual(['CHECKPOINT_SIGNATURE_INVALID']);
    expect(codes(await verifyLedger(base({ checkpoint: 'garbage' })))).toEqual(['CHECKPOINT_MALFORMED']);
    expect(codes(await verifyLedger(base({ origin: 'other.example/log' })))).toEqual(['CHECKPOINT_ORIGIN_MISMATCH']);
  });

  it('detects a tampered stored node, a tampered stored leaf hash, and missing nodes', async () => {
    const nodes = ledger.nodes.map((n) => (n.level === 2 && n.index === 1 ? { ...n, hash: Buffer.alloc(32, 7) } : n));
    const report = await verifyLedger(base({ storedNodes: nodes }));
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'NODE_HASH_MISMATCH', node: { level: 2, index: 1 } }),
    ]);
    expect(report.firstBadIndex).toBeUndefined();

    const leaves = ledger.stored().map((s, i) => (i === 9 ? { ...s, leafHash: Buffer.alloc(32) } : s));
    const leafReport = await verifyLedger(base({ entries: leaves }));
    expect(leafReport.problems).toEqual([expect.objectContaining({ code: 'ENTRY_HASH_MISMATCH', index: 9 })]);

    const missing = await verifyLedger(
      base({ storedNodes: ledger.nodes.filter((n) => !(n.level === 0 && n.index === 11)) }),
    );
    expect(missing.problems).toEqual([expect.objectContaining({ code: 'NODE_MISSING', index: 11 })]);
  });

  it('reports a malformed entry as ENTRY_MALFORMED and caps the problem list', async () => {
    const bad = ledger.stored().map((s, i) => (i === 2 ? { ...s, entry: { ...s.entry, time: 'yesterday' } } : s));
    const report = await verifyLedger(base({ entries: bad }));
    expect(report.firstBadIndex).toBe(2);
    expect(report.problems[0]).toMatchObject({ code: 'ENTRY_MALFORMED', index: 2 });

    const reversed = await verifyLedger(base({ entries: [...ledger.stored()].reverse(), maxProblems: 3 }));
    expect(reversed.problems).toHaveLength(3);
    expect(reversed.problemsOmitted).toBeGreaterThan(0);
    expect(reversed.firstBadIndex).toBe(0);
  });

  it('verifies 20,000 entries with stored nodes in one pass (timed in bench/ledger-verify.bench.ts, not here)', async () => {
    const big = makeLedger(20_000);
    const report = await verifyLedger({
      entries: big.stored(),
      storedNodes: big.nodes,
      checkpoint: big.checkpointAt(20_000),
      verifierKey,
    });
    expect(report).toMatchObject({ ok: true, entries: 20_000, problems: [] });
  });
});
