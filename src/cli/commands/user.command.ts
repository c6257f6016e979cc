import { randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { ROLES, type Role } from '../../platform/access/role';
import { UsersService } from '../../platform/identity/users.service';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { systemActor } from '../../platform/ledger/actor';
import { withAppContext } from '../cli-context';

interface CreateUserOptions {
  email: string;
  name: string;
  role: Role;
}

@SubCommand({ name: 'create', description: 'Create a user; prints a generated password once' })
export class UserCreateCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run(_: string[], options: CreateUserOptions): Promise<void> {
    if (!options.email || !options.role) throw new Error('--email and --role are required');
    const password = randomBytes(18).toString('base64url');
    const input = { email: options.email, displayName: options.name ?? options.email, role: options.role, password };
    const user = await withAppContext(this.config, (app) => app.get(UsersService).createUser(input, systemActor('cli'), 'cli'));
    process.stdout.write(`Created ${user.role} ${user.email} (${user.id})\npassword (shown once): ${password}\n`);
  }

  @Option({ flags: '--email <email>', description: 'E-mail (sign-in name)', required: true })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: 'Display name' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--role <role>', description: `One of ${ROLES.join(', ')}`, required: true })
  parseRole(value: string): Role {
    if (!(ROLES as readonly string[]).includes(value)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    return value as Role;
  }
}

@Command({ name: 'user', description: 'Manage users', subCommands: [UserCreateCommand] })
export class UserCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
