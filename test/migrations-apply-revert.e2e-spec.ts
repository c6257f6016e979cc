import { createDataSource } from '../src/platform/database/data-source';
import { migrateDown, migrateUp, migrationStatus } from '../src/platform/database/migrator';
import { MIGRATIONS } from '../migrations';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Every column, constraint, index and trigger of the public schema: what "the same schema" means here. */
async function schemaSnapshot(config: TestDatabase['config']): Promise<string[]> {
  const ds = await (await createDataSource(config)).initialize();
  try {
    const rows = await ds.query<{ item: string }[]>(`
      SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS item
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
      UNION ALL
      SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations'
      UNION ALL
      SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
      UNION ALL
      SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text FROM pg_trigger
        WHERE NOT tgisinternal AND tgrelid::regclass::text <> 'schema_migrations'
      UNION ALL
      SELECT 'function ' || p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
      ORDER BY 1`);
    return rows.map((row) => row.item);
  } finally {
    await ds.destroy();
  }
}

// Every migration is applied, reverted one at a time and applied again, each step with its own
// connection: on PGlite under a loaded CI core that passed the 60 s default (six migrations now).
jest.setTimeout(240_000);

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db.drop());
  const config = () => (db.config);

  it('apply, revert one by one to an empty schema, and apply again to the same schema', async () => {
    expect(await migrateUp(config())).toHaveLength(MIGRATIONS.length);
    expect((await migrationStatus(config())).every((m) => m.applied)).toBe(true);
    const applied = await schemaSnapshot(db.config);
    expect(applied.length).toBeGreaterThan(10);

    for (let i = MIGRATIONS.length; i > 0; i--) {
      expect(await migrateDown(config(), 1)).toBe(1);
      expect((await migrationStatus(config())).filter((m) => m.applied)).toHaveLength(i - 1);
    }
    expect(await schemaSnapshot(db.config)).toEqual([]);
    expect(await migrateDown(config(), 1)).toBe(0);

    await migrateUp(config());
    expect(await schemaSnapshot(db.config)).toEqual(applied);
    expect(await migrateUp(config())).toEqual([]);
  });
});
