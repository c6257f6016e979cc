import { createHash } from 'node:crypto';
import { ModelSigningError } from './model-signing.error';
import {
  IN_TOTO_STATEMENT_TYPE,
  OMS_PREDICATE_TYPE,
  canonicalModelPath,
  createModelManifest,
  statementProblems,
  type FileDigest,
  type OmsSerialization,
  type OmsStatement,
} from './oms-statement';

const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');
const file = (path: string): FileDigest => ({ path, sha256: hex(path) });

describe('createModelManifest', () => {
  it('builds the OMS v1.0 statement: one resource per file, root digest as the only subject', () => {
    const statement = createModelManifest([file('weights.bin'), file('config.json')], { name: 'my-model' });
    const [config, weights] = [hex('config.json'), hex('weights.bin')];
    expect(statement).toEqual({
      _type: IN_TOTO_STATEMENT_TYPE,
      subject: [{ name: 'my-model', digest: { sha256: createHash('sha256').update(Buffer.from(config + weights, 'hex')).digest('hex') } }],
      predicateType: OMS_PREDICATE_TYPE,
      predicate: {
        resources: [
          { name: 'config.json', digest: config, algorithm: 'sha256' },
          { name: 'weights.bin', digest: weights, algorithm: 'sha256' },
        ],
        serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['.git', '.gitattributes', '.github', '.gitignore'] },
      },
    });
    expect(statementProblems(statement)).toEqual([]);
  });

  it('sorts by Unicode code point, not by UTF-16 unit (U+FF5E before U+1F600)', () => {
    const names = ['\u{1F600}.bin', '\uFF5E.bin', 'b', 'a/z', 'a.bin', 'Z', 'é'];
    const statement = createModelManifest(names.map(file), { name: 'm' });
    expect(statement.predicate.resources.map((r) => r.name)).toEqual(['Z', 'a.bin', 'a/z', 'b', 'é', '\uFF5E.bin', '\u{1F600}.bin']);
    // JavaScript's default sort would put the astral character first.
    expect(['\u{1F600}.bin', '\uFF5E.bin'].sort()).toEqual(['\u{1F600}.bin', '\uFF5E.bin']);
  });

  it('canonicalizes paths (OMS §6.1.2) and lowercases digests', () => {
    const statement = createModelManifest(
      [{ path: './config.json', sha256: 'AB'.repeat(32) }, file('sub//./w.bin'), file('dir/file/')],
      { name: 'm' },
    );
    expect(statement.predicate.resources.map((r) => [r.name, r.digest.slice(0, 4)])).toEqual([
      ['config.json', 'abab'],
      ['dir/file', hex('dir/file/').slice(0, 4)],
      ['sub/w.bin', hex('sub//./w.bin').slice(0, 4)],
    ]);
  });

  it.each([
    ['/etc/passwd', /is absolute/],
    ['../outside', /\.\. component/],
    ['a/../b', /\.\. component/],
    ['', /is empty/],
    ['./', /is empty/],
    ['bad\uD800name', /not valid UTF-8/],
    ['nul\0byte', /NUL/],
  ])('refuses the path %j', (path, message) => {
    expect(() => createModelManifest([file(path)], { name: 'm' })).toThrow(message);
  });

  it('refuses duplicates after canonicalization, bad digests, a bad name and an empty model', () => {
    expect(() => createModelManifest([file('a'), file('./a')], { name: 'm' })).toThrow(/"a" is listed twice/);
    expect(() => createModelManifest([{ path: 'a', sha256: 'abc' }], { name: 'm' })).toThrow(/64 hex digits/);
    expect(() => createModelManifest([{ path: 'a', sha256: 'g'.repeat(64) }], { name: 'm' })).toThrow(/64 hex digits/);
    expect(() => createModelManifest([file('a')], { name: '' })).toThrow(/non-empty basename/);
    expect(() => createModelManifest([file('a')], { name: 'org/model' })).toThrow(/non-empty basename/);
    expect(() => createModelManifest([], { name: 'm' })).toThrow(/no file to sign/);
    expect(() => createModelManifest([file('.git/HEAD'), file('.gitignore')], { name: 'm' })).toThrow(ModelSigningError);
  });

  it('excludes the defaults as top-level components and user paths exactly, and records both (OMS §6.2.1)', () => {
    const paths = ['.git/config', '.github/workflows/ci.yml', '.gitignore', 'sub/.git/x', 'cache', 'cache/a', 'cache2', 'sub/cache', 'model.sig'];
    const statement = createModelManifest(paths.map(file), { name: 'm', ignorePaths: ['cache', './model.sig'] });
    expect(statement.predicate.resources.map((r) => r.name)).toEqual(['cache2', 'sub/.git/x', 'sub/cache']);
    expect(statement.predicate.serialization.ignore_paths).toEqual(['.git', '.gitattributes', '.github', '.gitignore', 'cache', 'model.sig']);
  });

  it('refuses ignore paths with globs, a leading / or ..', () => {
    for (const bad of ['*.bin', 'a?', '[ab]', '/abs', '../up'])
      expect(() => createModelManifest([file('a')], { name: 'm', ignorePaths: [bad] })).toThrow(/ignore path/);
  });
});

describe('canonicalModelPath', () => {
  it('treats a backslash as an ordinary character (POSIX names), not a separator', () => {
    expect(canonicalModelPath('a\\b')).toEqual({ path: 'a\\b' });
  });
});

describe('statementProblems', () => {
  const good = (): OmsStatement => createModelManifest([file('a.bin'), file('b.bin')], { name: 'm' });

  it.each<[string, (s: OmsStatement) => void, RegExp]>([
    ['an unsorted manifest', (s) => void s.predicate.resources.reverse(), /not sorted by code point/],
    ['a duplicate', (s) => (s.predicate.resources[1] = { ...s.predicate.resources[0]! }), /"a.bin" is listed twice/],
    ['a non-canonical name', (s) => (s.predicate.resources[0]!.name = './a.bin'), /not canonical/],
    ['an algorithm other than hash_type', (s) => (s.predicate.resources[0]!.algorithm = 'blake2b'), /differs from hash_type/],
    ['a digest of the wrong length', (s) => (s.predicate.resources[0]!.digest = 'ab'), /64 hex digits, not 2/],
    ['uppercase hex', (s) => (s.predicate.resources[0]!.digest = s.predicate.resources[0]!.digest.toUpperCase()), /lowercase hex/],
    ['a subject that is not the root digest', (s) => (s.subject[0].digest.sha256 = hex('other')), /not the root digest/],
    ['two subjects', (s) => void s.subject.push(s.subject[0]), /exactly one entry/],
    ['an extra statement field', (s) => ((s as unknown as Record<string, unknown>).extra = 1), /unexpected field "extra"/],
    ['the v0.1 predicate type', (s) => ((s as { predicateType: string }).predicateType = 'https://model_signing/Digests/v0.1'), /predicateType/],
    ['shards without shard_size', (s) => (s.predicate.serialization.method = 'shards'), /shard_size must be a positive integer/],
    ['files with shard_size', (s) => (s.predicate.serialization.shard_size = 10), /must be absent for method files/],
    ['no resources', (s) => (s.predicate.resources = []), /at least one entry/],
    ['allow_symlinks missing', (s) => delete (s.predicate.serialization as Partial<OmsSerialization>).allow_symlinks, /allow_symlinks must be a boolean/],
  ])('reports %s', (_label, mutate, message) => {
    const statement = good();
    mutate(statement);
    expect(statementProblems(statement)).toContainEqual(expect.stringMatching(message));
  });
});
