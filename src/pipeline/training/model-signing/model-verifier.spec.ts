import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { digestDirectory } from './model-digester';
import { signManifest, signModel, type OmsBundle } from './model-signer';
import { bundleSigningKey, verifyModelSignature, type ModelFile } from './model-verifier';
import { OMS_DEFAULT_IGNORE_PATHS, createModelManifest, omsRootDigest, type OmsStatement } from './oms-statement';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const ed25519 = generateKeyPairSync('ed25519');

function manifestFor(files: { path: string; bytes: Uint8Array }[]): OmsStatement {
  return createModelManifest(
    files.map((f) => ({ path: f.path, sha256: sha256(f.bytes) })),
    { name: 'model' },
  );
}

function problemsOf(result: ReturnType<typeof verifyModelSignature>): string[] {
  return result.ok ? [] : result.problems;
}

function withPayload(bundle: OmsBundle, edit: (statement: OmsStatement) => void): OmsBundle {
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as OmsStatement;
  edit(statement);
  return { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') } };
}

describe('sign → verify on a model directory', () => {
  let dir: string;
  const signature = () => path.join(dir, 'model.sig');
  const contents: Record<string, Buffer> = {
    'config.json': Buffer.from('{"layers":[8,4,1]}'),
    'weights/layer-0.bin': randomBytes(65_536),
    'weights/layer-1.bin': randomBytes(33),
    'preprocessing/scaler.json': Buffer.from('{"mean":[0.5],"std":[0.1]}'),
    'empty.txt': Buffer.alloc(0),
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'assay-model-sign-'));
    for (const [relative, bytes] of Object.entries(contents)) {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), bytes);
    }
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const files = await digestDirectory(dir, { ignorePaths: [...OMS_DEFAULT_IGNORE_PATHS, 'model.sig'] });
    const statement = createModelManifest(files, { name: path.basename(dir), ignorePaths: ['model.sig'] });
    writeFileSync(signature(), JSON.stringify(signModel(statement, { privateKey: ed25519.privateKey }), null, 2));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What a verifier does: digest the directory (everything but the signature file) and check. */
  async function verifyDirectory(publicKey: KeyObject = ed25519.publicKey) {
    const files = await digestDirectory(dir, { ignorePaths: ['model.sig'] });
    return verifyModelSignature(readFileSync(signature(), 'utf8'), publicKey, files);
  }

  function fileBytes(): ModelFile[] {
    return Object.keys(contents).map((relative) => ({ path: relative, bytes: readFileSync(path.join(dir, relative)) }));
  }

  it('verifies from the digested directory and from the file bytes', async () => {
    const result = await verifyDirectory();
    expect(result).toMatchObject({ ok: true, method: 'key' });
    if (result.ok) expect(result.statement.predicate.resources).toHaveLength(5);
    expect(verifyModelSignature(readFileSync(signature()), ed25519.publicKey, fileBytes())).toMatchObject({ ok: true });
  });

  it.each(Object.keys(contents).filter((f) => contents[f]!.length > 0))(
    'one flipped bit anywhere in %s fails verification, naming that file',
    async (relative) => {
      const original = contents[relative]!;
      for (const offset of [0, Math.floor(original.length / 2), original.length - 1]) {
        const changed = Buffer.from(original);
        changed[offset] = changed[offset]! ^ 0x01;
        writeFileSync(path.join(dir, relative), changed);
        try {
          expect(problemsOf(await verifyDirectory())).toEqual([expect.stringMatching(new RegExp(`^file "${relative}": sha256 digest`))]);
        } finally {
          writeFileSync(path.join(dir, relative), original);
        }
      }
      expect((await verifyDirectory()).ok).toBe(true);
    },
  );

  it('a byte appended to the empty file fails too', async () => {
    writeFileSync(path.join(dir, 'empty.txt'), '\0');
    try {
      expect(problemsOf(await verifyDirectory())).toEqual([expect.stringContaining('file "empty.txt"')]);
    } finally {
      writeFileSync(path.join(dir, 'empty.txt'), '');
    }
  });

  it('a missing file and an added file fail, each named; --ignore-unsigned-files excuses only the added one', () => {
    const bundle = readFileSync(signature(), 'utf8');
    const files = fileBytes();
    expect(problemsOf(verifyModelSignature(bundle, ed25519.publicKey, files.slice(1)))).toEqual([
      'file "config.json" is in the manifest but missing',
    ]);
    const extra = [...files, { path: 'weights/layer-2.bin', bytes: Buffer.from('new') }];
    expect(problemsOf(verifyModelSignature(bundle, ed25519.publicKey, extra))).toEqual(['file "weights/layer-2.bin" is not in the signed manifest']);
    expect(verifyModelSignature(bundle, ed25519.publicKey, extra, { ignoreUnsignedFiles: true }).ok).toBe(true);
    expect(problemsOf(verifyModelSignature(bundle, ed25519.publicKey, files.slice(1), { ignoreUnsignedFiles: true }))).toEqual([
      'file "config.json" is in the manifest but missing',
    ]);
  });

  it('files under the default and recorded ignore paths do not count as unsigned', async () => {
    const files = await digestDirectory(dir); // includes .git/HEAD and model.sig themselves
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['.git/HEAD', 'model.sig']));
    expect(verifyModelSignature(readFileSync(signature(), 'utf8'), ed25519.publicKey, files).ok).toBe(true);
  });

  it('the wrong key fails, whatever its type', async () => {
    for (const other of [generateKeyPairSync('ed25519').publicKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey])
      expect(problemsOf(await verifyDirectory(other))).toEqual([expect.stringContaining('no DSSE signature verifies with the given public key')]);
  });
});

