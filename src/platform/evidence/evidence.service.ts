import { randomUUID } from 'node:crypto';
import { version } from '../../../package.json';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { accessibleActorId } from '../access/ability.factory';
import type { AuthContext } from '../access/auth-context';
import { assertInTransaction } from '../database/transaction';
import { AssayException } from '../errors/assay.exception';
import { DEFAULT_PAGE_LIMIT } from '../http/pagination';
import type { Actor } from '../ledger/actor';
import { LedgerService } from '../ledger/ledger.service';
import { sha256Digest } from '../ledger/verification';
import { addActiveSpanEvent, ATTR, EVIDENCE_EVENT } from '../observability/tracing/spans';
import { EvidenceKindRegistry } from './evidence-kind.registry';

export const PRODUCER = `assay/${version}`;

export interface EvidenceRecord {
  id: string;
  kind: string;
  kindVersion: number;
  subject: { type: string; id: string };
  body: Record<string, unknown>;
  digest: string;
  producer: string;
  actor: Actor;
  supersedes: string | null;
  ledgerIndex: number;
  createdAt: string;
}

export interface RecordInput {
  kind: string;
  subject: { type: string; id: string };
  body: Record<string, unknown>;
  actor: Actor;
  /** The id of the record this one corrects. */
  supersedes?: string;
  /** The user who owns the subject (its readers under the engineer rule); default the actor when a user. */
  subjectOwnerId?: string;
}

interface EvidenceRow {
  id: string;
  kind: string;
  kind_version: number;
  subject_type: string;
  subject_id: string;
  body: Record<string, unknown>;
  digest: string;
  producer: string;
  actor_type: Actor['type'];
  actor_id: string;
  supersedes: string | null;
  ledger_index: string;
  created_at: Date;
}

const toRecord = (row: EvidenceRow): EvidenceRecord => ({
  id: row.id,
  kind: row.kind,
  kindVersion: row.kind_version,
  subject: { type: row.subject_type, id: row.subject_id },
  body: row.body,
  digest: row.digest,
  producer: row.producer,
  actor: { type: row.actor_type, id: row.actor_id },
  supersedes: row.supersedes,
  ledgerIndex: Number(row.ledger_index),
  createdAt: row.created_at.toISOString(),
});

/**
 * Immutable evidence records, each validated against its kind's schema, addressed by the
 * SHA-256 of its JCS-canonical body, and appended to the ledger in the caller's transaction.
 */
