/**
 * npm run bench:ledger — the ledger's cost, each figure against a baseline measured in the same run:
 *   1. N business inserts with their ledger appends ÷ the same inserts without (goal ≤ 1.3),
 *      on embedded PGlite and on PostgreSQL (ASSAY_BENCH_POSTGRES_URL, default the machine's);
 *   2. full `assay ledger verify` (database audit) of AUDIT_N entries (goal ≤ 10 s at 1,000,000);
 *   3. inclusion-proof verification time (goal ≤ 1 ms).
 * Env: BENCH_N (default 2000), BENCH_AUDIT_N (default 1000000), BENCH_SKIP_POSTGRES=1.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/platform/database/data-source';
import { migrateUp } from '../src/platform/database/migrator';
import { systemActor } from '../src/platform/ledger/actor';
import { LedgerAuditService } from '../src/platform/ledger/ledger-audit.service';
import { LedgerService } from '../src/platform/ledger/ledger.service';
import {
  CompactRange,
  canonicalEntry,
  encodeVerifierKey,
  generateSigningKey,
  hashLeaf,
  inclusionProofFromNodes,
  nodeLookup,
  rootFromNodes,
  signCheckpoint,
  verifyInclusion,
  type LedgerEntry,
  type StoredNode,
} from '../src/platform/ledger/verification';

const N = Number(process.env.BENCH_N ?? 2000);
const AUDIT_N = Number(process.env.BENCH_AUDIT_N ?? 1_000_000);
const POSTGRES = process.env.ASSAY_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ORIGIN = 'bench.assay.example/ledger';

const line = (label: string, value: string) => console.log(`  ${label.padEnd(62)} ${value}`);
const ms = (start: number) => performance.now() - start;

interface Target {
  name: string;
  config: { DATABASE_URL: string | undefined; ASSAY_DATA_DIR: string; ASSAY_DB_POOL_SIZE: number };
  drop(): Promise<void>;
}

async function targets(): Promise<Target[]> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-'));
  const list: Target[] = [
    { name: 'PGlite', config: { DATABASE_URL: undefined, ASSAY_DATA_DIR: dir, ASSAY_DB_POOL_SIZE: 1 }, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) },
  ];
  if (process.env.BENCH_SKIP_POSTGRES) return list;
  const name = `assay_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  } catch (error) {
    console.log(`  (PostgreSQL at ${POSTGRES} unavailable: ${String(error)}; skipped)`);
    return list;
  }
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  const pgDir = mkdtempSync(join(tmpdir(), 'assay-bench-pg-'));
  list.push({
    name: 'PostgreSQL',
    config: { DATABASE_URL: url.toString(), ASSAY_DATA_DIR: pgDir, ASSAY_DB_POOL_SIZE: 4 },
    drop: async () => {
      rmSync(pgDir, { recursive: true, force: true });
      const c = new Client({ connectionString: POSTGRES });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  });
  return list;
}

/** Alternating rounds of plain inserts and inserts with appends; returns the median ratio. */
async function insertRatio(ds: DataSource): Promise<{ plain: number; withLedger: number; ratio: number }> {
  await ds.query(`CREATE TABLE IF NOT EXISTS bench_items (id bigserial PRIMARY KEY, payload jsonb NOT NULL)`);
  const ledger = new LedgerService(ds);
  const insert = (tx: { query: DataSource['query'] }, i: number) =>
    tx.query(`INSERT INTO bench_items (payload) VALUES ($1)`, [JSON.stringify({ i, name: `item ${i}` })]);
  const plain = async (count: number) => {
    for (let i = 0; i < count; i++) await ds.transaction((tx) => insert(tx, i));
  };
  const withLedger = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await ds.transaction(async (tx) => {
        await insert(tx, i);
        await ledger.append(tx, { actor: systemActor('worker'), action: 'bench.item_created', subject: { type: 'bench', id: String(i) }, evidenceDigest: null, data: { i } });
      });
    }
  };
  await plain(100);
  await withLedger(100);
  const rounds = 5;
  const per = Math.max(1, Math.floor(N / rounds));
  const ratios: number[] = [];
  let plainTotal = 0;
  let ledgerTotal = 0;
  for (let r = 0; r < rounds; r++) {
    let start = performance.now();
    await plain(per);
    const a = ms(start);
    start = performance.now();
    await withLedger(per);
    const b = ms(start);
    plainTotal += a;
    ledgerTotal += b;
    ratios.push(b / a);
  }
  ratios.sort((x, y) => x - y);
  return { plain: plainTotal, withLedger: ledgerTotal, ratio: ratios[Math.floor(rounds / 2)]! };
}

