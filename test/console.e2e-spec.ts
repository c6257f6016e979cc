/**
 * The web console in a real browser (Debian's chromium driven by playwright-core): the issue's
 * flows for a compliance officer, a regulator and an engineer; in-page WebCrypto proof checks;
 * a downloaded bundle that verifies offline; axe-core on every main page; screenshots.
 * Runs in both passes (PGlite and PostgreSQL). Without /usr/bin/chromium it is skipped with a
 * warning on a developer's machine, and fails under CI.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readBundleArchive, verifyEvidenceBundle, writeBundleArchive } from '../src/governance/exports/bundle';
import { DOCUMENT_FILES } from '../src/governance/exports/dossier-documents';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '..');
const CHROMIUM = process.env.ASSAY_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-output', 'console', process.env.ASSAY_TEST_DB ?? 'pglite');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI) throw new Error(`console e2e: ${CHROMIUM} is missing (CI installs it: apt-get install -y chromium)`);
  console.warn(`SKIPPED test/console.e2e-spec.ts: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set ASSAY_CHROMIUM)`);
}
const describeBrowser = hasChromium ? describe : describe.skip;

interface Promotion {
  id: string;
  state: string;
  decision: { blockedBy: { packId: string; ruleId: string }[] };
}

describeBrowser('web console in headless Chromium: review, ledger proof, exports, roles, languages, accessibility', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  let engineer: TestUser;
  let officer: TestUser;
  let regulator: TestUser;
  let modelId: string;
  let blocked: Promotion;
  let passing: Promotion;
  let trustedKey: string;
  const cspViolations: string[] = [];
  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });

  const openAs = async (user: TestUser): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => cspViolations.push(`page error: ${error.message}`));
    await page.goto(`${url}/`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'main' }).waitFor();
    return { context, page };
  };

  const go = async (page: Page, hash: string, heading: string | RegExp) => {
    await page.goto(`${url}/#${hash}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  /** Screenshot and axe-core: no serious or critical violations. */
  const check = async (page: Page, name: string) => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    await page.evaluate(axe.source);
    const result = await page.evaluate(async () => {
      const run = await (globalThis as unknown as { axe: typeof axe }).axe.run({ resultTypes: ['violations'] });
      return run.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
    });
    expect({ page: name, violations: result.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ page: name, violations: [] });
  };

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'console', 'dist', 'index.html'))) execFileSync('npm', ['run', 'build:console'], { cwd: ROOT, stdio: 'inherit' });
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp({ ASSAY_RUN_POLL_MS: '100', ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1' }, { workers: true });
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    [engineer, officer, regulator] = [await t.createUser('engineer'), await t.createUser('compliance_officer'), await t.createUser('regulator')];

    const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600));
    const runId = (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() })).body.id as string;
    expect((await waitForRun(t, engineer, runId)).state).toBe('succeeded');
    modelId = (await as(engineer).post('/models', { name: 'console-credit', intendedUse: 'Pre-screen loan applications.', riskTier: 'minimal', jurisdictions: ['DE'] }))
      .body.id as string;
    expect((await as(engineer).post(`/models/${modelId}/versions`, { runId })).status).toBe(201);
    blocked = (await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' })).body as Promotion;
    expect(blocked.state).toBe('blocked');
    trustedKey = (await as(regulator).get('/ledger/public-key')).body.verifierKey as string;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the console at / with its assets under /console/, under a same-origin CSP, outside the API guard', async () => {
    const index = await t.http().get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(index.text)![1]!;
    expect((await t.http().get(script)).status).toBe(200);
    expect(index.text).not.toMatch(/<script(?![^>]*src=)/); // no inline script
    // The API stays guarded.
    expect((await t.http().get('/models')).status).toBe(401);
  });

  it('a compliance officer sees the blocked request and why, waives a rule in the page, then approves the passing request', async () => {
    const { context, page } = await openAs(officer);
    await page.getByRole('link', { name: 'Review queue' }).waitFor();
    await go(page, '/models', 'Models');
    await page.getByRole('link', { name: 'console-credit' }).waitFor();
    await check(page, 'models');

    await go(page, `/models/${modelId}/versions/1`, /console-credit/);
    const firstBlock = blocked.decision.blockedBy[0]!;
    const row = page.locator(`tr[data-rule="${firstBlock.packId}/${firstBlock.ruleId}"]`);
    await expect(row.getAttribute('data-outcome')).resolves.toBe('fail');
    await page.getByRole('heading', { name: 'Metrics (95% intervals)' }).waitFor();
    await page.locator('figure img').first().waitFor();
    await check(page, 'model-version');

    await go(page, '/review', 'Review queue');
    await page.locator(`tr[data-promotion="${blocked.id}"] a`).first().click();
    await page.getByRole('heading', { name: 'Why' }).waitFor();
    await expect(page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
    await check(page, 'request-blocked');
    // Waive the first blocking rule through the page.
    await row.getByRole('button', { name: 'Waive this rule' }).click();
    await page.getByLabel('Justification').fill('Accepted by the model risk committee, minute 2026-11.');
    await page.getByRole('form').getByRole('button', { name: 'Waive this rule' }).click().catch(async () => {
      await page.locator('form.waiver button[type=submit]').click();
    });
    await page.getByRole('status').filter({ hasText: 'Waiver granted' }).waitFor();

    // The other blocking rules by API; the next request passes the policy and waits for a human.
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    for (const ref of blocked.decision.blockedBy.slice(1))
      expect((await as(officer).post('/waivers', { modelId, version: 1, ...ref, justification: 'Accepted by the committee.', expiresAt: until })).status).toBe(201);
    passing = (await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' })).body as Promotion;
    expect(passing.state).toBe('pending_approval');
    const sizeBefore = Number((await as(officer).get('/ledger/checkpoint')).text.split('\n')[1]);

    await go(page, '/review', 'Review queue');
    await page.locator(`tr[data-promotion="${passing.id}"] a`).first().click();
    await page.getByRole('heading', { name: /Promotion request/ }).waitFor();
    await check(page, 'request-pending');
    await page.getByLabel('Rationale').fill('Evidence reviewed; waivers justified and time-limited.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: 'Decision recorded' }).waitFor();
    await page.locator('.badge', { hasText: 'approved' }).first().waitFor();
    expect((await as(officer).get(`/promotions/${passing.id}`)).body.state).toBe('approved');

    // The ledger explorer shows the decision's entry, proved in the page against the signed checkpoint.
    await go(page, '/ledger', 'Ledger explorer');
    await page.getByLabel('Action contains').fill('promotion.decided');
    const entry = page.locator(`tr[data-action="promotion.decided"][data-subject="${passing.id}"]`);
    await entry.waitFor();
    expect(Number(await entry.getAttribute('data-index'))).toBeGreaterThanOrEqual(sizeBefore);
    await entry.getByRole('button', { name: /Verify/ }).click();
    await entry.getByText('Proof verified').waitFor();
    await expect(page.locator('.checkpoint').getByText('valid').count()).resolves.toBe(1);
    await check(page, 'ledger');

    // Simplified Chinese, persisted.
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: '账本浏览器' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await page.reload();
    await page.getByRole('link', { name: '审核队列' }).waitFor();
    await check(page, 'ledger-zh-CN');
    await page.getByLabel('语言').selectOption('en');
    await context.close();
  });

  it('a regulator sees decisions without an approve button and downloads a bundle that verifies', async () => {
    const { context, page } = await openAs(regulator);
    await expect(page.getByRole('link', { name: 'Review queue' }).count()).resolves.toBe(0);
    await go(page, `/promotions/${passing.id}`, /Promotion request/);
    await page.getByText('Evidence reviewed; waivers justified').waitFor();
    await expect(page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
    await go(page, `/promotions/${blocked.id}`, /Promotion request/);
    await expect(page.getByRole('button', { name: /Approve|Waive/ }).count()).resolves.toBe(0);

    // The model page's post-market monitoring section: no plan was set (Art. 72 notice), and a regulator resolves nothing.
    await go(page, `/models/${modelId}`, 'console-credit');
    await page.getByRole('heading', { level: 2, name: 'Post-market monitoring' }).waitFor();
    await page.locator('[data-monitoring="no-plan"]').getByText('No monitoring plan').waitFor();
    await expect(page.getByRole('button', { name: /Resolve/ }).count()).resolves.toBe(0);
    await check(page, 'model-monitoring');

    await go(page, '/exports', 'Exports for regulators');
    await check(page, 'exports');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download evidence bundle: console-credit v1' }).click()]);
    expect(download.suggestedFilename()).toBe('console-credit-v1.assay-bundle.zip');
    const bytes = readFileSync(await download.path());
    const report = await verifyEvidenceBundle(bytes, { trustedKey });
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([]);
    expect(report.ok).toBe(true);

    const [extract] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Audit extract (ledger, CSV)' }).click()]);
    expect(extract.suggestedFilename()).toMatch(/^assay-ledger-.*\.csv$/);

    // The same bundle verified in the page, in this browser (WebCrypto + fflate; nothing uploaded).
    await page.getByRole('link', { name: 'Verify a bundle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verify an evidence bundle' }).waitFor();
    await page.getByText('Filled in with the key this server publishes').waitFor(); // fetched from GET /ledger/public-key
    await expect(page.getByLabel('Ledger verifier key you trust').inputValue()).resolves.toBe(trustedKey);
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET') uploads.push(`${request.method()} ${request.url()}`);
    });
    const statusOf = (id: string) => page.locator(`tr[data-check="${id}"]`).getAttribute('data-status');
    await page.getByLabel('Bundle file (.zip)').setInputFiles(await download.path());
    await page.getByRole('status').filter({ hasText: 'Bundle verified' }).waitFor();
    for (const id of ['archive', 'key-trust', 'manifest-signature', 'file-digests', 'checkpoint', 'ledger-inclusion', 'evidence-records', 'model-signature'])
      await expect(statusOf(id)).resolves.toBe('pass');
    for (const id of ['regulator-checkpoint', 'evidence-documents', 'policy-replay']) await expect(statusOf(id)).resolves.toBe('skip');
    await page.locator('tr[data-check="policy-replay"]').getByText('needs the policy engine: run `assay verify BUNDLE --trusted-key …` offline').waitFor();
    await page.locator('tr[data-check="model-signature"]').getByText(/ECDSA P-256\/SHA-256, WebCrypto/).waitFor();
    await check(page, 'verify-bundle');

    // With the bundle's own checkpoint pasted as the one "kept", the consistency check runs too.
    const files = readBundleArchive(bytes);
    await page.getByLabel('Earlier checkpoint you kept (optional)').fill(Buffer.from(files.get('ledger/checkpoint.txt')!).toString());
    await page.getByLabel('Bundle file (.zip)').setInputFiles(await download.path());
    await page.locator('tr[data-check="regulator-checkpoint"][data-status="pass"]').getByText('identical to your checkpoint').waitFor();
    await page.getByLabel('Earlier checkpoint you kept (optional)').fill('');

    // A tampered copy: one changed byte in a document is named.
    const pdf = Buffer.from(files.get(DOCUMENT_FILES.annexIvPdf)!);
    pdf[pdf.length >> 1] = pdf[pdf.length >> 1]! ^ 0x01;
    const tampered = join(SHOTS, 'tampered.assay-bundle.zip');
    writeFileSync(tampered, writeBundleArchive(new Map(files).set(DOCUMENT_FILES.annexIvPdf, pdf), '2026-11-29T00:00:00.000Z'));
    await page.getByLabel('Bundle file (.zip)').setInputFiles(tampered);
    await page.getByRole('status').filter({ hasText: 'Bundle FAILED verification' }).waitFor();
    await expect(statusOf('file-digests')).resolves.toBe('fail');
    await page.locator('tr[data-check="file-digests"]').getByText(`${DOCUMENT_FILES.annexIvPdf} was changed`).waitFor();
    await check(page, 'verify-bundle-tampered');
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: '验证证据包' }).waitFor();
    await page.locator('tr[data-check="file-digests"]').getByText('失败').waitFor();
    await check(page, 'verify-bundle-zh-CN');
    await page.getByLabel('语言').selectOption('en');
    expect(uploads).toEqual([]);
    await context.close();
  });

  it('an engineer cannot open the review queue, and sees why their request was blocked', async () => {
    const { context, page } = await openAs(engineer);
    await expect(page.getByRole('link', { name: 'Review queue' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Verify a bundle' }).waitFor();
    await go(page, '/review', 'Review queue');
    await page.getByRole('alert').filter({ hasText: 'You do not have access' }).waitFor();
    await expect(page.locator(`tr[data-promotion]`).count()).resolves.toBe(0);
    await go(page, `/promotions/${blocked.id}`, /Promotion request/);
    await page.getByRole('heading', { name: 'Why' }).waitFor();
    await expect(page.getByRole('button', { name: /Approve|Waive/ }).count()).resolves.toBe(0);
    await check(page, 'engineer-request');
    await context.close();
    expect(cspViolations).toEqual([]);
  });
});
