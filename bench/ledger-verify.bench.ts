/**
 * Offline ledger verification speed: full verifyLedger over 1,000,000 in-memory entries, and
 * verifyInclusion averaged over 10,000 proofs. Each figure is printed with the baseline it should
 * be read against (the hashing it cannot avoid) and the ratio, since absolute times on shared
 * machines are noise.
 *
 *   node -r @swc-node/register bench/ledger-verify.bench.ts [entries]
 */
import {
  CompactRange,
  HASH_SIZE,
  encodeVerifierKey,
  entryLeafHash,
  generateSigningKey,
  hashChildren,
  hashLeaf,
  inclusionProofFromNodes,
  rootFromNodes,
  signCheckpoint,
  verifyInclusion,
  verifyLedger,
  type LedgerEntry,
  type NodeLookup,
  type StoredLedgerEntry,
  type StoredNode,
} from '../src/platform/ledger/verification';
import canonicalize from 'canonicalize';

const N = Number(process.argv[2] ?? 1_000_000);
const PROOFS = 10_000;
const ORIGIN = 'bench.assay.example/ledger';

const ms = (start: number): number => performance.now() - start;

/** Best of `repeats` timings, after one untimed warm-up run so the JIT has compiled both sides. */
async function best(repeats: number, run: () => unknown): Promise<number> {
  await run();
  let fastest = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    fastest = Math.min(fastest, ms(start));
  }
  return fastest;
}
const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (label: string, value: string): void => console.log(`${label.padEnd(58)} ${value}`);

function makeEntry(index: number): LedgerEntry {
  return {
    index,
    time: new Date(Date.UTC(2025, 0, 1) + index * 250).toISOString(),
    actor: index % 7 === 0 ? { type: 'system', id: 'scheduler' } : { type: 'user', id: `user-${index % 97}` },
    action: index % 2 ? 'evaluation.completed' : 'training.completed',
    subject: { type: 'model-version', id: `mv-${Math.floor(index / 3)}` },
    evidenceDigest: `sha256:${(index * 2654435761).toString(16).padStart(64, '0').slice(-64)}`,
    data: { attempt: index % 5, metrics: { accuracy: 0.9 + (index % 100) / 1000 }, tags: ['bench'] },
  };
}

/** The stored tree, one contiguous buffer per level, as a database would hold it. */
class LevelStore {
  private readonly levels: Buffer[] = [];
  readonly order: Array<[number, number]> = []; // completion order, for streaming

  constructor(size: number) {
    for (let width = 1; width <= size; width *= 2) this.levels.push(Buffer.alloc(Math.floor(size / width) * HASH_SIZE));
  }

  put(level: number, index: number, hash: Uint8Array): void {
    this.levels[level]!.set(hash, index * HASH_SIZE);
    this.order.push([level, index]);
  }

  readonly lookup: NodeLookup = (level, index) =>
    this.levels[level]?.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);

  *nodes(): Generator<StoredNode> {
    for (const [level, index] of this.order) yield { level, index, hash: this.lookup(level, index)! };
  }

  /** Like a database cursor: rows arrive in batches, each batch after an await. */
  async *nodesAsync(batch = 1000): AsyncGenerator<StoredNode> {
    let n = 0;
    for (const node of this.nodes()) {
      if (n++ % batch === 0) await new Promise((resolve) => setImmediate(resolve));
      yield node;
    }
  }
}

async function* batched<T>(items: readonly T[], batch = 1000): AsyncGenerator<T> {
  for (let i = 0; i < items.length; i++) {
    if (i % batch === 0) await new Promise((resolve) => setImmediate(resolve));
    yield items[i]!;
  }
}

