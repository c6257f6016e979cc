import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TrainingWorkerPool } from '../src/pipeline/training/runs/training-worker.pool';
import { EvidenceTail } from '../src/platform/evidence/evidence-tail';
import { parseCheckpoint } from '../src/platform/ledger/verification';
import { parsePrometheusText, sampleValue, type PromFamily } from './support/prometheus-text';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(180_000);

type Families = Map<string, PromFamily>;

const FAMILIES: Record<string, PromFamily['type']> = {
  process_cpu_user_seconds_total: 'counter',
  process_resident_memory_bytes: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
  assay_http_request_duration_seconds: 'histogram',
  assay_training_runs: 'gauge',
  assay_training_queue_depth: 'gauge',
  assay_training_run_duration_seconds: 'histogram',
  assay_stage_duration_seconds: 'histogram',
  assay_energy_kwh_total: 'counter',
  assay_co2e_grams_total: 'counter',
  assay_ledger_entries: 'gauge',
  assay_ledger_checkpoint_age_seconds: 'gauge',
  assay_ledger_checkpoint_tree_size: 'gauge',
  assay_policy_decisions_total: 'counter',
  assay_promotions: 'gauge',
  assay_metrics_collect_errors_total: 'counter',
};

describe('GET /metrics: process, HTTP and domain figures in the Prometheus text format, moving with what drives them', () => {
  let t: TestApp;
  let engineer: TestUser;
  let officer: TestUser;
  let datasetId: string;
  let runId: string;
  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });
  const scrape = async (): Promise<Families> => {
    const response = await t.http().get('/metrics');
    expect(response.status).toBe(200);
    return parsePrometheusText(response.text);
  };
  const value = (families: Families, name: string, labels: Record<string, string> = {}) => sampleValue(families, name, labels) ?? 0;

  beforeAll(async () => {
    // No training workers yet: the queue test needs a run to stay queued.
    t = await startTestApp({ ASSAY_RUN_POLL_MS: '100', ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1' });
    engineer = await t.createUser('engineer');
    officer = await t.createUser('compliance_officer');
  });
  afterAll(() => t?.close());

  it('answers without a token when ASSAY_METRICS_TOKEN is unset, in valid text format 0.0.4 with every documented family', async () => {
    const response = await t.http().get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheusText(response.text); // every line checked
    for (const [name, type] of Object.entries(FAMILIES)) expect({ name, type: families.get(name)?.type }).toEqual({ name, type });
    expect(
      families
        .get('assay_training_runs')!
        .samples.map((s) => s.labels.state)
        .sort(),
    ).toEqual(['cancelled', 'failed', 'queued', 'running', 'succeeded']);
    expect(
      families
        .get('assay_promotions')!
        .samples.map((s) => s.labels.state)
        .sort(),
    ).toEqual(['approved', 'blocked', 'pending_approval', 'rejected']);
    expect(
      families
        .get('assay_policy_decisions_total')!
        .samples.map((s) => s.labels.outcome)
        .sort(),
    ).toEqual(['blocked', 'pending_approval']);
    expect(families.get('assay_metrics_collect_errors_total')!.samples).toEqual([]);
    // Without REDIS_URL the table is the only queue: no BullMQ family.
    expect(families.has('assay_training_queue_jobs')).toBe(false);
  });

  it('counts each HTTP request under its route pattern and status, never its URL', async () => {
    const id = randomUUID();
    const before = await scrape();
    const version = await as(engineer).get(`/models/${id}/versions/3`);
    const refused = await t.http().get('/ledger/entries'); // refused by the guard, after routing
    const unknown = await t.http().get(`/no/such/${id}`);
    const malformed = await t.http().post('/auth/sign-in').set('Content-Type', 'application/json').send('{"email":'); // refused before routing
    expect([refused.status, unknown.status, malformed.status]).toEqual([401, 404, 400]);
    const after = await scrape();

    const count = (families: Families, method: string, route: string, status: number) =>
      value(families, 'assay_http_request_duration_seconds_count', { method, route, status_code: String(status) });
    for (const [method, route, status] of [
      ['GET', '/models/:id/versions/:version', version.status],
      ['GET', '/ledger/entries', 401],
      ['GET', '<unmatched>', 404],
      ['POST', '<unmatched>', 400],
      ['GET', '/metrics', 200],
    ] as const) {
      const label = `${method} ${route} ${status}`;
      expect({ label, more: count(after, method, route, status) - count(before, method, route, status) }).toEqual({ label, more: 1 });
    }
    const labels = after.get('assay_http_request_duration_seconds')!.samples.flatMap((s) => Object.values(s.labels));
    expect(labels.filter((label) => label.includes(id) || label.includes('/no/such'))).toEqual([]);
  });

  it('reports the ledger size and the newest signed checkpoint; an append raises the size', async () => {
    const before = value(await scrape(), 'assay_ledger_entries');
    await t.createUser('regulator'); // user.created and token.issued: two appends
    const regulator = await t.createUser('regulator');
    const checkpoint = parseCheckpoint((await as(regulator).get('/ledger/checkpoint')).text); // signs the current tree
    const after = await scrape();
    expect(value(after, 'assay_ledger_entries')).toBe(checkpoint.size);
    expect(checkpoint.size).toBeGreaterThanOrEqual(before + 4);
    expect(value(after, 'assay_ledger_checkpoint_tree_size')).toBe(checkpoint.size);
    const age = sampleValue(after, 'assay_ledger_checkpoint_age_seconds')!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
  });

  it('follows evidence incrementally (the energy and run-duration collectors): each record once, across batches and concurrent polls', async () => {
    const db = t.app.get(DataSource);
    const kinds = ['user.created', 'token.issued'];
    const stored = async () =>
      (await db.query<{ ledger_index: string }[]>(`SELECT ledger_index FROM evidence_records WHERE kind = ANY($1) ORDER BY ledger_index`, [kinds])).map((r) =>
        Number(r.ledger_index),
      );
    const seen: number[] = [];
    const tail = new EvidenceTail<{ ledger_index: string; kind: string }>(
      db,
      { kinds, select: 'e.kind' },
      (rows) => seen.push(...rows.map((r) => Number(r.ledger_index))),
      2,
    );
    await tail.poll();
    expect(seen.length).toBeGreaterThan(2); // more than one batch
    expect(seen).toEqual(await stored());
    await t.createUser('engineer');
    await t.createUser('engineer');
    await Promise.all([tail.poll(), tail.poll()]);
    await tail.poll();
    expect(seen).toEqual(await stored());
  });

  it('shows a queued run in the queue depth and runs by state, and moves it to cancelled (no duration: it never ran)', async () => {
    datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600));
    const queued = await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() });
    expect(queued.status).toBe(202);
    let families = await scrape();
    expect(value(families, 'assay_training_queue_depth')).toBe(1);
    expect(value(families, 'assay_training_runs', { state: 'queued' })).toBe(1);

    expect((await as(engineer).post(`/runs/${queued.body.id}/cancel`)).status).toBe(202);
    families = await scrape();
    expect(value(families, 'assay_training_queue_depth')).toBe(0);
    expect(value(families, 'assay_training_runs', { state: 'queued' })).toBe(0);
    expect(value(families, 'assay_training_runs', { state: 'cancelled' })).toBe(1);
    expect(value(families, 'assay_training_run_duration_seconds_count', { state: 'cancelled' })).toBe(0);
  });

  it('moves runs by state, run and stage durations, and energy and CO2e totals (equal to the energy.measured evidence) with a training run', async () => {
    const before = await scrape();
    t.app.get(TrainingWorkerPool).start();
    runId = (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() })).body.id as string;
    expect((await waitForRun(t, engineer, runId)).state).toBe('succeeded');
    // The assessment (evaluation stage) records its energy after the run: wait for it.
    let after = await scrape();
    for (let i = 0; i < 600 && value(after, 'assay_stage_duration_seconds_count', { stage: 'evaluation' }) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await scrape();
    }

    expect(value(after, 'assay_training_runs', { state: 'succeeded' }) - value(before, 'assay_training_runs', { state: 'succeeded' })).toBe(1);
    expect(value(after, 'assay_training_run_duration_seconds_count', { state: 'succeeded' })).toBe(1);
    expect(value(after, 'assay_training_run_duration_seconds_sum', { state: 'succeeded' })).toBeGreaterThan(0);
    for (const stage of ['training', 'evaluation']) {
      expect({ stage, attempts: value(after, 'assay_stage_duration_seconds_count', { stage }) }).toEqual({ stage, attempts: 1 });
      expect(value(after, 'assay_energy_kwh_total', { stage })).toBeGreaterThan(value(before, 'assay_energy_kwh_total', { stage }));
      expect(value(after, 'assay_co2e_grams_total', { stage })).toBeGreaterThan(value(before, 'assay_co2e_grams_total', { stage }));
    }

    const records = (await as(officer).get(`/evidence?subjectType=training_run&subjectId=${runId}&kind=energy.measured`)).body.items as {
      body: { stage: string; measurement: { energyKwh: number; co2eGrams: number; wallSeconds: number } };
    }[];
    for (const stage of ['training', 'evaluation']) {
      const measured = records.filter((r) => r.body.stage === stage).map((r) => r.body.measurement);
      expect(measured.length).toBe(1);
      expect(value(after, 'assay_energy_kwh_total', { stage })).toBeCloseTo(measured[0]!.energyKwh, 12);
      expect(value(after, 'assay_co2e_grams_total', { stage })).toBeCloseTo(measured[0]!.co2eGrams, 9);
      expect(value(after, 'assay_stage_duration_seconds_sum', { stage })).toBeCloseTo(measured[0]!.wallSeconds, 6);
    }
  });

  it('counts a promotion request’s policy decision by outcome and the request by state; a preview counts nothing', async () => {
    const modelId = (
      await as(engineer).post('/models', {
        name: `metrics-${Date.now()}`,
        intendedUse: 'Pre-screen loan applications.',
        riskTier: 'minimal',
        jurisdictions: ['DE'],
      })
    ).body.id as string;
    expect((await as(engineer).post(`/models/${modelId}/versions`, { runId })).status).toBe(201);
    const before = await scrape();
    expect((await as(engineer).post(`/models/${modelId}/versions/1/promotions/preview`, { targetStage: 'production' })).status).toBe(200);
    const previewed = await scrape();
    expect(value(previewed, 'assay_policy_decisions_total', { outcome: 'blocked' })).toBe(
      value(before, 'assay_policy_decisions_total', { outcome: 'blocked' }),
    );
    expect(value(previewed, 'assay_policy_decisions_total', { outcome: 'pending_approval' })).toBe(
      value(before, 'assay_policy_decisions_total', { outcome: 'pending_approval' }),
    );

    const requested = await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' });
    expect(requested.status).toBe(201);
    const { state, decision } = requested.body as { state: string; decision: { outcome: string } };
    const after = await scrape();
    expect(
      value(after, 'assay_policy_decisions_total', { outcome: decision.outcome }) -
        value(before, 'assay_policy_decisions_total', { outcome: decision.outcome }),
    ).toBe(1);
    expect(value(after, 'assay_promotions', { state }) - value(before, 'assay_promotions', { state })).toBe(1);
  });
});

