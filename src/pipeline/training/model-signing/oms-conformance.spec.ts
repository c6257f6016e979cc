import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { keyHint } from './dsse-envelope';
import { signModel } from './model-signer';
import { bundleSigningKey, verifyModelSignature } from './model-verifier';
import { createModelManifest, statementProblems, type FileDigest, type OmsResourceDescriptor, type OmsStatement } from './oms-statement';

// The shared reference folder sits beside the repository root (/work/shared next to /work/main).
const REFERENCE_DIR = path.resolve(__dirname, '../../../..', '../shared/reference/model-signing-oms');
const SCHEMA_DIR = path.join(REFERENCE_DIR, 'schemas', 'v1.0');
const VECTOR_DIR = path.join(REFERENCE_DIR, 'test-vectors', 'v1.0');
const present = existsSync(SCHEMA_DIR) && existsSync(VECTOR_DIR);
const describeOms = present ? describe : describe.skip;
if (!present) console.warn(`OMS schema and vector conformance skipped: ${REFERENCE_DIR} not found`);

const BUNDLE_SCHEMA = 'https://model_signing/bundle/v1.0/schema';
const ENVELOPE_SCHEMA = 'https://model_signing/envelope/v1.0/schema';
const STATEMENT_SCHEMA = 'https://model_signing/statement/v1.0/schema';
const PREDICATE_SCHEMA = 'https://model_signing/predicate/v1.0/schema';

interface VectorBundle {
  mediaType: string;
  verificationMaterial: { publicKey?: { hint?: string }; x509CertificateChain?: { certificates: { rawBytes: string }[] } };
  dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string; keyid?: string | null }[] };
}

function vectorText(relative: string): string {
  return readFileSync(path.join(VECTOR_DIR, relative), 'utf8');
}

function vector(relative: string): VectorBundle {
  return JSON.parse(vectorText(relative)) as VectorBundle;
}

function payloadOf(bundle: { dsseEnvelope: { payload: string } }): OmsStatement {
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as OmsStatement;
}

/** The vectors ship no model files; their manifests name the digests, which stand in for the bytes. */
function filesOf(statement: OmsStatement): FileDigest[] {
  return statement.predicate.resources.map((r: OmsResourceDescriptor) => ({ path: r.name, sha256: r.digest }));
}

function leafKey(bundle: VectorBundle): KeyObject {
  const key = bundleSigningKey(bundle);
  if (!key) throw new Error('vector has no certificate');
  return key;
}

