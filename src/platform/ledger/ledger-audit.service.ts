import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { LedgerEntryRow } from './ledger-entry.record';
import {
  nodeCompletedAt,
  sha256Digest,
  verifyLedger,
  type LedgerEntry,
  type LedgerProblem,
  type LedgerVerificationReport,
  type CanonicalLedgerEntry,
  type StoredNode,
} from './verification';

const BATCH = 10_000;

/** Problems the database-free verifier cannot see: evidence bodies live beside the ledger. */
export interface EvidenceProblem {
  code: 'EVIDENCE_DIGEST_MISMATCH' | 'EVIDENCE_NOT_IN_LEDGER';
  index: number;
  message: string;
}

export type LedgerAuditReport = Omit<LedgerVerificationReport, 'problems'> & {
  problems: readonly (LedgerProblem | EvidenceProblem)[];
};

interface EntryBatch {
  entries: CanonicalLedgerEntry[];
  evidence: Map<number, { digest: string; body: Record<string, unknown> }>;
}
const MAX_LEVEL = 63;

export interface AuditOptions {
  /** signed-note verifier key of the key that must have signed the checkpoints. */
  verifierKey: string;
  origin: string;
  /** An earlier checkpoint kept by someone outside (e.g. a regulator): the log must extend it. */
  earlierCheckpoint?: string;
  /** Called as entries are read, for progress bars. */
  onProgress?: (read: number, total: number) => void;
}

/**
 * Streams the stored ledger (entries, every stored tree node, the latest stored checkpoint of the
 * key) into the database-free verifier. Memory stays O(batch + log n).
 */