describe('GET /metrics with ASSAY_METRICS_TOKEN (and the BullMQ queue with REDIS_URL)', () => {
  const token = randomBytes(24).toString('base64url');
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      ASSAY_METRICS_TOKEN: token,
      REDIS_URL: process.env.ASSAY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      ASSAY_QUEUE_PREFIX: `assay-metrics-test-${randomBytes(4).toString('hex')}`, // an empty queue of our own
    });
  });
  afterAll(() => t?.close());

  it('refuses a scrape without the token, with another token or with a user token (401), and serves it with the token', async () => {
    const user = await t.createUser('admin');
    const missing = await t.http().get('/metrics');
    expect([missing.status, missing.body.error?.code]).toEqual([401, 'AUTH_REQUIRED']);
    for (const wrong of [`Bearer ${token}x`, `Bearer ${user.token}`, `Basic ${token}`, token]) {
      const response = await t.http().get('/metrics').set('Authorization', wrong);
      expect({ wrong, status: response.status, code: response.body.error?.code }).toEqual({ wrong, status: 401, code: 'AUTH_INVALID_TOKEN' });
    }
    const ok = await t.http().get('/metrics').set('Authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    const families = parsePrometheusText(ok.text);
    // The scrape token is no user credential, and the rest of the API is unchanged.
    expect((await t.http().get('/auth/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    expect((await t.http().get('/health')).status).toBe(200);

    expect(families.get('assay_training_queue_jobs')?.type).toBe('gauge');
    expect(Object.fromEntries(families.get('assay_training_queue_jobs')!.samples.map((s) => [s.labels.state, s.value]))).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      prioritized: 0,
    });
  });
});
