import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AssayException } from '../errors/assay.exception';
import { assertInTransaction } from '../database/transaction';
import type { Actor } from './actor';
import { toEntryView, type LedgerEntryRow, type LedgerEntryView } from './ledger-entry.record';
import {
  canonicalEntry,
  canonicalJson,
  consistencyProofFromNodes,
  consistencyProofNodeRefs,
  inclusionProofFromNodes,
  inclusionProofNodeRefs,
  nodeKey,
  nodeLookup,
  rootFromNodes,
  rootNodeRefs,
  type LedgerEntry,
  type NodeLookup,
  type NodeRef,
} from './verification';

export interface AppendInput {
  actor: Actor;
  action: string;
  subject: { type: string; id: string };
  evidenceDigest: string | null;
  data?: Record<string, unknown>;
}

type Queryable = Pick<EntityManager, 'query'>;

/**
 * The canonical JSON (RFC 8785) of an entry, split around the index and time that the database
 * assigns under its append lock: canonical = prefix + index + middle + time + suffix. JCS sorts
 * keys, so "index", "subject" and "time" are always the last three members.
 */
export function canonicalEntryTemplate(input: Omit<LedgerEntry, 'index' | 'time'>): { prefix: string; middle: string; suffix: string } {
  const placeholderTime = '2000-01-01T00:00:00.000Z';
  // canonicalEntry also validates the entry's shape, so a malformed one fails here, not in SQL.
  const whole = canonicalEntry({ ...input, index: 0, time: placeholderTime }).toString('utf8');
  const middle = `,"subject":${canonicalJson(input.subject)},"time":"`;
  const tail = `0${middle}${placeholderTime}"}`;
  if (!whole.endsWith(`"index":${tail}`)) throw new Error('Unexpected canonical form of a ledger entry');
  return { prefix: whole.slice(0, whole.length - tail.length), middle, suffix: '"}' };
}

/**
 * The append-only Merkle log. An append is one call of the `assay_ledger_append` database
 * function inside the caller's transaction: it takes an advisory lock (gapless indices across
 * processes; an entry exists exactly when its write committed), hashes the entry and stores the
 * perfect subtree nodes it completes, so that roots and proofs cost O(log n) node reads in one
 * query, never a rebuild.
 */
@Injectable()
export class LedgerService {
  private readonly listeners = new Set<() => void>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(tx: EntityManager, input: AppendInput): Promise<LedgerEntry> {
    assertInTransaction(tx);
    const data = input.data ?? {};
    const { prefix, middle, suffix } = canonicalEntryTemplate({ ...input, data });
    const rows = await tx.query<{ entry_index: string; entry_time: string }[]>(
      `SELECT entry_index, entry_time FROM assay_ledger_append($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [prefix, middle, suffix, input.actor.type, input.actor.id, input.action, input.subject.type, input.subject.id, input.evidenceDigest],
    );
    const row = rows[0];
    if (!row) throw new Error('assay_ledger_append returned no row');
    this.listeners.forEach((listener) => listener());
    return {
      index: Number(row.entry_index),
      time: row.entry_time,
      actor: input.actor,
      action: input.action,
      subject: input.subject,
      evidenceDigest: input.evidenceDigest,
      data,
    };
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

  /** Up to `limit` entries from index `from` on, below `to` when given, of one actor when given. */
  async entries(from: number, limit: number, filter: { actorId?: string; to?: number } = {}): Promise<LedgerEntryView[]> {
    const params: unknown[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    const where = [`index >= ${bind(from)}`];
    if (filter.to !== undefined) where.push(`index < ${bind(filter.to)}`);
    if (filter.actorId) where.push(`actor_id = ${bind(filter.actorId)}`);
    const rows = await this.db.query<LedgerEntryRow[]>(
      `SELECT index, canonical, leaf_hash FROM ledger_entries WHERE ${where.join(' AND ')} ORDER BY index LIMIT ${bind(limit)}`,
      params,
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

  /**
   * RFC 9162 §2.1.3.1 inclusion proofs of many leaves against one tree, in the order of `indices`,
   * from ONE node query: neighbouring leaves share most of their paths, so a batch of nearby
   * indices reads each shared node once. `treeSize` must not exceed the committed size (a signed
   * checkpoint's size, say); callers bound the batch (a few hundred indices) to bound the query.
   */
  async inclusionProofs(indices: readonly number[], treeSize: number, q: Queryable = this.db): Promise<Buffer[][]> {
    const outside = indices.find((index) => !(Number.isSafeInteger(index) && index >= 0 && index < treeSize));
    if (outside !== undefined) {
      throw new AssayException('LEDGER_PROOF_OUT_OF_RANGE', `Need 0 ≤ index < treeSize = ${treeSize}`, { index: outside, treeSize });
    }
    const refs = new Map<string, NodeRef>();
    for (const index of indices) {
      for (const ref of inclusionProofNodeRefs(index, treeSize)) refs.set(nodeKey(ref.level, ref.index), ref);
    }
    const lookup = await this.fetchNodes(q, [...refs.values()]);
    return indices.map((index) => inclusionProofFromNodes(index, treeSize, lookup));
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
