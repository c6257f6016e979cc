import {
  parseCheckpoint,
  sha256Digest,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  entryLeafHash,
  type LedgerEntry,
} from '../src/platform/ledger/verification';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

const hex = (value: string) => Buffer.from(value, 'hex');

describe('ledger over HTTP: entries, signed checkpoints, proofs, evidence', () => {
  let t: TestApp;
  let admin: TestUser;
  let regulator: TestUser;
  let engineer: TestUser;
  const get = (path: string, user: TestUser) => t.http().get(path).set('Authorization', `Bearer ${user.token}`);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.createUser('admin');
    regulator = await t.createUser('regulator');
    engineer = await t.createUser('engineer');
    await t.http().post('/tokens').set('Authorization', `Bearer ${engineer.token}`).send({ name: 'ci' });
    await t.http().post('/auth/sign-in').send({ email: engineer.email, password: 'not the password' });
  });
  afterAll(() => t.close());

  it('records what identity does as evidence, each digest over the canonical body', async () => {
    const page = await get('/evidence?limit=500', regulator);
    expect(page.status).toBe(200);
    const kinds = page.body.items.map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['user.created', 'token.issued', 'signin.failed']));
    for (const record of page.body.items) expect(record.digest).toBe(sha256Digest(record.body));
    // no raw e-mail address in any evidence body
    expect(JSON.stringify(page.body.items)).not.toContain(engineer.email);

    const first = page.body.items[0];
    const byDigest = await get(`/evidence/${first.digest}`, regulator);
    expect(byDigest.body.records[0]).toMatchObject({ id: first.id, ledgerIndex: first.ledgerIndex });
    expect((await get(`/evidence/sha256:${'0'.repeat(64)}`, regulator)).body.error.code).toBe('EVIDENCE_NOT_FOUND');
    expect((await get('/evidence/not-a-digest', regulator)).status).toBe(400);
  });

  it('serves gapless entries whose leaf hashes recompute', async () => {
    const page = await get('/ledger/entries?from=0&limit=500', admin);
    const entries = page.body.items as { entry: LedgerEntry; leafHash: string }[];
    expect(entries.length).toBeGreaterThanOrEqual(6);
    entries.forEach((item, i) => {
      expect(item.entry.index).toBe(i);
      expect(entryLeafHash(item.entry).toString('hex')).toBe(item.leafHash);
    });
    const second = await get('/ledger/entries?from=0&limit=2', admin);
    expect(second.body.nextCursor).toBe('2');
  });

  it('shows engineers only the entries they caused', async () => {
    const page = await get('/ledger/entries?limit=500', engineer);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    for (const item of page.body.items) expect(item.entry.actor.id).toBe(engineer.id);
    const evidence = await get('/evidence?limit=500', engineer);
    for (const record of evidence.body.items) expect(record.actor.id).toBe(engineer.id);
  });

  it('signs checkpoints that verify with the served key, and proves inclusion and consistency', async () => {
    const key = (await get('/ledger/public-key', regulator)).body;
    expect(key.verifierKey).toMatch(/^assay\.local\/ledger\+[0-9a-f]{8}\+/);

    const older = await get('/ledger/checkpoint', regulator);
    expect(older.headers['content-type']).toMatch(/^text\/plain/);
    const olderCheck = verifyCheckpoint(older.text, key.verifierKey);
    expect(olderCheck.ok).toBe(true);
    const olderCp = parseCheckpoint(older.text);

    await t.createUser('engineer'); // grow the log
    const newer = await get('/ledger/checkpoint', regulator);
    const newerCp = parseCheckpoint(newer.text);
    expect(verifyCheckpoint(newer.text, key.verifierKey).ok).toBe(true);
    expect(newerCp.size).toBeGreaterThan(olderCp.size);

    for (const index of [0, Math.floor(newerCp.size / 2), newerCp.size - 1]) {
      const proof = await get(`/ledger/proofs/inclusion?index=${index}&treeSize=${newerCp.size}`, regulator);
      expect(proof.status).toBe(200);
      const result = verifyInclusion(BigInt(index), BigInt(newerCp.size), hex(proof.body.leafHash), proof.body.proof.map(hex), newerCp.rootHash);
      expect(result).toEqual({ ok: true });
    }
    const consistency = await get(`/ledger/proofs/consistency?from=${olderCp.size}&to=${newerCp.size}`, regulator);
    const result = verifyConsistency(BigInt(olderCp.size), BigInt(newerCp.size), consistency.body.proof.map(hex), olderCp.rootHash, newerCp.rootHash);
    expect(result).toEqual({ ok: true });
  });

  it('refuses proofs outside the tree with a code', async () => {
    const response = await get('/ledger/proofs/inclusion?index=5&treeSize=100000', regulator);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('LEDGER_PROOF_OUT_OF_RANGE');
    expect((await get('/ledger/proofs/inclusion?index=-1&treeSize=2', regulator)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('publishes a checkpoint by itself after appends', async () => {
    const fresh = await startTestApp({ ASSAY_CHECKPOINT_INTERVAL_MS: '100' });
    try {
      const user = await fresh.createUser('regulator');
      const size = Number((await fresh.http().get('/ledger/entries?limit=500').set('Authorization', `Bearer ${user.token}`)).body.items.length);
      const { DataSource } = await import('typeorm');
      const db = fresh.app.get(DataSource);
      let stored: { tree_size: string }[] = [];
      for (let i = 0; i < 50 && !stored.some((r) => Number(r.tree_size) === size); i++) {
        await new Promise((r) => setTimeout(r, 100));
        stored = await db.query('SELECT tree_size FROM ledger_checkpoints');
      }
      expect(stored.map((r) => Number(r.tree_size))).toContain(size);
    } finally {
      await fresh.close();
    }
  });
});
