import { Inject } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import { createHttpApp } from '../../http-app';
import { BootstrapAdminService } from '../../platform/identity/bootstrap-admin.service';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { databaseKind } from '../../platform/database/data-source';
import { TrainingWorkerPool } from '../../pipeline/training/runs/training-worker.pool';

@Command({ name: 'serve', description: 'Serve the HTTP API (and, later, the console)' })
export class ServeCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run(): Promise<void> {
    const app = await createHttpApp(this.config);
    await app.init(); // module hooks first: evidence kinds are registered there
    const credential = await app.get(BootstrapAdminService).ensureAdmin();
    await app.listen(this.config.PORT, this.config.HOST);
    app.get(TrainingWorkerPool).start();
    const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    const lines = [
      `Assay is serving on ${url} (database: ${databaseKind(this.config)})`,
      `  health: ${url}/health   API docs: ${url}/api/docs`,
      `  training: ${this.config.ASSAY_RUN_WORKERS} run(s) at a time in this process, ${this.config.REDIS_URL ? 'BullMQ queue' : 'in-process queue'}`,
    ];
    if (credential) {
      lines.push(
        '',
        '  First start: an administrator was created. This credential is shown once:',
        `    email:    ${credential.email}`,
        `    password: ${credential.password}`,
        `  (also written to ${credential.file}, mode 0600)`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