describeOms(
  `OMS v1.0 against the ossf/model-signing-spec schemas and test vectors${present ? '' : ' (SKIPPED: ../shared/reference/model-signing-oms not found)'}`,
  () => {
    const schemas = present
      ? readdirSync(SCHEMA_DIR)
          .filter((f) => f.endsWith('.schema.json'))
          .map((f) => JSON.parse(readFileSync(path.join(SCHEMA_DIR, f), 'utf8')) as { $id: string })
      : [];
    // strictRequired off: the upstream schemas name required properties inside anyOf / then
    // branches whose `properties` live in the parent — valid JSON Schema that the lint dislikes.
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    addFormats(ajv);
    for (const schema of schemas) ajv.addSchema(schema);

    function schemaProblems(id: string, data: unknown): string[] {
      const validate = ajv.getSchema(id);
      if (!validate) throw new Error(`schema ${id} not registered`);
      return validate(data) ? [] : (validate.errors ?? []).map((e) => `${id} ${e.instancePath} ${e.message}`);
    }

    /** OMS §3.1: conformance validates a bundle against all four schemas (payload decoded for the inner two). */
    function allSchemaProblems(bundleText: string): string[] {
      let bundle: unknown;
      try {
        bundle = JSON.parse(bundleText);
      } catch {
        return ['not JSON'];
      }
      const found = schemaProblems(BUNDLE_SCHEMA, bundle);
      const envelope = (bundle as { dsseEnvelope?: { payload?: unknown } }).dsseEnvelope;
      if (envelope === undefined) return found;
      found.push(...schemaProblems(ENVELOPE_SCHEMA, envelope));
      const statement = JSON.parse(Buffer.from(String(envelope.payload), 'base64').toString('utf8')) as { predicate?: unknown };
      found.push(...schemaProblems(STATEMENT_SCHEMA, statement), ...schemaProblems(PREDICATE_SCHEMA, statement.predicate));
      return found;
    }

    // Listed, not discovered, so that the tables stay non-empty when the suite is skipped; the
    // first test checks the list against the folder.
    const valid = ['valid/certificate.bundle.json', 'valid/key.bundle.json', 'valid/sigstore.bundle.json'];
    const invalid = [
      'invalid-payload/wrong-predicate.bundle.json',
      'invalid/empty.bundle.json',
      'invalid/missing-envelope.bundle.json',
      'invalid/missing-tlog-entries.bundle.json',
      'invalid/missing-verification-material.bundle.json',
    ];

    it('registers the four OMS schemas by $id and knows every vector in the folder', () => {
      expect(schemas.map((s) => s.$id).sort()).toEqual([BUNDLE_SCHEMA, ENVELOPE_SCHEMA, PREDICATE_SCHEMA, STATEMENT_SCHEMA]);
      const onDisk = readdirSync(VECTOR_DIR).flatMap((folder) => readdirSync(path.join(VECTOR_DIR, folder)).map((f) => `${folder}/${f}`));
      expect(onDisk.sort()).toEqual([...invalid, ...valid].sort());
    });

    it.each(valid)('%s passes all four schemas', (file) => {
      expect(allSchemaProblems(vectorText(file))).toEqual([]);
    });

    const invalidBecause: Record<string, string> = {
      'invalid/empty.bundle.json': 'not JSON',
      'invalid/missing-envelope.bundle.json': "must have required property 'dsseEnvelope'",
      'invalid/missing-verification-material.bundle.json': "must have required property 'verificationMaterial'",
      'invalid/missing-tlog-entries.bundle.json': "/verificationMaterial must have required property 'tlogEntries'",
      'invalid-payload/wrong-predicate.bundle.json': `${STATEMENT_SCHEMA} /predicateType must be equal to constant`,
    };
    it.each(invalid)('%s fails them for the reason its name gives', (file) => {
      expect(invalidBecause[file]).toBeDefined();
      expect(allSchemaProblems(vectorText(file))).toContainEqual(expect.stringContaining(invalidBecause[file]!));
    });

    describe('what this library produces', () => {
      const files = [
        { path: 'weights/layer-0.bin', sha256: 'a'.repeat(64) },
        { path: 'config.json', sha256: 'b'.repeat(64) },
        { path: 'model.sig', sha256: 'c'.repeat(64) },
      ];
      const statement = createModelManifest(files, { name: 'credit-risk-mlp', ignorePaths: ['model.sig'] });

      it.each([
        ['Ed25519', generateKeyPairSync('ed25519').privateKey],
        ['ECDSA P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey],
        ['ECDSA P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
      ])('statement, envelope and bundle signed with %s validate against the schemas', (_label, privateKey) => {
        const bundle = signModel(statement, { privateKey });
        expect(schemaProblems(STATEMENT_SCHEMA, statement)).toEqual([]);
        expect(schemaProblems(PREDICATE_SCHEMA, statement.predicate)).toEqual([]);
        expect(schemaProblems(ENVELOPE_SCHEMA, bundle.dsseEnvelope)).toEqual([]);
        expect(allSchemaProblems(JSON.stringify(bundle))).toEqual([]);
        expect(payloadOf(bundle)).toEqual(statement);
      });

      it('the validators are live: each schema rejects a broken copy of our output', () => {
        const bundle = signModel(statement, { privateKey: generateKeyPairSync('ed25519').privateKey });
        expect(schemaProblems(STATEMENT_SCHEMA, { ...statement, predicateType: 'https://model_signing/Digests/v0.1' })).not.toEqual([]);
        const noAlgorithm = { ...statement.predicate, resources: [{ name: 'config.json', digest: 'b'.repeat(64) }] };
        expect(schemaProblems(PREDICATE_SCHEMA, noAlgorithm)).not.toEqual([]);
        expect(schemaProblems(ENVELOPE_SCHEMA, { ...bundle.dsseEnvelope, payloadType: 'application/json' })).not.toEqual([]);
        expect(schemaProblems(BUNDLE_SCHEMA, { ...bundle, verificationMaterial: { tlogEntries: [] } })).not.toEqual([]);
      });
    });

    describe('createModelManifest reproduces the statements of the reference implementation', () => {
      it.each([
        ['valid/key.bundle.json', 'model', ['ignore-me']],
        ['valid/certificate.bundle.json', 'model', ['ignore-me']],
        ['valid/sigstore.bundle.json', 'v1.1.0-sigstore', ['ignore-me', 'model.sig']],
      ])('%s: same resources, serialization and root digest from the same files', (file, name, ignorePaths) => {
        const theirs = payloadOf(vector(file));
        const ours = createModelManifest(filesOf(theirs), { name, ignorePaths });
        expect(ours.subject).toEqual(theirs.subject);
        expect(ours.predicate.resources).toEqual(theirs.predicate.resources);
        const { ignore_paths: theirIgnores, ...theirRest } = theirs.predicate.serialization;
        const { ignore_paths: ourIgnores, ...ourRest } = ours.predicate.serialization;
        expect(ourRest).toEqual(theirRest);
        expect([...(ourIgnores ?? [])].sort()).toEqual([...(theirIgnores ?? [])].sort());
        expect(statementProblems(theirs)).toEqual([]);
      });
    });

    describe('verifyModelSignature on the vectors', () => {
      let keyBundle: VectorBundle;
      let certificateBundle: VectorBundle;
      let sigstoreBundle: VectorBundle;
      beforeAll(() => {
        keyBundle = vector('valid/key.bundle.json');
        certificateBundle = vector('valid/certificate.bundle.json');
        sigstoreBundle = vector('valid/sigstore.bundle.json');
      });

      it('the key vector carries no public key, only a hint; the certificate vector’s leaf is that key', () => {
        // The conformance suite signs its key and certificate vectors with one signing-key.pem. The
        // certificate leaf carries it, and our keyHint of it reproduces the key vector's hint.
        expect(keyBundle.verificationMaterial.publicKey).toEqual({ hint: expect.any(String) });
        expect(bundleSigningKey(keyBundle)).toBeUndefined();
        const key = leafKey(certificateBundle);
        expect(key.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
        expect(keyHint(key)).toBe(keyBundle.verificationMaterial.publicKey?.hint);
      });

      it('valid/key.bundle.json (ECDSA P-384, signed by model_signing) verifies', () => {
        const result = verifyModelSignature(keyBundle, leafKey(certificateBundle), filesOf(payloadOf(keyBundle)));
        expect(result).toMatchObject({ ok: true, method: 'key' });
      });

      it('valid/certificate.bundle.json verifies with its leaf key; the leaf is issued by the next certificate (test-side check)', () => {
        const [leaf, intermediate] = certificateBundle.verificationMaterial.x509CertificateChain!.certificates.map(
          (c) => new X509Certificate(Buffer.from(c.rawBytes, 'base64')),
        );
        expect(leaf!.verify(intermediate!.publicKey)).toBe(true);
        const result = verifyModelSignature(certificateBundle, leaf!.publicKey, filesOf(payloadOf(certificateBundle)));
        expect(result).toMatchObject({ ok: true, method: 'certificate' });
      });

      it('valid/sigstore.bundle.json: the DSSE signature and manifest verify with the Fulcio certificate key (Fulcio chain, Rekor entry and the 10-minute validity NOT checked)', () => {
        const key = leafKey(sigstoreBundle);
        expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
        const result = verifyModelSignature(sigstoreBundle, key, filesOf(payloadOf(sigstoreBundle)));
        expect(result).toMatchObject({ ok: true, method: 'sigstore' });
      });

      it('a changed file digest, a missing file and an unsigned file fail the key vector, each named', () => {
        const key = leafKey(certificateBundle);
        const files = filesOf(payloadOf(keyBundle));
        const changed = files.map((f, i) => (i === 1 && 'sha256' in f ? { ...f, sha256: f.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')) } : f));
        expect(verifyModelSignature(keyBundle, key, changed)).toEqual({
          ok: false,
          problems: [expect.stringMatching(/^file "signme-2": sha256 digest .* does not match/)],
        });
        expect(verifyModelSignature(keyBundle, key, files.slice(1))).toEqual({
          ok: false,
          problems: ['file "signme-1" is in the manifest but missing'],
        });
        expect(verifyModelSignature(keyBundle, key, [...files, { path: 'extra.bin', bytes: Buffer.from('x') }])).toEqual({
          ok: false,
          problems: ['file "extra.bin" is not in the signed manifest'],
        });
        // ignore-me is recorded in serialization.ignore_paths, .git is a default exclusion.
        const excluded = [...files, { path: 'ignore-me', bytes: Buffer.from('x') }, { path: '.git/HEAD', bytes: Buffer.from('x') }];
        expect(verifyModelSignature(keyBundle, key, excluded).ok).toBe(true);
      });

      it('the wrong key fails every valid vector', () => {
        const wrong = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
        for (const bundle of [keyBundle, certificateBundle, sigstoreBundle])
          expect(verifyModelSignature(bundle, wrong, filesOf(payloadOf(bundle)))).toEqual({
            ok: false,
            problems: [expect.stringContaining('no DSSE signature verifies')],
          });
      });

      it('every invalid vector fails, for its own reason', () => {
        const key = leafKey(certificateBundle);
        const files = filesOf(payloadOf(keyBundle));
        const problemsOf = (file: string, publicKey: KeyObject = key) => {
          const result = verifyModelSignature(vectorText(file), publicKey, files);
          return result.ok ? [] : result.problems;
        };
        expect(problemsOf('invalid/empty.bundle.json')).toEqual([expect.stringContaining('not JSON')]);
        expect(problemsOf('invalid/missing-envelope.bundle.json')).toEqual([expect.stringContaining('no dsseEnvelope')]);
        // Its signature is genuine (same key and payload as the key vector): only the structure is wrong.
        expect(problemsOf('invalid/missing-verification-material.bundle.json')).toEqual(['bundle has no verificationMaterial object']);
        expect(problemsOf('invalid/missing-tlog-entries.bundle.json', leafKey(sigstoreBundle))).toEqual([
          expect.stringContaining('at least one tlogEntries entry'),
        ]);
        // The predicate type was swapped after signing: the signature no longer covers the payload,
        // and the statement would fail on its own too.
        expect(problemsOf('invalid-payload/wrong-predicate.bundle.json')).toEqual([expect.stringContaining('no DSSE signature verifies')]);
        expect(statementProblems(payloadOf(vector('invalid-payload/wrong-predicate.bundle.json')))).toEqual([
          expect.stringContaining('predicateType is "https://example.com/wrong-predicate/v1.0"'),
        ]);
      });
    });
  },
);
