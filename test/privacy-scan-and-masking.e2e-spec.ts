import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fullDatasheet } from '../src/pipeline/datasets/datasheet/datasheet.fixture';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

const DATASETS = resolve(__dirname, '..', '../shared/datasets');
const describeShared = existsSync(DATASETS) ? describe : describe.skip;

const PEOPLE = [
  'name,email,phone,card,age,sex,postcode,outcome',
  'Ada Lovelace,ada@example.org,+44 20 7946 0958,4111 1111 1111 1111,36,female,10115,good',
  'Alan Turing,alan@example.com,+44 20 7946 0959,5500 0000 0000 0004,41,male,10115,bad',
  'Grace Hopper,grace@example.net,+1 202 555 0143,3400 0000 0000 009,29,female,10117,good',
  'Edsger Dijkstra,edsger@example.nl,+31 20 555 0101,6011 0000 0000 0004,52,male,10117,good',
].join('\n');

describe('privacy scan and masked previews', () => {
  let t: TestApp;
  let owner: TestUser;
  let regulator: TestUser;
  let officer: TestUser;
  let datasetId: string;
  const get = (path: string, user: TestUser) => t.http().get(path).set('Authorization', `Bearer ${user.token}`);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await t.createUser('engineer');
    regulator = await t.createUser('regulator');
    officer = await t.createUser('compliance_officer');
    datasetId = (await t.http().post('/datasets').set('Authorization', `Bearer ${owner.token}`).send({ name: 'people' })).body.id;
    const uploaded = await t
      .http()
      .post(`/datasets/${datasetId}/versions`)
      .set('Authorization', `Bearer ${owner.token}`)
      .set('Content-Type', 'text/csv')
      .send(`${PEOPLE}\n`);
    expect(uploaded.status).toBe(201);
  });
  afterAll(() => t.close());

  it('scans every version on ingest and records PII findings with masked examples only', async () => {
    const scan = await get(`/datasets/${datasetId}/versions/1/privacy`, officer);
    expect(scan.status).toBe(200);
    expect(scan.body.kind).toBe('privacy.scanned');
    const byColumn = Object.fromEntries(
      scan.body.body.pii.map((p: { column: string; findings: { entityType: string }[] }) => [p.column, p.findings.map((f) => f.entityType)]),
    );
    expect(byColumn.email).toContain('EMAIL_ADDRESS');
    expect(byColumn.card).toContain('CREDIT_CARD');
    expect(byColumn.phone).toContain('PHONE_NUMBER');
    expect(byColumn.name).toContain('PERSON');
    expect(JSON.stringify(scan.body)).not.toMatch(/ada@example\.org|4111 1111 1111 1111|Lovelace/);
    expect(scan.body.body.reidentification).toBeNull();
  });

  it('masks PII columns for regulators and compliance officers, and records the owner’s raw preview', async () => {
    for (const reader of [regulator, officer]) {
      const preview = await get(`/datasets/${datasetId}/versions/1/preview?limit=10`, reader);
      expect(preview.status).toBe(200);
      expect(preview.body.masked).toBe(true);
      const text = JSON.stringify(preview.body.rows);
      expect(text).not.toMatch(/ada@example\.org|4111 1111 1111 1111|Ada Lovelace|7946 0958/);
      expect(preview.body.rows[0][4]).toBe('36'); // a column without findings stays readable
    }
    const before = (await get('/evidence?kind=dataset.previewed', regulator)).body.items.length;
    const raw = await get(`/datasets/${datasetId}/versions/1/preview?limit=2`, owner);
    expect(raw.body.masked).toBe(false);
    expect(raw.body.rows[0][1]).toBe('ada@example.org');
    const after = (await get('/evidence?kind=dataset.previewed', regulator)).body.items;
    expect(after.length).toBe(before + 1);
    expect(after[after.length - 1].actor.id).toBe(owner.id);
    expect((await get(`/datasets/${datasetId}/versions/1/preview?limit=1000`, owner)).status).toBe(400);
  });

  it('adds re-identification risk and label balance once a datasheet declares them', async () => {
    const sheet = fullDatasheet();
    sheet.composition.labelColumn = 'outcome';
    sheet.composition.sensitiveAttributes = ['sex'];
    sheet.composition.quasiIdentifiers = ['age', 'sex', 'postcode'];
    const put = await t.http().put(`/datasets/${datasetId}/versions/1/datasheet`).set('Authorization', `Bearer ${owner.token}`).send(sheet);
    expect(put.status).toBe(200);
    const scan = await get(`/datasets/${datasetId}/versions/1/privacy`, officer);
    expect(scan.body.body.withDatasheet).toBe(true);
    expect(scan.body.body.reidentification).toMatchObject({ k: 1, records: 4, classes: 4 });
    const sex = scan.body.body.labelBalance.attributes.find((a: { column: string }) => a.column === 'sex');
    expect(sex.groups.map((g: { value: string; count: number }) => `${g.value}:${g.count}`).sort()).toEqual(['female:2', 'male:2']);
  });
});

describeShared('real data sets from ../shared/datasets over HTTP', () => {
  let t: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await t.createUser('engineer');
  });
  afterAll(() => t.close());

  const ingest = async (file: string, query: string) => {
    const id = (await t.http().post('/datasets').set('Authorization', `Bearer ${owner.token}`).send({ name: file })).body.id;
    const response = await t
      .http()
      .post(`/datasets/${id}/versions${query}`)
      .set('Authorization', `Bearer ${owner.token}`)
      .set('Content-Type', 'text/csv')
      .send(readFileSync(resolve(DATASETS, file)));
    return response as { status: number; body: Record<string, unknown> };
  };

  it('German credit: space separated, coded, no header', async () => {
    const columns = Array.from({ length: 21 }, (_, i) => (i === 20 ? 'credit_risk' : `a${i + 1}`)).join(',');
    const response = await ingest('german.data', `?delimiter=whitespace&header=false&columns=${columns}`);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ rows: 1000 });
    expect((response.body.columns as unknown[]).length).toBe(21);
  });

  it('Adult test split: banner line, ", " separators, labels ending in a dot', async () => {
    const names = 'age,workclass,fnlwgt,education,education_num,marital_status,occupation,relationship,race,sex,capital_gain,capital_loss,hours_per_week,native_country,income';
    const response = await ingest('adult.test', `?skipLines=1&header=false&columns=${names}&delimiter=,`);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ rows: 16281 });
  });

  it('COMPAS: duplicate column names renamed and reported', async () => {
    const response = await ingest('compas-scores-two-years.csv', '');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ rows: 7214 });
    expect(((response.body.ingest as { renamedColumns: unknown[] }).renamedColumns).length).toBeGreaterThanOrEqual(2);
  });
});
