import type { ModelReport } from '../src/pipeline/assessment/report/model-report';
import type { PredictionExplanation } from '../src/pipeline/explainability';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(180_000);

describe('model registry: models, versions from runs, the report and per-prediction explanations', () => {
  let t: TestApp;
  let engineer: TestUser;
  let other: TestUser;
  let officer: TestUser;
  let regulator: TestUser;
  let runId: string;
  let modelId: string;
  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
    patch: (path: string, body?: object) => t.http().patch(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });
  const declared = {
    name: 'credit-scoring',
    intendedUse: 'Pre-screen consumer loan applications; a credit officer decides.',
    prohibitedUses: ['Automated final credit decisions without human review'],
    riskTier: 'high',
    jurisdictions: ['DE', 'CN'],
    declarations: {
      knownLimitations: ['Trained on applications from 2019–2021 only.'],
      declaredPerformance: [{ metric: 'accuracy', minimum: 0.7 }],
      provider: { name: 'Example Bank AG', contact: 'ml-governance@example.org' },
      oversightMeasures: ['A credit officer reviews every declined application.'],
      stopProcedure: 'A compliance officer demotes the production alias (POST …/aliases/production/demote).',
    },
  };

  beforeAll(async () => {
    t = await startTestApp({ ASSAY_RUN_POLL_MS: '100', ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '2' }, { workers: true });
    [engineer, other, officer, regulator] = [
      await t.createUser('engineer'),
      await t.createUser('engineer'),
      await t.createUser('compliance_officer'),
      await t.createUser('regulator'),
    ];
    const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600));
    runId = (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() })).body.id as string;
    expect((await waitForRun(t, engineer, runId)).state).toBe('succeeded');
  });
  afterAll(() => t?.close());

  it('registers a model with its declared use and risk tier; names are unique; bad declarations are refused', async () => {
    const created = await as(engineer).post('/models', declared);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...declared, ownerId: engineer.id });
    modelId = created.body.id as string;
    expect((await as(other).post('/models', { ...declared, name: 'Credit-Scoring' })).body.error.code).toBe('MODEL_NAME_TAKEN');
    const bad = await as(engineer).post('/models', {
      ...declared,
      name: 'bad name!',
      riskTier: 'HIGH',
      jurisdictions: ['XX'],
      declarations: { declaredPerformance: [{ metric: 'accuracy', minimum: 'high' }] },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.error.details.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
      'declarations.declaredPerformance.0.minimum',
      'jurisdictions',
      'name',
      'riskTier',
    ]);
    const registered = (await as(officer).get(`/evidence?subjectType=model&subjectId=${modelId}&kind=model.registered`)).body.items[0].body as Record<
      string,
      unknown
    >;
    expect(registered.declarations).toEqual(declared.declarations);
    expect((await as(regulator).post('/models', { ...declared, name: 'x' })).status).toBe(403);
  });

  it('records every change of a declaration with its before and after', async () => {
    const changed = await as(engineer).patch(`/models/${modelId}`, { riskTier: 'limited', jurisdictions: ['DE'] });
    expect(changed.body).toMatchObject({ riskTier: 'limited', jurisdictions: ['DE'] });
    const records = (await as(officer).get(`/evidence?subjectType=model&subjectId=${modelId}`)).body.items as { kind: string; body: Record<string, unknown> }[];
    expect(records.map((r) => r.kind)).toEqual(['model.registered', 'model.updated']);
    expect(records[1]!.body).toEqual({
      modelId,
      before: { riskTier: 'high', jurisdictions: ['DE', 'CN'] },
      after: { riskTier: 'limited', jurisdictions: ['DE'] },
    });
    expect((await as(other).patch(`/models/${modelId}`, { riskTier: 'minimal' })).status).toBe(404);
    expect((await as(officer).patch(`/models/${modelId}`, { riskTier: 'minimal' })).status).toBe(403);
    await as(engineer).patch(`/models/${modelId}`, { riskTier: 'high' });
  });

  it("makes a succeeded run the model's next version, once", async () => {
    const version = await as(engineer).post(`/models/${modelId}/versions`, { runId });
    expect(version.status).toBe(201);
    const run = (await as(engineer).get(`/runs/${runId}`)).body as { result: { modelDigest: string; trainingEvidence: string } };
    expect(version.body).toMatchObject({ modelId, version: 1, runId, modelDigest: run.result.modelDigest, trainingEvidence: run.result.trainingEvidence });
    expect((await as(engineer).post(`/models/${modelId}/versions`, { runId })).body.error.code).toBe('RUN_ALREADY_REGISTERED');
    expect((await as(other).post(`/models/${modelId}/versions`, { runId })).status).toBe(404);
    expect((await as(regulator).get(`/models/${modelId}/versions`)).body.map((v: { version: number }) => v.version)).toEqual([1]);
    expect((await as(regulator).get(`/models/${modelId}/versions/2`)).body.error.code).toBe('MODEL_VERSION_NOT_FOUND');
  });

  it('serves the report of a version, assembled from its evidence records', async () => {
    const response = await as(regulator).get(`/models/${modelId}/versions/1/report`);
    expect(response.status).toBe(200);
    const report = response.body as ModelReport;
    expect(report.model).toMatchObject({ modelId, version: 1, name: 'credit-scoring', runId, modelType: 'logistic_regression', classes: ['bad', 'good'] });
    expect(report.training!.history).toHaveLength(8);
    expect(report.evaluation).toMatchObject({ task: 'binary' });
    expect(report.fairness!.attributeSets[0]!.attributes).toEqual(['sex']);
    expect(report.importance!.metrics.length).toBeGreaterThan(0);
    expect(report.explanations).toHaveLength(2);
    expect(report.energy!.map((e) => e.activity)).toEqual(['training', 'evaluation']);
    const records = (await as(regulator).get(`/evidence?subjectType=training_run&subjectId=${runId}`)).body.items as { digest: string; kind: string }[];
    // The report's sections come from every record but the request and the membership audit (which the evidence document, model card and Annex IV carry).
    expect(report.evidence.map((e) => e.digest)).toEqual(records.filter((r) => !['training.requested', 'privacy.attack-assessed'].includes(r.kind)).map((r) => r.digest));
  });

  it('serves the report as a self-contained HTML page with its charts as SVG and PNG files', async () => {
    const page = await as(regulator).get(`/models/${modelId}/versions/1/report?format=html`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('credit-scoring');
    expect(page.text).toContain('<svg');
    expect(page.text).not.toMatch(/<script|src="http|href="http/);
    const viaAccept = await as(regulator).get(`/models/${modelId}/versions/1/report`).set('Accept', 'text/html,application/xhtml+xml');
    expect(viaAccept.headers['content-type']).toMatch(/^text\/html/);

    const svg = await as(regulator).get(`/models/${modelId}/versions/1/report/charts/roc.svg`);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const png = await as(regulator).get(`/models/${modelId}/versions/1/report/charts/roc.png`).buffer(true);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(1, 4).toString('latin1')).toBe('PNG');
    const missing = await as(regulator).get(`/models/${modelId}/versions/1/report/charts/..%2Fsecret.png`);
    expect([missing.status, missing.body.error.code]).toEqual([404, 'REPORT_CHART_NOT_FOUND']);
    expect((await as(other).get(`/runs/${runId}/report?format=html`)).status).toBe(404);
  });

  it('explains one prediction of a version on request', async () => {
    const response = await as(officer).post(`/models/${modelId}/versions/1/explain`, { input: { age: 30, sex: 'M', income: 90, debt: 5, purpose: 'house' } });
    expect(response.status).toBe(200);
    expect((response.body.explanation as PredictionExplanation).prediction.label).toBe('good');
    // Explanations requested for individuals stay out of the model's report.
    const report = (await as(regulator).get(`/models/${modelId}/versions/1/report`)).body as ModelReport;
    expect(report.explanations).toHaveLength(2);
  });
});
