import { DataSource } from 'typeorm';
import { EvidenceService } from '../src/platform/evidence/evidence.service';
import { EvidenceKindRegistry } from '../src/platform/evidence/evidence-kind.registry';
import { systemActor } from '../src/platform/ledger/actor';
import { sha256Digest } from '../src/platform/ledger/verification';
import { startTestApp, type TestApp } from './support/test-app';

describe(EvidenceService.name, () => {
  let t: TestApp;
  let evidence: EvidenceService;
  let db: DataSource;
  const subject = { type: 'test_subject', id: 'subject-1' };
  const record = (body: Record<string, unknown>, extra: { supersedes?: string; subject?: typeof subject } = {}) =>
    db.transaction((tx) => evidence.record(tx, { kind: 'test.measured', subject: extra.subject ?? subject, body, actor: systemActor('cli'), supersedes: extra.supersedes }));

  beforeAll(async () => {
    t = await startTestApp();
    evidence = t.app.get(EvidenceService);
    db = t.app.get(DataSource);
    t.app.get(EvidenceKindRegistry).register({
      kind: 'test.measured',
      version: 1,
      description: 'A test kind.',
      schema: { type: 'object', additionalProperties: false, required: ['value'], properties: { value: { type: 'number' }, note: { type: 'string' } } },
    });
  });
  afterAll(() => t.close());

  it('stores a record under the SHA-256 of its canonical body, with its ledger entry', async () => {
    const stored = await record({ value: 0.5, note: 'ünïcode' });
    expect(stored.digest).toBe(sha256Digest({ note: 'ünïcode', value: 0.5 }));
    const [entry] = await db.query<{ evidence_digest: string; action: string }[]>('SELECT evidence_digest, action FROM ledger_entries WHERE index = $1', [stored.ledgerIndex]);
    expect(entry).toEqual({ evidence_digest: stored.digest, action: 'test.measured' });
  });

  it('refuses a body that breaks its kind’s schema, and writes nothing', async () => {
    const before = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM ledger_entries');
    await expect(record({ value: 'high' })).rejects.toMatchObject({ code: 'EVIDENCE_INVALID' });
    await expect(record({ value: 1, extra: true })).rejects.toMatchObject({ code: 'EVIDENCE_INVALID' });
    const after = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM ledger_entries');
    expect(after).toEqual(before);
  });

  it('records a correction as a new record naming the one it supersedes; never across subjects', async () => {
    const original = await record({ value: 1 });
    const correction = await record({ value: 2 }, { supersedes: original.id });
    expect(correction.supersedes).toBe(original.id);
    await expect(record({ value: 3 }, { supersedes: original.id, subject: { type: 'test_subject', id: 'other' } })).rejects.toMatchObject({
      code: 'EVIDENCE_SUPERSEDES_INVALID',
    });
    const history = await evidence.forSubject(subject, 'test.measured');
    expect(history.map((r) => r.body.value)).toEqual([0.5, 1, 2]);
  });

  it('refuses an unregistered kind as a programming error', async () => {
    await expect(db.transaction((tx) => evidence.record(tx, { kind: 'nope.done', subject, body: {}, actor: systemActor('cli') }))).rejects.toThrow(/not registered/);
  });
});
