import type { ChildProcess } from 'node:child_process';
import { runCli, startServer, stop } from './support/cli';
import { createTestDatabase, type TestDatabase } from './support/test-database';

jest.setTimeout(240_000);

/**
 * `assay serve` SIGKILLed under 1,000 concurrent ledger-recording requests. The request is
 * POST /datasets: it inserts the dataset, its `dataset.registered` evidence record and the ledger
 * entry in one transaction, and answers 201 only after that transaction has committed — so every
 * 201 the client saw must still be there after a restart (write and entry both), nothing may be
 * half there, and the ledger must verify. Runs on both databases (PGlite's files survive the
 * process like PostgreSQL's server does).
 */
const TOTAL = 1000;
const IN_FLIGHT = 50;
const KILL_AFTER = 300;

interface Outcome {
  acked: Map<number, string>; // request number → dataset id, for every 201
  otherStatuses: { n: number; status: number; body: string }[];
  failed: number; // no response: cut by the kill, or refused after it
  sent: number;
}

async function createUntilKilled(url: string, token: string, server: ChildProcess): Promise<Outcome> {
  const outcome: Outcome = { acked: new Map(), otherStatuses: [], failed: 0, sent: 0 };
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < TOTAL && !killed) {
      const n = next++;
      outcome.sent++;
      try {
        const response = await fetch(`${url}/datasets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `crash-${n}` }),
        });
        const text = await response.text();
        if (response.status === 201) outcome.acked.set(n, (JSON.parse(text) as { id: string }).id);
        else outcome.otherStatuses.push({ n, status: response.status, body: text.slice(0, 300) });
      } catch {
        outcome.failed++;
      }
      if (outcome.acked.size >= KILL_AFTER && !killed) {
        killed = true;
        server.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return outcome;
}

/** Every ledger entry the engineer's token may read (their own), from index 0. */
async function ownEntries(
  url: string,
  token: string,
): Promise<{ index: number; action: string; subject: { type: string; id: string }; evidenceDigest: string }[]> {
  const entries = [];
  for (let from: string | null = '0'; from !== null;) {
    const response = await fetch(`${url}/ledger/entries?from=${from}&limit=500`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      items: { entry: { index: number; action: string; subject: { type: string; id: string }; evidenceDigest: string } }[];
      nextCursor: string | null;
    };
    entries.push(...page.items.map((item) => item.entry));
    from = page.nextCursor;
  }
  return entries;
}

async function ownDatasets(url: string, token: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let cursor: string | null = ''; cursor !== null;) {
    const response = await fetch(`${url}/datasets?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
    page.items.forEach((item) => ids.add(item.id));
    cursor = page.nextCursor;
  }
  return ids;
}

describe(`the API process killed (SIGKILL) during ${TOTAL} concurrent ledger-recording requests`, () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // No training in this process; checkpoints are signed often, so signing races the appends too.
    env = { ...database.env, ASSAY_RUN_WORKERS: '0', ASSAY_CHECKPOINT_INTERVAL_MS: '100', ASSAY_LOG_LEVEL: 'error' };
    if (database.env.DATABASE_URL) {
      const migrated = await runCli(['migrate'], env);
      if (migrated.code !== 0) throw new Error(migrated.stderr);
    }
  });

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    await database?.drop();
  });

  it('keeps every acknowledged entry (write and ledger entry together) and the ledger verifies after a restart', async () => {
    const user = await runCli(['user', 'create', '--email', 'eng@example.org', '--role', 'engineer'], env);
    expect(user.code).toBe(0);
    const created = await runCli(['token', 'create', '--email', 'eng@example.org', '--name', 'crash'], env);
    expect(created.code).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;

    let started = await startServer(env);
    server = started.child;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => server!.once('exit', (_code, signal) => resolve(signal)));
    const outcome = await createUntilKilled(started.url, token, server);
    expect(await exited).toBe('SIGKILL');
    expect(outcome.otherStatuses).toEqual([]); // before the kill every answer was a 201
    expect(outcome.acked.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(outcome.acked.size).toBeLessThan(TOTAL); // it really was killed part-way
    expect(outcome.failed).toBeGreaterThan(0); // requests were cut in flight or refused

    started = await startServer(env);
    server = started.child;
    const entries = await ownEntries(started.url, token);
    const registered = entries.filter((entry) => entry.action === 'dataset.registered');
    const entered = new Set(registered.map((entry) => entry.subject.id));
    const datasets = await ownDatasets(started.url, token);

    // Every acknowledged request: its dataset and its ledger entry are there.
    const acked = [...outcome.acked.values()];
    expect(acked.filter((id) => !entered.has(id))).toEqual([]);
    expect(acked.filter((id) => !datasets.has(id))).toEqual([]);
    // And nothing is half there: each dataset has exactly one entry, each entry its dataset.
    expect(registered).toHaveLength(entered.size);
    expect([...datasets].sort()).toEqual([...entered].sort());
    // Unacknowledged requests cut in flight may have committed, but no more than were sent.
    expect(datasets.size).toBeLessThanOrEqual(outcome.sent);

    // The restarted server records again on the same ledger.
    const after = await fetch(`${started.url}/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'after-the-crash' }),
    });
    expect(after.status).toBe(201);
    await stop(server); // PGlite: `ledger verify` opens the data directory itself

    const verify = await runCli(['ledger', 'verify'], { ...env, PORT: '0' });
    expect(verify.stdout + verify.stderr).toMatch(/^OK: /);
    expect(verify.code).toBe(0);
  });
});
