import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { systemActor } from '../../platform/ledger/actor';
import { BatchTree } from './batch-tree';
import { DECISIONS_COMMITTED, type DecisionBatchBody } from './decision-proof';

interface PendingLeaf {
  key: string;
  leaf_hash: Buffer;
  created_at: Date;
}

/**
 * Commits the decision log to the ledger: every ASSAY_DECISION_BATCH_MS it takes the logged
 * predictions and outcomes that are in no batch yet (rows locked with SKIP LOCKED, so processes
 * never take the same ones), builds their RFC 9162 tree, records the root as one
 * `decisions.committed` evidence record and gives every row its batch and leaf index — all in one
 * transaction. One ledger entry per batch instead of per prediction is what lets the log keep up
 * with serving; the leaf's audit path to the batch root plus the root's ledger entry still prove
 * each decision. Rows a dead process left uncommitted are taken by the next pass of any process.
 */
@Injectable()
export class DecisionBatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DecisionBatcher.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<DecisionBatchBody | null> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly evidence: EvidenceService,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.ASSAY_DECISION_BATCH_MS);
    this.timer.unref();
  }

  /** A graceful stop commits what this process logged, so nothing waits for another process. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.flush();
    } catch (error) {
      this.logger.error(`Decision log not committed at shutdown (the next process will): ${(error as Error).message}`);
    }
  }

  /** Commits batches until nothing is pending (tests and shutdown); returns the batches made. */
  async flush(): Promise<DecisionBatchBody[]> {
    const batches: DecisionBatchBody[] = [];
    for (let batch = await this.commitPending(); batch; batch = await this.commitPending()) batches.push(batch);
    return batches;
  }

  private async tick(): Promise<void> {
    try {
      await this.commitPending();
    } catch (error) {
      this.logger.warn(`Decision batch not committed, retrying next tick: ${(error as Error).message}`);
    }
  }

  /** One batch of what is pending (at most ASSAY_DECISION_BATCH_MAX leaves); null when nothing is. */
  commitPending(): Promise<DecisionBatchBody | null> {
    this.running ??= this.commit().finally(() => (this.running = null));
    return this.running;
  }

  private async commit(): Promise<DecisionBatchBody | null> {
    const max = this.config.ASSAY_DECISION_BATCH_MAX;
    return this.db.transaction(async (tx) => {
      const predictions = await tx.query<PendingLeaf[]>(
        `SELECT id AS key, leaf_hash, created_at FROM predictions WHERE batch_id IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [max],
      );
      const outcomes =
        predictions.length < max
          ? await tx.query<PendingLeaf[]>(
              `SELECT prediction_id AS key, leaf_hash, created_at FROM prediction_outcomes WHERE batch_id IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
              [max - predictions.length],
            )
          : [];
      const leaves = [...predictions, ...outcomes];
      if (leaves.length === 0) return null;
      const tree = new BatchTree(leaves.map((leaf) => leaf.leaf_hash));
      const times = leaves.map((leaf) => leaf.created_at.getTime());
      const body: DecisionBatchBody = {
        batchId: randomUUID(),
        root: `sha256:${tree.root.toString('hex')}`,
        size: tree.size,
        predictions: predictions.length,
        outcomes: outcomes.length,
        from: new Date(Math.min(...times)).toISOString(),
        to: new Date(Math.max(...times)).toISOString(),
      };
      const record = await this.evidence.record(tx, {
        kind: DECISIONS_COMMITTED,
        subject: { type: 'decision_batch', id: body.batchId },
        actor: systemActor('decision-log'),
        body: { ...body },
      });
      await tx.query(`INSERT INTO decision_batches (id, size, root, evidence_digest, ledger_index) VALUES ($1, $2, $3, $4, $5)`, [
        body.batchId,
        body.size,
        body.root,
        record.digest,
        record.ledgerIndex,
      ]);
      const assign = async (table: 'predictions' | 'prediction_outcomes', key: string, rows: PendingLeaf[], offset: number) => {
        if (rows.length === 0) return;
        await tx.query(
          `UPDATE ${table} t SET batch_id = $1, leaf_index = r.leaf_index FROM unnest($2::uuid[], $3::int[]) AS r(key, leaf_index) WHERE t.${key} = r.key`,
          [body.batchId, rows.map((row) => row.key), rows.map((_, i) => offset + i)],
        );
      };
      await assign('predictions', 'id', predictions, 0);
      await assign('prediction_outcomes', 'prediction_id', outcomes, predictions.length);
      return body;
    });
  }
}
