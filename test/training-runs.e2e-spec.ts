import { createPublicKey } from 'node:crypto';
import type { FairnessOutcome } from '../src/pipeline/assessment/model-assessor';
import type { BinaryEvaluation, FairnessAssessment } from '../src/pipeline/evaluation';
import type { PermutationImportanceResult, PredictionExplanation } from '../src/pipeline/explainability';
import { ArtifactStore } from '../src/platform/artifacts/artifact-store';
import { verifyModelSignature } from '../src/pipeline/training/model-signing';
import { loadModelSigningKey } from '../src/pipeline/training/runs/model-signing-key';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { barCnnRunSpec, barImagesCsv, logisticRunSpec, readRunEvents, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(180_000);

/** Fewer bootstrap resamples and one example explanation: the assessment is exercised, not its precision. */
const FAST_ASSESSMENT = { ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1' };
const SUCCEEDED_KINDS = [
  'training.requested',
  'energy.measured',
  'training.completed',
  'energy.measured',
  'evaluation.completed',
  'fairness.assessed',
  'robustness.assessed',
  'explanation.generated',
  'privacy.attack-assessed',
  'explanation.generated',
];

interface RunResult {
  modelDigest: string;
  signatureDigest: string;
  artifacts: { path: string; digest: string; size: number }[];
  trainingEvidence: string;
  energyEvidence: string;
  testMetrics: { accuracy: number; loss: number } | null;
}

describe('training runs through the API', () => {
  let t: TestApp;
  let engineer: TestUser;
  let other: TestUser;
  let regulator: TestUser;
  let datasetId: string;
  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });

  beforeAll(async () => {
    t = await startTestApp({ ASSAY_RUN_POLL_MS: '100', ...FAST_ASSESSMENT }, { workers: true });
    engineer = await t.createUser('engineer');
    other = await t.createUser('engineer');
    regulator = await t.createUser('regulator');
    datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600));
  });
  afterAll(() => t?.close());

  let run: { id: string; result: RunResult };

  it('queues a run (202, Location), replays an Idempotency-Key, and refuses the key for another request', async () => {
    const body = { name: 'baseline', datasetId, spec: logisticRunSpec() };
    const created = await as(engineer).post('/runs', body).set('Idempotency-Key', 'run-1');
    expect(created.status).toBe(202);
    expect(created.headers.location).toBe(`/runs/${created.body.id}`);
    expect(created.body).toMatchObject({ state: 'queued', name: 'baseline', datasetId, epochsCompleted: 0 });
    expect(created.body.inputs.splits.map((s: { role: string }) => s.role).sort()).toEqual(['test', 'train', 'validation']);

    const again = await as(engineer).post('/runs', body).set('Idempotency-Key', 'run-1');
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(created.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const changed = await as(engineer)
      .post('/runs', { ...body, name: 'other' })
      .set('Idempotency-Key', 'run-1');
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const finished = await waitForRun(t, engineer, created.body.id as string);
    expect(finished.state).toBe('succeeded');
    run = finished as unknown as typeof run;
  });

  it('streams progress as server-sent events and resumes after Last-Event-ID', async () => {
    const events = await readRunEvents(t, engineer, run.id);
    const types = events.map((e) => e.event);
    expect(types[0]).toBe('queued');
    expect(types).toContain('started');
    expect(types).toContain('batch');
    expect(types.filter((type) => type === 'epoch')).toHaveLength(8);
    expect(types.at(-1)).toBe('succeeded');
    const epoch = events.find((e) => e.event === 'epoch')!.data;
    expect(epoch).toEqual(
      expect.objectContaining({ epoch: 0, epochs: 8, loss: expect.any(Number), valLoss: expect.any(Number), valAccuracy: expect.any(Number) }),
    );
    const ids = events.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    const middle = events[Math.floor(events.length / 2)]!;
    const rest = await readRunEvents(t, engineer, run.id, middle.id);
    expect(rest.map((e) => e.id)).toEqual(events.slice(events.indexOf(middle) + 1).map((e) => e.id));
  });

  it('produces a signed model: artifacts in the store, a manifest that verifies, and fails after a byte changes', async () => {
    const { result } = run;
    expect(result.artifacts.map((a) => a.path).sort()).toEqual(['model.json', 'preprocessor.json', 'spec.json', 'weights.bin']);
    expect(result.testMetrics!.accuracy).toBeGreaterThan(0.75);
    const store = t.app.get(ArtifactStore);
    const files = await Promise.all(result.artifacts.map(async (a) => ({ path: a.path, bytes: new Uint8Array(await store.read(a.digest)) })));
    const bundle = JSON.parse((await store.read(result.signatureDigest)).toString('utf8')) as unknown;
    const publicKey = createPublicKey(loadModelSigningKey(t.config).privateKey);
    expect(verifyModelSignature(bundle, publicKey, files)).toMatchObject({ ok: true });

    const weights = files.find((f) => f.path === 'weights.bin')!;
    const tampered = files.map((f) => (f === weights ? { path: f.path, bytes: Uint8Array.from(f.bytes, (b, i) => (i === 7 ? b ^ 1 : b)) } : f));
    expect(verifyModelSignature(bundle, publicKey, tampered).ok).toBe(false);
  });

  it('records requested, energy and completed evidence that link to each other, and removes the checkpoints', async () => {
    const records = (await as(regulator).get(`/evidence?subjectType=training_run&subjectId=${run.id}`)).body.items as {
      kind: string;
      digest: string;
      body: Record<string, unknown>;
    }[];
    expect(records.map((r) => r.kind)).toEqual(SUCCEEDED_KINDS);
    const [, energy, completed] = records;
    expect(completed!.digest).toBe(run.result.trainingEvidence);
    expect(completed!.body.energyEvidence).toBe(energy!.digest);
    expect(completed!.body).toMatchObject({
      modelDigest: run.result.modelDigest,
      backend: { name: expect.stringMatching(/^(wasm|cpu|tensorflow)$/), tfjsVersion: expect.any(String) },
      seed: 7,
      epochs: { completed: 8 },
    });
    expect((completed!.body.history as unknown[]).length).toBe(8);
    const measurement = energy!.body.measurement as Record<string, unknown>;
    expect(measurement.method).toMatch(/^(rapl|tdp-estimate)$/);
    expect(measurement.energyKwh).toBeGreaterThan(0);
    expect(measurement.estimatedFlops).toBeGreaterThan(0);

    const store = t.app.get(ArtifactStore);
    const checkpoints = (await readRunEvents(t, engineer, run.id)).filter((e) => e.event === 'epoch').map((e) => e.data.checkpointDigest as string);
    expect(checkpoints).toHaveLength(8);
    for (const digest of checkpoints) expect(await store.has(digest)).toBe(false);
    for (const artifact of run.result.artifacts) expect(await store.has(artifact.digest)).toBe(true);
  });

  it('measures the model on its test split: metrics with intervals, fairness over the datasheet attribute, robustness, explanations', async () => {
    const records = (await as(regulator).get(`/evidence?subjectType=training_run&subjectId=${run.id}`)).body.items as {
      kind: string;
      digest: string;
      body: Record<string, unknown>;
    }[];
    const body = <T>(kind: string, index = 0) => records.filter((r) => r.kind === kind)[index]!.body as T;
    const completed = records.find((r) => r.kind === 'training.completed')!;
    const evaluation = body<{ evaluation: BinaryEvaluation }>('evaluation.completed');
    expect(evaluation).toMatchObject({
      runId: run.id,
      modelDigest: run.result.modelDigest,
      trainingEvidence: completed.digest,
      split: { role: 'test' },
      classes: ['bad', 'good'],
    });
    const accuracy = evaluation.evaluation.metrics.accuracy as { value: number; ci: { lower: number; upper: number } };
    expect(accuracy.ci.lower).toBeLessThanOrEqual(accuracy.value);
    expect(accuracy.ci.upper).toBeGreaterThanOrEqual(accuracy.value);
    expect(accuracy.value).toBeCloseTo(run.result.testMetrics!.accuracy, 5);
    expect(evaluation.evaluation.bootstrap).toMatchObject({ resamples: 200, seed: 7 });
    // Per-group performance: every metric sliced by the sensitive attribute.
    expect(evaluation.evaluation.slices.map((slice) => [slice.column, slice.groups.map((g) => g.value).sort()])).toEqual([['sex', ['F', 'M']]]);

    const fairness = body<FairnessOutcome & { assessment: FairnessAssessment }>('fairness.assessed');
    expect(fairness).toMatchObject({ attributes: ['sex'], missingAttributes: [] });
    expect(fairness.assessment.attributeSets[0]!.groups.map((g) => g.values[0]).sort()).toEqual(['F', 'M']);
    expect(fairness.labelBalance!.attributeSets.length).toBeGreaterThan(0);
    // No disparity was planted in this data: the four-fifths rule holds.
    expect(fairness.assessment.attributeSets[0]!.fourFifthsRule.passes).toBe(true);

    expect(JSON.stringify(body('robustness.assessed'))).toContain('income');
    const global = body<{ scope: string; explanation: PermutationImportanceResult }>('explanation.generated');
    expect(global.scope).toBe('global');
    const importance = global.explanation.metrics[0]!.columns.map((c) => c.column);
    expect(importance.slice(0, 2).sort()).toEqual(['debt', 'income']); // the columns the label was made from
    expect(body('explanation.generated', 1)).toMatchObject({ scope: 'example', explanation: { checksPassed: true } });
    expect(records.filter((r) => r.kind === 'energy.measured').map((r) => r.body.stage)).toEqual(['training', 'evaluation']);
  });

  it('explains one prediction on request (right to an explanation), recording the input digest and not the input', async () => {
    const input = { age: 41, sex: 'F', income: 35, debt: 50, purpose: 'business' };
    const response = await as(regulator).post(`/runs/${run.id}/explain`, { input });
    expect(response.status).toBe(200);
    const explanation = response.body.explanation as PredictionExplanation;
    expect(explanation.prediction.label).toBe('bad'); // low income, high debt, business
    expect(explanation.methods.map((m) => m.method).sort()).toEqual(['integrated-gradients', 'kernel-shap']);
    expect(explanation.checksPassed).toBe(true);
    const record = (await as(regulator).get(`/evidence/${response.body.evidence as string}`)).body.records[0] as {
      kind: string;
      body: Record<string, unknown>;
    };
    expect(record.kind).toBe('explanation.generated');
    expect(record.body).toMatchObject({ scope: 'request', inputDigest: response.body.inputDigest, modelDigest: run.result.modelDigest });
    expect(JSON.stringify(record.body)).not.toContain('business');

    const missingField = await as(regulator).post(`/runs/${run.id}/explain`, { input: { age: 41 } });
    expect([missingField.status, missingField.body.error.code, missingField.body.error.details.column]).toEqual([400, 'EXPLANATION_INPUT_INVALID', 'sex']);
    const badValue = await as(regulator).post(`/runs/${run.id}/explain`, { input: { ...input, income: { $gt: 1 } }, methods: ['magic'] });
    expect(badValue.body.error.details.problems.map((p: { path: string }) => p.path)).toEqual(['/input/income', '/methods']);
    expect((await as(other).post(`/runs/${run.id}/explain`, { input })).status).toBe(404);
  });

  it('trains a CNN on images and explains examples with saliency maps (PNG artifacts)', async () => {
    const auth = { Authorization: `Bearer ${engineer.token}` };
    const images = (await as(engineer).post('/datasets', { name: 'bars' })).body.id as string;
    await t.http().post(`/datasets/${images}/versions`).set(auth).set('Content-Type', 'text/csv').send(barImagesCsv(400));
    await as(engineer).post(`/datasets/${images}/versions/1/transformations`, { type: 'split', ratios: { train: 0.7, test: 0.3 }, stratifyBy: 'bar', seed: 1 });
    const id = (await as(engineer).post('/runs', { datasetId: images, spec: barCnnRunSpec() })).body.id as string;
    const finished = (await waitForRun(t, engineer, id)) as unknown as { state: string; result: RunResult };
    expect(finished.state).toBe('succeeded');
    expect(finished.result.testMetrics!.accuracy).toBeGreaterThan(0.9);
    const examples = (
      (await as(regulator).get(`/evidence?subjectType=training_run&subjectId=${id}&kind=explanation.generated`)).body.items as {
        body: Record<string, unknown>;
      }[]
    )
      .map((r) => r.body)
      .filter((b) => b.scope === 'example');
    const maps = examples
      .map((b) => b.explanation as { method: string; pngDigest?: string; map?: { width: number; height: number } })
      .filter((e) => e.pngDigest);
    expect(maps).toHaveLength(1);
    expect(maps[0]!.map).toMatchObject({ width: 8, height: 8 });
    const png = await t.app.get(ArtifactStore).read(maps[0]!.pngDigest!);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('flags a planted group disparity with the four-fifths rule', async () => {
    const skewed = await registerSplitDataset(t, engineer, syntheticCreditCsv(600, 4, { sexEffect: 4 }));
    const id = (await as(engineer).post('/runs', { datasetId: skewed, spec: logisticRunSpec() })).body.id as string;
    expect((await waitForRun(t, engineer, id)).state).toBe('succeeded');
    const fairness = (await as(regulator).get(`/evidence?subjectType=training_run&subjectId=${id}&kind=fairness.assessed`)).body.items[0].body as {
      assessment: FairnessAssessment;
    };
    expect(fairness.assessment.attributeSets[0]!.fourFifthsRule).toMatchObject({ passes: false, adverselyImpactedGroups: [['F']] });
    expect(fairness.assessment.summary.fourFifthsFailures[0]!.attributes).toEqual(['sex']);
  });

  it('is reproducible: the same seed gives the same weights, another seed different ones', async () => {
    const start = async (seed: number) => (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec(8, seed) })).body.id as string;
    const [same, different] = [await start(7), await start(8)];
    const weights = async (id: string) => ((await waitForRun(t, engineer, id)).result as RunResult).artifacts.find((a) => a.path === 'weights.bin')!.digest;
    const original = run.result.artifacts.find((a) => a.path === 'weights.bin')!.digest;
    expect(await weights(same)).toBe(original);
    expect(await weights(different)).not.toBe(original);
  });

  it('refuses bad requests with clear codes and writes nothing', async () => {
    const before = (await as(engineer).get('/runs')).body.items.length as number;
    const badSpec = await as(engineer).post('/runs', { datasetId, spec: { ...logisticRunSpec(), model: { type: 'mlp', hiddenLayers: [], training: {} } } });
    expect(badSpec.status).toBe(400);
    expect(badSpec.body.error.code).toBe('RUN_REQUEST_INVALID');
    expect(badSpec.body.error.details.problems.map((p: { path: string }) => p.path)).toEqual(
      expect.arrayContaining(['/spec/model/hiddenLayers', '/spec/model/training/optimizer']),
    );

    const badColumn = await as(engineer).post('/runs', { datasetId, spec: { ...logisticRunSpec(), preprocessing: { label: 'nope' } } });
    expect(badColumn.status).toBe(400);
    expect(badColumn.body.error.details.problems).toEqual([{ path: '/spec/preprocessing/label', message: expect.stringContaining('unknown column') }]);

    const unknown = await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec(), priority: 'high' });
    expect(unknown.body.error.code).toBe('UNKNOWN_FIELD');
    const missing = await as(engineer).post('/runs', { datasetId: '00000000-0000-4000-8000-000000000000', spec: logisticRunSpec() });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'DATASET_NOT_FOUND']);
    const key = await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() }).set('Idempotency-Key', 'bad key');
    expect(key.body.error.code).toBe('IDEMPOTENCY_KEY_INVALID');

    const unsplit = (await as(engineer).post('/datasets', { name: 'unsplit' })).body.id as string;
    await t
      .http()
      .post(`/datasets/${unsplit}/versions`)
      .set('Authorization', `Bearer ${engineer.token}`)
      .set('Content-Type', 'text/csv')
      .send(syntheticCreditCsv(50));
    const notSplit = await as(engineer).post('/runs', { datasetId: unsplit, spec: logisticRunSpec() });
    expect([notSplit.status, notSplit.body.error.code]).toEqual([409, 'RUN_DATASET_NOT_SPLIT']);

    expect((await as(engineer).get('/runs')).body.items.length).toBe(before);
  });

  it('applies the role matrix: others cannot see or train on the data, regulators read but never act', async () => {
    // The worker's evidence about the run is the owner's to read, not another engineer's.
    const ownView = (await as(engineer).get(`/evidence?subjectType=training_run&subjectId=${run.id}`)).body.items.map((r: { kind: string }) => r.kind);
    expect(ownView.slice(0, SUCCEEDED_KINDS.length)).toEqual(SUCCEEDED_KINDS); // then the explanations requested above
    expect((await as(other).get(`/evidence?subjectType=training_run&subjectId=${run.id}`)).body.items).toEqual([]);
    expect((await as(other).get(`/runs/${run.id}`)).status).toBe(404);
    expect((await as(other).post('/runs', { datasetId, spec: logisticRunSpec() })).status).toBe(403);
    expect((await as(regulator).get(`/runs/${run.id}`)).status).toBe(200);
    expect((await as(regulator).post('/runs', { datasetId, spec: logisticRunSpec() })).status).toBe(403);
    expect((await as(regulator).post(`/runs/${run.id}/cancel`)).status).toBe(403);
    expect((await as(other).get('/runs')).body.items).toEqual([]);
  });

  it('fails a diverging run with TRAINING_DIVERGED and its evidence', async () => {
    const spec = logisticRunSpec();
    const diverging = { ...spec, model: { ...spec.model, training: { ...spec.model.training, optimizer: { type: 'sgd', learningRate: 1e38 } } } };
    const id = (await as(engineer).post('/runs', { datasetId, spec: diverging })).body.id as string;
    const finished = await waitForRun(t, engineer, id);
    expect(finished).toMatchObject({ state: 'failed', error: { code: 'TRAINING_DIVERGED' }, result: null });
    const kinds = (await as(engineer).get(`/evidence?subjectType=training_run&subjectId=${id}`)).body.items.map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(['training.requested', 'energy.measured', 'training.failed']);
    expect((await as(engineer).post(`/runs/${id}/cancel`)).body.error.code).toBe('RUN_NOT_CANCELLABLE');
  });

  it('cancels a running run after its current batch, with evidence and no checkpoint left behind', async () => {
    const id = (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec(400) })).body.id as string;
    const deadline = Date.now() + 60_000;
    while (((await as(engineer).get(`/runs/${id}`)).body.epochsCompleted as number) < 1) {
      if (Date.now() > deadline) throw new Error('the run never completed an epoch');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const cancel = await as(engineer).post(`/runs/${id}/cancel`);
    expect(cancel.status).toBe(202);
    const finished = await waitForRun(t, engineer, id);
    expect(finished).toMatchObject({ state: 'cancelled', cancelRequested: true });
    const records = (await as(regulator).get(`/evidence?subjectType=training_run&subjectId=${id}`)).body.items as {
      kind: string;
      body: Record<string, unknown>;
    }[];
    expect(records.map((r) => r.kind)).toEqual(['training.requested', 'energy.measured', 'training.cancelled']);
    const store = t.app.get(ArtifactStore);
    const checkpoints = (await readRunEvents(t, engineer, id)).filter((e) => e.event === 'epoch').map((e) => e.data.checkpointDigest as string);
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const digest of checkpoints) expect(await store.has(digest)).toBe(false);
  });
});