@Injectable()
export class LedgerAuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async audit(options: AuditOptions): Promise<LedgerAuditReport> {
    const keyId = options.verifierKey.split('+')[1] ?? '';
    const latest = await this.db.query<{ note: string }[]>(
      `SELECT note FROM ledger_checkpoints WHERE key_id = $1 ORDER BY tree_size DESC LIMIT 1`,
      [keyId],
    );
    const { total, maxCompleted } = await this.extent();
    const evidenceProblems: EvidenceProblem[] = [];
    const report = await verifyLedger({
      entries: this.entries(total, evidenceProblems, options.onProgress),
      storedNodes: this.nodes(maxCompleted),
      checkpoint: latest[0]?.note ?? '',
      verifierKey: options.verifierKey,
      earlierCheckpoint: options.earlierCheckpoint,
      origin: options.origin,
    });
    if (evidenceProblems.length === 0) return report;
    const firstEvidence = Math.min(...evidenceProblems.map((p) => p.index));
    return {
      ...report,
      ok: false,
      firstBadIndex: Math.min(report.firstBadIndex ?? Infinity, firstEvidence),
      problems: [...report.problems, ...evidenceProblems],
    };
  }

  private async extent(): Promise<{ total: number; maxCompleted: number }> {
    const [entries] = await this.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM ledger_entries`);
    // The last leaf position any stored node claims, so that nodes beyond the entries are read too.
    const [nodes] = await this.db.query<{ m: string | null }[]>(
      `SELECT max(((index + 1) << level) - 1) AS m FROM ledger_nodes`,
    );
    return { total: Number(entries?.n ?? 0), maxCompleted: nodes?.m === null || nodes?.m === undefined ? -1 : Number(nodes.m) };
  }

  /** Entries in index order; on the way, each evidence body is re-digested against its entry. */
  private async *entries(
    total: number,
    evidenceProblems: EvidenceProblem[],
    onProgress?: (read: number, total: number) => void,
  ): AsyncGenerator<CanonicalLedgerEntry> {
    let read = 0;
    // Prefetch: the next batch is read while this one is hashed (PostgreSQL works on another core).
    let pending: Promise<EntryBatch> | undefined = this.entryBatch(0);
    while (pending) {
      const batch: EntryBatch = await pending;
      pending = batch.entries.length === BATCH ? this.entryBatch(batch.entries[batch.entries.length - 1]!.index + 1) : undefined;
      for (const entry of batch.entries) {
        const evidence = batch.evidence.get(entry.index);
        const text = Buffer.from(entry.canonical).toString('utf8');
        if (evidence || text.includes('"evidenceDigest":"')) this.checkEvidence(entry.index, text, evidence, evidenceProblems);
        yield entry;
      }
      read += batch.entries.length;
      onProgress?.(read, total);
    }
  }

  /**
   * Up to BATCH entries from `from` on. The common case — a contiguous run of indices — comes back
   * as one row (canonical texts joined by newlines, which JCS never leaves raw inside a string,
   * and leaf hashes concatenated): per-row parsing would cost more than the hashing.
   */
  private async entryBatch(from: number): Promise<EntryBatch> {
    const [agg] = await this.db.query<{ n: string; first: string | null; last: string | null; texts: string | null; leaves: Buffer | null }[]>(
      `SELECT count(*) AS n, min(index) AS first, max(index) AS last,
              string_agg(canonical, E'\n' ORDER BY index) AS texts, string_agg(leaf_hash, ''::bytea ORDER BY index) AS leaves
         FROM (SELECT index, canonical, leaf_hash FROM ledger_entries WHERE index >= $1 ORDER BY index LIMIT $2) page`,
      [from, BATCH],
    );
    const count = Number(agg?.n ?? 0);
    let entries: CanonicalLedgerEntry[];
    const texts = agg?.texts?.split('\n') ?? [];
    const contiguous = count > 0 && Number(agg!.last) - Number(agg!.first) === count - 1 && texts.length === count && agg!.leaves?.length === count * 32;
    if (contiguous) {
      const first = Number(agg!.first);
      entries = texts.map((text, k) => ({ index: first + k, canonical: Buffer.from(text, 'utf8'), leafHash: agg!.leaves!.subarray(k * 32, k * 32 + 32) }));
    } else {
      const rows = await this.db.query<LedgerEntryRow[]>(
        `SELECT index, canonical, leaf_hash FROM ledger_entries WHERE index >= $1 ORDER BY index LIMIT $2`,
        [from, BATCH],
      );
      entries = rows.map((row) => ({ index: Number(row.index), canonical: Buffer.from(row.canonical, 'utf8'), leafHash: row.leaf_hash }));
    }
    const evidence = new Map<number, { digest: string; body: Record<string, unknown> }>();
    if (entries.length > 0) {
      const rows = await this.db.query<{ ledger_index: string; digest: string; body: Record<string, unknown> }[]>(
        `SELECT ledger_index, digest, body FROM evidence_records WHERE ledger_index BETWEEN $1 AND $2`,
        [entries[0]!.index, entries[entries.length - 1]!.index],
      );
      for (const row of rows) evidence.set(Number(row.ledger_index), { digest: row.digest, body: row.body });
    }
    return { entries, evidence };
  }

  private checkEvidence(
    index: number,
    canonical: string,
    evidence: { digest: string; body: Record<string, unknown> } | undefined,
    problems: EvidenceProblem[],
  ): void {
    let entry: LedgerEntry;
    try {
      entry = JSON.parse(canonical) as LedgerEntry;
    } catch {
      return; // the leaf hash check reports a damaged entry
    }
    if (!evidence) {
      if (entry.evidenceDigest) {
        problems.push({ code: 'EVIDENCE_NOT_IN_LEDGER', index, message: `entry ${index} names evidence ${entry.evidenceDigest}, which is missing` });
      }
      return;
    }
    const recomputed = sha256Digest(evidence.body);
    if (recomputed !== evidence.digest || recomputed !== entry.evidenceDigest) {
      problems.push({
        code: 'EVIDENCE_DIGEST_MISMATCH',
        index,
        message: `evidence of entry ${index} digests to ${recomputed}; the ledger recorded ${entry.evidenceDigest}`,
      });
    }
  }

  /** Nodes in completion order, one leaf range at a time: per level, a contiguous index range (PK lookups). */
  private async *nodes(maxCompleted: number): AsyncGenerator<StoredNode> {
    let pending: Promise<StoredNode[]> | undefined = maxCompleted >= 0 ? this.nodesCompletedIn(0, maxCompleted) : undefined;
    for (let from = 0; pending; from += BATCH) {
      const nodes: StoredNode[] = await pending;
      pending = from + BATCH <= maxCompleted ? this.nodesCompletedIn(from + BATCH, maxCompleted) : undefined;
      yield* nodes;
    }
  }

  /** Nodes completed by leaves [from, from + BATCH): per level a contiguous index range (PK lookups), sorted. */
  private async nodesCompletedIn(from: number, maxCompleted: number): Promise<StoredNode[]> {
    const to = Math.min(from + BATCH, maxCompleted + 1);
    const levels: number[] = [];
    const lows: number[] = [];
    const highs: number[] = [];
    for (let level = 0; level <= MAX_LEVEL && 2 ** level <= to; level++) {
      // node (level, i) completes at leaf (i + 1)·2^level − 1
      const low = Math.ceil((from + 1) / 2 ** level) - 1;
      const high = Math.floor(to / 2 ** level) - 1;
      if (high >= low) {
        levels.push(level);
        lows.push(low);
        highs.push(high);
      }
    }
    // One row per level with the hashes concatenated in index order: parsing 32-byte rows one by one
    // costs far more than the query. A level whose range is not complete is read row by row.
    const levelRows = await this.db.query<{ level: number; low: string; n: string; first: string | null; hashes: Buffer | null }[]>(
      `SELECT r.level, r.low, count(n.index) AS n, min(n.index) AS first, string_agg(n.hash, ''::bytea ORDER BY n.index) AS hashes
         FROM unnest($1::smallint[], $2::bigint[], $3::bigint[]) AS r(level, low, high)
         LEFT JOIN ledger_nodes n ON n.level = r.level AND n.index BETWEEN r.low AND r.high
        GROUP BY r.level, r.low, r.high`,
      [levels, lows, highs],
    );
    const nodes: StoredNode[] = [];
    for (const row of levelRows) {
      const level = Number(row.level);
      const low = Number(row.low);
      const count = Number(row.n);
      const expected = highs[levels.indexOf(level)]! - low + 1;
      if (count === expected && Number(row.first) === low && row.hashes?.length === count * 32) {
        for (let k = 0; k < count; k++) nodes.push({ level, index: low + k, hash: row.hashes.subarray(k * 32, k * 32 + 32) });
      } else if (count > 0) {
        const sparse = await this.db.query<{ index: string; hash: Buffer }[]>(
          `SELECT index, hash FROM ledger_nodes WHERE level = $1 AND index BETWEEN $2 AND $3 ORDER BY index`,
          [level, low, low + expected - 1],
        );
        for (const r of sparse) nodes.push({ level, index: Number(r.index), hash: r.hash });
      }
    }
    return nodes.sort((a, b) => nodeCompletedAt(a.level, a.index) - nodeCompletedAt(b.level, b.index) || a.level - b.level);
  }
}
