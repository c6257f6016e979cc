import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

const CSV = 'id,name,email,age,label\n1,Ada,ada@example.org,36,yes\n2,Bob,bob@example.com,41,no\n3,Cy,cy@example.net,29,yes\n';

describe('dataset upload', () => {
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let regulator: TestUser;
  let datasetId: string;

  const upload = (body: string | Buffer, query = '', user = owner, id = datasetId) =>
    t
      .http()
      .post(`/datasets/${id}/versions${query}`)
      .set('Authorization', `Bearer ${user.token}`)
      .set('Content-Type', 'text/csv')
      .send(body);

  const storedCounts = async () => {
    const db = t.app.get(DataSource);
    const [versions] = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM dataset_versions');
    const dir = join(t.config.ASSAY_DATA_DIR, 'artifacts', 'sha256');
    const artifacts = existsSync(dir) ? readdirSync(dir).flatMap((d) => readdirSync(join(dir, d))).length : 0;
    const tmp = join(t.config.ASSAY_DATA_DIR, 'artifacts', 'tmp');
    const temps = existsSync(tmp) ? readdirSync(tmp).length : 0;
    return { versions: Number(versions!.n), artifacts, temps };
  };

  beforeAll(async () => {
    t = await startTestApp({ ASSAY_DATASET_MAX_BYTES: String(2 * 1024 * 1024), ASSAY_DATASET_MAX_RECORD_BYTES: String(64 * 1024), ASSAY_DATASET_MAX_COLUMNS: '500' });
    owner = await t.createUser('engineer');
    other = await t.createUser('engineer');
    regulator = await t.createUser('regulator');
    const created = await t.http().post('/datasets').set('Authorization', `Bearer ${owner.token}`).send({ name: 'people' });
    expect(created.status).toBe(201);
    datasetId = created.body.id;
  });
  afterAll(() => t.close());

  it('ingests a CSV into a content-addressed version with a profile, and the same bytes twice give the same version', async () => {
    const first = await upload(CSV);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, rows: 3, origin: 'upload', created: true });
    expect(first.body.rawDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.body.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      'id:numeric',
      'name:categorical',
      'email:categorical',
      'age:numeric',
      'label:boolean',
    ]);
    const again = await upload(CSV);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, version: 1, created: false });

    const crlf = await upload(CSV.replace(/\n/g, '\r\n'));
    expect(crlf.status).toBe(201);
    expect(crlf.body.version).toBe(2);
    expect(crlf.body.rawDigest).not.toBe(first.body.rawDigest);
    expect(crlf.body.tableDigest).toBe(first.body.tableDigest);

    const evidence = await t.http().get(`/evidence?subjectType=dataset_version&subjectId=${first.body.id}`).set('Authorization', `Bearer ${regulator.token}`);
    expect(evidence.body.items.map((r: { kind: string }) => r.kind)).toContain('dataset_version.registered');
  });

  it('parses BOM, quoted newlines and quoted delimiters', async () => {
    const response = await upload('\uFEFFa,b\n"x, y","line1\nline2"\n"say ""hi""",2\n');
    expect(response.status).toBe(201);
    expect(response.body.rows).toBe(2);
    expect(response.body.columns.map((c: { name: string }) => c.name)).toEqual(['a', 'b']);
  });

  it('accepts gzip uploads', async () => {
    const response = await upload(gzipSync(Buffer.from('p,q\n1,2\n3,4\n')));
    expect(response.status).toBe(201);
    expect(response.body.rows).toBe(2);
  });

  it.each([
    ['an empty file', '', '', 400, 'DATASET_EMPTY'],
    ['binary garbage', Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x00, 0x10, 0x80, 0x00]), '', 415, 'DATASET_BINARY'],
    ['ragged rows', 'a,b\n1,2\n3\n4,5\n', '', 400, 'DATASET_RAGGED_ROW'],
    ['quotes that never close', 'a,b\n1,"unclosed\n2,3\n', '', 400, 'DATASET_UNTERMINATED_QUOTE'],
    ['a record over the limit', `a\n${'x'.repeat(100 * 1024)}\n`, '', 413, 'DATASET_RECORD_TOO_LARGE'],
    ['too many columns', `${Array.from({ length: 1000 }, (_, i) => `c${i}`).join(',')}\n`, '', 400, 'DATASET_TOO_MANY_COLUMNS'],
    ['a gzip bomb', gzipSync(Buffer.from(`a,b\n${'1,2\n'.repeat(5_000_000)}`)), '', 413, 'DATASET_TOO_LARGE'],
    ['invalid UTF-8', Buffer.from([0x61, 0x0a, 0xc3, 0x28, 0x0a]), '', 400, 'DATASET_ENCODING_INVALID'],
    ['bad options', 'a\n1\n', '?delimiter=%23', 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a 4xx and a code, storing nothing', async (_name, body, query, status, code) => {
    const before = await storedCounts();
    const response = await upload(body, query);
    expect({ status: response.status, code: response.body.error?.code }).toEqual({ status, code });
    const after = await storedCounts();
    expect(after).toEqual({ ...before, temps: 0 });
  });

  it('names the line of a ragged row, or skips and counts such rows when asked', async () => {
    const ragged = await upload('a,b\n1,2\n3\n4,5\n');
    expect(ragged.body.error.details.line).toBe(3);
    const skipped = await upload('a,b\n1,2\n3\n4,5\n', '?onRaggedRow=skip');
    expect(skipped.status).toBe(201);
    expect(skipped.body.rows).toBe(2);
    expect(skipped.body.profile.skippedRowCount).toBe(1);
  });

  it('lets only the owner add versions; others get 403 and regulators may read metadata', async () => {
    expect((await upload(CSV, '', other)).status).toBe(403);
    expect((await upload(CSV, '', regulator)).status).toBe(403);
    const read = await t.http().get(`/datasets/${datasetId}/versions/1`).set('Authorization', `Bearer ${regulator.token}`);
    expect(read.status).toBe(200);
    const hidden = await t.http().get(`/datasets/${datasetId}`).set('Authorization', `Bearer ${other.token}`);
    expect(hidden.status).toBe(403);
  });
});
