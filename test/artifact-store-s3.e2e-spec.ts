import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startS3Server, type TestS3Server } from '../src/platform/artifacts/s3-server.fixture';
import { runCli } from './support/cli';
import { TEST_DB } from './support/test-database';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

/** `rows` rows of a small credit-like table; deterministic. */
function csv(rows: number): string {
  const lines = ['id,age,income,email,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${20 + (i % 50)},${1000 + ((i * 37) % 9000)},person${i}@example.org,${i % 3 === 0 ? 'yes' : 'no'}`);
  return `${lines.join('\n')}\n`;
}

describe('Assay on an S3 artifact store (s3rver)', () => {
  let s3: TestS3Server;
  let client: S3Client;
  let t: TestApp;
  let owner: TestUser;
  let datasetId: string;

  const upload = (body: string) =>
    t.http().post(`/datasets/${datasetId}/versions`).set('Authorization', `Bearer ${owner.token}`).set('Content-Type', 'text/csv').send(body);
  const get = (path: string) => t.http().get(path).set('Authorization', `Bearer ${owner.token}`);
  const objectKeys = async () => ((await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map((o) => o.Key!).sort();
  const keyOf = (digest: string) => `assay/sha256/${digest.slice('sha256:'.length)}`;

  beforeAll(async () => {
    s3 = await startS3Server();
    client = s3.client();
    t = await startTestApp(
      {
        ...s3.env,
        ASSAY_S3_PREFIX: 'assay/',
        ASSAY_DATASET_MAX_RECORD_BYTES: String(64 * 1024),
        ASSAY_RUN_POLL_MS: '100',
        ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200',
        ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1',
      },
      { workers: true },
    );
    owner = await t.createUser('engineer');
    const created = await t.http().post('/datasets').set('Authorization', `Bearer ${owner.token}`).send({ name: 'credit' });
    expect(created.status).toBe(201);
    datasetId = created.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await s3?.stop();
  });

  it('stores an uploaded version in the bucket and reads its preview back from there', async () => {
    const before = await objectKeys(); // what boot stored (policy packs)
    const uploaded = await upload(csv(500));
    expect(uploaded.status).toBe(201);
    const { rawDigest, tableDigest } = uploaded.body as { rawDigest: string; tableDigest: string };
    expect((await objectKeys()).filter((key) => !before.includes(key))).toEqual([keyOf(rawDigest), keyOf(tableDigest)].sort());
    // Nothing on the local filesystem store, no staged write left behind.
    expect(existsSync(join(t.config.ASSAY_DATA_DIR, 'artifacts'))).toBe(false);
    const staging = join(t.config.ASSAY_DATA_DIR, 's3-staging');
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);

    const preview = await get(`/datasets/${datasetId}/versions/1/preview?limit=3`);
    expect(preview.status).toBe(200);
    expect(preview.body.columns).toEqual(['id', 'age', 'income', 'email', 'label']);
    expect(preview.body.rows).toEqual([
      ['0', '20', '1000', 'person0@example.org', 'yes'],
      ['1', '21', '1037', 'person1@example.org', 'no'],
      ['2', '22', '1074', 'person2@example.org', 'no'],
    ]);
    // The privacy scan read the table from the bucket too.
    const privacy = await get(`/datasets/${datasetId}/versions/1/privacy`);
    expect(privacy.status).toBe(200);
    expect(JSON.stringify(privacy.body)).toContain('email');
  });

  it('returns the existing version for the same bytes, without a second object', async () => {
    const before = await objectKeys();
    const again = await upload(csv(500));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 1, created: false });
    expect(await objectKeys()).toEqual(before);
  });

  it('leaves nothing in the bucket for an upload it refuses', async () => {
    const before = await objectKeys();
    const ragged = await upload('a,b,c\n1,2,3\n4,5\n');
    expect(ragged.status).toBe(400);
    expect(ragged.body.error.code).toBe('DATASET_RAGGED_ROW');
    expect(await objectKeys()).toEqual(before);
  });

  it('uploads a version larger than a part (multipart) and previews it', async () => {
    const body = csv(400_000); // about 17 MiB: more than the 16 MiB part size
    expect(Buffer.byteLength(body)).toBeGreaterThan(16 * 1024 * 1024);
    const uploaded = await upload(body);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ version: 2, rows: 400_000 });
    expect(await objectKeys()).toEqual(expect.arrayContaining([keyOf(uploaded.body.rawDigest), keyOf(uploaded.body.tableDigest)]));
    const preview = await get(`/datasets/${datasetId}/versions/2/preview?limit=1`);
    expect(preview.body.rows).toEqual([['0', '20', '1000', 'person0@example.org', 'yes']]);
  }, 120_000);

  it('trains a model (checkpoints on the way) whose files and signature are objects in the bucket', async () => {
    const trainingSet = await registerSplitDataset(t, owner, syntheticCreditCsv(300));
    const created = await t
      .http()
      .post('/runs')
      .set('Authorization', `Bearer ${owner.token}`)
      .send({ datasetId: trainingSet, spec: logisticRunSpec(3) });
    expect(created.status).toBe(202);
    const run = (await waitForRun(t, owner, created.body.id as string, 90_000)) as {
      state: string;
      result: { artifacts: { path: string; digest: string }[]; signatureDigest: string };
    };
    expect(run.state).toBe('succeeded');
    const keys = await objectKeys();
    for (const digest of [...run.result.artifacts.map((a) => a.digest), run.result.signatureDigest]) expect(keys).toContain(keyOf(digest));
    expect(run.result.artifacts.map((a) => a.path)).toEqual(expect.arrayContaining(['model.json', 'weights.bin']));
  }, 120_000);

  it('serves many previews in a row: an early-stopped read releases its connection', async () => {
    // More than the S3 client's 50 sockets: each preview stops reading after its first rows.
    for (let i = 0; i < 60; i++) expect((await get(`/datasets/${datasetId}/versions/2/preview?limit=1`)).status).toBe(200);
  }, 120_000);
});

// Configuration does not depend on the database: checked once, in the PGlite pass.
(TEST_DB === 'pglite' ? describe : describe.skip)('S3 artifact store configuration at boot (PGlite pass only)', () => {
  it('stops with exit 78 naming ASSAY_S3_BUCKET when the s3 store has no bucket', async () => {
    const result = await runCli(['serve'], { ASSAY_ARTIFACT_STORE: 's3' });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('ASSAY_S3_BUCKET');
    expect(result.stdout).not.toContain('serving');
  });

  it('names the missing half of a key pair without printing the secret', async () => {
    const result = await runCli(['config'], { ASSAY_ARTIFACT_STORE: 's3', ASSAY_S3_BUCKET: 'assay', AWS_SECRET_ACCESS_KEY: 'hunter2-secret' });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('AWS_ACCESS_KEY_ID');
    expect(result.stderr).not.toContain('hunter2-secret');
  });

  it('`assay config` lists the S3 settings, credentials masked', async () => {
    const env = { ASSAY_ARTIFACT_STORE: 's3', ASSAY_S3_BUCKET: 'assay', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'hunter2-secret' };
    const result = await runCli(['config', '--json'], env);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { variable: string; value: string; isSensitive: boolean }[];
    expect(rows.find((r) => r.variable === 'ASSAY_S3_BUCKET')).toMatchObject({ value: 'assay', isSensitive: false });
    expect(rows.find((r) => r.variable === 'AWS_SECRET_ACCESS_KEY')).toMatchObject({ value: '********', isSensitive: true });
    expect(result.stdout).not.toContain('hunter2-secret');
  });
});
