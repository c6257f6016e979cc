/**
 * The console's in-browser bundle verifier (console/src/verify, WebCrypto + fflate, no DOM) run in
 * Node on a real exported bundle and on tampered copies, and compared with `assay verify`'s
 * verifier: same check ids and titles, same outcome on every check the browser runs.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { zipSync } from 'fflate';
import { BUNDLE_CHECKS as BROWSER_CHECKS, SERVER_ONLY_REASON, verifyBundleInBrowser, type BrowserVerificationReport } from '../console/src/verify/bundle';
import { derToRawEcdsa, spkiVerifier } from '../console/src/verify/crypto';
import { BUNDLE_CHECKS, BUNDLE_FILES, readBundleArchive, sealEvidenceBundle, verifyEvidenceBundle, writeBundleArchive, type BundlePredicate } from '../src/governance/exports/bundle';
import { DOCUMENT_FILES } from '../src/governance/exports/dossier-documents';
import { loadSigningKey } from '../src/platform/ledger/signing-key';
import { encodeVerifierKey, parseCheckpoint, signingKeyFromPem } from '../src/platform/ledger/verification';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from './support/training-fixtures';

jest.setTimeout(240_000);

type Files = Map<string, Uint8Array>;
const SKIPPED_IN_BROWSER = ['evidence-documents', 'policy-replay'];

describe('console bundle verifier (in-browser code, run in Node): a real bundle and tampered copies', () => {
  let t: TestApp;
  let engineer: TestUser;
  let regulator: TestUser;
  let modelId: string;
  let trustedKey: string;
  let earlierCheckpoint: string;
  let bundle: Buffer;
  let files: Files;
  const as = (user: TestUser) => ({
    get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${user.token}`),
    post: (path: string, body?: object) => t.http().post(path).set('Authorization', `Bearer ${user.token}`).send(body),
  });
  const verify = (bytes: Uint8Array, options: Parameters<typeof verifyBundleInBrowser>[1] = { trustedKey: { text: trustedKey, source: 'test' } }) =>
    verifyBundleInBrowser(bytes, options);
  const status = (report: BrowserVerificationReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
  const failed = (report: BrowserVerificationReport) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const details = (report: BrowserVerificationReport, id: string) => report.checks.find((c) => c.id === id)!.details.join('\n');
  const zip = (entries: Files) => writeBundleArchive(entries, '2026-11-29T00:00:00.000Z');
  const predicate = () => JSON.parse(Buffer.from(JSON.parse(Buffer.from(files.get(BUNDLE_FILES.manifest)!).toString()).payload, 'base64').toString()).predicate as BundlePredicate;
  /** Re-signs changed files with the real ledger key: a server lying about its own evidence. */
  const reseal = (changed: Files) => {
    const key = loadSigningKey(t.config).key;
    return sealEvidenceBundle(new Map([...changed].filter(([name]) => name !== BUNDLE_FILES.manifest)), predicate(), {
      keyId: 'test',
      sign: (message) => sign(null, message, key.privateKey),
    }).zip;
  };
  const edited = (name: string, edit: (text: string) => string): Files => new Map(files).set(name, Buffer.from(edit(Buffer.from(files.get(name)!).toString('utf8')), 'utf8'));

  beforeAll(async () => {
    t = await startTestApp({ ASSAY_RUN_POLL_MS: '100', ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1' }, { workers: true });
    [engineer, regulator] = [await t.createUser('engineer'), await t.createUser('regulator')];
    const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600));
    earlierCheckpoint = (await as(regulator).get('/ledger/checkpoint')).text;
    const runId = (await as(engineer).post('/runs', { datasetId, spec: logisticRunSpec() })).body.id as string;
    expect((await waitForRun(t, engineer, runId)).state).toBe('succeeded');
    modelId = (await as(engineer).post('/models', { name: 'browser-verify', intendedUse: 'Pre-screen loan applications.', riskTier: 'minimal', jurisdictions: ['DE'] }))
      .body.id as string;
    expect((await as(engineer).post(`/models/${modelId}/versions`, { runId })).status).toBe(201);
    expect((await as(engineer).post(`/models/${modelId}/versions/1/promotions`, { targetStage: 'production' })).body.state).toBe('blocked');
    trustedKey = (await as(regulator).get('/ledger/public-key')).body.verifierKey as string;
    const response = await as(regulator)
      .get(`/models/${modelId}/versions/1/bundle?consistencyFrom=${parseCheckpoint(earlierCheckpoint).size}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    bundle = response.body as Buffer;
    files = readBundleArchive(bundle);
  });
  afterAll(() => t?.close());

  it('names the same checks as `assay verify`', () => {
    expect(BROWSER_CHECKS).toEqual(BUNDLE_CHECKS);
  });

  it('passes every check it runs on an untouched bundle, with the trusted key and an earlier checkpoint, and agrees with `assay verify`', async () => {
    const report = await verify(bundle, { trustedKey: { text: trustedKey, source: 'test' }, regulatorCheckpoint: earlierCheckpoint });
    expect(report.ok).toBe(true);
    const expected = Object.fromEntries(BUNDLE_CHECKS.map(([id]) => [id, SKIPPED_IN_BROWSER.includes(id) ? 'skip' : 'pass']));
    expect(status(report)).toEqual(expected);
    expect(details(report, 'policy-replay')).toBe(SERVER_ONLY_REASON);
    expect(details(report, 'model-signature')).toMatch(/OMS v1\.0 signature \(ECDSA P-256\/SHA-256, WebCrypto\)/);
    expect(details(report, 'regulator-checkpoint')).toMatch(/grew from your size \d+ to \d+/);
    expect(report.model).toEqual({ name: 'browser-verify', version: 1, modelDigest: predicate().model.modelDigest });

    const server = await verifyEvidenceBundle(bundle, { trustedKey, regulatorCheckpoint: earlierCheckpoint });
    expect(server.ok).toBe(true);
    for (const check of server.checks) if (!SKIPPED_IN_BROWSER.includes(check.id)) expect({ id: check.id, status: status(report)[check.id] }).toEqual({ id: check.id, status: check.status });
  });

  it('warns without a trusted key, and fails with a key that is not the bundle’s', async () => {
    const untrusted = await verify(bundle, {});
    expect(untrusted.ok).toBe(true);
    expect(status(untrusted)['key-trust']).toBe('warn');
    expect(status(untrusted)['regulator-checkpoint']).toBe('skip');

    const stranger = signingKeyFromPem('assay', generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const report = await verify(bundle, { trustedKey: { text: encodeVerifierKey(stranger), source: 'pasted' } });
    expect(failed(report)).toEqual(expect.arrayContaining(['key-trust', 'manifest-signature', 'checkpoint']));
    expect(details(report, 'key-trust')).toContain('not the key you trust');
    // The same key as a PEM is accepted.
    const pem = loadSigningKey(t.config).key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(status(await verify(bundle, { trustedKey: { text: pem, source: 'pasted PEM' } }))['key-trust']).toBe('pass');
  });

  it('fails file-digests naming a document with one changed byte, and a file added after signing', async () => {
    const name = DOCUMENT_FILES.annexIvPdf;
    const bytes = Buffer.from(files.get(name)!);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    const changed = await verify(zip(new Map(files).set(name, bytes)));
    expect(changed.ok).toBe(false);
    expect(failed(changed)).toEqual(['file-digests']);
    expect(details(changed, 'file-digests')).toContain(`${name} was changed`);

    const added = await verify(zip(new Map(files).set('documents/extra-claims.json', Buffer.from('{"approved": true}'))));
    expect(failed(added)).toEqual(['file-digests']);
    expect(details(added, 'file-digests')).toContain('documents/extra-claims.json is not in the signed manifest');
  });

  it('fails evidence-records on a re-sealed bundle with a changed record, and model-signature on a changed model file list', async () => {
    const record = edited(BUNDLE_FILES.records, (text) =>
      text
        .split('\n')
        .map((line, i) => (i === 0 ? JSON.stringify({ ...JSON.parse(line), body: { ...JSON.parse(line).body, approvedBy: 'nobody' } }) : line))
        .join('\n'),
    );
    expect(Buffer.from(record.get(BUNDLE_FILES.records)!).equals(Buffer.from(files.get(BUNDLE_FILES.records)!))).toBe(false);
    const report = await verify(reseal(record));
    expect(status(report)['file-digests']).toBe('pass'); // re-sealed: the manifest agrees with the lie
    expect(failed(report)).toContain('evidence-records');
    expect(details(report, 'evidence-records')).toMatch(/body digests to sha256:[0-9a-f]{64}, the record says/);

    const model = edited(BUNDLE_FILES.modelFiles, (text) => text.replace(/sha256:[0-9a-f]/, (m) => `${m.slice(0, -1)}${m.endsWith('0') ? '1' : '0'}`));
    const forged = await verify(reseal(model));
    expect(failed(forged)).toEqual(['model-signature']);
    expect(details(forged, 'model-signature')).toMatch(/does not match the signed/);
  });

  it('refuses unsafe archives and a forked earlier checkpoint', async () => {
    const unsafe = await verify(zipSync({ '../escape.txt': new Uint8Array([1]) }));
    expect(failed(unsafe)).toEqual(['archive']);
    expect(details(unsafe, 'archive')).toContain('unsafe entry name');
    expect((await verify(new Uint8Array([1, 2, 3]))).checks[0]!.status).toBe('fail');

    const current = (await as(regulator).get('/ledger/checkpoint')).text;
    const newer = await verify(bundle, { trustedKey: { text: trustedKey, source: 'test' }, regulatorCheckpoint: current });
    if (parseCheckpoint(current).size > predicate().checkpoint.treeSize) expect(details(newer, 'regulator-checkpoint')).toMatch(/is newer than the bundle's/);
  });

  it('converts DER ECDSA signatures to r‖s for WebCrypto (P-256, short r and s)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const verifier = await spkiVerifier(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    for (let i = 0; i < 40; i++) {
      const message = Buffer.from(`message ${i}`);
      const der = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
      expect(await verifier.verify(der, message)).toBe(true);
      expect(await verifier.verify(der, Buffer.from(`message ${i + 1}`))).toBe(false);
    }
    expect(derToRawEcdsa(new Uint8Array([0x30, 0x03, 0x02, 0x01]), 32)).toBeUndefined();
  });
});
