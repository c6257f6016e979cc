import { parse as parseCsv } from 'csv-parse/sync';
import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { LedgerService, type AppendInput } from '../src/platform/ledger/ledger.service';
import { canonicalEntry, canonicalJson, hashLeaf, verifyCheckpoint, verifyInclusion, type LedgerEntry } from '../src/platform/ledger/verification';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

/** Values a spreadsheet would run as formulas (OWASP CSV injection), and a leading quote. */
const HOSTILE = ["=cmd|' /C calc'!A0", '+1', '-2', '@SUM(1)', '\t=1+1', '\r=1+1', '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20SUM(1)', "'=1"];
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', "'"];
const COLUMNS = 'index,time,actor_type,actor_id,action,subject_type,subject_id,evidence_digest,data,leaf_hash,inclusion_proof,tree_size,root_hash'.split(',');
/** More than one export batch (500), so batch boundaries are crossed. */
const FILLER = 620;

const hex = (value: string) => Buffer.from(value, 'hex');

interface CheckpointLine {
  type: 'checkpoint';
  origin: string;
  treeSize: number;
  rootHash: string;
  note: string;
}
interface EntryLine {
  type: 'entry';
  entry: LedgerEntry;
  leafHash: string;
  inclusionProof: string[];
}

describe('ledger export: JSON Lines and formula-safe CSV, every entry proved against a signed checkpoint', () => {
  let t: TestApp;
  let admin: TestUser;
  let regulator: TestUser;
  let engineer: TestUser;
  let verifierKey: string;

  /** The body as text, whatever the content type (supertest buffers only text/* and JSON by itself). */
  const download = (path: string, user: TestUser) =>
    t
      .http()
      .get(path)
      .set('Authorization', `Bearer ${user.token}`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
  const text = (response: Response) => response.body as string;

  const jsonLines = (response: Response) => {
    const lines = text(response).split('\n');
    expect(lines.pop()).toBe(''); // every line ends with \n
    const [head, ...rest] = lines.map((line) => JSON.parse(line) as CheckpointLine | EntryLine);
    expect(head?.type).toBe('checkpoint');
    expect(rest.every((line) => line.type === 'entry')).toBe(true);
    return { checkpoint: head as CheckpointLine, entries: rest as EntryLine[] };
  };

  /** Every exported entry hashes to its leaf hash and is proved against the checkpoint's root. */
  const expectProved = (checkpoint: CheckpointLine, entries: EntryLine[]) => {
    const root = hex(checkpoint.rootHash);
    for (const { entry, leafHash, inclusionProof } of entries) {
      expect({ index: entry.index, leafHash: hashLeaf(canonicalEntry(entry)).toString('hex') }).toEqual({ index: entry.index, leafHash });
      expect({ index: entry.index, ...verifyInclusion(entry.index, checkpoint.treeSize, hex(leafHash), inclusionProof.map(hex), root) }).toEqual({
        index: entry.index,
        ok: true,
      });
    }
  };

  const append = (inputs: AppendInput[]) =>
    t.app.get(DataSource).transaction(async (tx) => {
      for (const input of inputs) await t.app.get(LedgerService).append(tx, input);
    });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.createUser('admin');
    regulator = await t.createUser('regulator');
    engineer = await t.createUser('engineer');
    verifierKey = (await t.http().get('/ledger/public-key').set('Authorization', `Bearer ${regulator.token}`)).body.verifierKey;
    // No endpoint puts free text into an entry (subjects are ids, data is ids and versions), so
    // hostile values are appended directly, as a compromised or careless producer could.
    await append([
      ...HOSTILE.map((value) => ({
        actor: { type: 'user' as const, id: engineer.id },
        action: value,
        subject: { type: value, id: value },
        evidenceDigest: null,
        data: { note: value },
      })),
      {
        actor: { type: 'system', id: HOSTILE[0]! },
        action: 'test.hostile_actor',
        subject: { type: 'test', id: '1' },
        evidenceDigest: `sha256:${'ab'.repeat(32)}`,
        data: {},
      },
    ]);
    await append(
      Array.from({ length: FILLER }, (_, i) => ({
        actor: { type: 'system' as const, id: 'cli' },
        action: 'test.filler',
        subject: { type: 'line\nbreak', id: `${i}, "x"\r\ny` },
        evidenceDigest: null,
        data: { i, text: 'a, "quoted"\nvalue' },
      })),
    );
  });
  afterAll(() => t.close());

  it('JSON Lines: a verified signed checkpoint, then every entry as GET /ledger/entries serves it, with a proof that verifies', async () => {
    const response = await download('/ledger/export', regulator);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson');
    const { checkpoint, entries } = jsonLines(response);

    const verified = verifyCheckpoint(checkpoint.note, verifierKey);
    if (!verified.ok) throw new Error(verified.reason);
    expect(checkpoint).toEqual({
      type: 'checkpoint',
      origin: verified.checkpoint.origin,
      treeSize: verified.checkpoint.size,
      rootHash: verified.checkpoint.rootHash.toString('hex'),
      note: checkpoint.note,
    });
    expect(Buffer.from(String(response.headers['assay-checkpoint']), 'base64').toString('utf8')).toBe(checkpoint.note);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="assay-ledger-0-${checkpoint.treeSize}.jsonl"`);

    expect(checkpoint.treeSize).toBeGreaterThan(FILLER + HOSTILE.length);
    expect(entries.map((line) => line.entry.index)).toEqual(Array.from({ length: checkpoint.treeSize }, (_, i) => i));
    expectProved(checkpoint, entries);

    const served = await t.http().get('/ledger/entries?from=0&limit=500').set('Authorization', `Bearer ${regulator.token}`);
    expect(entries.slice(0, 500).map(({ entry, leafHash }) => ({ entry, leafHash }))).toEqual(served.body.items);
  });

  it('JSON Lines: a proof fails for an altered entry or against another leaf', async () => {
    const { checkpoint, entries } = jsonLines(await download('/ledger/export?from=0&to=4', regulator));
    const [first, second] = entries as [EntryLine, EntryLine];
    const root = hex(checkpoint.rootHash);
    const altered = hashLeaf(canonicalEntry({ ...first.entry, action: `${first.entry.action}!` }));
    expect(verifyInclusion(0, checkpoint.treeSize, altered, first.inclusionProof.map(hex), root).ok).toBe(false);
    expect(verifyInclusion(0, checkpoint.treeSize, hex(second.leafHash), first.inclusionProof.map(hex), root).ok).toBe(false);
  });

  it('a sub-range across batch boundaries, proved against the same checkpoint; an empty range has the checkpoint only', async () => {
    const whole = jsonLines(await download('/ledger/export', regulator));
    const to = whole.checkpoint.treeSize - 2;
    expect(to - 3).toBeGreaterThan(500);
    const db = t.app.get(DataSource);
    const query = jest.spyOn(db, 'query');
    const response = await download(`/ledger/export?from=3&to=${to}&format=jsonl`, admin);
    // Batches of 500: one entry query and one node query each.
    const sql = query.mock.calls.map(([text]) => text);
    query.mockRestore();
    expect(sql.filter((text) => text.includes('FROM ledger_nodes'))).toHaveLength(Math.ceil((to - 3) / 500));
    expect(sql.filter((text) => text.includes('FROM ledger_entries WHERE'))).toHaveLength(Math.ceil((to - 3) / 500));
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="assay-ledger-3-${to}.jsonl"`);
    const part = jsonLines(response);
    expect(part.checkpoint).toEqual(whole.checkpoint);
    expect(part.entries).toEqual(whole.entries.slice(3, to));
    expectProved(part.checkpoint, part.entries);

    const empty = jsonLines(await download('/ledger/export?from=5&to=5', admin));
    expect(empty.entries).toEqual([]);
  });

  it('CSV: RFC 4180, every cell a formula could start quoted away with a leading quote, otherwise equal to the JSON Lines export', async () => {
    const { checkpoint, entries } = jsonLines(await download('/ledger/export', regulator));
    const response = await download('/ledger/export?format=csv', regulator);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="assay-ledger-0-${checkpoint.treeSize}.csv"`);
    expect(Buffer.from(String(response.headers['assay-checkpoint']), 'base64').toString('utf8')).toBe(checkpoint.note);
    expect(text(response)).toMatch(/^index,time,[^\n]*root_hash\r\n/);

    // Strict as a spreadsheet is: a CR or LF outside quotes ends the record.
    const [header, ...rows] = parseCsv(text(response), { record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
    expect(header).toEqual(COLUMNS);
    expect(rows).toHaveLength(entries.length);

    // No cell of the file starts a formula.
    for (const cell of rows.flat()) expect(TRIGGERS.filter((c) => c !== "'").some((c) => cell.startsWith(c))).toBe(false);

    rows.forEach((row, i) => {
      const { entry, leafHash, inclusionProof } = entries[i]!;
      const expected = [
        String(entry.index),
        entry.time,
        entry.actor.type,
        entry.actor.id,
        entry.action,
        entry.subject.type,
        entry.subject.id,
        entry.evidenceDigest ?? '',
        canonicalJson(entry.data),
        leafHash,
        inclusionProof.join(' '),
        String(checkpoint.treeSize),
        checkpoint.rootHash,
      ];
      const escaped = expected.map((value) => (TRIGGERS.some((c) => value.startsWith(c)) ? `'${value}` : value));
      expect(row).toEqual(escaped);
      // Removing the one prefix gives the JSON Lines values back.
      expect(row.map((cell) => (cell.startsWith("'") ? cell.slice(1) : cell))).toEqual(expected);
    });

    // The hostile entries, cell by cell.
    for (const value of HOSTILE) {
      const row = rows.find((r) => r[4] === `'${value}`);
      expect(row).toBeDefined();
      expect(row!.slice(3, 7)).toEqual([engineer.id, `'${value}`, `'${value}`, `'${value}`]);
      expect(row![8]).toBe(canonicalJson({ note: value })); // begins with {, so left alone
    }
    expect(rows.find((r) => r[4] === 'test.hostile_actor')![3]).toBe(`'${HOSTILE[0]}`);
    // Quotes, commas and line breaks inside a cell survive the round trip.
    const filler = rows.find((r) => r[4] === 'test.filler')!;
    expect(filler.slice(5, 7)).toEqual(['line\nbreak', '0, "x"\r\ny']);
    expect(filler[8]).toBe('{"i":0,"text":"a, \\"quoted\\"\\nvalue"}');
  });

  it('shows engineers only the entries of their own actions, still proved against the whole tree', async () => {
    const all = jsonLines(await download('/ledger/export', admin));
    const own = all.entries.filter((line) => line.entry.actor.id === engineer.id);
    expect(own.length).toBeGreaterThanOrEqual(HOSTILE.length);

    const response = await download('/ledger/export', engineer);
    expect(response.status).toBe(200);
    const mine = jsonLines(response);
    expect(mine.checkpoint).toEqual(all.checkpoint);
    expect(mine.entries).toEqual(own);
    expectProved(mine.checkpoint, mine.entries);

    const csv = parseCsv(text(await download('/ledger/export?format=csv', engineer))) as string[][];
    expect(csv.slice(1).map((row) => row[3])).toEqual(own.map(() => engineer.id));
  });

  it('cuts the transfer off when a batch fails mid-stream, so a truncated export never looks complete', async () => {
    const ledger = t.app.get(LedgerService);
    const real = ledger.inclusionProofs.bind(ledger);
    let calls = 0;
    const spy = jest
      .spyOn(ledger, 'inclusionProofs')
      .mockImplementation((...args) => (++calls === 2 ? Promise.reject(new Error('database gone')) : real(...args)));
    try {
      await expect(download('/ledger/export?format=csv', regulator)).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(2);
    expect((await download('/ledger/export?from=0&to=3', regulator)).status).toBe(200);
  });

  it('refuses bad parameters and ranges with codes', async () => {
    const size = jsonLines(await download('/ledger/export?from=0&to=0', regulator)).checkpoint.treeSize;
    const cases: [string, number, string][] = [
      ['format=xlsx', 400, 'VALIDATION_FAILED'],
      ['format=CSV', 400, 'VALIDATION_FAILED'],
      ['from=-1', 400, 'VALIDATION_FAILED'],
      ['from=abc', 400, 'VALIDATION_FAILED'],
      ['to=1.5', 400, 'VALIDATION_FAILED'],
      ['limit=10', 400, 'UNKNOWN_FIELD'],
      [`to=${size + 1}`, 400, 'LEDGER_PROOF_OUT_OF_RANGE'],
      [`from=${size + 1}`, 400, 'LEDGER_PROOF_OUT_OF_RANGE'],
      ['from=5&to=3', 400, 'LEDGER_PROOF_OUT_OF_RANGE'],
      ['from=0&to=100001', 400, 'LEDGER_EXPORT_TOO_LARGE'],
      ['from=10&to=100011&format=csv', 400, 'LEDGER_EXPORT_TOO_LARGE'],
    ];
    for (const [query, status, code] of cases) {
      const response = await t.http().get(`/ledger/export?${query}`).set('Authorization', `Bearer ${regulator.token}`);
      expect({ query, status: response.status, code: response.body.error?.code }).toEqual({ query, status, code });
    }
    // The limit itself is allowed (here refused only because the ledger is smaller).
    const atLimit = await t.http().get(`/ledger/export?from=0&to=100000`).set('Authorization', `Bearer ${regulator.token}`);
    expect(atLimit.body.error.code).toBe('LEDGER_PROOF_OUT_OF_RANGE');
    expect((await t.http().get('/ledger/export')).status).toBe(401);
  });

  it('is in the OpenAPI document with its query parameters and media types', async () => {
    const doc = (await t.http().get('/api/docs-json')).body;
    const operation = doc.paths['/ledger/export'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['format', 'from', 'to']);
    expect(Object.keys(operation.responses['200'].content)).toEqual(['application/x-ndjson', 'text/csv']);
    expect(Object.keys(operation.responses['400'].content)).toEqual(['application/json']);
    expect(doc.components.schemas.ErrorCode.enum).toContain('LEDGER_EXPORT_TOO_LARGE');
  });
});