/** Bulk-loads `count` entries and their tree (as appends would have stored them) plus a signed checkpoint. */
async function bulkLoad(ds: DataSource, count: number, key: ReturnType<typeof generateSigningKey>): Promise<void> {
  await ds.query(`INSERT INTO ledger_keys (key_id, key_name, public_key, verifier_key) VALUES ($1, $2, $3, $4)`, [
    key.keyId.toString(16).padStart(8, '0'),
    key.name,
    Buffer.alloc(32),
    encodeVerifierKey(key),
  ]);
  let nodes: StoredNode[] = [];
  const tree = new CompactRange((level, index, hash) => nodes.push({ level, index, hash: Buffer.from(hash) }));
  const BATCH = 10_000;
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  for (let from = 0; from < count; from += BATCH) {
    const rows: { index: number; canonical: string; leaf: Buffer; entry: LedgerEntry }[] = [];
    for (let index = from; index < Math.min(count, from + BATCH); index++) {
      const entry: LedgerEntry = {
        index,
        time: new Date(start + index).toISOString(),
        actor: { type: 'user', id: '3f1c1e9a-8d1e-4f57-9a52-4b8f8f0a1c2d' },
        action: 'dataset.registered',
        subject: { type: 'dataset', id: `ds-${index % 997}` },
        evidenceDigest: null,
        data: { version: index % 13 },
      };
      const canonical = canonicalEntry(entry);
      const leaf = hashLeaf(canonical);
      tree.push(leaf);
      rows.push({ index, canonical: canonical.toString('utf8'), leaf, entry });
    }
    await ds.query(
      `INSERT INTO ledger_entries (index, canonical, leaf_hash, time, actor_type, actor_id, action, subject_type, subject_id, evidence_digest)
       SELECT i, c, l, t::timestamptz, 'user', a, 'dataset.registered', 'dataset', s, NULL
         FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::text[], $5::text[], $6::text[]) AS u(i, c, l, t, a, s)`,
      [rows.map((r) => r.index), rows.map((r) => r.canonical), rows.map((r) => r.leaf), rows.map((r) => r.entry.time), rows.map((r) => r.entry.actor.id), rows.map((r) => r.entry.subject.id)],
    );
    await ds.query(`INSERT INTO ledger_nodes (level, index, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`, [
      nodes.map((n) => n.level),
      nodes.map((n) => n.index),
      nodes.map((n) => n.hash),
    ]);
    nodes = [];
  }
  const note = signCheckpoint({ origin: ORIGIN, size: count, rootHash: tree.root() }, key);
  await ds.query(`INSERT INTO ledger_checkpoints (tree_size, key_id, root_hash, note) VALUES ($1, $2, $3, $4)`, [
    count,
    key.keyId.toString(16).padStart(8, '0'),
    tree.root(),
    note,
  ]);
}

async function auditTime(ds: DataSource, count: number): Promise<number> {
  const key = generateSigningKey(ORIGIN);
  process.stdout.write(`  loading ${count.toLocaleString('en-US')} entries… `);
  const loadStart = performance.now();
  await bulkLoad(ds, count, key);
  console.log(`${(ms(loadStart) / 1000).toFixed(1)} s`);
  const start = performance.now();
  const report = await new LedgerAuditService(ds).audit({ verifierKey: encodeVerifierKey(key), origin: ORIGIN });
  const elapsed = ms(start);
  if (!report.ok || report.entries !== count) throw new Error(`audit failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
  return elapsed;
}

function inclusionVerifyTime(): { perProof: number; baseline: number } {
  const size = 1_000_000;
  const nodes: StoredNode[] = [];
  const tree = new CompactRange((level, index, hash) => nodes.push({ level, index, hash }));
  for (let i = 0; i < size; i++) tree.push(hashLeaf(Buffer.from(String(i))));
  const lookup = nodeLookup(nodes);
  const root = rootFromNodes(size, lookup);
  const proofs = Array.from({ length: 10_000 }, (_, k) => {
    const index = (k * 7919) % size;
    return { index, leaf: hashLeaf(Buffer.from(String(index))), proof: inclusionProofFromNodes(index, size, lookup) };
  });
  const start = performance.now();
  for (const p of proofs) if (!verifyInclusion(p.index, size, p.leaf, p.proof, root).ok) throw new Error('proof failed');
  const perProof = ms(start) / proofs.length;
  const baselineStart = performance.now();
  for (const p of proofs) for (let j = 0; j <= p.proof.length; j++) hashLeaf(p.leaf); // the same number of SHA-256 calls
  return { perProof, baseline: ms(baselineStart) / proofs.length };
}

async function withTarget(target: Target, work: (ds: DataSource) => Promise<void>): Promise<void> {
  try {
    await migrateUp(target.config);
    const ds = await (await createDataSource(target.config)).initialize();
    try {
      await work(ds);
    } finally {
      await ds.destroy();
    }
  } finally {
    await target.drop();
  }
}

async function main(): Promise<void> {
  console.log(`bench:ledger — N=${N} inserts per side, audit of ${AUDIT_N.toLocaleString('en-US')} entries`);
  const [forInserts, forAudit] = [await targets(), await targets()];
  for (const [i, target] of forInserts.entries()) {
    console.log(`\n${target.name}`);
    await withTarget(target, async (ds) => {
      const r = await insertRatio(ds);
      line('business inserts, plain', `${r.plain.toFixed(0)} ms`);
      line('business inserts + ledger appends', `${r.withLedger.toFixed(0)} ms`);
      line('ratio with ÷ without (median of 5 rounds; goal ≤ 1.3)', `${r.ratio.toFixed(2)}`);
    });
    await withTarget(forAudit[i]!, async (ds) => {
      const count = target.name === 'PGlite' ? Math.min(AUDIT_N, Number(process.env.BENCH_AUDIT_N_PGLITE ?? 200_000)) : AUDIT_N;
      const audit = await auditTime(ds, count);
      line(`full audit of ${count.toLocaleString('en-US')} entries (goal ≤ 10 s at 1M)`, `${(audit / 1000).toFixed(2)} s  (${((audit / count) * 1000).toFixed(1)} µs/entry)`);
    });
  }
  const inclusion = inclusionVerifyTime();
  console.log('\nproofs');
  line('inclusion proof verification, 1M-leaf tree (goal ≤ 1 ms)', `${(inclusion.perProof * 1000).toFixed(1)} µs  (${(inclusion.perProof / inclusion.baseline).toFixed(2)}× bare hashing)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
