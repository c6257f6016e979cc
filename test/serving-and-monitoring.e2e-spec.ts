import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DataSource } from 'typeorm';
import { ArtifactStore } from '../src/platform/artifacts/artifact-store';
import { loadModel } from '../src/pipeline/training/model';
import { FittedPreprocessor } from '../src/pipeline/training/preprocessing';
import { DecisionBatcher } from '../src/serving/decision-log/decision-batcher';
import { decisionLeafHash, leafText } from '../src/serving/decision-log/decision-leaf';
import { verifyDecisionProof, type DecisionProof } from '../src/serving/decision-log/decision-proof';
import { verifyWebhookSignature } from '../src/serving/monitoring/webhooks/webhook-signature';
import { runCli } from './support/cli';
import { creditInputs, promoteThroughGate, type CreditInput } from './support/serving-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(300_000);

interface Predicted {
  model: { version: number; versionId: string; modelDigest: string; alias: string | null };
  logged: boolean;
  predictions: { id: string; label: string; score: number; explanation?: unknown; explanationDigest?: string }[];
}

const SECRET = 'a webhook secret of at least thirty-two characters';

describe('serving, the decision log and post-market monitoring', () => {
  let t: TestApp;
  let engineer: TestUser;
  let officer: TestUser;
  let regulator: TestUser;
  let modelId: string;
  const digests: Record<number, string> = {};
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];

  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
    put: (path: string, body?: object) => t.http().put(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });
  const predict = (alias: string, inputs: object[], extra: object = {}) =>
    as(engineer).post(`/models/serve-credit/aliases/${alias}/predict`, { inputs, ...extra });
  const logged = async () => Number((await t.app.get(DataSource).query<{ n: string }[]>(`SELECT count(*) AS n FROM predictions`))[0]!.n);
  const check = async () =>
    (await as(engineer).post(`/models/${modelId}/monitoring/checks`)).body as Array<{
      version: number;
      samples: number;
      metrics: { metric: string; target: string; value: number; threshold: number; breached: boolean; insufficient?: boolean }[];
      alerted: string[];
    }>;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
    t = await startTestApp(
      {
        ASSAY_RUN_POLL_MS: '100',
        ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '100',
        ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '0',
        ASSAY_DECISION_BATCH_MS: '60000',
        ASSAY_MONITORING_CHECK_MS: '0',
        ASSAY_WEBHOOK_POLL_MS: '200',
      },
      { workers: true },
    );
    [engineer, officer, regulator] = [await t.createUser('engineer'), await t.createUser('compliance_officer'), await t.createUser('regulator')];
    const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(800));
    modelId = (
      await as(engineer).post('/models', { name: 'serve-credit', intendedUse: 'Pre-screen loan applications.', riskTier: 'minimal', jurisdictions: ['DE'] })
    ).body.id as string;
    for (const seed of [7, 8]) {
      const runId = (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec(6, seed) })).body.id as string;
      expect((await waitForRun(t, engineer, runId)).state).toBe('succeeded');
      const version = await as(engineer).post(`/models/${modelId}/versions`, { runId });
      expect(version.status).toBe(201);
      digests[version.body.version as number] = version.body.modelDigest as string;
    }
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('serves nothing before the gate: no alias → 409 ALIAS_NOT_SERVING, an unpromoted version → 409 MODEL_VERSION_NOT_SERVING', async () => {
    const [input] = creditInputs(1, 1);
    expect((await predict('production', [input!])).body.error.code).toBe('ALIAS_NOT_SERVING');
    const byVersion = await as(engineer).post(`/models/${modelId}/versions/1/predict`, { input });
    expect([byVersion.status, byVersion.body.error.code]).toEqual([409, 'MODEL_VERSION_NOT_SERVING']);
    expect((await as(officer).post('/models/serve-credit/aliases/production/predict', { input })).status).toBe(403);
    expect(await logged()).toBe(0);
  });

  it('serves the promoted version with its exact digest, bit for bit what the version predicts offline', async () => {
    await promoteThroughGate(t, engineer, officer, modelId, 1, 'production');
    const inputs = creditInputs(64, 2);
    inputs[3]!.income = null; // imputed by the stored preprocessing
    const response = await predict('production', inputs);
    expect(response.status).toBe(200);
    const body = response.body as Predicted;
    expect(body.model).toMatchObject({ version: 1, modelDigest: digests[1], alias: 'production' });
    expect(body.logged).toBe(true);

    // Offline: the version's own artifacts, loaded here, on the same backend, over the same rows.
    const version = (await as(engineer).get(`/models/${modelId}/versions/1`)).body as { artifacts: { path: string; digest: string }[] };
    const read = async (path: string) => new Uint8Array(await t.app.get(ArtifactStore).read(version.artifacts.find((a) => a.path === path)!.digest));
    const model = await loadModel([
      { path: 'model.json', bytes: await read('model.json') },
      { path: 'weights.bin', bytes: await read('weights.bin') },
    ]);
    const preprocessor = FittedPreprocessor.fromJSON(JSON.parse(Buffer.from(await read('preprocessor.json')).toString('utf8')));
    const columns = ['age', 'sex', 'income', 'debt', 'purpose'];
    const table = preprocessor.transform({
      columns,
      rows: inputs.map((input) => columns.map((c) => (input[c as keyof CreditInput] === null ? null : String(input[c as keyof CreditInput])))),
    });
    const offline = tf.tidy(() => (model.predict(tf.tensor2d(table.x, [table.rows, preprocessor.featureCount])) as tf.Tensor).dataSync());
    const served = body.predictions.map((p) => p.score);
    expect(served.every((score, i) => Object.is(score, offline[i]))).toBe(true);
    expect(body.predictions.map((p) => p.label)).toEqual(Array.from(offline, (p) => (p >= 0.5 ? 'good' : 'bad')));

    // One input alone, by explicit version, equals the version offline on that row alone.
    const single = (await as(engineer).post(`/models/serve-credit/versions/1/predict`, { input: inputs[5] })).body as Predicted;
    const row = preprocessor.transformRow(Object.fromEntries(columns.map((c) => [c, String(inputs[5]![c as keyof CreditInput])])));
    const alone = tf.tidy(() => (model.predict(tf.tensor2d(row.x, [1, preprocessor.featureCount])) as tf.Tensor).dataSync());
    model.dispose();
    expect(single.model).toMatchObject({ version: 1, alias: null }); // asked by version, not through an alias
    expect(Object.is(single.predictions[0]!.score, alone[0])).toBe(true);
  });

  it('refuses invalid inputs with 400 and a code naming the field, and logs nothing', async () => {
    const before = await logged();
    const good = creditInputs(1, 3)[0]!;
    const cases: Array<[string, object, string, string | null]> = [
      ['missing field', { inputs: [{ ...good, debt: undefined }] }, 'PREDICTION_INPUT_INVALID', 'debt'],
      ['wrong type', { inputs: [good, { ...good, age: 'old' }] }, 'PREDICTION_INPUT_INVALID', 'age'],
      ['unknown category', { inputs: [{ ...good, purpose: 'yacht' }] }, 'PREDICTION_INPUT_INVALID', 'purpose'],
      ['unknown field', { inputs: [{ ...good, email: 'someone@example.org' }] }, 'PREDICTION_INPUT_INVALID', 'email'],
      ['oversized batch', { inputs: Array.from({ length: 1001 }, () => good) }, 'PREDICTION_BATCH_TOO_LARGE', null],
      ['empty batch', { inputs: [] }, 'PREDICTION_INPUT_INVALID', null],
      ['both input and inputs', { input: good, inputs: [good] }, 'PREDICTION_INPUT_INVALID', null],
    ];
    const unknownAlias = await as(engineer).post('/models/serve-credit/aliases/prod/predict', { input: good });
    expect([unknownAlias.status, unknownAlias.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    for (const [name, body, code, field] of cases) {
      const response = await as(engineer).post('/models/serve-credit/aliases/production/predict', body);
      expect([name, response.status, response.body.error.code]).toEqual([name, 400, code]);
      if (field) expect(response.body.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    // NaN cannot be written in JSON; 1e999 parses to Infinity and is refused as not finite.
    const nan = await t
      .http()
      .post('/models/serve-credit/aliases/production/predict')
      .set('Authorization', `Bearer ${engineer.token}`)
      .set('Content-Type', 'application/json')
      .send(`{"inputs":[{"age":1e999,"sex":"F","income":50,"debt":3,"purpose":"car"}]}`);
    expect([nan.status, nan.body.error.details.problems[0].code, nan.body.error.details.problems[0].field]).toEqual([400, 'NOT_FINITE', 'age']);
    expect(await logged()).toBe(before);
  });

  it('explains a prediction on request and commits the explanation’s digest with the decision', async () => {
    const response = (await predict('production', creditInputs(2, 4), { explain: true })).body as Predicted;
    expect(response.predictions[0]!.explanation).toBeDefined();
    expect(response.predictions[0]!.explanationDigest).toMatch(/^sha256:/);
    await t.app.get(DecisionBatcher).flush();
    const proof = (await as(engineer).get(`/predictions/${response.predictions[0]!.id}/proof`)).body as DecisionProof;
    expect(proof.leaf).toMatchObject({ id: response.predictions[0]!.id, explanationDigest: response.predictions[0]!.explanationDigest });
    expect(JSON.stringify(proof.leaf)).not.toContain('purpose'); // the input is only a digest
  });

  it('gives each of 10,000 predictions an inclusion proof that verifies offline against the signed checkpoint', async () => {
    const ids: string[] = [];
    const inputs = creditInputs(10_000, 5);
    for (let i = 0; i < inputs.length; i += 500) {
      const response = await predict('production', inputs.slice(i, i + 500));
      expect(response.status).toBe(200);
      ids.push(...(response.body as Predicted).predictions.map((p) => p.id));
    }
    expect(new Set(ids).size).toBe(10_000);
    const early = await as(engineer).get(`/predictions/${ids[0]}/proof`);
    expect([early.status, early.body.error.code]).toEqual([409, 'PREDICTION_NOT_YET_COMMITTED']);
    const batches = await t.app.get(DecisionBatcher).flush();
    expect(batches.reduce((n, b) => n + b.predictions, 0)).toBe(10_000);

    const key = (await as(regulator).get('/ledger/public-key')).body.verifierKey as string;
    let verified = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const response = await as(regulator).post('/predictions/proofs', { ids: ids.slice(i, i + 500) });
      expect(response.status).toBe(200);
      for (const proof of response.body.items as DecisionProof[]) {
        expect(verifyDecisionProof(proof, key)).toEqual({ ok: true });
        verified++;
      }
    }
    expect(verified).toBe(10_000);
    const [sample] = (await as(regulator).post('/predictions/proofs', { ids: [ids[42]] })).body.items as DecisionProof[];
    const tampered = { ...sample!, leaf: { ...sample!.leaf, output: { label: 'good', score: 0.99 } } } as DecisionProof;
    expect(verifyDecisionProof(tampered, key)).toMatchObject({ ok: false, step: 'leaf' });
    const forged = {
      ...sample!,
      leaf: tampered.leaf,
      leafHash: decisionLeafHash(leafText(tampered.leaf)).toString('hex'),
    };
    expect(verifyDecisionProof(forged, key)).toMatchObject({ ok: false, step: 'batch' }); // a re-hashed leaf is not in the batch

    // The same offline, with the CLI: a regulator's check of the proofs handed over.
    const dir = mkdtempSync(join(tmpdir(), 'assay-decision-'));
    writeFileSync(join(dir, 'ledger.vkey'), key);
    writeFileSync(join(dir, 'proofs.json'), JSON.stringify((await as(regulator).post('/predictions/proofs', { ids: ids.slice(0, 3) })).body));
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const ok = await runCli(['verify-decision', join(dir, 'proofs.json'), '--trusted-key', join(dir, 'ledger.vkey')], {});
    expect([ok.code, ok.stdout.match(/^OK /gm)?.length]).toEqual([0, 3]);
    const bad = await runCli(['verify-decision', join(dir, 'tampered.json'), '--trusted-key', join(dir, 'ledger.vkey')], {});
    expect([bad.code, bad.stdout]).toEqual([65, expect.stringContaining(`FAIL  ${ids[42]}: leaf`)]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('records an outcome once, for a class of the model', async () => {
    const id = ((await predict('production', creditInputs(1, 6))).body as Predicted).predictions[0]!.id;
    expect((await as(engineer).post(`/predictions/${id}/outcome`, { label: 'maybe' })).body.error.code).toBe('OUTCOME_LABEL_UNKNOWN');
    expect((await as(engineer).post(`/predictions/${id}/outcome`, { label: 'good' })).status).toBe(201);
    expect((await as(engineer).post(`/predictions/${id}/outcome`, { label: 'bad' })).body.error.code).toBe('OUTCOME_ALREADY_RECORDED');
    expect((await as(officer).post(`/predictions/${id}/outcome`, { label: 'bad' })).status).toBe(403);
  });

  it('raises no alert on predictions drawn like the training data (fixed seeds)', async () => {
    const plan = await as(engineer).put(`/models/${modelId}/monitoring`, { window: 'PT1H', minSamples: 200, webhooks: [{ url: receiverUrl, secret: SECRET }] });
    expect(plan.status).toBe(200);
    expect(plan.body.plan).toMatchObject({ decisionLogging: true, window: 'PT1H', webhooks: [{ url: receiverUrl }] });
    expect(JSON.stringify(plan.body)).not.toContain(SECRET);
    const [production] = await check();
    expect(production!.samples).toBeGreaterThan(10_000);
    expect(production!.metrics.filter((m) => m.metric === 'psi' || m.metric === 'ks').length).toBeGreaterThanOrEqual(5);
    expect(production!.metrics.filter((m) => m.breached)).toEqual([]);
    expect(production!.alerted).toEqual([]);
  });

  let driftAlerts: { id: string; metric: string; target: string; value: number; threshold: number }[] = [];

  it('detects a planted income shift for women at the configured threshold, on the feature and on that group’s prediction rate only', async () => {
    await promoteThroughGate(t, engineer, officer, modelId, 2, 'staging');
    const shifted = creditInputs(1_200, 7, { incomeShift: -35, shiftWho: (input) => input.sex === 'F' });
    for (const part of [shifted.slice(0, 600), shifted.slice(600)]) expect((await predict('staging', part)).body.model.version).toBe(2);
    // Thresholds out of reach first: values are measured and reported, nothing alerts.
    await as(engineer).put(`/models/${modelId}/monitoring`, {
      window: 'PT1H',
      minSamples: 200,
      thresholds: { psi: 10, ks: 1, predictionRateDelta: 1, groupPredictionRateDelta: 1, accuracyDrop: 1 },
      webhooks: [{ url: receiverUrl, secret: SECRET }],
    });
    const measured = (await check()).find((c) => c.version === 2)!;
    expect(measured.alerted).toEqual([]);
    const ks = measured.metrics.find((m) => m.metric === 'ks' && m.target === 'income')!;
    const female = measured.metrics.find((m) => m.metric === 'group_prediction_rate_delta' && m.target.startsWith('sex=F'))!;
    const male = measured.metrics.find((m) => m.metric === 'group_prediction_rate_delta' && m.target.startsWith('sex=M'))!;
    expect(ks.value).toBeGreaterThan(0.1);
    expect(female.value).toBeGreaterThan(0.15);
    expect(male.value).toBeLessThan(0.08);
    for (const m of measured.metrics.filter((x) => x.metric === 'psi' && x.target !== 'income')) expect(m.value).toBeLessThan(0.1);

    // Thresholds set exactly at the measured values: a breach is value ≥ threshold.
    await as(engineer).put(`/models/${modelId}/monitoring`, {
      window: 'PT1H',
      minSamples: 200,
      thresholds: { psi: null, ks: ks.value, predictionRateDelta: null, groupPredictionRateDelta: 0.1, accuracyDrop: null },
      webhooks: [{ url: receiverUrl, secret: SECRET }],
    });
    const alerted = (await check()).find((c) => c.version === 2)!;
    expect(
      alerted.metrics
        .filter((m) => m.breached)
        .map((m) => `${m.metric} ${m.target}`)
        .sort(),
    ).toEqual([`ks income`, expect.stringMatching(/^group_prediction_rate_delta sex=F\//)].sort());
    const status = (await as(officer).get(`/models/${modelId}/monitoring`)).body as { openAlerts: typeof driftAlerts };
    driftAlerts = status.openAlerts;
    expect(driftAlerts.map((a) => a.metric).sort()).toEqual(['group_prediction_rate_delta', 'ks']);
    // Checked again while open: no second alert.
    expect((await check()).find((c) => c.version === 2)!.alerted).toEqual([]);

    const versionId = (await as(engineer).get(`/models/${modelId}/versions/2`)).body.id as string;
    const evidence = (await as(regulator).get(`/evidence?subjectType=model_version&subjectId=${versionId}&kind=monitoring.alerted`)).body.items as {
      digest: string;
      body: { alertId: string };
    }[];
    expect(evidence.map((record) => record.body.alertId).sort()).toEqual(driftAlerts.map((a) => a.id).sort());

    // Signed webhooks, one per alert.
    const deadline = Date.now() + 10_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(2);
    for (const delivery of received) {
      expect(verifyWebhookSignature(SECRET, delivery.body, String(delivery.headers['assay-signature']))).toEqual({ ok: true });
      expect(JSON.parse(delivery.body)).toMatchObject({ event: 'monitoring.alerted', alert: { modelId, version: 2 } });
    }
  });

  it('puts the plan and the open alerts in the evidence document; the officer resolves them and may stop serving at once', async () => {
    const preview = await as(engineer).post(`/models/${modelId}/versions/2/promotions/preview`, { targetStage: 'production' });
    expect(preview.body.evidenceDocument.monitoring).toMatchObject({
      plan: { decisionLogging: true, window: 'PT1H', groupDrift: true, webhooks: 1 },
      openAlerts: 2,
    });
    expect(preview.body.evidenceDocument.monitoring.plan.features).toEqual(['age', 'sex', 'income', 'debt', 'purpose']);

    expect((await as(engineer).post(`/monitoring/alerts/${driftAlerts[0]!.id}/resolve`, { reason: 'Not mine to close.' })).status).toBe(403);
    const resolved = await as(officer).post(`/monitoring/alerts/${driftAlerts[0]!.id}/resolve`, {
      reason: 'Income data feed fixed upstream; shift explained.',
    });
    expect([resolved.status, resolved.body.state]).toEqual([200, 'resolved']);
    expect(
      (await as(officer).post(`/monitoring/alerts/${driftAlerts[0]!.id}/resolve`, { reason: 'Income data feed fixed upstream; shift explained.' })).body.error
        .code,
    ).toBe('MONITORING_ALERT_RESOLVED');
    const after = await as(engineer).post(`/models/${modelId}/versions/2/promotions/preview`, { targetStage: 'production' });
    expect(after.body.evidenceDocument.monitoring.openAlerts).toBe(1);

    // Art. 14 stop: the officer demotes staging; the next request is refused.
    expect((await as(officer).post(`/models/${modelId}/aliases/staging/demote`, { reason: 'Drift under investigation.' })).status).toBeLessThan(300);
    const stopped = await predict('staging', creditInputs(1, 8));
    expect([stopped.status, stopped.body.error.code]).toEqual([409, 'ALIAS_NOT_SERVING']);
  });

  it('detects a quality drop once outcomes arrive', async () => {
    await as(engineer).put(`/models/${modelId}/monitoring`, {
      window: 'PT1H',
      minSamples: 100,
      thresholds: { psi: null, ks: null, predictionRateDelta: null, groupPredictionRateDelta: null, accuracyDrop: 0.05 },
    });
    const answered = (await predict('production', creditInputs(150, 9))).body as Predicted;
    for (const p of answered.predictions)
      expect((await as(engineer).post(`/predictions/${p.id}/outcome`, { label: p.label === 'good' ? 'bad' : 'good' })).status).toBe(201);
    const [production] = await check();
    const quality = production!.metrics.find((m) => m.metric === 'accuracy_drop')!;
    expect(quality).toMatchObject({ breached: true });
    expect(quality.value).toBeGreaterThan(0.5);
  });

  it('serves the new version from the next request after the alias moves', async () => {
    await promoteThroughGate(t, engineer, officer, modelId, 2, 'production');
    const next = (await predict('production', creditInputs(1, 10))).body as Predicted;
    expect(next.model).toMatchObject({ version: 2, modelDigest: digests[2] });
  });
});
