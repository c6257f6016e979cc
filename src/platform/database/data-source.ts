import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { lockDataDir } from './data-dir-lock';
import type { AssayConfig } from '../config/config.schema';
import { PGlitePool } from './pglite-pool';
import { DATABASE_CONNECT_TIMEOUT_MS, onIdleClientError, postgresDriver } from './postgres-driver';

export type DatabaseKind = 'pglite' | 'postgres';

export const databaseKind = (config: Pick<AssayConfig, 'DATABASE_URL'>): DatabaseKind => (config.DATABASE_URL ? 'postgres' : 'pglite');

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
    return new DataSource({
      ...common,
      entities,
      url: config.DATABASE_URL,
      poolSize: config.ASSAY_DB_POOL_SIZE,
      // Losing the server is survivable: connection errors are marked for the 503 mapping, idle
      // clients that fail are dropped and logged, and no request waits forever for a connection.
      driver: postgresDriver,
      connectTimeoutMS: DATABASE_CONNECT_TIMEOUT_MS,
      poolErrorHandler: onIdleClientError,
    });
  }
  const directory = resolve(config.ASSAY_DATA_DIR, 'pglite');
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const unlock = lockDataDir(join(directory, '..', 'pglite.lock'), resolve(config.ASSAY_DATA_DIR));
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
    unlock();
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
        unlock();
      }
      callback?.(null);
    }
  }
  return new DataSource({ ...common, entities, database: 'postgres', driver: { Pool: EmbeddedPool } });
}