@Injectable()
export class EvidenceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly kinds: EvidenceKindRegistry,
  ) {}

  async record(tx: EntityManager, input: RecordInput): Promise<EvidenceRecord> {
    assertInTransaction(tx);
    const kind = this.kinds.get(input.kind);
    if (!kind) throw new Error(`Evidence kind ${input.kind} is not registered`);
    if (!kind.validate(input.body)) {
      throw new AssayException('EVIDENCE_INVALID', `The ${input.kind} evidence is invalid`, {
        kind: input.kind,
        errors: kind.validate.errors?.map((e) => ({ path: e.instancePath, message: e.message })),
      });
    }
    if (input.supersedes) await this.assertCorrectable(tx, input);
    const id = randomUUID();
    const digest = sha256Digest(input.body);
    const entry = await this.ledger.append(tx, {
      actor: input.actor,
      action: input.kind,
      subject: input.subject,
      evidenceDigest: digest,
      data: { evidenceId: id, kindVersion: kind.version, ...(input.supersedes ? { supersedes: input.supersedes } : {}) },
    });
    const rows = await tx.query<EvidenceRow[]>(
      `INSERT INTO evidence_records
         (id, kind, kind_version, subject_type, subject_id, body, digest, producer, actor_type, actor_id, supersedes, ledger_index, subject_owner_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
      [
        id,
        input.kind,
        kind.version,
        input.subject.type,
        input.subject.id,
        JSON.stringify(input.body),
        digest,
        PRODUCER,
        input.actor.type,
        input.actor.id,
        input.supersedes ?? null,
        entry.index,
        input.subjectOwnerId ?? (input.actor.type === 'user' ? input.actor.id : null),
      ],
    );
    const record = toRecord(rows[0]!);
    // One event per record on the span of the stage that wrote it. It commits with the caller's
    // transaction: a span that ends in error may name records that were rolled back.
    addActiveSpanEvent(EVIDENCE_EVENT, {
      [ATTR.evidenceKind]: record.kind,
      [ATTR.evidenceDigest]: record.digest,
      [ATTR.evidenceId]: record.id,
      [ATTR.ledgerIndex]: record.ledgerIndex,
      [ATTR.subjectType]: record.subject.type,
      [ATTR.subjectId]: record.subject.id,
    });
    return record;
  }

  /** Records with this digest that the caller may read (usually one). */
  async byDigest(auth: AuthContext, digest: string): Promise<EvidenceRecord[]> {
    const filter = this.actorFilter(auth);
    const rows = await this.db.query<EvidenceRow[]>(
      `SELECT * FROM evidence_records WHERE digest = $1 AND ($2::text IS NULL OR actor_id = $2 OR subject_owner_id = $2) ORDER BY ledger_index`,
      [digest, filter],
    );
    if (rows.length === 0) throw new AssayException('EVIDENCE_NOT_FOUND', `No evidence ${digest}`);
    return rows.map(toRecord);
  }

  /** A page of records the caller may read, in ledger order; the cursor is the last ledger index. */
  async page(
    auth: AuthContext,
    query: { subjectType?: string; subjectId?: string; kind?: string; cursor?: string; limit?: number },
  ): Promise<{ items: EvidenceRecord[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const after = query.cursor === undefined ? -1 : Number(query.cursor);
    const rows = await this.list(auth, { ...query, after, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? String(last.ledgerIndex) : null };
  }

  private async list(
    auth: AuthContext,
    query: { subjectType?: string; subjectId?: string; kind?: string; after: number; limit: number },
  ): Promise<EvidenceRecord[]> {
    const rows = await this.db.query<EvidenceRow[]>(
      `SELECT * FROM evidence_records
        WHERE ($1::text IS NULL OR subject_type = $1) AND ($2::text IS NULL OR subject_id = $2)
          AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR actor_id = $4 OR subject_owner_id = $4) AND ledger_index > $5
        ORDER BY ledger_index LIMIT $6`,
      [query.subjectType ?? null, query.subjectId ?? null, query.kind ?? null, this.actorFilter(auth), query.after, query.limit],
    );
    return rows.map(toRecord);
  }

  /** Records of one subject, for services assembling evidence (no caller: they check access themselves). */
  async forSubject(subject: { type: string; id: string }, kind?: string): Promise<EvidenceRecord[]> {
    const rows = await this.db.query<EvidenceRow[]>(
      `SELECT * FROM evidence_records WHERE subject_type = $1 AND subject_id = $2 AND ($3::text IS NULL OR kind = $3) ORDER BY ledger_index`,
      [subject.type, subject.id, kind ?? null],
    );
    return rows.map(toRecord);
  }

  /** null: every record; else only records this user produced or whose subject they own (the engineer rule of the matrix). */
  private actorFilter(auth: AuthContext): string | null {
    if (!auth.ability.can('read', 'Evidence')) throw new AssayException('ACCESS_DENIED', 'You may not read evidence');
    return accessibleActorId(auth.ability, 'read', 'Evidence');
  }


  private async assertCorrectable(tx: EntityManager, input: RecordInput): Promise<void> {
    const rows = await tx.query<EvidenceRow[]>(`SELECT * FROM evidence_records WHERE id = $1`, [input.supersedes]);
    const original = rows[0];
    if (!original || original.kind !== input.kind || original.subject_type !== input.subject.type || original.subject_id !== input.subject.id) {
      throw new AssayException('EVIDENCE_SUPERSEDES_INVALID', 'A correction must name a record of the same kind and subject', {
        supersedes: input.supersedes,
      });
    }
  }
}
