import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, runCli, spawnCli, startServer, stop } from './support/cli';
import { dropQueue, uniqueQueuePrefix } from './support/queue';
import { createTestDatabase, TEST_DB, type TestDatabase } from './support/test-database';
import { syntheticCreditCsv } from './support/training-fixtures';

jest.setTimeout(240_000);

/**
 * A worker killed with SIGKILL mid-run: its run resumes from the last epoch checkpoint — on the
 * in-process queue when the server comes back, on BullMQ in another `assay worker` — and ends
 * with exactly one model, bit-identical to an uninterrupted run with the same seed.
 */
const spec = (epochs: number) => ({
  model: {
    type: 'mlp',
    hiddenLayers: [{ units: 16, activation: 'relu' }],
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 4, epochs, seed: 5 },
  },
  preprocessing: { label: 'credit_risk', positiveLabel: 'good' },
});

interface Api {
  url: string;
  token: string;
}

async function call(api: Api, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function engineerToken(env: Record<string, string>): Promise<string> {
  const user = await runCli(['user', 'create', '--email', 'eng@example.org', '--role', 'engineer'], env);
  if (user.code !== 0) throw new Error(`user create: ${user.stderr}`);
  const token = await runCli(['token', 'create', '--email', 'eng@example.org', '--name', 'resume-test'], env);
  if (token.code !== 0) throw new Error(`token create: ${token.stderr}`);
  return token.stdout.trim().split('\n').at(-1)!;
}

async function splitDataset(api: Api): Promise<string> {
  const id = (await call(api, 'POST', '/datasets', { name: 'resume' })).body.id as string;
  const upload = await call(api, 'POST', `/datasets/${id}/versions`, syntheticCreditCsv(1200, 3), 'text/csv');
  if (upload.status !== 201) throw new Error(JSON.stringify(upload.body));
  const split = await call(api, 'POST', `/datasets/${id}/versions/1/transformations`, { type: 'split', ratios: { train: 0.7, validation: 0.15, test: 0.15 }, stratifyBy: 'credit_risk', seed: 2 });
  if (split.status !== 201) throw new Error(JSON.stringify(split.body));
  return id;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const finished = (api: Api, runId: string) =>
  waitFor(`run ${runId} to finish`, async () => {
    const run = (await call(api, 'GET', `/runs/${runId}`)).body;
    return ['succeeded', 'failed', 'cancelled'].includes(run.state as string) ? run : undefined;
  });

const epochsDone = (api: Api, runId: string, epochs: number) =>
  waitFor(`run ${runId} to complete ${epochs} epochs`, async () => {
    const run = (await call(api, 'GET', `/runs/${runId}`)).body;
    return (run.epochsCompleted as number) >= epochs ? run : undefined;
  });

async function trainingEvidence(api: Api, runId: string): Promise<{ kind: string; body: Record<string, unknown> }[]> {
  // Recorded by the worker, readable by the run's owner.
  return ((await call(api, 'GET', `/evidence?subjectType=training_run&subjectId=${runId}`)).body.items ?? []) as { kind: string; body: Record<string, unknown> }[];
}

const weightsDigest = (run: Record<string, unknown>) =>
  ((run.result as { artifacts: { path: string; digest: string }[] }).artifacts.find((a) => a.path === 'weights.bin') ?? { digest: '' }).digest;

describe('a training worker killed mid-run (in-process queue, across a restart); the assay train client', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: ChildProcess | undefined;
  let api: Api;
  let datasetId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { ...database.env, ASSAY_RUN_LEASE_MS: '2000', ASSAY_RUN_POLL_MS: '200', ASSAY_LOG_LEVEL: 'warn' };
    if (database.env.DATABASE_URL) {
      const migrated = await runCli(['migrate'], env);
      if (migrated.code !== 0) throw new Error(migrated.stderr);
    }
  });
  afterAll(async () => {
    if (server) await stop(server);
    await database?.drop();
  });

  it('resumes from its checkpoint after the server comes back and ends with one model, identical to an uninterrupted run', async () => {
    const token = await engineerToken(env);
    let started = await startServer(env);
    server = started.child;
    api = { url: started.url, token };
    datasetId = await splitDataset(api);
    const runId = (await call(api, 'POST', '/runs', { datasetId, spec: spec(12) })).body.id as string;
    const before = await epochsDone(api, runId, 2);
    expect(before.state).toBe('running');
    server.kill('SIGKILL');
    await new Promise((resolve) => server!.once('exit', resolve));

    started = await startServer(env);
    server = started.child;
    api = { url: started.url, token };
    const resumed = await finished(api, runId);
    expect(resumed).toMatchObject({ state: 'succeeded', attempt: 2, epochsCompleted: 12 });

    const evidence = await trainingEvidence(api, runId);
    expect(evidence.filter((e) => e.kind === 'training.completed')).toHaveLength(1);
    const completed = evidence.find((e) => e.kind === 'training.completed')!;
    expect(completed.body).toMatchObject({ attempts: 2, epochs: { completed: 12 } });
    expect((completed.body.history as unknown[]).length).toBe(12);

    const reference = await finished(api, (await call(api, 'POST', '/runs', { datasetId, spec: spec(12) })).body.id as string);
    expect(reference).toMatchObject({ state: 'succeeded', attempt: 1 });
    expect(weightsDigest(resumed)).toBe(weightsDigest(reference));
  });

  it('assay train queues a run, follows its event stream and prints the model digest; a failing run exits 65', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-spec-'));
    const good = join(dir, 'spec.json');
    writeFileSync(good, JSON.stringify(spec(2)));
    const client = { ...env, ASSAY_API_URL: api.url, ASSAY_API_TOKEN: api.token };
    const trained = await runCli(['train', '--dataset', datasetId, '--spec', good, '--name', 'from the cli'], client);
    expect(trained.code).toBe(0);
    const digest = trained.stdout.trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const runs = (await call(api, 'GET', '/runs?state=succeeded&limit=500')).body.items as { name: string; result: { modelDigest: string } }[];
    expect(runs.find((r) => r.name === 'from the cli')?.result.modelDigest).toBe(digest);

    const diverging = spec(2);
    diverging.model.training.optimizer = { type: 'sgd', learningRate: 1e38 };
    const bad = join(dir, 'diverging.json');
    writeFileSync(bad, JSON.stringify(diverging));
    const failed = await runCli(['train', '--dataset', datasetId, '--spec', bad], client);
    expect(failed.code).toBe(65);
    expect(failed.stderr).toContain('TRAINING_DIVERGED');
    const unreadable = await runCli(['train', '--dataset', datasetId, '--spec', join(dir, 'missing.json')], client);
    expect([unreadable.code, unreadable.stderr]).toEqual([64, expect.stringContaining('cannot read the spec')]);
    rmSync(dir, { recursive: true, force: true });
  });
});

