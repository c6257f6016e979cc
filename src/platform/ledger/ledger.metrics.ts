/**
 * Ledger figures for Prometheus: its size and how far the newest signed checkpoint trails it.
 * Both are read at scrape time through primary-key indexes (max(index), newest tree_size).
 * The age alone is no alarm (no checkpoint is signed while nothing is appended); an old
 * checkpoint with entries beyond its tree size is.
 */
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '../observability/metrics/metrics.registry';
import { LedgerService } from './ledger.service';

@Injectable()
export class LedgerMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly ledger: LedgerService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge({
      name: 'assay_ledger_entries',
      help: 'Entries in the ledger (the size of its Merkle tree).',
      collect: async () => [{ value: await this.ledger.size() }],
    });
    this.metrics.gauge({
      name: 'assay_ledger_checkpoint_age_seconds',
      help: 'Seconds since the newest signed checkpoint was published (no sample before the first one).',
      collect: async () => (await this.newestCheckpoint()).map(({ age }) => ({ value: age })),
    });
    this.metrics.gauge({
      name: 'assay_ledger_checkpoint_tree_size',
      help: 'Tree size the newest signed checkpoint commits to; assay_ledger_entries minus this is what no checkpoint covers yet.',
      collect: async () => (await this.newestCheckpoint()).map(({ size }) => ({ value: size })),
    });
  }

  private async newestCheckpoint(): Promise<{ size: number; age: number }[]> {
    const rows = await this.db.query<{ tree_size: string; age: string | number }[]>(
      `SELECT tree_size, greatest(0, extract(epoch FROM now() - created_at)) AS age
         FROM ledger_checkpoints ORDER BY tree_size DESC, created_at DESC LIMIT 1`,
    );
    return rows.map((row) => ({ size: Number(row.tree_size), age: Number(row.age) }));
  }
}
