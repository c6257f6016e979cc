import { readFileSync } from 'node:fs';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { CheckpointService } from '../../platform/ledger/checkpoint.service';
import { LedgerAuditService } from '../../platform/ledger/ledger-audit.service';
import { withAppContext } from '../cli-context';
import { progressBar } from '../progress';

/** sysexits(3) EX_DATAERR: the ledger does not verify. */
const EX_DATAERR = 65;

interface VerifyOptions {
  checkpoint?: string;
  key?: string;
  json?: boolean;
}

@SubCommand({
  name: 'verify',
  description:
    'Recompute the whole Merkle tree from the stored entries, check every stored node and the latest signed ' +
    'checkpoint, and (with --checkpoint) prove the log still extends an earlier checkpoint',
})
export class LedgerVerifyCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run(_: string[], options: VerifyOptions): Promise<void> {
    const earlierCheckpoint = options.checkpoint ? readFileSync(options.checkpoint, 'utf8') : undefined;
    const bar = progressBar('verifying ledger');
    const report = await withAppContext(this.config, async (app) => {
      const verifierKey = options.key ?? app.get(CheckpointService).publicKey().verifierKey;
      try {
        return await app.get(LedgerAuditService).audit({
          verifierKey,
          origin: this.config.ASSAY_LEDGER_ORIGIN,
          earlierCheckpoint,
          onProgress: (read, total) => bar.update(read, total),
        });
      } finally {
        bar.stop();
      }
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (report.ok) {
      const size = report.checkpoint?.size ?? 0;
      process.stdout.write(`OK: ${report.entries} entries, root ${report.root}, latest checkpoint at size ${size} verified\n`);
    } else {
      const first = report.firstBadIndex === undefined ? '' : ` first bad index: ${report.firstBadIndex}.`;
      process.stdout.write(`FAILED: ${report.problems.length + report.problemsOmitted} problem(s).${first}\n`);
      for (const problem of report.problems) process.stdout.write(`  ${problem.code}: ${problem.message}\n`);
    }
    if (!report.ok) process.exit(EX_DATAERR);
  }

  @Option({ flags: '--checkpoint <file>', description: 'An earlier signed checkpoint the log must still contain' })
  parseCheckpoint(value: string): string {
    return value;
  }

  @Option({ flags: '--key <verifier-key>', description: 'Verifier key (<name>+<id>+<key>); default: this installation’s' })
  parseKey(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Print the full report as JSON' })
  parseJson(): boolean {
    return true;
  }
}

@Command({ name: 'ledger', description: 'Inspect and verify the tamper-evident ledger', subCommands: [LedgerVerifyCommand] })
export class LedgerCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
