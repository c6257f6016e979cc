import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createHttpApp } from '../../src/http-app';
import { TrainingWorkerPool } from '../../src/pipeline/training/runs/training-worker.pool';
import { ApiTokensService } from '../../src/platform/identity/api-tokens.service';
import type { Role } from '../../src/platform/access/role';
import { UsersService } from '../../src/platform/identity/users.service';
import { systemActor } from '../../src/platform/ledger/actor';
import { loadConfig } from '../../src/platform/config/config.loader';
import type { AssayConfig } from '../../src/platform/config/config.schema';
import { migrateUp } from '../../src/platform/database/migrator';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  password: string;
  token: string;
}

export interface TestApp {
  app: NestExpressApplication;
  config: AssayConfig;
  database: TestDatabase;
  http: () => ReturnType<typeof request>;
  /** Creates a user of `role` with a password and an API token. */
  createUser(role: Role, email?: string): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

/** Boots the real HTTP app on a fresh database (PGlite or PostgreSQL, per ASSAY_TEST_DB); `workers` starts the training workers as `serve` does. */
export async function startTestApp(env: Record<string, string> = {}, options: { workers?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ ASSAY_LOG_LEVEL: 'silent', PORT: '0', ...database.env, ...env });
  if (config.DATABASE_URL) await migrateUp(config);
  const app = await createHttpApp(config);
  await app.init();
  // Like `serve`: training workers only where a spec asks for them (they poll the database).
  if (options.workers) app.get(TrainingWorkerPool).start();
  const server = app.getHttpServer() as Parameters<typeof request>[0];
  return {
    app,
    config,
    database,
    http: () => request(server),
    async createUser(role, email) {
      const password = `correct horse battery ${++counter}`;
      const input = { email: email ?? `${role}-${counter}@example.org`, displayName: `${role} ${counter}`, role, password };
      const user = await app.get(UsersService).createUser(input, systemActor('cli'), 'cli');
      const { token } = await app.get(ApiTokensService).issue(user.id, 'test', systemActor('cli'));
      return { id: user.id, email: user.email, role, password, token };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
