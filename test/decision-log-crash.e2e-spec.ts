import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import type { DecisionProof } from '../src/serving/decision-log/decision-proof';
import { verifyDecisionProof } from '../src/serving/decision-log/decision-proof';
import { runCli, startServer, stop } from './support/cli';
import { creditInputs, promoteThroughGate } from './support/serving-fixtures';
import type { TestUser } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(300_000);

/**
 * `assay serve` SIGKILLed while it answers predictions: a prediction is acknowledged (200) only
 * after its decision-log row is durable, and batches reach the ledger every 200 ms, so at the
 * kill some acknowledged predictions are committed and some are still waiting for their batch.
 * After a restart every acknowledged prediction must get an inclusion proof that verifies.
 */
const IN_FLIGHT = 8;
const KILL_AFTER = 1_500;

async function userWithToken(env: Record<string, string>, email: string, role: string): Promise<TestUser> {
  expect((await runCli(['user', 'create', '--email', email, '--role', role], env)).code).toBe(0);
  const created = await runCli(['token', 'create', '--email', email, '--name', 'crash'], env);
  expect(created.code).toBe(0);
  return { id: '', email, role: role as TestUser['role'], password: '', token: created.stdout.trim().split('\n').at(-1)! };
}

describe('the serving process killed (SIGKILL) mid-batch', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      ...database.env,
      ASSAY_DECISION_BATCH_MS: '200',
      ASSAY_RUN_POLL_MS: '100',
      ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '100',
      ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '0',
      ASSAY_LOG_LEVEL: 'error',
    };
    if (database.env.DATABASE_URL) {
      const migrated = await runCli(['migrate'], env);
      if (migrated.code !== 0) throw new Error(migrated.stderr);
    }
  });

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    await database?.drop();
  });

  it('loses no acknowledged prediction: each has a verifying inclusion proof after the restart', async () => {
    const engineer = await userWithToken(env, 'eng@example.org', 'engineer');
    const officer = await userWithToken(env, 'officer@example.org', 'compliance_officer');
    let started = await startServer(env);
    server = started.child;
    const http = { http: () => request(started.url) };
    const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
    const datasetId = await registerSplitDataset(http as never, engineer, syntheticCreditCsv(400));
    const runId = (
      await http
        .http()
        .post('/runs')
        .set(auth(engineer))
        .send({ datasetId, spec: logisticRunSpec(4) })
    ).body.id as string;
    expect((await waitForRun(http as never, engineer, runId)).state).toBe('succeeded');
    const modelId = (
      await http
        .http()
        .post('/models')
        .set(auth(engineer))
        .send({ name: 'crash-credit', intendedUse: 'Pre-screen loan applications.', riskTier: 'minimal', jurisdictions: ['DE'] })
    ).body.id as string;
    expect((await http.http().post(`/models/${modelId}/versions`).set(auth(engineer)).send({ runId })).status).toBe(201);
    await promoteThroughGate(http, engineer, officer, modelId, 1, 'production');

    const inputs = creditInputs(40, 1);
    const acked: string[] = [];
    let failed = 0;
    let killed = false;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => server!.once('exit', (_code, signal) => resolve(signal)));
    const url = started.url;
    const worker = async () => {
      while (!killed) {
        try {
          const response = await fetch(`${url}/models/crash-credit/aliases/production/predict`, {
            method: 'POST',
            headers: { ...auth(engineer), 'content-type': 'application/json' },
            body: JSON.stringify({ inputs }),
          });
          const body = (await response.json()) as { predictions?: { id: string }[] };
          if (response.status === 200) acked.push(...body.predictions!.map((p) => p.id));
          else throw new Error(`status ${response.status}`);
        } catch {
          failed++;
          if (killed) return;
        }
        if (acked.length >= KILL_AFTER && !killed) {
          killed = true;
          server!.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    expect(await exited).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(failed).toBeGreaterThan(0); // requests were cut in flight

    const restartedAt = new Date().toISOString();
    started = await startServer(env);
    server = started.child;
    const key = (await (await fetch(`${started.url}/ledger/public-key`, { headers: auth(officer) })).json()) as { verifierKey: string };
    // The restarted process commits what the dead one left; wait for the last batch.
    const proofs: DecisionProof[] = [];
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < acked.length;) {
      const response = await fetch(`${started.url}/predictions/proofs`, {
        method: 'POST',
        headers: { ...auth(officer), 'content-type': 'application/json' },
        body: JSON.stringify({ ids: acked.slice(i, i + 500) }),
      });
      // Parsed in this realm: fetch's own JSON objects come from Node's realm, not jest's.
      const body = JSON.parse(await response.text()) as { items?: DecisionProof[]; error?: { code: string } };
      if (response.status === 409 && body.error?.code === 'PREDICTION_NOT_YET_COMMITTED' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      expect(response.status).toBe(200);
      proofs.push(...body.items!);
      i += 500;
    }
    expect(proofs).toHaveLength(acked.length);
    expect(proofs.filter((proof) => verifyDecisionProof(proof, key.verifierKey).ok !== true)).toEqual([]);
    // Some acknowledged predictions were still waiting for their batch when the process died: the restarted one committed them.
    expect(proofs.some((p) => p.ledger.entry.time > restartedAt)).toBe(true);
    expect(proofs.some((p) => p.ledger.entry.time < restartedAt)).toBe(true);
    await stop(server);
    const verify = await runCli(['ledger', 'verify'], { ...env, PORT: '0' });
    expect(verify.code).toBe(0);
  });
});
