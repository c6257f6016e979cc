import { Inject } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, CommandRunner, Option } from 'nest-commander';
import { AppModule } from '../../app.module';
import { TrainingWorkerPool } from '../../pipeline/training/runs/training-worker.pool';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';

/**
 * A training worker without the HTTP API: with REDIS_URL it consumes the BullMQ queue, otherwise it
 * polls the database like the in-process queue does. SIGTERM or SIGINT stops it gracefully: its
 * runs stop after the current batch and are handed back to be resumed from their checkpoints.
 */
@Command({ name: 'worker', description: 'Run training jobs (BullMQ with REDIS_URL, else the database queue) until SIGTERM' })
export class WorkerCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run(_: string[], options: { concurrency?: number }): Promise<void> {
    if (!this.config.DATABASE_URL) {
      throw new Error('assay worker needs DATABASE_URL: the embedded database belongs to the one `assay serve` process, which trains runs itself');
    }
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(this.config), { bufferLogs: false, abortOnError: false });
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    await app.init();
    const pool = app.get(TrainingWorkerPool);
    const slots = options.concurrency ?? Math.max(1, this.config.ASSAY_RUN_WORKERS);
    pool.start(slots);
    process.stdout.write(`assay worker ${pool.workerId}: ${slots} run(s) at a time, ${this.config.REDIS_URL ? 'BullMQ queue' : 'database queue'}\n`);
    await new Promise<void>(() => undefined); // until a signal closes the app (enableShutdownHooks exits the process)
  }

  @Option({ flags: '--concurrency <n>', description: 'Runs at a time in this process (default ASSAY_RUN_WORKERS, at least 1)' })
  parseConcurrency(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error('--concurrency takes a whole number from 1 to 16');
    return n;
  }
}
