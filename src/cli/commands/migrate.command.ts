import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { grantAppRole, migrateDown, migrateUp, migrationStatus } from '../../platform/database/migrator';

interface MigrateOptions {
  revert?: number;
  status?: boolean;
  appRole?: string;
}

@Command({ name: 'migrate', description: 'Apply pending database migrations (or revert, or show status)' })
export class MigrateCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run(_: string[], options: MigrateOptions): Promise<void> {
    if (options.status) {
      for (const row of await migrationStatus(this.config)) {
        process.stdout.write(`${row.applied ? 'applied' : 'pending'}  ${row.name}\n`);
      }
      return;
    }
    if (options.revert !== undefined) {
      const reverted = await migrateDown(this.config, options.revert);
      process.stdout.write(`Reverted ${reverted} migration(s)\n`);
      return;
    }
    const applied = await migrateUp(this.config);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Schema is up to date\n');
    if (options.appRole) {
      await grantAppRole(this.config, options.appRole);
      process.stdout.write(`Granted ${options.appRole} INSERT/SELECT on the append-only tables, read/write elsewhere\n`);
    }
  }

  @Option({
    flags: '--app-role <role>',
    description: 'After migrating (as the owner), grant this existing login role the application’s privileges',
  })
  parseAppRole(value: string): string {
    return value;
  }

  @Option({ flags: '--revert [steps]', description: 'Revert the latest migration(s)' })
  parseRevert(value: string | undefined): number {
    const steps = value === undefined ? 1 : Number(value);
    if (!Number.isInteger(steps) || steps < 1) throw new Error('--revert takes a positive whole number');
    return steps;
  }

  @Option({ flags: '--status', description: 'List migrations and whether each is applied' })
  parseStatus(): boolean {
    return true;
  }
}
