import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { DataSource } from 'typeorm';
import { ApiToken } from '../../platform/identity/api-token.entity';
import { ApiTokensService } from '../../platform/identity/api-tokens.service';
import { User } from '../../platform/identity/user.entity';
import { systemActor } from '../../platform/ledger/actor';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { withAppContext } from '../cli-context';

@SubCommand({ name: 'create', description: 'Issue an API token for a user; prints the secret once' })
export class TokenCreateCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run(_: string[], options: { email: string; name: string; days?: number }): Promise<void> {
    const created = await withAppContext(this.config, async (app) => {
      const manager = app.get(DataSource).manager;
      const user = await manager.getRepository(User).findOneBy({ email: options.email.toLowerCase() });
      if (!user) throw new Error(`No user with e-mail ${options.email}`);
      return app.get(ApiTokensService).issue(user.id, options.name, systemActor('cli'), options.days);
    });
    process.stdout.write(`Token ${created.id} for ${options.email}, expires ${created.expiresAt}\n${created.token}\n`);
  }

  @Option({ flags: '--email <email>', description: 'Owner of the token', required: true })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: 'What the token is for', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--days <days>', description: 'Lifetime in days (default 90)' })
  parseDays(value: string): number {
    const days = Number(value);
    if (!Number.isInteger(days) || days < 1) throw new Error('--days takes a positive whole number');
    return days;
  }
}

@SubCommand({ name: 'revoke', arguments: '<id>', description: 'Revoke an API token by id' })
export class TokenRevokeCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run([id]: string[]): Promise<void> {
    if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('Give the token id (a UUID)');
    await withAppContext(this.config, (app) =>
      app.get(DataSource).transaction(async (tx) => {
        const token = await tx.getRepository(ApiToken).findOneBy({ id });
        if (!token) throw new Error(`No API token ${id}`);
        await app.get(ApiTokensService).revokeToken(tx, token, systemActor('cli'));
      }),
    );
    process.stdout.write(`Revoked ${id}\n`);
  }
}

@Command({ name: 'token', description: 'Manage API tokens', subCommands: [TokenCreateCommand, TokenRevokeCommand] })
export class TokenCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
