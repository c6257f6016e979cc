import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { describeConfig } from '../../platform/config/config.loader';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';

@Command({ name: 'config', description: 'Print the effective settings, secrets masked' })
export class ConfigCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run(_: string[], options: { json?: boolean }): Promise<void> {
    const rows = describeConfig(this.config);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    const width = Math.max(...rows.map((row) => row.variable.length));
    for (const row of rows) {
      const origin = row.isDefault ? 'default' : 'set';
      process.stdout.write(`${row.variable.padEnd(width)}  ${(row.value || '(unset)').padEnd(24)}  [${origin}]  ${row.description}\n`);
    }
    return Promise.resolve();
  }

  @Option({ flags: '--json', description: 'Print as JSON' })
  parseJson(): boolean {
    return true;
  }
}