async function main(): Promise<void> {
  console.log(`ledger-verify bench: ${fmt(N)} entries, node ${process.version}, ${process.arch}`);

  let start = performance.now();
  const entries = Array.from({ length: N }, (_, i) => makeEntry(i));
  const store = new LevelStore(N);
  const leafHashes: Buffer[] = new Array<Buffer>(N);
  const tree = new CompactRange((level, index, hash) => store.put(level, index, hash));
  for (let i = 0; i < N; i++) {
    leafHashes[i] = entryLeafHash(entries[i]!);
    tree.push(leafHashes[i]!);
  }
  const stored: StoredLedgerEntry[] = entries.map((entry, i) => ({ entry, leafHash: leafHashes[i]! }));
  const key = generateSigningKey(ORIGIN);
  const verifierKey = encodeVerifierKey(key);
  const checkpoint = signCheckpoint({ origin: ORIGIN, size: N, rootHash: tree.root() }, key);
  const half = Math.floor(N / 2);
  const earlierCheckpoint = signCheckpoint(
    { origin: ORIGIN, size: half, rootHash: rootFromNodes(half, store.lookup) },
    key,
  );
  line('setup: entries, stored tree, checkpoints', `${fmt(ms(start))} ms (${fmt(store.order.length)} stored nodes)`);

  // Baseline: the work no verifier can skip, JCS + SHA-256 of every entry.
  const baseline = await best(1, () => {
    for (const entry of entries) hashLeaf(canonicalize(entry)!);
  });
  line('baseline: JCS + leaf SHA-256 of every entry', `${fmt(baseline)} ms`);

  const warm = stored.slice(0, Math.min(N, 50_000));
  const warmCheckpoint = signCheckpoint(
    { origin: ORIGIN, size: warm.length, rootHash: rootFromNodes(warm.length, store.lookup) },
    key,
  );
  await verifyLedger({ entries: warm, storedNodes: store.nodes(), checkpoint: warmCheckpoint, verifierKey }); // JIT warm-up (stray nodes reported, ignored)

  const runs: Array<[string, () => Promise<Awaited<ReturnType<typeof verifyLedger>>>]> = [
    [
      'verifyLedger, entries only (arrays)',
      () => verifyLedger({ entries, checkpoint, earlierCheckpoint, verifierKey, origin: ORIGIN }),
    ],
    [
      'verifyLedger, + stored leaf hashes and all nodes (arrays)',
      () => verifyLedger({ entries: stored, storedNodes: store.nodes(), checkpoint, earlierCheckpoint, verifierKey }),
    ],
    [
      'verifyLedger, + stored leaf hashes and all nodes (async)',
      () =>
        verifyLedger({
          entries: batched(stored),
          storedNodes: store.nodesAsync(),
          checkpoint,
          earlierCheckpoint,
          verifierKey,
        }),
    ],
  ];
  for (const [label, run] of runs) {
    start = performance.now();
    const report = await run();
    const elapsed = ms(start);
    if (!report.ok) throw new Error(`${label}: ${JSON.stringify(report.problems.slice(0, 3))}`);
    line(
      label,
      `${fmt(elapsed)} ms  (${fmt(elapsed / baseline, 2)}× baseline, ${fmt((elapsed * 1000) / N, 2)} µs/entry)`,
    );
  }

  // The streaming tree alone: every leaf hash in, root out; against as many bare node hashes.
  const compact = await best(3, () => {
    const range = new CompactRange();
    for (const leaf of leafHashes) range.push(leaf);
    return range.root();
  });
  const rawNodes = await best(3, () => {
    for (let i = 0; i < N; i++) hashChildren(leafHashes[i]!, leafHashes[(i + 1) % N]!);
  });
  line(
    'CompactRange: push every leaf hash, then root()',
    `${fmt(compact)} ms  (${fmt(compact / rawNodes, 2)}× ${fmt(N)} bare node hashes: ${fmt(rawNodes)} ms)`,
  );

  // Inclusion proofs: built from the stored nodes beforehand; only verification is timed.
  const root = tree.root();
  const picks = Array.from({ length: PROOFS }, (_, i) => Math.floor((((i * 2654435761) % 2 ** 32) / 2 ** 32) * N));
  const proofs = picks.map((index) => inclusionProofFromNodes(index, N, store.lookup));
  const size = BigInt(N);
  const inclusion = await best(3, () => {
    for (let i = 0; i < PROOFS; i++) {
      if (!verifyInclusion(BigInt(picks[i]!), size, leafHashes[picks[i]!]!, proofs[i]!, root).ok)
        throw new Error(`proof ${picks[i]} rejected`);
    }
  });
  // Baseline: the same node hashes with no verifier logic around them.
  const rawProofHashing = await best(3, () => {
    for (let i = 0; i < PROOFS; i++) {
      let h: Uint8Array = leafHashes[picks[i]!]!;
      for (const p of proofs[i]!) h = hashChildren(p, h);
    }
  });
  const avgLength = proofs.reduce((sum, p) => sum + p.length, 0) / PROOFS;
  line(
    `verifyInclusion, average over ${fmt(PROOFS)} proofs`,
    `${fmt(inclusion / PROOFS, 4)} ms  (${fmt(inclusion / rawProofHashing, 2)}× bare hashing of the ${fmt(avgLength, 1)}-hash paths: ${fmt(rawProofHashing / PROOFS, 4)} ms)`,
  );
  line('total for all proofs', `${fmt(inclusion, 1)} ms`);
  line('peak RSS', `${fmt(process.memoryUsage().rss / 2 ** 20)} MiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
