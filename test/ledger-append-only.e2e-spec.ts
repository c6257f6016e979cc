import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APPEND_ONLY_TABLES, appRoleGrants } from '../src/platform/database/app-role';
import { grantAppRole } from '../src/platform/database/migrator';
import { CheckpointService } from '../src/platform/ledger/checkpoint.service';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_DB, withAdminClient } from './support/test-database';

/** A column of each append-only table, for an UPDATE that would change nothing. */
const A_COLUMN: Record<string, string> = {
  ledger_entries: 'action',
  ledger_nodes: 'hash',
  ledger_keys: 'key_name',
  ledger_checkpoints: 'note',
  evidence_records: 'kind',
};

describe('append-only ledger and evidence tables', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    await t.createUser('engineer');
    await t.app.get(CheckpointService).latest();
  });
  afterAll(() => t.close());

  const refused = async (sql: string, q: { query: (sql: string) => Promise<unknown> } = db) => {
    await expect(q.query(sql)).rejects.toThrow(/append-only|permission denied/);
  };

  it.each(APPEND_ONLY_TABLES)('%s refuses UPDATE, DELETE and TRUNCATE, even to its owner', async (table) => {
    expect(Number((await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`))[0]!.n)).toBeGreaterThan(0);
    await refused(`UPDATE ${table} SET ${A_COLUMN[table]} = ${A_COLUMN[table]}`);
    await refused(`DELETE FROM ${table}`);
    await refused(`TRUNCATE ${table} CASCADE`);
  });

  it('the triggers fire under session_replication_role = replica (ENABLE ALWAYS)', async () => {
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await expect(tx.query(`DELETE FROM ledger_entries`)).rejects.toThrow(/append-only/);
    });
    const triggers = await db.query<{ tgname: string; tgenabled: string }[]>(
      `SELECT tgname, tgenabled::text AS tgenabled FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%_no_%'`,
    );
    expect(triggers).toHaveLength(APPEND_ONLY_TABLES.length * 2);
    expect(triggers.every((trigger) => trigger.tgenabled === 'A')).toBe(true);
  });

  (TEST_DB === 'postgres' ? it : it.skip)(
    'the application role may only INSERT and SELECT there, and cannot disable triggers or switch replica mode (PostgreSQL)',
    async () => {
      const role = `assay_app_${randomBytes(4).toString('hex')}`;
      await withAdminClient((admin) => admin.query(`CREATE ROLE ${role} LOGIN`));
      try {
        await grantAppRole(t.database.config, role);
        const url = new URL(t.database.env.DATABASE_URL!);
        url.username = role;
        const app = new Client({ connectionString: url.toString() });
        await app.connect();
        try {
          expect((await app.query('SELECT count(*) FROM ledger_entries')).rows).toHaveLength(1);
          for (const table of APPEND_ONLY_TABLES) {
            await expect(app.query(`UPDATE ${table} SET ${A_COLUMN[table]} = ${A_COLUMN[table]}`)).rejects.toThrow(/permission denied/);
            await expect(app.query(`DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
            await expect(app.query(`TRUNCATE ${table}`)).rejects.toThrow(/permission denied/);
          }
          await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
          await expect(app.query(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_no_change`)).rejects.toThrow(/must be owner/);
          // it can still do its job: read and write ordinary tables, append to the ledger
          await app.query(`UPDATE users SET display_name = display_name`);
          await app.query(`SELECT * FROM ledger_nodes LIMIT 1`);
        } finally {
          await app.end();
        }
        expect(appRoleGrants(role).join('\n')).toContain(`REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entries`);
      } finally {
        await withAdminClient(async (admin) => {
          await admin.query(`REASSIGN OWNED BY ${role} TO postgres`).catch(() => undefined);
          const dbName = new URL(t.database.env.DATABASE_URL!).pathname.slice(1);
          const c = new Client({ connectionString: t.database.env.DATABASE_URL });
          await c.connect();
          await c.query(`DROP OWNED BY ${role}`);
          await c.end();
          await admin.query(`REVOKE ALL ON DATABASE ${dbName} FROM ${role}`).catch(() => undefined);
          await admin.query(`DROP ROLE ${role}`);
        });
      }
    },
  );

  it('an append through the application is refused as a whole when its business write fails', async () => {
    const before = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM ledger_entries');
    const users = t.app.get((await import('../src/platform/identity/users.service')).UsersService);
    const { systemActor } = await import('../src/platform/ledger/actor');
    const input = { email: 'dup@example.org', displayName: 'Dup', role: 'engineer' as const };
    await users.createUser(input, systemActor('cli'), 'cli');
    await expect(users.createUser(input, systemActor('cli'), 'cli')).rejects.toThrow(/exists/);
    await expect(
      db.transaction(async (tx) => {
        await users.createUser({ ...input, email: 'rolled-back@example.org' }, systemActor('cli'), 'cli', tx);
        throw new Error('business failure after the append');
      }),
    ).rejects.toThrow('business failure');
    const after = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM ledger_entries');
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) + 1);
    const rolledBack = await db.query(`SELECT 1 FROM users WHERE email = 'rolled-back@example.org'`);
    expect(rolledBack).toHaveLength(0);
  });
});