const describeWithPostgres = TEST_DB === 'postgres' ? describe : describe.skip;
const bullmqTitle =
  TEST_DB === 'postgres'
    ? 'BullMQ workers on Redis: one killed mid-run'
    : 'BullMQ workers on Redis: one killed mid-run (SKIPPED on PGlite: separate worker processes need the PostgreSQL pass)';

describeWithPostgres(bullmqTitle, () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      ...database.env,
      REDIS_URL: process.env.ASSAY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      ASSAY_QUEUE_PREFIX: uniqueQueuePrefix(), // a queue of its own: concurrent specs never take its jobs
      ASSAY_RUN_LEASE_MS: '2000',
      ASSAY_RUN_POLL_MS: '200',
      ASSAY_LOG_LEVEL: 'warn',
    };
    const migrated = await runCli(['migrate'], env);
    if (migrated.code !== 0) throw new Error(migrated.stderr);
  });
  afterAll(async () => {
    for (const child of children) await stop(child);
    await database?.drop();
    if (env?.ASSAY_QUEUE_PREFIX) await dropQueue(env.ASSAY_QUEUE_PREFIX);
  });

  const startWorker = () => {
    const child = spawnCli(['worker'], env);
    children.push(child);
    const output = collect(child);
    return { child, output };
  };

  it('hands the run to another worker, which resumes it; two workers never run it at once; one model results', async () => {
    const token = await engineerToken(env);
    const started = await startServer({ ...env, ASSAY_RUN_WORKERS: '0' });
    children.push(started.child);
    const api = { url: started.url, token };
    const datasetId = await splitDataset(api);

    const first = startWorker();
    const runId = (await call(api, 'POST', '/runs', { datasetId, spec: spec(12) })).body.id as string;
    await epochsDone(api, runId, 2);
    const second = startWorker();
    first.child.kill('SIGKILL');
    await first.output;

    const run = await finished(api, runId);
    expect(run).toMatchObject({ state: 'succeeded', attempt: 2, epochsCompleted: 12 });
    const evidence = await trainingEvidence(api, runId);
    expect(evidence.filter((e) => e.kind === 'training.completed')).toHaveLength(1);

    // The event log shows attempt 1 stopped before attempt 2 started: never two at once.
    const events = (await (await fetch(`${api.url}/runs/${runId}/events`, { headers: { authorization: `Bearer ${token}` } })).text())
      .split('\n\n')
      .map((block) => Object.fromEntries(block.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()])))
      .filter((e) => e.data);
    const secondStart = events.findIndex((e) => e.event === 'started' && (JSON.parse(e.data!) as { attempt: number }).attempt === 2);
    expect(secondStart).toBeGreaterThan(0);
    const lateFirst = events.slice(secondStart).filter((e) => e.event === 'epoch' && (JSON.parse(e.data!) as { attempt: number }).attempt === 1);
    expect(lateFirst).toEqual([]);
    expect(second.child.exitCode).toBeNull();
  });
});
