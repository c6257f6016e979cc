import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PolicyDecision } from '../src/governance/policy';
import { runCli } from './support/cli';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(180_000);

const SHIPPED_PACKS = resolve(__dirname, '..', 'policies');

interface Promotion {
  id: string;
  state: string;
  decision: PolicyDecision;
  requestedBy: string;
  decisionDigest: string;
  evidenceDocumentDigest: string;
}

describe('the promotion gate: policy decision, waivers, human approval, aliases and the stop', () => {
  let t: TestApp;
  let engineer: TestUser;
  let officer: TestUser;
  let secondOfficer: TestUser;
  let regulator: TestUser;
  let admin: TestUser;
  let modelId: string;
  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
    delete: (path: string, body?: object) => t.http().delete(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });
  const request = async () => (await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' })).body as Promotion;

  beforeAll(async () => {
    t = await startTestApp({ ASSAY_RUN_POLL_MS: '100', ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1' }, { workers: true });
    [engineer, officer, secondOfficer, regulator, admin] = [
      await t.createUser('engineer'),
      await t.createUser('compliance_officer'),
      await t.createUser('compliance_officer'),
      await t.createUser('regulator'),
      await t.createUser('admin'),
    ];
    const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600));
    const runId = (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() })).body.id as string;
    expect((await waitForRun(t, engineer, runId)).state).toBe('succeeded');
    modelId = (await as(engineer).post('/models', { name: 'gate', intendedUse: 'Pre-screen loan applications.', riskTier: 'minimal', jurisdictions: ['DE'] }))
      .body.id as string;
    expect((await as(engineer).post(`/models/${modelId}/versions`, { runId })).status).toBe(201);
  });
  afterAll(() => t?.close());

  let blocked: Promotion;

  it('previews without recording, then blocks a request at once with the rules, citations and values that failed', async () => {
    const preview = await as(engineer).post(`/models/${modelId}/versions/1/promotions/preview`, { targetStage: 'production' });
    expect(preview.status).toBe(200);
    expect(preview.body.evidenceDocument.format).toBe('assay.evidence/v1');
    expect((await as(officer).get('/promotions')).body.items).toEqual([]);

    blocked = await request();
    expect(blocked.state).toBe('blocked');
    const decision = blocked.decision;
    expect(decision.outcome).toBe('blocked');
    expect(decision.blockedBy).toEqual(expect.arrayContaining([{ packId: 'baseline', ruleId: 'datasheet-complete' }]));
    const failed = decision.rules.find((r) => r.packId === 'baseline' && r.ruleId === 'datasheet-complete')!;
    expect(failed.cites.length).toBeGreaterThan(0);
    expect(failed.message).toContain('Datasheet missing or incomplete');
    expect(decision.packs.map((p) => p.digest)).toEqual(expect.arrayContaining([expect.stringMatching(/^sha256:/)]));
    expect(decision.evidenceDigest).toBe(blocked.evidenceDocumentDigest);
    const records = (await as(regulator).get(`/evidence?subjectType=promotion&subjectId=${blocked.id}`)).body.items.map((r: { kind: string }) => r.kind);
    expect(records).toEqual(['policy.evaluated', 'promotion.requested']);
  });

  it('replays the recorded decision offline with assay policy replay; an edited pack changes the digest and shows as a difference', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-replay-'));
    const evidence = (await as(regulator).get(`/promotions/${blocked.id}/evidence-document`)).body as Record<string, unknown>;
    writeFileSync(join(dir, 'evidence.json'), JSON.stringify(evidence));
    writeFileSync(join(dir, 'promotion.json'), JSON.stringify((await as(regulator).get(`/promotions/${blocked.id}`)).body));
    const replay = (packs: string) =>
      runCli(['policy', 'replay', '--evidence', join(dir, 'evidence.json'), '--decision', join(dir, 'promotion.json'), '--packs', packs], {});
    const same = await replay(SHIPPED_PACKS);
    expect([same.code, same.stdout]).toEqual([0, expect.stringContaining('identical to the recorded decision')]);

    const edited = join(dir, 'packs');
    cpSync(SHIPPED_PACKS, edited, { recursive: true });
    const rules = join(edited, 'baseline', 'data.rules.yaml');
    writeFileSync(rules, readFileSync(rules, 'utf8').replace('Datasheet missing or incomplete for', 'Datasheet absent or incomplete for'));
    const differs = await replay(edited);
    expect(differs.code).toBe(65);
    expect(differs.stdout).toMatch(/packs.*digest/);
    // The recorded decision keeps the digest of the pack it used.
    expect(((await as(regulator).get(`/promotions/${blocked.id}`)).body as Promotion).decision.packs.find((p) => p.id === 'baseline')!.digest).toBe(
      blocked.decision.packs.find((p) => p.id === 'baseline')!.digest,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses waivers of non-waivable or unknown rules; waivable ones unblock the next request', async () => {
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const waive = (user: TestUser, packId: string, ruleId: string) =>
      as(user).post('/waivers', {
        modelId,
        version: 1,
        packId,
        ruleId,
        justification: 'Accepted by the credit risk committee, minute 2026-11.',
        expiresAt: until,
      });
    expect((await waive(officer, 'baseline', 'artifacts-signed')).body.error.code).toBe('WAIVER_NOT_ALLOWED');
    expect((await waive(officer, 'baseline', 'no-such-rule')).body.error.code).toBe('WAIVER_NOT_ALLOWED');
    expect((await waive(engineer, 'baseline', 'datasheet-complete')).status).toBe(403);
    for (const ref of blocked.decision.blockedBy) expect((await waive(officer, ref.packId, ref.ruleId)).status).toBe(201);

    const pending = await request();
    expect(pending.state).toBe('pending_approval');
    expect(pending.decision.rules.filter((r) => r.outcome === 'waived').length).toBe(blocked.decision.blockedBy.length);
    expect((await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' })).body.error.code).toBe(
      'PROMOTION_ALREADY_PENDING',
    );
  });

  it('is decided by a compliance officer: not the requester, not an admin, not a regulator; concurrent approvals → exactly one', async () => {
    const pending = ((await as(officer).get('/promotions?state=pending_approval')).body.items as Promotion[])[0]!;
    expect((await as(engineer).post(`/promotions/${pending.id}/approve`, { rationale: 'mine' })).status).toBe(403);
    expect((await as(admin).post(`/promotions/${pending.id}/approve`, { rationale: 'admin' })).status).toBe(403);
    expect((await as(regulator).post(`/promotions/${pending.id}/approve`, { rationale: 'regulator' })).status).toBe(403);
    expect((await as(regulator).get(`/promotions/${pending.id}`)).status).toBe(200);

    const [first, second] = await Promise.all([
      as(officer).post(`/promotions/${pending.id}/approve`, { rationale: 'Evidence reviewed; waivers justified.' }),
      as(secondOfficer).post(`/promotions/${pending.id}/approve`, { rationale: 'Evidence reviewed too.' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect([first, second].find((r) => r.status === 409)!.body.error.code).toBe('PROMOTION_NOT_PENDING');

    const aliases = (await as(regulator).get(`/models/${modelId}/aliases`)).body as { alias: string; version: number }[];
    expect(aliases).toEqual([expect.objectContaining({ alias: 'production', version: 1 })]);
    const requester = (await as(engineer).get(`/promotions/${pending.id}`)).body as Promotion & { rationale: string };
    expect(requester).toMatchObject({ state: 'approved' });
    expect(requester.rationale).toMatch(/Evidence reviewed/);
  });

  it('stops at once when a compliance officer demotes, with the reason in the alias history', async () => {
    expect((await as(engineer).post(`/models/${modelId}/aliases/production/demote`, { reason: 'mine' })).status).toBe(403);
    const history = await as(officer).post(`/models/${modelId}/aliases/production/demote`, { reason: 'Complaint under review (Art. 14 stop).' });
    expect(history.status).toBe(200);
    expect(
      (history.body as { kind: string; fromVersion: number | null; toVersion: number | null; reason: string | null }[]).map((m) => [
        m.kind,
        m.fromVersion,
        m.toVersion,
      ]),
    ).toEqual([
      ['promotion', null, 1],
      ['demotion', 1, null],
    ]);
    expect((await as(regulator).get(`/models/${modelId}/aliases`)).body).toEqual([]);
    expect((await as(officer).post(`/models/${modelId}/aliases/production/demote`, { reason: 'again' })).body.error.code).toBe('ALIAS_NOT_SET');
    const recorded = (await as(regulator).get(`/evidence?subjectType=model&subjectId=${modelId}&kind=alias.moved`)).body.items as {
      body: { kind: string; reason?: string };
    }[];
    expect(recorded.map((r) => r.body.kind)).toEqual(['promotion', 'demotion']);
    expect((await t.http().get('/ledger/checkpoint').set('Authorization', `Bearer ${regulator.token}`)).status).toBe(200);
  });

  it('blocks a high-risk model trained on personal data without a lawful basis, and for disparate impact (EU AI Act Art. 10)', async () => {
    const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600, 5, { sexEffect: 4, emails: true }));
    const runId = (
      await as(engineer).post('/runs', {
        datasetId,
        spec: { ...logisticRunSpec(), preprocessing: { label: 'credit_risk', positiveLabel: 'good', features: ['age', 'income', 'debt', 'purpose', 'sex'] } },
      })
    ).body.id as string;
    expect((await waitForRun(t, engineer, runId)).state).toBe('succeeded');
    const high = (
      await as(engineer).post('/models', {
        name: 'gate-high-risk',
        intendedUse: 'Pre-screen loan applications; a credit officer decides.',
        riskTier: 'high',
        jurisdictions: ['DE'],
        declarations: {
          knownLimitations: ['Synthetic data.'],
          declaredPerformance: [{ metric: 'accuracy', minimum: 0.6 }],
          provider: { name: 'Example Bank AG', contact: 'ml-governance@example.org' },
          oversightMeasures: ['A credit officer reviews every decision.'],
          stopProcedure: 'A compliance officer demotes the alias.',
        },
      })
    ).body.id as string;
    expect((await as(engineer).post(`/models/${high}/versions`, { runId })).status).toBe(201);
    const promotion = (await as(engineer).post(`/models/${high}/versions/1/promotions`, { targetStage: 'staging' })).body as Promotion;
    expect(promotion.state).toBe('blocked');
    expect(promotion.decision.blockedBy).toEqual(
      expect.arrayContaining([
        { packId: 'eu-ai-act-high-risk', ruleId: 'art10-2-b-personal-data-lawful-basis' },
        { packId: 'eu-ai-act-high-risk', ruleId: 'art10-2-g-disparate-impact' },
      ]),
    );
    const impact = promotion.decision.rules.find((r) => r.ruleId === 'art10-2-g-disparate-impact')!;
    expect(impact.cites.join(' ')).toMatch(/Art\. 10/);
    expect(JSON.stringify(impact.observed)).toMatch(/0\.[0-7]/); // the observed ratio, below four fifths
  });

  it('stops counting a revoked waiver: the next request is blocked again', async () => {
    const waivers = (await as(officer).get(`/waivers?modelId=${modelId}&version=1`)).body as { id: string; active: boolean }[];
    expect(waivers.every((w) => w.active)).toBe(true);
    expect((await as(officer).delete(`/waivers/${waivers[0]!.id}`, { reason: 'The committee withdrew its acceptance.' })).status).toBe(200);
    expect((await request()).state).toBe('blocked');
  });
});