describe(verifyModelSignature.name, () => {
  const files = [
    { path: 'a.bin', bytes: Buffer.from('alpha') },
    { path: 'b/c.bin', bytes: Buffer.from('gamma') },
  ];
  const statement = manifestFor(files);
  const bundle = signModel(statement, { privateKey: ed25519.privateKey });

  it.each([
    ['ECDSA P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['ECDSA P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' })],
    ['ECDSA P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' })],
    ['Ed25519', ed25519],
  ])('round-trips with %s, the key given as KeyObject, PEM or its private half', (_label, pair) => {
    const signed = signModel(statement, { privateKey: pair.privateKey });
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    for (const key of [pair.publicKey, pem, pair.privateKey]) expect(verifyModelSignature(signed, key, files).ok).toBe(true);
  });

  it('takes files as bytes or as SHA-256 digests, and a bare DSSE envelope as well as a bundle', () => {
    const digests = files.map((f) => ({ path: f.path, sha256: sha256(f.bytes).toUpperCase() }));
    expect(verifyModelSignature(bundle, ed25519.publicKey, digests).ok).toBe(true);
    const envelope = signManifest(statement, { privateKey: ed25519.privateKey });
    expect(verifyModelSignature(envelope, ed25519.publicKey, files)).toMatchObject({ ok: true, method: 'envelope' });
    expect(verifyModelSignature(JSON.stringify(envelope), ed25519.publicKey, files).ok).toBe(true);
  });

  it('signs the same statement to the same payload bytes (RFC 8785), whatever the key order given', () => {
    const reordered = JSON.parse(JSON.stringify({ predicate: statement.predicate, subject: statement.subject, predicateType: statement.predicateType, _type: statement._type }));
    expect(signManifest(reordered, { privateKey: ed25519.privateKey }).payload).toBe(bundle.dsseEnvelope.payload);
  });

  it('a payload edited after signing fails, even when the edit matches the tampered file', () => {
    const evil = Buffer.from('evil');
    const tampered = withPayload(bundle, (s) => {
      s.predicate.resources[0]!.digest = sha256(evil);
      s.subject[0].digest.sha256 = omsRootDigest(s.predicate.resources);
    });
    expect(problemsOf(verifyModelSignature(tampered, ed25519.publicKey, [{ path: 'a.bin', bytes: evil }, files[1]!]))).toEqual([
      expect.stringContaining('no DSSE signature verifies'),
    ]);
    // A signature lifted from another genuine statement does not transplant either.
    const other = signModel(manifestFor([{ path: 'x', bytes: Buffer.from('x') }]), { privateKey: ed25519.privateKey });
    const transplanted = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, signatures: other.dsseEnvelope.signatures } };
    expect(verifyModelSignature(transplanted, ed25519.publicKey, files).ok).toBe(false);
  });

  it('a flipped signature bit, a changed payload type, and no signatures fail', () => {
    const sig = Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64');
    sig[10] = sig[10]! ^ 0x80;
    const flipped = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, signatures: [{ sig: sig.toString('base64') }] } };
    expect(problemsOf(verifyModelSignature(flipped, ed25519.publicKey, files))).toEqual([expect.stringContaining('no DSSE signature verifies')]);
    const retyped = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payloadType: 'application/json' } };
    expect(problemsOf(verifyModelSignature(retyped, ed25519.publicKey, files))).toEqual([expect.stringContaining('payloadType is "application/json"')]);
    const unsigned = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, signatures: [] } };
    expect(problemsOf(verifyModelSignature(unsigned, ed25519.publicKey, files))).toEqual(['DSSE envelope has no signatures']);
  });

  it('accepts keyid absent, empty or null (OMS §4.1), and one good signature among bad ones', () => {
    const sig = bundle.dsseEnvelope.signatures[0]!.sig;
    for (const signatures of [[{ sig }], [{ sig, keyid: '' }], [{ sig, keyid: null }], [{ sig: 'AAAA', keyid: 'other' }, { sig }]])
      expect(verifyModelSignature({ ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, signatures } }, ed25519.publicKey, files).ok).toBe(true);
  });

  it('checks the bundle: media type, fields, verification material', () => {
    expect(problemsOf(verifyModelSignature({ ...bundle, mediaType: 'application/json' }, ed25519.publicKey, files))).toEqual([
      expect.stringContaining('not a Sigstore bundle media type'),
    ]);
    expect(problemsOf(verifyModelSignature({ ...bundle, extra: true }, ed25519.publicKey, files))).toEqual(['bundle has an unexpected field "extra"']);
    const both = { ...bundle, verificationMaterial: { publicKey: { hint: 'x' }, certificate: { rawBytes: 'AAAA' } } };
    expect(problemsOf(verifyModelSignature(both, ed25519.publicKey, files))).toEqual([expect.stringContaining('exactly one of')]);
    expect(problemsOf(verifyModelSignature('', ed25519.publicKey, files))).toEqual([expect.stringContaining('not JSON')]);
    expect(problemsOf(verifyModelSignature('{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "dsse', ed25519.publicKey, files))).toEqual([
      expect.stringContaining('not JSON'),
    ]);
  });

  it('reports an unusable key instead of throwing', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(problemsOf(verifyModelSignature(bundle, rsa, files))).toEqual([expect.stringContaining('not supported')]);
    expect(problemsOf(verifyModelSignature(bundle, 'not a pem', files))).toEqual([expect.stringContaining('unusable')]);
  });

  it('verifies a blake2b manifest from bytes, says why a SHA-256 digest cannot stand in, and refuses shards by name', () => {
    const blake = (b: Uint8Array) => createHash('blake2b512').update(b).digest('hex');
    const resources = files.map((f) => ({ name: f.path, digest: blake(f.bytes), algorithm: 'blake2b' as const }));
    const blakeStatement: OmsStatement = {
      ...statement,
      subject: [{ name: 'model', digest: { sha256: omsRootDigest(resources) } }],
      predicate: { resources, serialization: { method: 'files', hash_type: 'blake2b', allow_symlinks: false } },
    };
    const signed = signModel(blakeStatement, { privateKey: ed25519.privateKey });
    expect(verifyModelSignature(signed, ed25519.publicKey, files).ok).toBe(true);
    const digests = files.map((f) => ({ path: f.path, sha256: sha256(f.bytes) }));
    expect(problemsOf(verifyModelSignature(signed, ed25519.publicKey, digests))).toEqual([
      expect.stringContaining('file "a.bin": the manifest uses blake2b'),
      expect.stringContaining('file "b/c.bin": the manifest uses blake2b'),
    ]);
    const shards = signModel(
      { ...statement, predicate: { ...statement.predicate, serialization: { method: 'shards', hash_type: 'sha256', shard_size: 1_000_000_000, allow_symlinks: false } } },
      { privateKey: ed25519.privateKey },
    );
    expect(problemsOf(verifyModelSignature(shards, ed25519.publicKey, files))).toEqual([expect.stringContaining('shard serialization')]);
  });

  it('bundleSigningKey reads a pre-v1.1.0 publicKey.rawBytes (DER or PEM) and nothing from a hint-only bundle', () => {
    const der = ed25519.publicKey.export({ type: 'spki', format: 'der' });
    const pem = Buffer.from(ed25519.publicKey.export({ type: 'spki', format: 'pem' }));
    for (const raw of [der, pem]) {
      const old = { ...bundle, verificationMaterial: { publicKey: { rawBytes: raw.toString('base64') } } };
      expect(bundleSigningKey(old)?.equals(ed25519.publicKey)).toBe(true);
      expect(verifyModelSignature(old, bundleSigningKey(old)!, files).ok).toBe(true);
    }
    expect(bundleSigningKey(bundle)).toBeUndefined();
    expect(bundleSigningKey({ verificationMaterial: { certificate: { rawBytes: 'AAAA' } } })).toBeUndefined();
  });

  it('refuses to sign a statement that is not a sound OMS statement', () => {
    const unsorted = { ...statement, predicate: { ...statement.predicate, resources: [...statement.predicate.resources].reverse() } };
    expect(() => signManifest(unsorted, { privateKey: ed25519.privateKey })).toThrow(/not sorted/);
  });

  it('property: any single-byte change in any file of any model fails, naming that file', () => {
    const name = fc.stringMatching(/^[a-z0-9_-]{1,8}(\/[a-z0-9_.-]{1,8})?$/).filter((n) => !n.startsWith('.') && !n.includes('/.'));
    const model = fc.uniqueArray(fc.record({ path: name, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }), {
      minLength: 1,
      maxLength: 5,
      selector: (f) => f.path,
    }).filter((fs) => fs.every((f) => !fs.some((g) => g.path.startsWith(`${f.path}/`))));
    fc.assert(
      fc.property(model, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (model, which, at, mask) => {
        const signed = signModel(manifestFor(model), { privateKey: ed25519.privateKey });
        expect(verifyModelSignature(signed, ed25519.publicKey, model).ok).toBe(true);
        const target = model[which % model.length]!;
        const changed = Uint8Array.from(target.bytes);
        changed[at % changed.length] = changed[at % changed.length]! ^ mask;
        const result = verifyModelSignature(
          signed,
          ed25519.publicKey,
          model.map((f) => (f === target ? { path: f.path, bytes: changed } : f)),
        );
        expect(problemsOf(result)).toEqual([expect.stringContaining(`file "${target.path}": sha256 digest`)]);
      }),
      { numRuns: 60 },
    );
  });
});
