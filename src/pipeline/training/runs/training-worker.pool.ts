import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ASSAY_CONFIG } from '../../../platform/config/config.module';
import type { AssayConfig } from '../../../platform/config/config.schema';
import { RunDispatch } from './run-dispatch';
import { TrainingRunExecutor, type ExecutionControl } from './training-run.executor';
import { TrainingRunStore } from './training-run.store';

/**
 * The training runs this process executes: `serve` starts ASSAY_RUN_WORKERS of them next to the
 * API, `assay worker` only them. On shutdown running runs stop after their current batch and give
 * their lease back, so another worker resumes them from the last epoch checkpoint at once.
 */
@Injectable()
export class TrainingWorkerPool implements OnApplicationShutdown, ExecutionControl {
  private readonly logger = new Logger(TrainingWorkerPool.name);
  /** Unique per process start: a restarted process never mistakes an old lease for its own. */
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  suspending = false;
  private started = false;
  private readonly active = new Set<Promise<unknown>>();

  constructor(
    private readonly store: TrainingRunStore,
    private readonly executor: TrainingRunExecutor,
    private readonly dispatch: RunDispatch,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  /** Starts consuming with `slots` concurrent runs (default ASSAY_RUN_WORKERS); 0 does nothing. */
  start(slots = this.config.ASSAY_RUN_WORKERS): void {
    if (this.started || slots <= 0) return;
    this.started = true;
    this.dispatch.consume(slots, (runId) => this.runNext(runId));
    this.logger.log(`Training worker ${this.workerId}: ${slots} slot(s), ${this.config.REDIS_URL ? 'BullMQ' : 'in-process'} queue`);
  }

  get running(): number {
    return this.active.size;
  }

  private async runNext(runId?: string): Promise<boolean> {
    if (this.suspending) return false;
    const run = await this.store.claim(this.workerId, this.config.ASSAY_RUN_LEASE_MS, runId);
    if (!run) return false;
    const lease = { runId: run.id, owner: this.workerId, attempt: run.attempt };
    const work = this.executor.execute(run, lease, this).then(
      (outcome) => this.logger.log(`Run ${run.id} attempt ${run.attempt}: ${outcome}`),
      (error: unknown) =>
        this.logger.error(`Run ${run.id} attempt ${run.attempt} broke off: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
    this.active.add(work);
    try {
      await work;
    } finally {
      this.active.delete(work);
    }
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.suspending = true;
    await Promise.all(this.active);
    await this.dispatch.close();
  }
}
