import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Which database this test pass runs on (package.json "test" runs the suite once for each). */
export const TEST_DB: 'pglite' | 'postgres' = process.env.ASSAY_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** A server where each test file gets a database of its own; the machine's by default. */
export const TEST_POSTGRES_URL = process.env.ASSAY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Prefix shared by every database of this run, so that teardown can drop what a crash left. */
export const runPrefix = () => `assay_test_${process.env.ASSAY_TEST_RUN_ID ?? 'adhoc'}_`;

export interface TestDatabase {
  /** Environment selecting this database, for loadConfig or a child process. */
  env: { DATABASE_URL?: string; ASSAY_DATA_DIR: string };
  /** The database part of a validated config, for direct calls (migrator, data source). */
  config: { DATABASE_URL: string | undefined; ASSAY_DATA_DIR: string; ASSAY_DB_POOL_SIZE: number };
  drop(): Promise<void>;
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database: a new PostgreSQL database, or a new PGlite data directory. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'assay-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (TEST_DB === 'pglite') {
    return {
      env: { ASSAY_DATA_DIR: dataDir },
      config: { DATABASE_URL: undefined, ASSAY_DATA_DIR: dataDir, ASSAY_DB_POOL_SIZE: 2 },
      drop: () => Promise.resolve(removeDir()),
    };
  }

  const name = `${runPrefix()}${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), ASSAY_DATA_DIR: dataDir },
    config: { DATABASE_URL: url.toString(), ASSAY_DATA_DIR: dataDir, ASSAY_DB_POOL_SIZE: 2 },
    drop: async () => {
      removeDir();
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
