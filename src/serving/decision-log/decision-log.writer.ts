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

  /**
   * One statement for the whole group. The rows travel as one JSON text that PostgreSQL unpacks
   * (json_to_recordset): one native JSON.stringify instead of fourteen array parameters escaped
   * element by element in JavaScript, which cost more than the insert itself.
   */
  private async insert(records: PredictionRecord[]): Promise<void> {
    const rows = records.map((r) => ({
      id: r.id,
      model_id: r.modelId,
      model_version_id: r.modelVersionId,
      model_digest: r.modelDigest,
      alias: r.alias,
      input_digest: r.inputDigest,
      input: r.input,
      monitoring: r.monitoring,
      label: r.label,
      score: r.score,
      caller_id: r.callerId,
      created_at: r.createdAt,
      leaf: r.leaf,
      leaf_hash: r.leafHash.toString('hex'),
    }));
    await this.db.query(
      `INSERT INTO predictions (id, model_id, model_version_id, model_digest, alias, input_digest, input, monitoring, label, score, caller_id, created_at, leaf, leaf_hash)
       SELECT id, model_id, model_version_id, model_digest, alias, input_digest, input, monitoring, label, score, caller_id, created_at, leaf, decode(leaf_hash, 'hex')
         FROM json_to_recordset($1::json) AS r(id uuid, model_id uuid, model_version_id uuid, model_digest text, alias text, input_digest text, input jsonb, monitoring jsonb,
                                             label text, score float8, caller_id uuid, created_at timestamptz, leaf text, leaf_hash text)`,
      [JSON.stringify(rows)],
    );
  }
}
