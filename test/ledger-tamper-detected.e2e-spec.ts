import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/platform/database/data-source';
import { CheckpointService } from '../src/platform/ledger/checkpoint.service';
import { LedgerAuditService } from '../src/platform/ledger/ledger-audit.service';
import { loadSigningKey } from '../src/platform/ledger/signing-key';
import { hashLeaf, parseCheckpoint, signCheckpoint } from '../src/platform/ledger/verification';
import { runCli } from './support/cli';
import { startTestApp, type TestApp } from './support/test-app';

/** Runs SQL as the table owner with the append-only triggers switched off: the attacker's view. */
async function tamper(db: DataSource, statements: string[]): Promise<void> {
  const tables = ['ledger_entries', 'ledger_nodes', 'ledger_checkpoints', 'evidence_records'];
  await db.transaction(async (tx) => {
    for (const table of tables) await tx.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    for (const statement of statements) await tx.query(statement);
    for (const table of tables) {
      await tx.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_change`);
      await tx.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_truncate`);
    }
  });
}

describe('ledger tampering is detected', () => {
  let t: TestApp;
  let db: DataSource;
  let savedCheckpoint: string;

  const audit = (earlierCheckpoint?: string) =>
    t.app.get(LedgerAuditService).audit({
      verifierKey: t.app.get(CheckpointService).publicKey().verifierKey,
      origin: t.config.ASSAY_LEDGER_ORIGIN,
      earlierCheckpoint,
    });

  beforeEach(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    for (let i = 0; i < 4; i++) await t.createUser('engineer'); // 8 entries: user.created + token.issued each
    savedCheckpoint = await t.app.get(CheckpointService).latest();
  });
  afterEach(() => t.close());

  it('an intact ledger verifies, also against an earlier checkpoint', async () => {
    await t.createUser('regulator');
    await t.app.get(CheckpointService).latest();
    const report = await audit(savedCheckpoint);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, entries: 10 });
  });

  it("an entry's field changed in the database", async () => {
    await tamper(db, [`UPDATE ledger_entries SET canonical = replace(canonical, '"role":', '"rule":'), action = 'x' WHERE index = 3`]);
    await tamper(db, [`UPDATE ledger_entries SET canonical = replace(canonical, 'token.issued', 'token.revoked') WHERE index = 3`]);
    const report = await audit();
    expect(report.ok).toBe(false);
    expect(report.firstBadIndex).toBe(3);
    expect(report.problems[0]?.code).toBe('ENTRY_HASH_MISMATCH');
  });

  it('an entry changed with its stored hashes recomputed still breaks the signed root', async () => {
    const [row] = await db.query<{ canonical: string }[]>(`SELECT canonical FROM ledger_entries WHERE index = 5`);
    const forged = row!.canonical.replace('token.issued', 'token.revoked');
    const leaf = hashLeaf(Buffer.from(forged)).toString('hex');
    await tamper(db, [
      `UPDATE ledger_entries SET canonical = '${forged}', leaf_hash = '\\x${leaf}' WHERE index = 5`,
      `UPDATE ledger_nodes SET hash = '\\x${leaf}' WHERE level = 0 AND index = 5`,
    ]);
    const report = await audit();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['CHECKPOINT_ROOT_MISMATCH']));
  });

  it('entries deleted from the end (rolled back below a saved checkpoint)', async () => {
    await tamper(db, [
      `DELETE FROM evidence_records WHERE ledger_index >= 6`,
      `DELETE FROM ledger_entries WHERE index >= 6`,
      `DELETE FROM ledger_nodes WHERE ((index + 1) << level) - 1 >= 6`,
    ]);
    const report = await audit(savedCheckpoint);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toContain('LOG_TRUNCATED');
  });

  it('two entries swapped', async () => {
    await tamper(db, [
      `UPDATE ledger_entries e SET canonical = o.canonical, leaf_hash = o.leaf_hash
         FROM ledger_entries o WHERE (e.index, o.index) IN ((2, 4), (4, 2))`,
    ]);
    const report = await audit();
    expect(report.ok).toBe(false);
    expect(report.firstBadIndex).toBe(2);
  });

  it('a forked checkpoint: same size, another root, validly signed', async () => {
    const real = parseCheckpoint(savedCheckpoint);
    const key = loadSigningKey(t.config).key;
    const fork = signCheckpoint({ origin: real.origin, size: real.size, rootHash: Buffer.alloc(32, 7) }, key);
    const report = await audit(fork);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toContain('CHECKPOINT_INCONSISTENT');
  });

  it('an evidence body changed in the database (its digest no longer matches the ledger)', async () => {
    await tamper(db, [`UPDATE evidence_records SET body = jsonb_set(body, '{role}', '"admin"') WHERE ledger_index = 2`]);
    const report = await audit();
    expect(report.ok).toBe(false);
    expect(report.firstBadIndex).toBe(2);
    expect(report.problems.map((p) => p.code)).toContain('EVIDENCE_DIGEST_MISMATCH');
  });

  it('a one-bit change in the stored checkpoint signature', async () => {
    const [row] = await db.query<{ note: string; tree_size: string }[]>(
      `SELECT note, tree_size FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1`,
    );
    const line = row!.note.trimEnd().split('\n').pop()!;
    const signature = Buffer.from(line.split(' ').pop()!, 'base64');
    signature.writeUInt8(signature.readUInt8(10) ^ 0x01, 10);
    const flipped = row!.note.replace(line, `${line.slice(0, line.lastIndexOf(' '))} ${signature.toString('base64')}`);
    await tamper(db, [`UPDATE ledger_checkpoints SET note = '${flipped}' WHERE tree_size = ${row!.tree_size}`]);
    const report = await audit();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toContain('CHECKPOINT_SIGNATURE_INVALID');
  });

  it('`assay ledger verify` exits 0 on an intact log, and non-zero naming the first bad index', async () => {
    const checkpointFile = join(t.config.ASSAY_DATA_DIR, 'saved-checkpoint.txt');
    writeFileSync(checkpointFile, savedCheckpoint);
    const env = { ...t.database.env, PORT: '0' };
    const database = t.database;
    await t.app.close(); // PGlite: one process per data directory
    t = { ...t, close: () => database.drop() };

    const good = await runCli(['ledger', 'verify', '--checkpoint', checkpointFile], env);
    expect(good.stdout).toMatch(/^OK: 8 entries/);
    expect(good.code).toBe(0);

    const ds = await (await createDataSource(database.config)).initialize();
    await tamper(ds, [`UPDATE ledger_entries SET canonical = replace(canonical, 'user.created', 'user.deleted') WHERE index = 4`]);
    await ds.destroy();
    const bad = await runCli(['ledger', 'verify', '--checkpoint', checkpointFile], env);
    expect(bad.stdout).toContain('FAILED');
    expect(bad.stdout).toContain('first bad index: 4');
    expect(bad.stdout).toContain('ENTRY_HASH_MISMATCH');
    expect(bad.code).toBe(65);
  });
});
