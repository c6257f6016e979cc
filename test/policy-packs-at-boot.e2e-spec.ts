import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './support/cli';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

jest.setTimeout(120_000);

const SHIPPED = resolve(__dirname, '..', 'policies');

describe('policy packs in force', () => {
  let t: TestApp;
  let regulator: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    regulator = await t.createUser('regulator');
  });
  afterAll(() => t?.close());

  it('lists the shipped packs with versions and digests, and each rule with its citation', async () => {
    const list = await t.http().get('/policies').set('Authorization', `Bearer ${regulator.token}`);
    expect(list.status).toBe(200);
    const items = list.body.items as { id: string; version: string; digest: string }[];
    expect(items.map((p) => p.id).sort()).toEqual(['baseline', 'cn-genai-interim-measures', 'eu-ai-act-high-risk', 'nist-ai-rmf']);
    for (const pack of items) expect(pack.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const baseline = await t.http().get('/policies/baseline').set('Authorization', `Bearer ${regulator.token}`);
    const rules = baseline.body.rules as { id: string; cites: string }[];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.cites.length).toBeGreaterThan(0);
    expect((await t.http().get('/policies/nope').set('Authorization', `Bearer ${regulator.token}`)).body.error.code).toBe('POLICY_PACK_NOT_FOUND');
  });
});

describe('an invalid policy pack stops the start', () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'assay-policies-'));
    cpSync(SHIPPED, dir, { recursive: true });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('names the file and line of a CEL syntax error', async () => {
    const file = join(dir, 'baseline', 'artifacts.rules.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('size(evidence.artifacts.files) > 0', 'size(evidence.artifacts.files) > > 0'));
    const env = { ...database.env, PORT: '0', HOST: '127.0.0.1', ASSAY_POLICIES_DIR: dir };
    if (database.env.DATABASE_URL) expect((await runCli(['migrate'], env)).code).toBe(0);
    const served = await runCli(['serve'], env);
    expect(served.code).not.toBe(0);
    expect(served.stderr).toMatch(/baseline\/artifacts\.rules\.yaml:\d+/);
    expect(served.stderr).toContain('POLICY_PACK_INVALID');
  });
});
