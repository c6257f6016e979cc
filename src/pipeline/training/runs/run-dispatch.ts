import { EventEmitter } from 'node:events';
import { context } from '@opentelemetry/api';
import { Queue, Worker } from 'bullmq';
import { contextFromTraceparent } from '../../../platform/observability/tracing/spans';
import type { TrainingRunStore } from './training-run.store';

/** Runs `runId`, or the oldest claimable run when absent; resolves whether a run was claimed. */
export type RunHandler = (runId?: string) => Promise<boolean>;

/**
 * How workers learn that a run is waiting. The database row stays the system of record either
 * way: a dispatch only wakes workers, and every claim goes through the row's lease.
 */
export abstract class RunDispatch {
  /** Called after the transaction that queued the run committed; `traceparent` (W3C) is the requesting trace. */
  abstract enqueue(runId: string, traceparent?: string | null): Promise<void>;
  /** Starts `slots` concurrent consumers in this process. */
  abstract consume(slots: number, handler: RunHandler): void;
  /** Stops taking new runs and waits for the consumers to return. */
  abstract close(): Promise<void>;
  /** Jobs the queue holds by state (metrics); null when the table is the only queue. */
  abstract jobCounts(): Promise<Record<string, number> | null>;
}

/**
 * The in-process queue (embedded default): consumers poll the table every ASSAY_RUN_POLL_MS and are
 * woken at once by enqueues in this process. Several processes on one PostgreSQL also work: the
 * claim's SKIP LOCKED keeps them apart.
 */
export class LocalRunDispatch extends RunDispatch {
  private readonly wakeups = new EventEmitter();
  private stopped = false;
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly pollMs: number) {
    super();
    this.wakeups.setMaxListeners(0);
  }

  enqueue(): Promise<void> {
    this.wakeups.emit('wake');
    return Promise.resolve();
  }

  consume(slots: number, handler: RunHandler): void {
    for (let i = 0; i < slots; i++) this.loops.push(this.loop(handler));
  }

  private async loop(handler: RunHandler): Promise<void> {
    while (!this.stopped) {
      let claimed = false;
      try {
        claimed = await handler();
      } catch {
        // The handler logs; keep the loop alive (the database may be back at the next poll).
      }
      if (!claimed && !this.stopped) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeups.off('wake', done);
        this.wakeups.off('stop', done);
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.wakeups.once('wake', done);
      this.wakeups.once('stop', done);
    });
  }

  jobCounts(): Promise<null> {
    return Promise.resolve(null);
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wakeups.emit('stop');
    await Promise.all(this.loops);
  }
}

export const BULLMQ_QUEUE = 'assay-training-runs';

/**
 * BullMQ on Redis (REDIS_URL): the API adds one job per run (job id = run id, so adding twice is
 * one job) and `assay worker` processes anywhere consume them. BullMQ's stalled-job check hands a
 * dead worker's job to another after the lock lapses; because Redis may also lose jobs, each
 * consuming process re-adds runs the table shows as unattended (queued for long, or running under
 * a lapsed lease) once per lease period. Keys live under ASSAY_QUEUE_PREFIX (BullMQ's default
 * `bull`), so installations sharing a Redis, or concurrent test runs, never take each other's jobs:
 * a worker would find no such run in its own database and drop the job.
 */
export class BullmqRunDispatch extends RunDispatch {
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly leaseMs: number,
    private readonly store: TrainingRunStore,
    private readonly prefix = 'bull',
  ) {
    super();
    this.queue = new Queue(BULLMQ_QUEUE, { connection: { url }, prefix });
  }

  async enqueue(runId: string, traceparent?: string | null): Promise<void> {
    await this.queue.add('train', { runId, ...(traceparent ? { traceparent } : {}) }, { jobId: runId, removeOnComplete: true, removeOnFail: true });
  }

  consume(slots: number, handler: RunHandler): void {
    this.worker = new Worker<{ runId: string; traceparent?: string }>(
      BULLMQ_QUEUE,
      async (job) => {
        // The job continues the requesting trace (its claim included); the run row carries the same context.
        await context.with(contextFromTraceparent(job.data.traceparent), () => handler(job.data.runId));
      },
      {
        connection: { url: this.url, maxRetriesPerRequest: null },
        prefix: this.prefix,
        concurrency: slots,
        lockDuration: this.leaseMs,
        stalledInterval: this.leaseMs,
        maxStalledCount: 1_000,
      },
    );
    this.worker.on('error', () => undefined); // connection errors: the client reconnects; the sweeper re-adds
    this.sweeper = setInterval(() => void this.sweep(), this.leaseMs);
    this.sweeper.unref();
  }

  private async sweep(): Promise<void> {
    try {
      for (const runId of await this.store.unattended(this.leaseMs)) await this.enqueue(runId);
    } catch {
      // Redis or the database is away; the next sweep retries.
    }
  }

  jobCounts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.worker?.close();
    await this.queue.close();
  }
}
