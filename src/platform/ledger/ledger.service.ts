import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AssayException } from '../errors/assay.exception';
import { assertInTransaction } from '../database/transaction';
import type { Actor } from './actor';
import { toEntryView, type LedgerEntryRow, type LedgerEntryView } from './ledger-entry.record';
import {
  appendNodeRefs,
  canonicalEntry,
  consistencyProofFromNodes,
  consistencyProofNodeRefs,
  hashLeaf,
  inclusionProofFromNodes,
  inclusionProofNodeRefs,
  nodeLookup,
  nodesCompletedByAppend,
  rootFromNodes,
  rootNodeRefs,
  type LedgerEntry,
  type NodeLookup,
  type NodeRef,
} from './verification';

/** pg_advisory_xact_lock key serialising appends across connections and processes ("ldgr"). */
const APPEND_LOCK_KEY = 0x6c646772;

export interface AppendInput {
  actor: Actor;
  action: string;
  subject: { type: string; id: string };
  evidenceDigest: string | null;
  data?: Record<string, unknown>;
}

type Queryable = Pick<EntityManager, 'query'>;

/**
 * The append-only Merkle log. Appends join the caller's transaction and take an advisory lock,
 * so indices are gapless across processes and an entry exists exactly when its write committed.
 * Each append stores the perfect subtree nodes it completes: roots and proofs then cost
 * O(log n) node reads in one query, never a rebuild.
 */
@Injectable()
export class LedgerService {
  private readonly listeners = new Set<() => void>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(tx: EntityManager, input: AppendInput): Promise<LedgerEntry> {
    assertInTransaction(tx);
    await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
    const index = await this.size(tx);
    const entry: LedgerEntry = {
      index,
      time: new Date().toISOString(),
      actor: input.actor,
      action: input.action,
      subject: input.subject,
      evidenceDigest: input.evidenceDigest,
      data: input.data ?? {},
    };
    const canonical = canonicalEntry(entry);
    const leafHash = hashLeaf(canonical);
    const siblings = await this.fetchNodes(tx, appendNodeRefs(index));
    const nodes = nodesCompletedByAppend(index, leafHash, siblings);
    await tx.query(
      `INSERT INTO ledger_entries (index, canonical, leaf_hash, time, actor_type, actor_id, action, subject_type, subject_id, evidence_digest)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        index,
        canonical.toString('utf8'),
        leafHash,
        entry.time,
        entry.actor.type,
        entry.actor.id,
        entry.action,
        entry.subject.type,
        entry.subject.id,
        entry.evidenceDigest,
      ],
    );
    await tx.query(
      `INSERT INTO ledger_nodes (level, index, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
      [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => Buffer.from(n.hash))],
    );
    this.listeners.forEach((listener) => listener());
    return entry;
  }

  /** Called after every append (before its commit): the checkpoint publisher uses it to wake up. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The number of committed entries (visible to `q`). */
  async size(q: Queryable = this.db): Promise<number> {
    const rows = await q.query<{ size: string }[]>('SELECT coalesce(max(index) + 1, 0) AS size FROM ledger_entries');
    return Number(rows[0]?.size ?? 0);
  }

  async root(treeSize: number, q: Queryable = this.db): Promise<Buffer> {
    return rootFromNodes(treeSize, await this.fetchNodes(q, rootNodeRefs(treeSize)));
  }

  async entries(from: number, limit: number, filter?: { actorId?: string }): Promise<LedgerEntryView[]> {
    const rows = filter?.actorId
      ? await this.db.query<LedgerEntryRow[]>(
          `SELECT index, canonical, leaf_hash FROM ledger_entries WHERE index >= $1 AND actor_id = $2 ORDER BY index LIMIT $3`,
          [from, filter.actorId, limit],
        )
      : await this.db.query<LedgerEntryRow[]>(
          `SELECT index, canonical, leaf_hash FROM ledger_entries WHERE index >= $1 ORDER BY index LIMIT $2`,
          [from, limit],
        );
    return rows.map(toEntryView);
  }

  async entry(index: number): Promise<LedgerEntryView | null> {
    const rows = await this.db.query<LedgerEntryRow[]>(
      `SELECT index, canonical, leaf_hash FROM ledger_entries WHERE index = $1`,
      [index],
    );
    return rows[0] ? toEntryView(rows[0]) : null;
  }

  async inclusionProof(index: number, treeSize: number) {
    const size = await this.size();
    if (!(index >= 0 && index < treeSize && treeSize <= size)) {
      throw new AssayException('LEDGER_PROOF_OUT_OF_RANGE', `Need 0 ≤ index < treeSize ≤ ${size}`, { size });
    }
    const refs = [...inclusionProofNodeRefs(index, treeSize), ...rootNodeRefs(treeSize), { level: 0, index }];
    const lookup = await this.fetchNodes(this.db, refs);
    return {
      index,
      treeSize,
      leafHash: hex(lookup(0, index)),
      rootHash: rootFromNodes(treeSize, lookup).toString('hex'),
      proof: inclusionProofFromNodes(index, treeSize, lookup).map((h) => h.toString('hex')),
    };
  }

  async consistencyProof(from: number, to: number) {
    const size = await this.size();
    if (!(from >= 1 && from <= to && to <= size)) {
      throw new AssayException('LEDGER_PROOF_OUT_OF_RANGE', `Need 1 ≤ from ≤ to ≤ ${size}`, { size });
    }
    const refs = [...consistencyProofNodeRefs(from, to), ...rootNodeRefs(from), ...rootNodeRefs(to)];
    const lookup = await this.fetchNodes(this.db, refs);
    return {
      from,
      to,
      fromRootHash: rootFromNodes(from, lookup).toString('hex'),
      toRootHash: rootFromNodes(to, lookup).toString('hex'),
      proof: consistencyProofFromNodes(from, to, lookup).map((h) => h.toString('hex')),
    };
  }

  /** Reads the named nodes in one query. */
  private async fetchNodes(q: Queryable, refs: NodeRef[]): Promise<NodeLookup> {
    if (refs.length === 0) return nodeLookup([]);
    const rows = await q.query<{ level: number; index: string; hash: Buffer }[]>(
      `SELECT n.level, n.index, n.hash FROM ledger_nodes n
         JOIN unnest($1::smallint[], $2::bigint[]) AS r(level, index) ON n.level = r.level AND n.index = r.index`,
      [refs.map((r) => r.level), refs.map((r) => r.index)],
    );
    return nodeLookup(rows.map((row) => ({ level: Number(row.level), index: Number(row.index), hash: row.hash })));
  }
}

const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex');
