import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { BOOTSTRAP_CREDENTIAL_FILE } from '../src/platform/identity/bootstrap-admin.service';
import { migrateUp } from '../src/platform/database/migrator';
import { collect, runCli, spawnCli, startServer, stop } from './support/cli';
import { createTestDatabase, TEST_DB, type TestDatabase } from './support/test-database';

const countUsers = async (db: TestDatabase): Promise<number> => {
  const client = new Client({ connectionString: db.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM users');
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
};

describe('bootstrap administrator', () => {
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(() => db.drop());

  it('is created on first start only, with a 0600 credential file that signs in', async () => {
    if (db.env.DATABASE_URL) await migrateUp(db.config);
    const first = await startServer(db.env);
    try {
      expect(first.output()).toContain('password:');
      const file = join(db.env.ASSAY_DATA_DIR, BOOTSTRAP_CREDENTIAL_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const text = readFileSync(file, 'utf8');
      const email = /email: (\S+)/.exec(text)?.[1];
      const password = /password: (\S+)/.exec(text)?.[1];
      expect(first.output()).toContain(password);
      const signIn = await request(first.url).post('/auth/sign-in').send({ email, password });
      expect(signIn.status).toBe(200);
      expect(signIn.body.user.role).toBe('admin');
    } finally {
      await stop(first.child);
    }
    const second = await startServer(db.env);
    await stop(second.child);
    expect(second.output()).not.toContain('password:');
  });

  (TEST_DB === 'postgres' ? it : it.skip)('creates exactly one admin when two processes start at the same moment (PostgreSQL)', async () => {
    await migrateUp(db.config);
    const servers = await Promise.all([startServer(db.env), startServer({ ...db.env, ASSAY_DATA_DIR: `${db.env.ASSAY_DATA_DIR}-b` })]);
    await Promise.all(servers.map((s) => stop(s.child)));
    const printed = servers.filter((s) => s.output().includes('password:'));
    expect(printed).toHaveLength(1);
    expect(await countUsers(db)).toBe(1);
  });

  (TEST_DB === 'pglite' ? it : it.skip)('refuses a second process on the same embedded data directory (PGlite)', async () => {
    const first = await startServer(db.env);
    try {
      const second = await collect(spawnCli(['serve'], { ...db.env, PORT: '0' }));
      expect(second.code).not.toBe(0);
      expect(second.stderr + second.stdout).toMatch(/in use by another Assay process/);
    } finally {
      await stop(first.child);
    }
  });

  (TEST_DB === 'postgres' ? it : it.skip)('refuses to serve a PostgreSQL database with pending migrations', async () => {
    const result = await runCli(['serve'], { ...db.env, PORT: '0' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/assay migrate/);
  });
});
