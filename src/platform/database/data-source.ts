import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { lock } from 'proper-lockfile';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import type { AssayConfig } from '../config/config.schema';
import { PGlitePool } from './pglite-pool';

export type DatabaseKind = 'pglite' | 'postgres';

export const databaseKind = (config: Pick<AssayConfig, 'DATABASE_URL'>): DatabaseKind =>
  config.DATABASE_URL ? 'postgres' : 'pglite';

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another Assay process. PGlite serves one ` +
        'process at a time: stop the other process, or use PostgreSQL (DATABASE_URL) to run several.',
    );
    this.name = 'DataDirLockedError';
  }
}

const common = {
  type: 'postgres',
  migrations: MIGRATIONS,
  migrationsTableName: 'schema_migrations',
  migrationsTransactionMode: 'each',
  synchronize: false,
  installExtensions: false,
  logging: false,
} as const satisfies Partial<DataSourceOptions>;

/**
 * The one way Assay opens its database — used by the HTTP app, the CLI and the tests.
 * Entities come from the Nest modules that own them (TypeOrmModule.forFeature); migrations need none.
 * PostgreSQL when DATABASE_URL is set; otherwise PGlite under ASSAY_DATA_DIR, locked to this process.
 */
export async function createDataSource(
  config: Pick<AssayConfig, 'DATABASE_URL' | 'ASSAY_DATA_DIR' | 'ASSAY_DB_POOL_SIZE'>,
  entities: NonNullable<DataSourceOptions['entities']> = [],
): Promise<DataSource> {
  if (config.DATABASE_URL) {
    return new DataSource({ ...common, entities, url: config.DATABASE_URL, poolSize: config.ASSAY_DB_POOL_SIZE });
  }
  const directory = resolve(config.ASSAY_DATA_DIR, 'pglite');
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const unlock = await lockDataDir(directory);
  let db: PGlite;
  try {
    db = await PGlite.create(directory, {
      // Match node-postgres: int8 and numeric as strings (no silent precision loss), bytea as Buffer.
      parsers: {
        [types.INT8]: (value: string) => value,
        [types.NUMERIC]: (value: string) => value,
        [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
      },
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  class EmbeddedPool extends PGlitePool {
    constructor() {
      super(db);
    }
    override async end(callback?: (error?: Error | null) => void): Promise<void> {
      await super.end();
      try {
        await db.close();
      } finally {
        await unlock();
      }
      callback?.(null);
    }
  }
  return new DataSource({ ...common, entities, database: 'postgres', driver: { Pool: EmbeddedPool } });
}

async function lockDataDir(directory: string): Promise<() => Promise<void>> {
  try {
    return await lock(directory, {
      lockfilePath: join(directory, '..', 'pglite.lock'),
      stale: 10_000,
      update: 2_000,
      retries: 0,
      onCompromised: (error) => {
        // Another process took the lock: continuing could corrupt the database.
        process.stderr.write(`Embedded database lock lost: ${error.message}\n`);
        process.exit(70);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(resolve(directory, '..'));
    throw error;
  }
}
