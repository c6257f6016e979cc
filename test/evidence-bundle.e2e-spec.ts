import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import addDraft2019Formats from 'ajv-formats-draft2019';
import {
  BUNDLE_FILES,
  readBundleArchive,
  sealEvidenceBundle,
  verifyEvidenceBundle,
  writeBundleArchive,
  type BundleCheckId,
  type BundlePredicate,
  type BundleVerificationReport,
} from '../src/governance/exports/bundle';
import { DOCUMENT_FILES } from '../src/governance/exports/dossier-documents';
import { loadSigningKey } from '../src/platform/ledger/signing-key';
import { encodeVerifierKey, parseCheckpoint, signCheckpoint, signingKeyFromPem } from '../src/platform/ledger/verification';
import { runCli } from './support/cli';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(240_000);

const REFERENCE = resolve(__dirname, '..', '..', 'shared', 'reference');
const hasReference = existsSync(REFERENCE);
if (!hasReference) console.warn(`Schema checks of the bundle's documents skipped: ${REFERENCE} not found`);

type Files = Map<string, Uint8Array>;

describe('evidence bundles: export, standard documents, offline verification and tampering', () => {
  let t: TestApp;
  let engineer: TestUser;
  let otherEngineer: TestUser;
  let officer: TestUser;
  let regulator: TestUser;
  let modelId: string;
  let earlierCheckpoint: string;
  let trustedKey: string;
  let bundle: Buffer;
  let files: Files;
  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });
  const download = (user: TestUser, query = '') =>
    as(user)
      .get(`/models/${modelId}/versions/1/bundle${query}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const verify = (bytes: Uint8Array, options: { trustedKey?: string; regulatorCheckpoint?: string } = { trustedKey }) => verifyEvidenceBundle(bytes, options);
  const failed = (report: BundleVerificationReport) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const details = (report: BundleVerificationReport, id: BundleCheckId) => report.checks.find((c) => c.id === id)!.details.join('\n');

  /** Re-signs changed files with the real ledger key: what a server lying about its own evidence could do. */
  const reseal = (changed: Files, predicate?: Partial<BundlePredicate>) => {
    const key = loadSigningKey(t.config).key;
    const original = JSON.parse(Buffer.from(JSON.parse(Buffer.from(files.get(BUNDLE_FILES.manifest)!).toString()).payload, 'base64').toString()).predicate as BundlePredicate;
    const withoutManifest = new Map([...changed].filter(([name]) => name !== BUNDLE_FILES.manifest));
    return sealEvidenceBundle(withoutManifest, { ...original, ...predicate }, { keyId: 'test', sign: (message) => sign(null, message, key.privateKey) }).zip;
  };
  const edited = (name: string, edit: (text: string) => string): Files => {
    const copy = new Map(files);
    copy.set(name, Buffer.from(edit(Buffer.from(files.get(name)!).toString('utf8')), 'utf8'));
    return copy;
  };
  const zip = (entries: Files) => writeBundleArchive(entries, '2026-11-29T00:00:00.000Z');

  beforeAll(async () => {
    t = await startTestApp({ ASSAY_RUN_POLL_MS: '100', ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1' }, { workers: true });
    [engineer, otherEngineer, officer, regulator] = [
      await t.createUser('engineer'),
      await t.createUser('engineer'),
      await t.createUser('compliance_officer'),
      await t.createUser('regulator'),
    ];
    const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600));
    const runId = (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() })).body.id as string;
    expect((await waitForRun(t, engineer, runId)).state).toBe('succeeded');
    modelId = (await as(engineer).post('/models', { name: 'bundle-credit', intendedUse: 'Pre-screen loan applications.', riskTier: 'minimal', jurisdictions: ['DE'] }))
      .body.id as string;
    expect((await as(engineer).post(`/models/${modelId}/versions`, { runId })).status).toBe(201);
    // The regulator keeps a checkpoint from before the promotion.
    earlierCheckpoint = (await as(regulator).get('/ledger/checkpoint')).text;
    trustedKey = (await as(regulator).get('/ledger/public-key')).body.verifierKey as string;

    const blocked = (await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' })).body;
    expect(blocked.state).toBe('blocked');
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    for (const ref of blocked.decision.blockedBy as { packId: string; ruleId: string }[])
      expect(
        (await as(officer).post('/waivers', { modelId, version: 1, ...ref, justification: 'Accepted by the model risk committee.', expiresAt: until })).status,
      ).toBe(201);
    const pending = (await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' })).body;
    expect(pending.state).toBe('pending_approval');
    expect((await as(officer).post(`/promotions/${pending.id}/approve`, { rationale: 'Evidence reviewed; waivers justified.' })).status).toBe(200);

    const response = await download(regulator, `?consistencyFrom=${parseCheckpoint(earlierCheckpoint).size}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe('attachment; filename="bundle-credit-v1.assay-bundle.zip"');
    bundle = response.body as Buffer;
    files = readBundleArchive(bundle);
  });
  afterAll(() => t?.close());

  it('verifies untouched, against the trusted key and the checkpoint the regulator kept, replaying all three decisions', async () => {
    const report = await verify(bundle, { trustedKey, regulatorCheckpoint: earlierCheckpoint });
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual([]);
    expect(report.counts.decisions).toBe(3); // blocked request, pending request, the approval's re-evaluation
    expect(details(report, 'policy-replay')).toMatch(/approval: pending_approval, replayed identically/);
    expect(details(report, 'evidence-documents')).toMatch(/re-assembled from their records/);
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([...Object.values(BUNDLE_FILES), ...Object.values(DOCUMENT_FILES), expect.stringMatching(/^policy\/packs\/[0-9a-f]{64}\/baseline\/pack\.yaml$/)]),
    );
    // Without a trusted key the bundle is consistent but its origin unproven: a warning, not a pass.
    const untrusted = await verify(bundle, {});
    expect(untrusted.ok).toBe(true);
    expect(untrusted.checks.find((c) => c.id === 'key-trust')!.status).toBe('warn');
  });

  it('records the export as evidence with the manifest digest', async () => {
    const records = (await as(regulator).get(`/evidence?kind=bundle.exported`)).body.items as { body: { manifestDigest: string; consistencyFrom: number[] } }[];
    expect(records).toHaveLength(1);
    expect(records[0]!.body.manifestDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(records[0]!.body.consistencyFrom).toEqual([parseCheckpoint(earlierCheckpoint).size]);
  });

  it('fails on one changed byte in each kind of file, naming the file', async () => {
    const samples = [...files.keys()].filter((name, i, all) => {
      const kind = (n: string) => n.replace(/\/[^/]+$/, '/*');
      return all.findIndex((other) => kind(other) === kind(name)) === i;
    });
    expect(samples.length).toBeGreaterThanOrEqual(10);
    for (const name of samples) {
      const copy = new Map(files);
      const bytes = Buffer.from(files.get(name)!);
      const at = Math.floor(bytes.length / 2);
      bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
      copy.set(name, bytes);
      const report = await verify(zip(copy));
      expect({ name, ok: report.ok }).toEqual({ name, ok: false });
      const check = name === BUNDLE_FILES.manifest ? 'manifest-signature' : 'file-digests';
      expect(failed(report)).toContain(check);
      if (check === 'file-digests') expect(details(report, 'file-digests')).toContain(`${name} was changed`);
    }
  });

  it('fails when a file is dropped or added, naming it', async () => {
    const dropped = new Map(files);
    dropped.delete(DOCUMENT_FILES.annexIvPdf);
    const report = await verify(zip(dropped));
    expect(failed(report)).toContain('file-digests');
    expect(details(report, 'file-digests')).toContain(`${DOCUMENT_FILES.annexIvPdf} is in the signed manifest but missing`);

    const added = new Map(files);
    added.set('documents/extra-claims.json', Buffer.from('{"approved": true}'));
    const more = await verify(zip(added));
    expect(failed(more)).toEqual(['file-digests']);
    expect(details(more, 'file-digests')).toContain('documents/extra-claims.json is not in the signed manifest');
  });

  it('fails with a key the regulator does not trust, and with a bundle signed by another key', async () => {
    const stranger = signingKeyFromPem('assay', generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const report = await verify(bundle, { trustedKey: encodeVerifierKey(stranger) });
    expect(failed(report)).toEqual(expect.arrayContaining(['key-trust', 'manifest-signature', 'checkpoint']));
    expect(details(report, 'key-trust')).toContain('not the key you trust');

    const forged = new Map(files);
    forged.set(BUNDLE_FILES.ledgerKey, Buffer.from(`${encodeVerifierKey(stranger)}\n`));
    const resigned = sealEvidenceBundle(new Map([...forged].filter(([n]) => n !== BUNDLE_FILES.manifest)), JSON.parse(
      Buffer.from(JSON.parse(Buffer.from(files.get(BUNDLE_FILES.manifest)!).toString()).payload, 'base64').toString(),
    ).predicate, { keyId: 'stranger', sign: (m) => sign(null, m, stranger.privateKey) }).zip;
    expect(failed(await verify(resigned))).toEqual(expect.arrayContaining(['key-trust', 'manifest-signature']));
  });

  it('fails when the checkpoint is swapped for a forked one, also when the manifest is re-signed to match', async () => {
    const key = loadSigningKey(t.config).key;
    const real = parseCheckpoint(Buffer.from(files.get(BUNDLE_FILES.checkpoint)!).toString());
    const forkedRoot = Buffer.alloc(32, 7);
    const fork = signCheckpoint({ origin: real.origin, size: real.size, rootHash: forkedRoot }, key);
    const swapped = new Map(files);
    swapped.set(BUNDLE_FILES.checkpoint, Buffer.from(fork));
    expect(failed(await verify(zip(swapped)))).toEqual(expect.arrayContaining(['file-digests', 'checkpoint']));

    const resealed = reseal(swapped, { checkpoint: { origin: real.origin, treeSize: real.size, rootHash: forkedRoot.toString('hex') } });
    const report = await verify(resealed, { trustedKey, regulatorCheckpoint: earlierCheckpoint });
    expect(failed(report)).toEqual(expect.arrayContaining(['ledger-inclusion', 'regulator-checkpoint']));
    expect(details(report, 'ledger-inclusion')).toMatch(/is not in the checkpoint's tree/);

    // The regulator's own checkpoint from a fork of the log (same size as theirs, different root).
    const theirs = parseCheckpoint(earlierCheckpoint);
    const forkedEarlier = signCheckpoint({ origin: theirs.origin, size: theirs.size, rootHash: Buffer.alloc(32, 9) }, key);
    expect(failed(await verify(bundle, { trustedKey, regulatorCheckpoint: forkedEarlier }))).toEqual(['regulator-checkpoint']);
  });

  it('catches evidence that was changed and re-signed: records, documents, decisions, pack files, model files', async () => {
    const cases: Array<[string, Files, BundleCheckId]> = [
      [
        'a record body',
        edited(BUNDLE_FILES.records, (text) => text.replace('"riskTier":"minimal"', '"riskTier":"high"')),
        'evidence-records',
      ],
      [
        'the evidence document',
        edited(BUNDLE_FILES.evidenceDocument, (text) => text.replace(/"personalDataDetected": (true|false)/, (_m, v: string) => `"personalDataDetected": ${v === 'true' ? 'false' : 'true'}`)),
        'evidence-documents',
      ],
      [
        'a pack file',
        edited([...files.keys()].find((n) => n.endsWith('/baseline/pack.yaml'))!, (text) => `${text}# edited\n`),
        'policy-replay',
      ],
      [
        'the model file list',
        edited(BUNDLE_FILES.modelFiles, (text) => text.replace(/"sha256:[0-9a-f]{4}/, '"sha256:0000')),
        'model-signature',
      ],
    ];
    for (const [what, changed, check] of cases) {
      const report = await verify(reseal(changed));
      expect({ what, failed: failed(report) }).toEqual({ what, failed: expect.arrayContaining([check]) });
    }
    // A decision whose outcome was rewritten no longer replays (its digest is in the record too).
    const rewritten = edited(BUNDLE_FILES.records, (text) =>
      text
        .split('\n')
        .map((line) => (line.includes('"kind":"policy.evaluated"') ? line.replace('"outcome":"blocked"', '"outcome":"pending_approval"') : line))
        .join('\n'),
    );
    const report = await verify(reseal(rewritten));
    expect(failed(report)).toEqual(expect.arrayContaining(['evidence-records', 'policy-replay']));
  });

  it('assay verify prints a readable report, exits 0 on the untouched bundle and 65 naming the failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-verify-'));
    writeFileSync(join(dir, 'bundle.zip'), bundle);
    writeFileSync(join(dir, 'ledger.vkey'), `${trustedKey}\n`);
    writeFileSync(join(dir, 'earlier.checkpoint'), earlierCheckpoint);
    const ok = await runCli(['verify', join(dir, 'bundle.zip'), '--trusted-key', join(dir, 'ledger.vkey'), '--checkpoint', join(dir, 'earlier.checkpoint')], {});
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' });
    expect(ok.stdout).toContain('bundle-credit version 1');
    expect(ok.stdout).toMatch(/PASS {2}policy-replay/);
    expect(ok.stdout).toMatch(/\nVERIFIED\n$/);

    const copy = new Map(files);
    copy.set(DOCUMENT_FILES.modelCard, Buffer.from(Buffer.from(files.get(DOCUMENT_FILES.modelCard)!).toString().replace('bundle-credit', 'bundle-kredit')));
    writeFileSync(join(dir, 'tampered.zip'), zip(copy));
    const bad = await runCli(['verify', join(dir, 'tampered.zip'), '--trusted-key', join(dir, 'ledger.vkey')], {});
    expect(bad.code).toBe(65);
    expect(bad.stdout).toContain(`${DOCUMENT_FILES.modelCard} was changed`);
    expect(bad.stdout).toContain('NOT VERIFIED: 1 check(s) failed: file-digests');
    expect((await runCli(['verify', join(dir, 'missing.zip')], {})).code).toBe(66);
    writeFileSync(join(dir, 'not-a-zip.zip'), 'hello');
    const notZip = await runCli(['verify', join(dir, 'not-a-zip.zip')], {});
    expect(notZip.code).toBe(65);
    expect(notZip.stdout).toMatch(/FAIL {2}archive/);
  });

  it('only lets those who may export have the bundle, and checks its parameters', async () => {
    expect((await download(engineer)).status).toBe(200);
    expect((await download(otherEngineer)).status).toBe(404);
    expect((await download(officer)).status).toBe(200);
    expect((await download(regulator, '?consistencyFrom=abc')).body.toString()).toContain('VALIDATION_FAILED');
    expect((await download(regulator, '?consistencyFrom=0')).status).toBe(400);
    const beyond = await download(regulator, '?consistencyFrom=99999999');
    expect(beyond.status).toBe(400);
    expect(JSON.parse(beyond.body.toString()).error.code).toBe('LEDGER_PROOF_OUT_OF_RANGE');
  });

  (hasReference ? describe : describe.skip)(`documents in the bundle against the public schemas${hasReference ? '' : ' (SKIPPED: ../shared/reference not found)'}`, () => {
    const read = (name: string) => JSON.parse(Buffer.from(files.get(name)!).toString('utf8')) as unknown;
    const schema = (path: string) => JSON.parse(readFileSync(join(REFERENCE, path), 'utf8')) as Record<string, unknown>;
    const errors = (validate: { (data: unknown): boolean; errors?: unknown }, data: unknown) => (validate(data) ? [] : validate.errors);

    it('model card: Model Card Toolkit v0.0.2 (draft-07)', () => {
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      expect(errors(ajv.compile(schema('model-card-toolkit/model_card.schema.v0.0.2.json')), read(DOCUMENT_FILES.modelCard))).toEqual([]);
    });

    it('CycloneDX 1.6 ML-BOM with formats asserted', () => {
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      addDraft2019Formats(ajv, { formats: ['iri', 'iri-reference', 'idn-email', 'idn-hostname'] });
      ajv.addSchema(schema('cyclonedx/spdx.schema.json'));
      ajv.addSchema(schema('cyclonedx/jsf-0.82.schema.json'));
      const bom = read(DOCUMENT_FILES.cycloneDx) as { components: Array<{ type: string; modelCard?: unknown }> };
      expect(errors(ajv.compile(schema('cyclonedx/bom-1.6.schema.json')), bom)).toEqual([]);
      expect(bom.components.find((c) => c.type === 'machine-learning-model')?.modelCard).toBeDefined();
    });

    it('PROV-JSON and OpenLineage', () => {
      const prov = new AjvDraft04({ allErrors: true, strict: false });
      addFormats(prov);
      expect(errors(prov.compile(schema('prov/prov-json-schema-v4.json')), read(DOCUMENT_FILES.prov))).toEqual([]);
      const ol = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ol);
      const validate = ol.compile(schema('openlineage/OpenLineage.json'));
      for (const event of read(DOCUMENT_FILES.openLineage) as unknown[]) expect(errors(validate, event)).toEqual([]);
    });
  });

  it('documents are self-contained and name the model', () => {
    for (const name of [DOCUMENT_FILES.modelCardHtml, DOCUMENT_FILES.annexIvHtml]) {
      const html = Buffer.from(files.get(name)!).toString('utf8');
      expect(html).toContain('bundle-credit');
      expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
      expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    }
    expect(Buffer.from(files.get(DOCUMENT_FILES.annexIvPdf)!).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
