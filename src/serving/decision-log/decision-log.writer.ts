import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One logged prediction as stored (the leaf is the record; the other columns serve queries and monitoring). */
export interface PredictionRecord {
  id: string;
  modelId: string;
  modelVersionId: string;
  modelDigest: string;
  alias: string | null;
  inputDigest: string;
  /** The raw input, only where the training datasheet declares no personal data. */
  input: Record<string, unknown> | null;
  monitoring: unknown;
  label: string;
  score: number;
  callerId: string;
  createdAt: string;
  leaf: string;
  leafHash: Buffer;
}

interface Waiting {
  records: PredictionRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_ROWS_PER_INSERT = 5_000;

/**
 * Writes logged predictions durably before their response is sent (an acknowledged prediction
 * is never lost, even if the process dies before its batch reaches the ledger: the batcher of any
 * process commits it later). Concurrent requests share one multi-row INSERT — group commit: while
 * one insert runs, the next requests queue and go together in the next one — so logging costs a
 * round trip per *group* of requests rather than per request, without a timer adding latency.
 */
@Injectable()
export class DecisionLogWriter {
  private queue: Waiting[] = [];
  private draining: Promise<void> | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  append(records: PredictionRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.draining ??= this.drain().finally(() => (this.draining = null));
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group: Waiting[] = [];
      let rows = 0;
      while (this.queue.length > 0 && (group.length === 0 || rows + this.queue[0]!.records.length <= MAX_ROWS_PER_INSERT)) {
        const next = this.queue.shift()!;
        group.push(next);
        rows += next.records.length;
      }
      try {
        await this.insert(group.flatMap((w) => w.records));
        for (const waiting of group) waiting.resolve();
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
  }

  private async insert(records: PredictionRecord[]): Promise<void> {
    const column = <T>(pick: (r: PredictionRecord) => T) => records.map(pick);
    await this.db.query(
      `INSERT INTO predictions (id, model_id, model_version_id, model_digest, alias, input_digest, input, monitoring, label, score, caller_id, created_at, leaf, leaf_hash)
       SELECT id, model_id, model_version_id, model_digest, alias, input_digest, input::jsonb, monitoring::jsonb, label, score, caller_id, created_at, leaf, decode(leaf_hash, 'hex')
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::float8[], $11::uuid[], $12::timestamptz[], $13::text[], $14::text[])
           AS r(id, model_id, model_version_id, model_digest, alias, input_digest, input, monitoring, label, score, caller_id, created_at, leaf, leaf_hash)`,
      [
        column((r) => r.id),
        column((r) => r.modelId),
        column((r) => r.modelVersionId),
        column((r) => r.modelDigest),
        column((r) => r.alias),
        column((r) => r.inputDigest),
        column((r) => (r.input === null ? null : JSON.stringify(r.input))),
        column((r) => JSON.stringify(r.monitoring)),
        column((r) => r.label),
        column((r) => r.score),
        column((r) => r.callerId),
        column((r) => r.createdAt),
        column((r) => r.leaf),
        column((r) => r.leafHash.toString('hex')),
      ],
    );
  }
}
