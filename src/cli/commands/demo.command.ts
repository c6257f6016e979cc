import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { createHttpApp } from '../../http-app';
import { TrainingWorkerPool } from '../../pipeline/training/runs/training-worker.pool';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import { loadConfig } from '../../platform/config/config.loader';
import type { AssayConfig } from '../../platform/config/config.schema';
import type { Role } from '../../platform/access/role';
import { ApiTokensService } from '../../platform/identity/api-tokens.service';
import { UsersService } from '../../platform/identity/users.service';
import { systemActor } from '../../platform/ledger/actor';
import { DemoClient } from '../demo/demo-client';
import { runDemo } from '../demo/demo-script';
import { formatVerificationReport } from '../verification-report';

/** sysexits: 70 — the demo did not reach its end (a step failed, or the bundle did not verify). */
const EX_SOFTWARE = 70;

/**
 * `assay demo [--dir DIR]`: the walk-through of the README. Starts Assay on its embedded defaults
 * (PGlite, in-process training) in a fresh directory — never the one `serve` uses — and plays a
 * model's whole life through the HTTP API, printing each step.
 */
@Command({ name: 'demo', description: 'Walk through a model’s whole life on generated credit data, ending with an offline-verified evidence bundle' })
export class DemoCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run(_: string[], options: { dir?: string }): Promise<void> {
    const dir = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), 'assay-demo-'));
    mkdirSync(dir, { recursive: true });
    const say = (line: string) => process.stdout.write(`${line}\n`);
    say(`Assay demo — embedded database and artifacts in ${dir}`);
    const config = loadConfig({
      ASSAY_DATA_DIR: join(dir, 'data'),
      ASSAY_POLICIES_DIR: this.config.ASSAY_POLICIES_DIR,
      ASSAY_LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '300',
    });
    const app = await createHttpApp(config);
    try {
      await app.init();
      await app.listen(0, '127.0.0.1');
      app.get(TrainingWorkerPool).start();
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const user = async (role: Role, name: string) => {
        const created = await app.get(UsersService).createUser({ email: `${name}@demo.example.org`, displayName: name, role, password: `demo password for ${name} 2026` }, systemActor('cli'), 'cli');
        const { token } = await app.get(ApiTokensService).issue(created.id, 'demo', systemActor('cli'));
        say(`   ${role.padEnd(18)} ${created.email}`);
        return new DemoClient(url, token);
      };
      say(`Serving on ${url}; three users:`);
      const users = { engineer: await user('engineer', 'erin'), officer: await user('compliance_officer', 'oscar'), regulator: await user('regulator', 'rita') };
      const { bundleFile, report } = await runDemo(users, dir, say);
      say('');
      process.stdout.write(formatVerificationReport(bundleFile, report));
      say(`\nVerify it again yourself, offline:\n  assay verify ${bundleFile} --trusted-key ${join(dir, 'ledger.vkey')} --checkpoint ${join(dir, 'earlier-checkpoint.txt')}`);
      if (!report.ok) process.exitCode = EX_SOFTWARE;
    } catch (error) {
      process.stderr.write(`assay demo: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EX_SOFTWARE;
    } finally {
      await app.close();
    }
  }

  @Option({ flags: '--dir <dir>', description: 'Directory for the demo’s database, artifacts and bundle (default: a new temporary directory)' })
  parseDir(value: string): string {
    return value;
  }
}
