/**
 * Child process for the crash-safety spec: boots Assay's services on the configured database and
 * performs concurrent ledger appends, printing `ack <index>` once each transaction has committed.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/platform/config/config.loader';
import { systemActor } from '../../src/platform/ledger/actor';
import { LedgerService } from '../../src/platform/ledger/ledger.service';

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 1000);
  const concurrency = Number(process.argv[3] ?? 25);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig(process.env)), { logger: process.env.CHILD_LOG ? ['error', 'warn'] : false });
  const db = app.get(DataSource);
  const ledger = app.get(LedgerService);
  process.stdout.write('ready\n');
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const n = next++;
      const entry = await db.transaction((tx) =>
        ledger.append(tx, { actor: systemActor('worker'), action: 'test.appended', subject: { type: 'test', id: String(n) }, evidenceDigest: null, data: { n } }),
      );
      process.stdout.write(`ack ${entry.index}\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.stdout.write('done\n');
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