describe('training runs without a worker: queued cancellation and missing data', () => {
  let t: TestApp;
  let engineer: TestUser;
  let datasetId: string;

  beforeAll(async () => {
    t = await startTestApp({ ASSAY_RUN_POLL_MS: '100', ASSAY_LOG_LEVEL: 'warn', ...FAST_ASSESSMENT });
    engineer = await t.createUser('engineer');
    datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(200));
  });
  afterAll(() => t?.close());

  const post = (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${engineer.token}`).send(body);

  it('cancels a queued run at once', async () => {
    const id = (await post('/runs', { datasetId, spec: logisticRunSpec() })).body.id as string;
    const cancelled = await post(`/runs/${id}/cancel`);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', error: { code: 'RUN_CANCELLED' } });
    expect((await post(`/runs/${id}/cancel`)).status).toBe(409);
  });

  it('never gives one run to two workers: concurrent claims take each queued run once', async () => {
    const { TrainingRunStore } = await import('../src/pipeline/training/runs/training-run.store');
    const ids = new Set<string>();
    for (let i = 0; i < 4; i++) ids.add((await post('/runs', { datasetId, spec: logisticRunSpec(1, i) })).body.id as string);
    const store = t.app.get(TrainingRunStore);
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => store.claim(`racer-${i}`, 60_000)));
    const claimed = claims.filter((run) => run !== undefined).map((run) => run.id);
    expect(claimed.sort()).toEqual([...ids].sort());
    // Held under a live lease, none can be claimed again until it lapses.
    expect(await store.claim('late', 60_000)).toBeUndefined();
    for (const run of claims.filter((r) => r !== undefined)) await store.release({ runId: run.id, owner: run.lease_owner!, attempt: run.attempt });
    const reclaimed = await store.claim('after-release', 60_000);
    expect(reclaimed?.attempt).toBe(2);
    expect(ids.has(reclaimed!.id)).toBe(true);
  });

  it('fails a run whose split has vanished from the artifact store with DATASET_MISSING', async () => {
    const id = (await post('/runs', { datasetId, spec: logisticRunSpec() })).body.id as string;
    const train = (await t.http().get(`/runs/${id}`).set('Authorization', `Bearer ${engineer.token}`)).body.inputs.splits.find(
      (s: { role: string }) => s.role === 'train',
    );
    await t.app.get(ArtifactStore).delete(train.tableDigest as string);
    const { TrainingWorkerPool } = await import('../src/pipeline/training/runs/training-worker.pool');
    t.app.get(TrainingWorkerPool).start(1);
    const finished = await waitForRun(t, engineer, id);
    expect(finished).toMatchObject({ state: 'failed', error: { code: 'DATASET_MISSING', details: { role: 'train' } } });
  });
});
