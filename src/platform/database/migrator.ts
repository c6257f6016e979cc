import type { DataSource } from 'typeorm';
import type { AssayConfig } from '../config/config.schema';
import { appRoleGrants } from './app-role';
import { createDataSource, databaseKind } from './data-source';

export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database schema is behind this version of Assay (pending: ${pending.join(', ')}). ` +
        'Run `assay migrate` (or `npm run migrate`) as the schema owner, then start again.',
    );
    this.name = 'PendingMigrationsError';
  }
}

type DbConfig = Pick<AssayConfig, 'DATABASE_URL' | 'ASSAY_DATA_DIR' | 'ASSAY_DB_POOL_SIZE'>;

/** Names of the migrations not yet applied to an initialised data source. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = new Set<string>();
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const exists = await dataSource.query<{ name: string | null }[]>(`SELECT to_regclass($1) AS name`, [table]);
  if (exists[0]?.name) {
    const rows = await dataSource.query<{ name: string }[]>(`SELECT name FROM ${table}`);
    rows.forEach((row) => applied.add(row.name));
  }
  return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
}

/** Applies every pending migration (each in its own transaction); returns their names. */
export async function migrateUp(config: DbConfig): Promise<string[]> {
  return withDataSource(config, async (ds) => (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name));
}

/** Reverts the latest `steps` migrations; returns how many were reverted. */
export async function migrateDown(config: DbConfig, steps = 1): Promise<number> {
  return withDataSource(config, async (ds) => {
    let reverted = 0;
    for (; reverted < steps; reverted++) {
      const before = (await pendingMigrations(ds)).length;
      if (before === ds.migrations.length) break;
      await ds.undoLastMigration({ transaction: 'each' });
    }
    return reverted;
  });
}

export async function migrationStatus(config: DbConfig): Promise<{ name: string; applied: boolean }[]> {
  return withDataSource(config, async (ds) => {
    const pending = new Set(await pendingMigrations(ds));
    return ds.migrations.map((m) => ({ name: m.name ?? '', applied: !pending.has(m.name ?? '') }));
  });
}

/** Applies the application-role grants (PostgreSQL only; PGlite has a single built-in user). */
export async function grantAppRole(config: DbConfig, role: string): Promise<void> {
  if (databaseKind(config) !== 'postgres') throw new Error('--app-role applies to PostgreSQL (DATABASE_URL) only');
  await withDataSource(config, (ds) =>
    ds.transaction(async (tx) => {
      for (const statement of appRoleGrants(role)) await tx.query(statement);
    }),
  );
}

async function withDataSource<T>(config: DbConfig, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = await (await createDataSource(config)).initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}
