import { PUBLISHED_DELTA, PUBLISHED_EPSILONS } from '../src/pipeline/training/differential-privacy/published-epsilons.fixture';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { barCnnRunSpec, logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(240_000);

const dpSpec = (noiseMultiplier: number, epochs = 4) => ({
  ...logisticRunSpec(epochs),
  differentialPrivacy: { noiseMultiplier, l2NormClip: 1, delta: 1e-5, expectedBatchSize: 32, conversion: 'classic' },
});

describe('privacy-preserving training: ε before training, DP-SGD runs, budgets that are never overspent, the membership audit', () => {
  let t: TestApp;
  let engineer: TestUser;
  let officer: TestUser;
  let datasetId: string;
  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
    put: (path: string, body?: object) => t.http().put(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });
  const epsilonOf = async (noiseMultiplier: number, epochs: number) =>
    (await as(engineer).post('/privacy/epsilon', { rows: 360, expectedBatchSize: 32, epochs, noiseMultiplier, delta: 1e-5, conversion: 'classic' })).body
      .epsilon as number;

  beforeAll(async () => {
    t = await startTestApp({ ASSAY_RUN_POLL_MS: '100', ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1' }, { workers: true });
    [engineer, officer] = [await t.createUser('engineer'), await t.createUser('compliance_officer')];
    datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600)); // train split: 360 rows
  });
  afterAll(() => t?.close());

  it('POST /privacy/epsilon answers with the published ε (classic conversion), the tighter one beside it, and calibrates σ for a target', async () => {
    for (const published of PUBLISHED_EPSILONS) {
      const response = await as(engineer).post('/privacy/epsilon', {
        sampleRate: published.B / published.N,
        steps: Math.ceil((published.epochs * published.N) / published.B),
        noiseMultiplier: published.sigma,
        delta: PUBLISHED_DELTA,
        conversion: 'classic',
      });
      expect(response.status).toBe(200);
      expect(Math.abs(response.body.epsilon - published.epsilon)).toBeLessThanOrEqual(0.01);
      expect(response.body.byConversion.balle2020).toBeLessThanOrEqual(response.body.byConversion.classic);
      expect(response.body).toMatchObject({ accountant: 'rdp', mechanism: 'sampled_gaussian', conversion: 'classic', calibrated: false });
    }
    const calibrated = await as(engineer).post('/privacy/epsilon', { rows: 60000, expectedBatchSize: 256, epochs: 60, targetEpsilon: 3, delta: 1e-5, conversion: 'classic' });
    expect(calibrated.status).toBe(200);
    expect(calibrated.body.calibrated).toBe(true);
    expect(calibrated.body.epsilon).toBeLessThanOrEqual(3);
    expect(calibrated.body.noiseMultiplier).toBeGreaterThan(1.05);
    expect(calibrated.body.noiseMultiplier).toBeLessThan(1.2);

    const both = await as(engineer).post('/privacy/epsilon', { sampleRate: 0.01, rows: 100, expectedBatchSize: 1, steps: 10, noiseMultiplier: 1, delta: 1e-5 });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('PRIVACY_PARAMETERS_INVALID');
    const hostile = await as(engineer).post('/privacy/epsilon', { sampleRate: 'lots', steps: 10, noiseMultiplier: 1, delta: 2 });
    expect(hostile.status).toBe(400);
    expect(hostile.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a bad DP spec by field, and DP for a CNN', async () => {
    const bad = await as(engineer).post('/runs', { datasetId, spec: { ...logisticRunSpec(), differentialPrivacy: { noiseMultiplier: -1, l2NormClip: 1, delta: 1e-5 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/spec/differentialPrivacy/noiseMultiplier' })]));
    const extra = await as(engineer).post('/runs', { datasetId, spec: { ...dpSpec(1), differentialPrivacy: { noiseMultiplier: 1, l2NormClip: 1, delta: 1e-5, epsilon: 3 } } });
    expect(extra.body.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/spec/differentialPrivacy/epsilon' })]));
    const cnn = await as(engineer).post('/runs', { datasetId, spec: { ...barCnnRunSpec(), differentialPrivacy: { noiseMultiplier: 1, l2NormClip: 1, delta: 1e-5 } } });
    expect(cnn.status).toBe(400);
    expect(cnn.body.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/spec/model/type', message: expect.stringContaining('DP-SGD') })]));
  });

  it('trains with DP-SGD and records the (ε, δ) it spent: what POST /privacy/epsilon said beforehand', async () => {
    const planned = await epsilonOf(1.2, 4);
    const run = (await as(engineer).post('/runs', { datasetId, spec: dpSpec(1.2) })).body;
    const done = await waitForRun(t, engineer, run.id as string);
    expect(done.state).toBe('succeeded');
    const completed = (await as(engineer).get(`/evidence?subjectType=training_run&subjectId=${run.id}&kind=training.completed`)).body.items[0].body;
    expect(completed.differentialPrivacy).toMatchObject({ accountant: 'rdp', conversion: 'classic', noiseMultiplier: 1.2, l2NormClip: 1, delta: 1e-5, expectedBatchSize: 32 });
    expect(completed.differentialPrivacy.steps).toBe(4 * Math.ceil(360 / 32));
    expect(completed.differentialPrivacy.epsilon).toBeCloseTo(planned, 6);
    // The membership audit runs for private and non-private runs alike.
    const plain = (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec(4) })).body.id as string;
    expect((await waitForRun(t, engineer, plain)).state).toBe('succeeded');
    for (const id of [run.id as string, plain]) {
      const audit = (await as(engineer).get(`/evidence?subjectType=training_run&subjectId=${id}&kind=privacy.attack-assessed`)).body.items[0].body;
      expect(audit).toMatchObject({ attack: 'loss_threshold', members: 120, nonMembers: 120, membersSplit: { role: 'train' }, split: { role: 'test' } });
      expect(audit.auc).toBeGreaterThanOrEqual(0);
      expect(audit.aucCi.lower).toBeLessThanOrEqual(audit.aucCi.upper);
    }
  });

  it('charges budgets: a non-private run is refused, two runs at once never overspend, raising needs a compliance officer', async () => {
    const version1 = `/datasets/${datasetId}/versions/1/privacy-budget`;
    // A budget for a little more than one run of σ = 1.2 over 4 epochs, less than two.
    const oneRun = await epsilonOf(1.2, 4);
    const twoRuns = (
      await as(engineer).post('/privacy/epsilon', { sampleRate: 32 / 360, steps: 2 * 4 * Math.ceil(360 / 32), noiseMultiplier: 1.2, delta: 1e-5, conversion: 'classic' })
    ).body.epsilon as number;
    expect(twoRuns).toBeGreaterThan(oneRun);
    const budget = (oneRun + twoRuns) / 2;
    const set = await as(engineer).put(version1, { epsilon: budget, delta: 1e-5, conversion: 'classic' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ budget: { epsilon: budget, delta: 1e-5 }, spentEpsilon: 0, charges: [] });

    const plain = await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() });
    expect(plain.status).toBe(409);
    expect(plain.body.error.code).toBe('PRIVACY_BUDGET_REQUIRES_DP');

    const both = await Promise.all([as(engineer).post('/runs', { datasetId, spec: dpSpec(1.2) }), as(engineer).post('/runs', { datasetId, spec: dpSpec(1.2) })]);
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    const refused = both.find((r) => r.status === 409)!;
    expect(refused.body.error.code).toBe('PRIVACY_BUDGET_EXCEEDED');
    expect(refused.body.error.details.wouldSpend).toBeGreaterThan(budget);

    const after = (await as(officer).get(version1)).body;
    expect(after.charges).toHaveLength(1);
    expect(after.spentEpsilon).toBeCloseTo(oneRun, 6);
    expect(after.remainingEpsilon).toBeCloseTo(budget - oneRun, 6);
    const admitted = both.find((r) => r.status === 202)!.body.id as string;
    expect(after.charges[0].runId).toBe(admitted);
    const charged = (await as(engineer).get(`/evidence?subjectType=training_run&subjectId=${admitted}&kind=privacy.budget-charged`)).body.items;
    expect(charged).toHaveLength(1);
    expect(charged[0].body).toMatchObject({ datasetVersionId: after.datasetVersionId, budget: { epsilon: budget } });
    expect((await waitForRun(t, engineer, admitted)).state).toBe('succeeded');

    expect((await as(engineer).put(version1, { epsilon: budget * 3, delta: 1e-5, conversion: 'classic' })).body.error.code).toBe('ACCESS_DENIED');
    expect((await as(officer).put(version1, { epsilon: oneRun / 2, delta: 1e-5, conversion: 'classic' })).body.error.code).toBe('PRIVACY_BUDGET_BELOW_SPENT');
    expect((await as(officer).put(version1, { epsilon: budget * 3, delta: 1e-5, conversion: 'classic' })).status).toBe(200);
    expect((await as(engineer).post('/runs', { datasetId, spec: dpSpec(1.2) })).status).toBe(202);
  });

  it('puts ε, δ, the budget and the membership audit in the evidence document the packs read', async () => {
    const charged = (await as(engineer).get('/evidence?kind=privacy.budget-charged')).body.items[0].body as { runId: string; spentEpsilon: number; remainingEpsilon: number };
    const run = { id: charged.runId };
    expect((await waitForRun(t, engineer, run.id)).state).toBe('succeeded');
    const modelId = (await as(engineer).post('/models', { name: 'dp-credit', intendedUse: 'Pre-screen loan applications.', riskTier: 'minimal', jurisdictions: ['DE'] })).body.id as string;
    expect((await as(engineer).post(`/models/${modelId}/versions`, { runId: run.id })).status).toBe(201);
    const preview = (await as(engineer).post(`/models/${modelId}/versions/1/promotions/preview`, { targetStage: 'production' })).body;
    const document = preview.evidenceDocument;
    expect(document.differentialPrivacy).toMatchObject({ accountant: 'rdp', mechanism: 'sampled_gaussian', conversion: 'classic', noiseMultiplier: 1.2, l2NormClip: 1 });
    expect(document.differentialPrivacy.budget).toEqual({ epsilon: expect.any(Number), delta: 1e-5, spentEpsilon: charged.spentEpsilon, remainingEpsilon: charged.remainingEpsilon });
    expect(document.membershipInference).toMatchObject({ attack: 'loss_threshold', members: 120, nonMembers: 120 });
    const nist = preview.decision.rules.find((r: { ruleId: string }) => r.ruleId === 'measure-2-10-differential-privacy-budget');
    expect(nist.outcome).toBe('pass');
    expect(nist.observed['evidence.differentialPrivacy.epsilon']).toBe(document.differentialPrivacy.epsilon);
  });
});
