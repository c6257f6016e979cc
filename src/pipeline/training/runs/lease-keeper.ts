import { LeaseLostError, type Lease } from './training-run.record';
import type { TrainingRunStore } from './training-run.store';

/**
 * Keeps a worker's lease alive from inside the training loop: training is CPU-bound, so timers
 * would not fire — instead the trainer's batch callback calls `tick()`, which renews the lease
 * once a third of its time has passed, and yields to the event loop now and then so the HTTP
 * server and the database client of this process keep breathing.
 */
export class LeaseKeeper {
  cancelRequested = false;
  lost = false;
  private lastBeat = Date.now();
  private lastYield = Date.now();

  constructor(
    private readonly store: TrainingRunStore,
    readonly lease: Lease,
    private readonly leaseMs: number,
  ) {}

  async tick(): Promise<void> {
    const now = Date.now();
    if (now - this.lastYield > 50) {
      this.lastYield = now;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (now - this.lastBeat >= this.leaseMs / 3) await this.beat();
  }

  async beat(): Promise<void> {
    this.lastBeat = Date.now();
    try {
      ({ cancelRequested: this.cancelRequested } = await this.store.heartbeat(this.lease, this.leaseMs));
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      this.lost = true;
    }
  }
}
