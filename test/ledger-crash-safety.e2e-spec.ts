import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createDataSource } from '../src/platform/database/data-source';
import { runCli } from './support/cli';
import { createTestDatabase, TEST_DB, type TestDatabase } from './support/test-database';
import { migrateUp } from '../src/platform/database/migrator';

const ROOT = resolve(__dirname, '..');

/** Starts the appending child and SIGKILLs it once `killAfter` appends were acknowledged. */
function appendUntilKilled(env: Record<string, string>, killAfter: number, total = 1000): Promise<{ acked: number[]; finished: boolean }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'test/support/ledger-append-child.ts', String(total), '25'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ASSAY_LOG_LEVEL: 'silent', ASSAY_CHECKPOINT_INTERVAL_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked: number[] = [];
  let finished = false;
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
      if (line === 'done') finished = true;
    }
    if (acked.length >= killAfter && child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolvePromise, reject) =>
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || finished) resolvePromise({ acked, finished });
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    }),
  );
}

describe('ledger crash safety', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    if (db.config.DATABASE_URL) await migrateUp(db.config);
  });
  afterAll(() => db.drop());

  it('after SIGKILL during 1,000 concurrent appends, every acknowledged append is present, indices are gapless, and the ledger verifies', async () => {
    const { acked, finished } = await appendUntilKilled(db.env, 400);
    expect(finished).toBe(false); // it really was killed mid-run
    expect(acked.length).toBeGreaterThanOrEqual(400);

    const ds = await (await createDataSource(db.config)).initialize(); // PGlite: takes over the dead child's lock
    try {
      const rows = await ds.query<{ index: string }[]>('SELECT index FROM ledger_entries ORDER BY index');
      const indices = rows.map((row) => Number(row.index));
      expect(indices).toEqual(indices.map((_, i) => i)); // gapless from 0
      const present = new Set(indices);
      expect(acked.filter((index) => !present.has(index))).toEqual([]);
      expect(indices.length).toBeLessThan(1000 + 10);
    } finally {
      await ds.destroy();
    }

    const verify = await runCli(['ledger', 'verify'], { ...db.env, PORT: '0' });
    expect(verify.stdout + verify.stderr).toMatch(/^OK: /);
    expect(verify.code).toBe(0);
  });

  (TEST_DB === 'postgres' ? it : it.skip)('two processes appending at once get distinct, gapless indices (PostgreSQL)', async () => {
    const fresh = await createTestDatabase();
    try {
      await migrateUp(fresh.config);
      const [a, b] = await Promise.all([appendUntilKilled(fresh.env, Infinity, 300), appendUntilKilled(fresh.env, Infinity, 300)]);
      expect(a.finished && b.finished).toBe(true);
      const acked = [...a.acked, ...b.acked].sort((x, y) => x - y);
      expect(acked).toEqual(acked.map((_, i) => i)); // 600 distinct indices 0..599, none shared
      const verify = await runCli(['ledger', 'verify'], { ...fresh.env, PORT: '0' });
      expect(verify.stdout).toMatch(/^OK: 600 entries/);
    } finally {
      await fresh.drop();
    }
  });
});
