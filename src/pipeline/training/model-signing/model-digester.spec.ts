import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { digestDirectory, sha256File } from './model-digester';
import { ModelSigningError } from './model-signing.error';

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('model digester', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'assay-model-digest-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function put(relative: string, bytes: string | Buffer): string {
    const absolute = path.join(dir, relative);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, bytes);
    return absolute;
  }

  async function refusal(promise: Promise<unknown>): Promise<ModelSigningError> {
    const error: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof ModelSigningError)) throw new Error(`expected a ModelSigningError, got ${String(error)}`);
    return error;
  }

  describe(sha256File.name, () => {
    it('hashes FIPS 180-2 "abc", the empty file, and a file spanning several read chunks', async () => {
      expect(await sha256File(put('abc', 'abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(await sha256File(put('empty', ''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      const big = randomBytes(3 * (1 << 20) + 7);
      expect(await sha256File(put('big.bin', big))).toBe(sha256(big));
    });

    it('refuses a symbolic link, a directory and a FIFO', async () => {
      const target = put('target', 'x');
      symlinkSync(target, path.join(dir, 'link'));
      expect((await refusal(sha256File(path.join(dir, 'link')))).message).toMatch(/symbolic link/);
      mkdirSync(path.join(dir, 'sub'));
      expect((await refusal(sha256File(path.join(dir, 'sub')))).code).toBe('FILE_REFUSED');
      execFileSync('mkfifo', [path.join(dir, 'fifo')]);
      expect((await refusal(sha256File(path.join(dir, 'fifo')))).message).toMatch(/not a regular file/);
    });
  });

  describe(digestDirectory.name, () => {
    it('lists every regular file with its SHA-256, `/`-relative and sorted by code point', async () => {
      put('weights/layer-1.bin', 'w1');
      put('weights/layer-0.bin', 'w0');
      put('config.json', '{}');
      put('\uFF5E', 'fullwidth tilde');
      put('\u{1F600}', 'emoji');
      put('.gitignore', 'not skipped unless asked');
      put('empty', '');
      expect(await digestDirectory(dir)).toEqual([
        { path: '.gitignore', sha256: sha256('not skipped unless asked') },
        { path: 'config.json', sha256: sha256('{}') },
        { path: 'empty', sha256: sha256('') },
        { path: 'weights/layer-0.bin', sha256: sha256('w0') },
        { path: 'weights/layer-1.bin', sha256: sha256('w1') },
        { path: '\uFF5E', sha256: sha256('fullwidth tilde') },
        { path: '\u{1F600}', sha256: sha256('emoji') },
      ]);
    });

    it('skips exactly the paths it is told to, subtrees included', async () => {
      put('.git/objects/aa', 'x');
      put('model.sig', '{}');
      put('sub/model.sig', '{}');
      put('w.bin', 'w');
      const files = await digestDirectory(dir, { ignorePaths: ['.git', 'model.sig'] });
      expect(files.map((f) => f.path)).toEqual(['sub/model.sig', 'w.bin']);
    });

    it('returns nothing for an empty directory and refuses a file or a symlink as the root', async () => {
      expect(await digestDirectory(dir)).toEqual([]);
      const file = put('f', 'x');
      expect((await refusal(digestDirectory(file))).message).toMatch(/not a directory/);
      symlinkSync(dir, path.join(dir, 'self'));
      expect((await refusal(digestDirectory(path.join(dir, 'self')))).message).toMatch(/symbolic link/);
    });

    it.each([
      ['a symlink to a file', (d: string) => symlinkSync(path.join(d, 'real.bin'), path.join(d, 'sub', 'alias.bin'))],
      ['a symlink to a directory', (d: string) => symlinkSync(d, path.join(d, 'sub', 'alias.bin'))],
      ['a dangling symlink', (d: string) => symlinkSync(path.join(d, 'nowhere'), path.join(d, 'sub', 'alias.bin'))],
    ])('refuses %s and names it', async (_label, link) => {
      put('real.bin', 'r');
      mkdirSync(path.join(dir, 'sub'));
      link(dir);
      const error = await refusal(digestDirectory(dir));
      expect(error.code).toBe('FILE_REFUSED');
      expect(error.details.path).toBe('sub/alias.bin');
    });

    it('refuses a FIFO in the tree instead of skipping or blocking on it', async () => {
      put('w.bin', 'w');
      execFileSync('mkfifo', [path.join(dir, 'pipe')]);
      const error = await refusal(digestDirectory(dir));
      expect(error.details.path).toBe('pipe');
      expect(error.message).toMatch(/socket, FIFO or device/);
    });

    it('refuses a file name that is not UTF-8 (it cannot be written into the JSON manifest losslessly)', async () => {
      put('ok.bin', 'x');
      writeFileSync(Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff, 0xfe])]), 'x');
      const error = await refusal(digestDirectory(dir));
      expect(error.message).toMatch(/not valid UTF-8/);
      expect(error.details.path).toBe('6261642dfffe (hex)');
    });
  });
});
