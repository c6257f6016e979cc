import { EventEmitter } from 'node:events';
import { Queue, Worker } from 'bullmq';
import type { TrainingRunStore } from './training-run.store';

/** Runs `runId`, or the oldest claimable run when absent; resolves whether a run was claimed. */
export type RunHandler = (runId?: string) => Promise<boolean>;

/**
 * How workers learn that a run is waiting. The database row stays the system of record either
 * way: a dispatch only wakes workers, and every claim goes through the row's lease.
 */
export abstract class RunDispatch {
  /** Called after the transaction that queued the run committed. */
  abstract enqueue(runId: string): Promise<void>;
  /** Starts `slots` concurrent consumers in this process. */
  abstract consume(slots: number, handler: RunHandler): void;
  /** Stops taking new runs and waits for the consumers to return. */
  abstract close(): Promise<void>;
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
 * a lapsed lease) once per lease period.
 */
export class BullmqRunDispatch extends RunDispatch {
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly leaseMs: number,
    private readonly store: TrainingRunStore,
  ) {
    super();
    this.queue = new Queue(BULLMQ_QUEUE, { connection: { url } });
  }

  async enqueue(runId: string): Promise<void> {
    await this.queue.add('train', { runId }, { jobId: runId, removeOnComplete: true, removeOnFail: true });
  }

  consume(slots: number, handler: RunHandler): void {
    this.worker = new Worker<{ runId: string }>(
      BULLMQ_QUEUE,
      async (job) => {
        await handler(job.data.runId);
      },
      {
        connection: { url: this.url, maxRetriesPerRequest: null },
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

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.worker?.close();
    await this.queue.close();
  }
}
