import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { runCli, spawnCli, startServer } from './support/cli';
import { dropQueue, TEST_REDIS_URL as REDIS_URL, uniqueQueuePrefix } from './support/queue';
import { createTestDatabase, TEST_DB, type TestDatabase } from './support/test-database';
import { logisticRunSpec, syntheticCreditCsv } from './support/training-fixtures';

jest.setTimeout(240_000);

/**
 * Production shape: one API process and three `assay worker` processes on PostgreSQL and a BullMQ
 * queue in Redis. Twelve runs are each executed exactly once, spread over the workers; a worker
 * SIGKILLed mid-run has its run resumed by another (attempt 2), which still ends with one
 * `training.completed`. The queue lives under a prefix of its own, so concurrent specs sharing
 * the Redis never take each other's jobs.
 */
const RUNS = 12;
const WORKERS = 3;

interface Api {
  url: string;
  token: string;
}

async function call(
  api: Api,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** SSE blocks of a finished run's event stream. */
async function runEvents(api: Api, runId: string): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await (await fetch(`${api.url}/runs/${runId}/events`, { headers: { authorization: `Bearer ${api.token}` } })).text();
  return text
    .split('\n\n')
    .map((block) =>
      Object.fromEntries(
        block
          .split('\n')
          .filter((l) => l.includes(':'))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
      ),
    )
    .filter((e): e is { event: string; data: string } => typeof e.data === 'string')
    .map((e) => ({ event: e.event ?? 'message', data: JSON.parse(e.data) as Record<string, unknown> }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ends a child for good: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
async function terminate(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

const describeWithServers = TEST_DB === 'postgres' ? describe : describe.skip;
const title =
  TEST_DB === 'postgres'
    ? `an API process and ${WORKERS} BullMQ workers running ${RUNS} runs, one worker killed mid-run`
    : `an API process and ${WORKERS} BullMQ workers running ${RUNS} runs (SKIPPED on PGlite: separate worker processes need the PostgreSQL pass, and Redis)`;

describeWithServers(title, () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let sql: Client | undefined;
  const children: ChildProcess[] = [];
  const prefix = uniqueQueuePrefix();

  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      ...database.env,
      REDIS_URL,
      ASSAY_QUEUE_PREFIX: prefix,
      // Long enough that a busy worker (2 cores, 4 Node processes) never loses its lease by mere
      // slowness, short enough that the killed worker's run is resumed within seconds.
      ASSAY_RUN_LEASE_MS: '5000',
      ASSAY_RUN_POLL_MS: '200',
      ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '50',
      ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '0',
      ASSAY_LOG_LEVEL: 'warn',
    };
    const migrated = await runCli(['migrate'], env);
    if (migrated.code !== 0) throw new Error(migrated.stderr);
    sql = new Client({ connectionString: database.env.DATABASE_URL });
    await sql.connect();
  });

  afterAll(async () => {
    await Promise.all(children.map((child) => terminate(child)));
    await sql?.end();
    await database?.drop();
    await dropQueue(prefix);
  });

  /** Starts `assay worker` and resolves with its worker id once it consumes. */
  function startWorker(): Promise<{ child: ChildProcess; id: string; output: () => string }> {
    const child = spawnCli(['worker'], env);
    children.push(child);
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /assay worker (\S+): /.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve({ child, id: match[1], output: () => output });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited with ${code}:\n${output}`));
      });
    });
  }

  it('executes every run exactly once across the workers and resumes the killed worker’s run elsewhere', async () => {
    const startedAt = Date.now();
    await runCli(['user', 'create', '--email', 'eng@example.org', '--role', 'engineer'], env);
    const created = await runCli(['token', 'create', '--email', 'eng@example.org', '--name', 'multi-worker'], env);
    if (created.code !== 0) throw new Error(created.stderr);
    const [server, ...workers] = await Promise.all([startServer({ ...env, ASSAY_RUN_WORKERS: '0' }), ...Array.from({ length: WORKERS }, startWorker)]);
    children.push(server.child);
    const api: Api = { url: server.url, token: created.stdout.trim().split('\n').at(-1)! };

    const datasetId = (await call(api, 'POST', '/datasets', { name: 'multi-worker' })).body.id as string;
    expect((await call(api, 'POST', `/datasets/${datasetId}/versions`, syntheticCreditCsv(1000, 4), 'text/csv')).status).toBe(201);
    const split = await call(api, 'POST', `/datasets/${datasetId}/versions/1/transformations`, {
      type: 'split',
      ratios: { train: 0.7, validation: 0.15, test: 0.15 },
      stratifyBy: 'credit_risk',
      seed: 2,
    });
    expect(split.status).toBe(201);

    // Small logistic runs, a few seconds each: batches of 4 over ~700 rows, 5 epochs.
    const spec = logisticRunSpec(5);
    spec.model.training.batchSize = 4;
    const runIds: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const queued = await call(api, 'POST', '/runs', {
        datasetId,
        name: `run ${i}`,
        spec: { ...spec, model: { ...spec.model, training: { ...spec.model.training, seed: i + 1 } } },
      });
      expect(queued.status).toBe(202);
      runIds.push(queued.body.id as string);
    }

    // Who holds which attempt, sampled from the runs table while they train.
    const holders = new Map<string, Map<number, string>>();
    const sample = async () => {
      const rows = await sql!.query<{ id: string; attempt: number; lease_owner: string; epochs_completed: number }>(
        `SELECT id, attempt, lease_owner, epochs_completed FROM training_runs WHERE state = 'running' AND lease_owner IS NOT NULL`,
      );
      for (const row of rows.rows) {
        const attempts = holders.get(row.id) ?? new Map<number, string>();
        attempts.set(row.attempt, row.lease_owner);
        holders.set(row.id, attempts);
      }
      return rows.rows;
    };

    // Kill the worker of the first run that has stored a checkpoint, while it trains.
    let target: { id: string; lease_owner: string } | undefined;
    while (!target) {
      if (Date.now() - startedAt > 120_000) throw new Error('no run reached its first checkpoint');
      target = (await sample()).find((row) => row.attempt === 1 && row.epochs_completed >= 1 && row.epochs_completed < 5);
      if (!target) await sleep(50);
    }
    const victim = { runId: target.id, workerId: target.lease_owner };
    const killed = workers.find((worker) => worker.id === victim.workerId)!;
    expect(killed).toBeDefined();
    const exited = new Promise((resolve) => killed.child.once('exit', resolve));
    killed.child.kill('SIGKILL');
    await exited;

    // Wait for all twelve to finish, sampling holders meanwhile.
    const deadline = startedAt + 200_000;
    let runs: Record<string, unknown>[] = [];
    for (;;) {
      await sample();
      runs = await Promise.all(runIds.map(async (id) => (await call(api, 'GET', `/runs/${id}`)).body));
      if (runs.every((run) => ['succeeded', 'failed', 'cancelled'].includes(run.state as string))) break;
      if (Date.now() > deadline) throw new Error(`runs unfinished: ${runs.map((run) => `${run.name as string}=${run.state as string}`).join(', ')}`);
      await sleep(200);
    }

    const unsuccessful = runs.filter((run) => run.state !== 'succeeded');
    if (unsuccessful.length > 0) {
      const details = unsuccessful.map((run) => ({
        id: run.id,
        name: run.name,
        state: run.state,
        attempt: run.attempt,
        error: run.error,
        resumed: run.id === victim.runId,
      }));
      throw new Error(`runs did not succeed: ${JSON.stringify(details)}\n${workers.map((w) => `--- worker ${w.id}\n${w.output().slice(-3000)}`).join('\n')}`);
    }
    for (const run of runs) {
      const runId = run.id as string;
      const evidence = ((await call(api, 'GET', `/evidence?subjectType=training_run&subjectId=${runId}`)).body.items ?? []) as {
        kind: string;
        body: Record<string, unknown>;
      }[];
      const completed = evidence.filter((record) => record.kind === 'training.completed');
      expect(completed).toHaveLength(1); // finished once, whatever happened to its workers
      const events = await runEvents(api, runId);
      expect(events.filter((e) => e.event === 'succeeded')).toHaveLength(1);
      const starts = events.filter((e) => e.event === 'started').map((e) => e.data.attempt);
      if (runId === victim.runId) {
        // Resumed from its checkpoint by another worker: attempt 2, one completion.
        expect(run.attempt).toBe(2);
        expect(completed[0]!.body.attempts).toBe(2);
        expect(starts).toEqual([1, 2]);
        const resumed = events.find((e) => e.event === 'started' && e.data.attempt === 2)!;
        expect(resumed.data.resumedFromEpoch as number).toBeGreaterThanOrEqual(1);
        const secondHolder = holders.get(runId)?.get(2);
        if (secondHolder !== undefined) expect(secondHolder).not.toBe(victim.workerId);
      } else {
        // Taken once: one claim, one start, attempt 1.
        expect({ name: run.name, attempt: run.attempt, starts }).toEqual({ name: run.name, attempt: 1, starts: [1] });
        expect(completed[0]!.body.attempts).toBe(1);
      }
    }

    // The queue spread the work: every worker held a run at some point.
    const owners = new Set([...holders.values()].flatMap((attempts) => [...attempts.values()]));
    expect([...owners].sort()).toEqual(workers.map((worker) => worker.id).sort());
    for (const worker of workers.filter((w) => w !== killed)) expect(worker.child.exitCode).toBeNull();
    expect(Date.now() - startedAt).toBeLessThan(200_000);
  });
});
