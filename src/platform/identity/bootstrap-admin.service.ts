import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ASSAY_CONFIG } from '../config/config.module';
import type { AssayConfig } from '../config/config.schema';
import { systemActor } from '../ledger/actor';
import { User } from './user.entity';
import { UsersService } from './users.service';

export const BOOTSTRAP_CREDENTIAL_FILE = 'bootstrap-admin.txt';
/** Arbitrary constant key for pg_advisory_xact_lock: serialises concurrent first starts. */
const BOOTSTRAP_LOCK_KEY = 0x61737361; // "assa"

export interface BootstrapCredential {
  email: string;
  password: string;
  file: string;
}

/**
 * On first start with no users, creates one admin and hands over a one-time credential: printed
 * once to the console (not the log stream) and written to a 0600 file under the data directory.
 * Concurrent first starts against one PostgreSQL create exactly one admin (advisory lock).
 */
@Injectable()
export class BootstrapAdminService {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  async ensureAdmin(): Promise<BootstrapCredential | null> {
    const password = randomBytes(18).toString('base64url');
    const created = await this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      if ((await manager.getRepository(User).count()) > 0) return null;
      const input = { email: this.config.ASSAY_BOOTSTRAP_ADMIN_EMAIL, displayName: 'Administrator', role: 'admin' as const, password };
      return this.users.createUser(input, systemActor('bootstrap'), 'bootstrap', manager);
    });
    if (!created) return null;
    const directory = resolve(this.config.ASSAY_DATA_DIR);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const file = join(directory, BOOTSTRAP_CREDENTIAL_FILE);
    writeFileSync(
      file,
      `Assay bootstrap administrator\nemail: ${created.email}\npassword: ${password}\n` +
        'Sign in with POST /auth/sign-in, then set a new password with PATCH /users/{id} and delete this file.\n',
      { mode: 0o600, flag: 'w' },
    );
    this.logger.warn({ email: created.email, file }, 'bootstrap administrator created; credential written to file');
    return { email: created.email, password, file };
  }
}
