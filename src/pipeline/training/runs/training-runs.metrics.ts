/**
 * Training-run figures for Prometheus, read from the database at scrape time so that every API
 * replica reports the whole installation (workers may be other processes): runs by state, the
 * queue, BullMQ's jobs with REDIS_URL, and how long finished runs took.
 */
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ASSAY_CONFIG } from '../../../platform/config/config.module';
import type { AssayConfig } from '../../../platform/config/config.schema';
import { EvidenceTail } from '../../../platform/evidence/evidence-tail';
import { MetricsRegistry } from '../../../platform/observability/metrics/metrics.registry';
import { RunDispatch } from './run-dispatch';
import { RUN_STATES } from './training-run.record';

/** From a second to six hours. */
const RUN_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

@Injectable()
export class TrainingRunMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly dispatch: RunDispatch,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge({
      name: 'assay_training_runs',
      help: 'Training runs by state.',
      labelNames: ['state'],
      // One row per run (not per event or record), so the scan stays small next to the evidence table.
      collect: async () => {
        const rows = await this.db.query<{ state: string; runs: string }[]>(`SELECT state, count(*) AS runs FROM training_runs GROUP BY state`);
        const counts = new Map<string, number>(RUN_STATES.map((state) => [state, 0]));
        for (const row of rows) counts.set(row.state, Number(row.runs));
        return [...counts].map(([state, value]) => ({ labels: { state }, value }));
      },
    });
    this.metrics.gauge({
      name: 'assay_training_queue_depth',
      help: 'Training runs queued and not yet claimed by a worker.',
      // training_runs_claimable_idx is a partial index on exactly the queued and running rows.
      collect: async () => {
        const rows = await this.db.query<{ queued: string }[]>(`SELECT count(*) AS queued FROM training_runs WHERE state = 'queued'`);
        return [{ value: Number(rows[0]?.queued ?? 0) }];
      },
    });
    if (this.config.REDIS_URL) {
      this.metrics.gauge({
        name: 'assay_training_queue_jobs',
        help: 'Jobs in the BullMQ training queue by state (REDIS_URL only; the training_runs table stays the system of record).',
        labelNames: ['state'],
        collect: async () => Object.entries((await this.dispatch.jobCounts()) ?? {}).map(([state, value]) => ({ labels: { state }, value })),
      });
    }

    const duration = this.metrics.histogram({
      name: 'assay_training_run_duration_seconds',
      help: 'Wall time of finished training runs from start to finish, resumptions included, by final state (runs cancelled before they started are not observed).',
      labelNames: ['state'],
      buckets: RUN_DURATION_BUCKETS,
      collect: () => finished.poll(),
    });
    // A run's final evidence record commits with its final state and finished_at: follow those records.
    const finished = new EvidenceTail<{ state: string; seconds: number | string | null }>(
      this.db,
      {
        kinds: ['training.completed', 'training.failed', 'training.cancelled'],
        join: 'JOIN training_runs r ON r.id = e.subject_id::uuid',
        select: 'r.state, extract(epoch FROM r.finished_at - r.started_at) AS seconds',
      },
      (rows) => {
        for (const row of rows) if (row.seconds !== null) duration.observe({ state: row.state }, Number(row.seconds));
      },
    );
  }
}
