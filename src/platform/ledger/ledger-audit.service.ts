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

const BATCH = 5000;

/** Problems the database-free verifier cannot see: evidence bodies live beside the ledger. */
export interface EvidenceProblem {
  code: 'EVIDENCE_DIGEST_MISMATCH' | 'EVIDENCE_NOT_IN_LEDGER';
  index: number;
  message: string;
}

export type LedgerAuditReport = Omit<LedgerVerificationReport, 'problems'> & {
  problems: readonly (LedgerProblem | EvidenceProblem)[];
};

interface AuditRow extends LedgerEntryRow {
  digest: string | null;
  body: Record<string, unknown> | null;
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
    let next = 0;
    let read = 0;
    for (;;) {
      const rows = await this.db.query<AuditRow[]>(
        `SELECT e.index, e.canonical, e.leaf_hash, r.digest, r.body
           FROM ledger_entries e LEFT JOIN evidence_records r ON r.ledger_index = e.index
          WHERE e.index >= $1 ORDER BY e.index LIMIT $2`,
        [next, BATCH],
      );
      for (const row of rows) {
        if (row.digest !== null || row.canonical.includes('"evidenceDigest":"')) this.checkEvidence(row, evidenceProblems);
        yield { index: Number(row.index), canonical: Buffer.from(row.canonical, 'utf8'), leafHash: row.leaf_hash };
      }
      read += rows.length;
      onProgress?.(read, total);
      const last = rows[rows.length - 1];
      if (!last || rows.length < BATCH) return;
      next = Number(last.index) + 1;
    }
  }

  private checkEvidence(row: AuditRow, problems: EvidenceProblem[]): void {
    const index = Number(row.index);
    let entry: LedgerEntry;
    try {
      entry = JSON.parse(row.canonical) as LedgerEntry;
    } catch {
      return; // the leaf hash check reports a damaged entry
    }
    if (row.digest === null || row.body === null) {
      if (entry.evidenceDigest) {
        problems.push({ code: 'EVIDENCE_NOT_IN_LEDGER', index, message: `entry ${index} names evidence ${entry.evidenceDigest}, which is missing` });
      }
      return;
    }
    const recomputed = sha256Digest(row.body);
    if (recomputed !== row.digest || recomputed !== entry.evidenceDigest) {
      problems.push({
        code: 'EVIDENCE_DIGEST_MISMATCH',
        index,
        message: `evidence of entry ${index} digests to ${recomputed}; the ledger recorded ${entry.evidenceDigest}`,
      });
    }
  }

  /** Nodes in completion order, one leaf range at a time: per level, a contiguous index range (PK lookups). */
  private async *nodes(maxCompleted: number): AsyncGenerator<StoredNode> {
    for (let from = 0; from <= maxCompleted; from += BATCH) {
      const to = Math.min(from + BATCH, maxCompleted + 1); // leaf positions [from, to)
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
      const rows = await this.db.query<{ level: number; index: string; hash: Buffer }[]>(
        `SELECT n.level, n.index, n.hash FROM unnest($1::smallint[], $2::bigint[], $3::bigint[]) AS r(level, low, high)
           JOIN ledger_nodes n ON n.level = r.level AND n.index BETWEEN r.low AND r.high`,
        [levels, lows, highs],
      );
      const nodes = rows.map((row) => ({ level: Number(row.level), index: Number(row.index), hash: row.hash }));
      nodes.sort((a, b) => nodeCompletedAt(a.level, a.index) - nodeCompletedAt(b.level, b.index) || a.level - b.level);
      yield* nodes;
    }
  }
}
