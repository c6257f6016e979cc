/**
 * Shared by the HTTP benches: a fresh database (PGlite, or PostgreSQL with ASSAY_TEST_DB=postgres),
 * users and tokens made with the real CLI, and `assay serve` children on loopback.
 */
import type { ChildProcess } from 'node:child_process';
import { runCli, startServer, stop } from '../../test/support/cli';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { creditDatasheet, syntheticCreditCsv } from '../../test/support/training-fixtures';

export interface BenchDatabase {
  database: TestDatabase;
  env: Record<string, string>;
  /** Creates a user of `role` and returns a fresh API token of theirs. */
  token(role: string, email: string): Promise<string>;
}

export async function benchDatabase(extraEnv: Record<string, string> = {}): Promise<BenchDatabase> {
  const database = await createTestDatabase();
  const env = { ...database.env, ASSAY_LOG_LEVEL: 'error', ...extraEnv };
  if (database.env.DATABASE_URL) {
    const migrated = await runCli(['migrate'], env);
    if (migrated.code !== 0) throw new Error(`migrate: ${migrated.stderr}`);
  }
  return {
    database,
    env,
    async token(role, email) {
      const user = await runCli(['user', 'create', '--email', email, '--role', role], env);
      if (user.code !== 0) throw new Error(`user create: ${user.stderr}`);
      const token = await runCli(['token', 'create', '--email', email, '--name', 'bench'], env);
      if (token.code !== 0) throw new Error(`token create: ${token.stderr}`);
      return token.stdout.trim().split('\n').at(-1)!;
    },
  };
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

export async function serve(env: Record<string, string>): Promise<RunningServer> {
  const { child, url } = await startServer(env);
  return { child, url, stop: () => stop(child) };
}

/** JSON request with a bearer token; throws on an unexpected status. */
export async function api<T = Record<string, unknown>>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  expected: number[] = [200, 201, 202],
  contentType = 'application/json',
): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!expected.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
  const json = response.headers.get('content-type')?.includes('json') && text;
  return (json ? JSON.parse(text) : { text }) as T;
}

/** Registers `rows` of the synthetic credit table with its datasheet, splits it and trains `spec` to success; returns the run id. */
export async function trainOnCreditData(url: string, engineer: string, rows: number, spec: unknown): Promise<string> {
  const datasetId = (await api<{ id: string }>(url, engineer, 'POST', '/datasets', { name: `bench-credit-${rows}` })).id;
  await api(url, engineer, 'POST', `/datasets/${datasetId}/versions`, syntheticCreditCsv(rows), [201], 'text/csv');
  await api(url, engineer, 'PUT', `/datasets/${datasetId}/versions/1/datasheet`, creditDatasheet());
  await api(url, engineer, 'POST', `/datasets/${datasetId}/versions/1/transformations`, {
    type: 'split',
    ratios: { train: 0.6, validation: 0.2, test: 0.2 },
    stratifyBy: 'credit_risk',
    seed: 11,
  });
  const runId = (await api<{ id: string }>(url, engineer, 'POST', '/runs', { datasetId, spec })).id;
  for (const deadline = Date.now() + 300_000; ;) {
    const run = await api<{ state: string; error?: unknown }>(url, engineer, 'GET', `/runs/${runId}`);
    if (run.state === 'succeeded') return runId;
    if (run.state === 'failed' || run.state === 'cancelled' || Date.now() > deadline) throw new Error(`bench run: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
