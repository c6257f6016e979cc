import { ListObjectsV2Command, PutObjectCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import type { ArtifactStore } from './artifact-store';
import { FilesystemArtifactStore } from './filesystem-artifact.store';
import { S3ArtifactStore } from './s3-artifact.store';
import { startS3Server, type TestS3Server } from './s3-server.fixture';

/**
 * One contract, two implementations: the filesystem store and the S3 store against a real
 * S3-compatible server (s3rver, in-process on 127.0.0.1). Whatever the filesystem store
 * guarantees, the S3 store guarantees too.
 */

const MIB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Harness {
  store: ArtifactStore;
  /** Everything the store keeps anywhere (artifacts, temporary files, objects, pending uploads). */
  leftovers(): Promise<string[]>;
  /** Empties the store between tests. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

async function filesystemHarness(): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'assay-artifacts-'));
  return {
    store: new FilesystemArtifactStore(root),
    leftovers: () => files(root),
    clear: async () => {
      await rm(root, { recursive: true, force: true });
    },
    close: () => rm(root, { recursive: true, force: true }),
  };
}

interface S3Harness extends Harness {
  store: S3ArtifactStore;
  server: TestS3Server;
  client: S3Client;
  staging: string;
  /** Commands the store sent, by name, since the last clear(). */
  sent: string[];
  /** When set, fails the commands for which it returns an error (a network fault). */
  fault?: (command: unknown) => Error | undefined;
}

async function s3Harness(): Promise<S3Harness> {
  const server = await startS3Server();
  const staging = await mkdtemp(join(tmpdir(), 'assay-s3-staging-'));
  const client = server.client();
  const sent: string[] = [];
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  jest.spyOn(client, 'send').mockImplementation(((command: { constructor: { name: string } }) => {
    sent.push(command.constructor.name);
    const error = harness.fault?.(command);
    return error ? Promise.reject(error) : send(command);
  }) as never);
  // Parts of 5 MiB (the S3 minimum): a write of more than 5 MiB is staged and uploaded in parts.
  const store = new S3ArtifactStore({ client, bucket: server.bucket, prefix: 'assay/', stagingDir: staging, partSize: 5 * MIB, partConcurrency: 2 });
  const admin = server.client();
  const objects = async () => {
    const listed = await admin.send(new ListObjectsV2Command({ Bucket: server.bucket }));
    return (listed.Contents ?? []).map((o) => o.Key!);
  };
  const harness: S3Harness = {
    store,
    server,
    client: admin,
    staging,
    sent,
    // (s3rver implements neither ListMultipartUploads nor AbortMultipartUpload: pending uploads are checked through the commands sent.)
    leftovers: async () => [...(await objects()), ...(await files(staging)).map((f) => `staging:${f}`)],
    clear: async () => {
      for (const key of await objects()) await store.delete(`sha256:${key.slice(-64)}`);
      sent.length = 0;
    },
    close: async () => {
      await server.stop();
      await rm(staging, { recursive: true, force: true });
    },
  };
  return harness;
}

describe.each([
  ['FilesystemArtifactStore', filesystemHarness],
  ['S3ArtifactStore (s3rver)', s3Harness],
] as const)('ArtifactStore contract: %s', (_name, makeHarness) => {
  let harness: Harness;
  let store: ArtifactStore;

  beforeAll(async () => {
    harness = await makeHarness();
    store = harness.store;
  });
  afterEach(() => harness.clear());
  afterAll(() => harness.close());

  it('puts, reads, has and deletes bytes under their SHA-256; delete is idempotent', async () => {
    const bytes = Buffer.from('id,label\n1,yes\n2,no\n');
    const stored = await store.put(bytes);
    expect(stored).toEqual({ digest: sha256(bytes), size: bytes.length });
    expect(await store.has(stored.digest)).toBe(true);
    expect(await store.read(stored.digest)).toEqual(bytes);
    expect(await drain(await store.open(stored.digest))).toEqual(bytes);

    await store.delete(stored.digest);
    expect(await store.has(stored.digest)).toBe(false);
    await expect(store.delete(stored.digest)).resolves.toBeUndefined();
    expect(await harness.leftovers()).toEqual([]);
  });

  it('stores the empty artifact', async () => {
    const stored = await store.put(new Uint8Array(0));
    expect(stored).toEqual({ digest: sha256(new Uint8Array(0)), size: 0 });
    expect(await store.read(stored.digest)).toEqual(Buffer.alloc(0));
  });

  it('hashes a multi-MB artifact as it streams in, and streams it back', async () => {
    const bytes = randomBytes(12 * MIB + 12345);
    const writer = store.writer();
    for (let offset = 0; offset < bytes.length; offset += 64 * 1024) await writer.write(bytes.subarray(offset, offset + 64 * 1024));
    const committed = await writer.commit();
    expect(committed).toEqual({ digest: sha256(bytes), size: bytes.length });

    const stream = await store.open(committed.digest);
    expect(stream).toBeInstanceOf(Readable);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    expect(`sha256:${hash.digest('hex')}`).toBe(committed.digest);
    expect(size).toBe(bytes.length);
    // Exactly one artifact remains: no temporary file, object or upload.
    expect(await harness.leftovers()).toHaveLength(1);
  });

  it('makes an artifact visible only on commit', async () => {
    const bytes = randomBytes(6 * MIB);
    const writer = store.writer();
    await writer.write(bytes.subarray(0, 3 * MIB));
    await writer.write(bytes.subarray(3 * MIB));
    expect(await store.has(sha256(bytes))).toBe(false);
    await expect(store.open(sha256(bytes))).rejects.toMatchObject({ code: 'ENOENT' });
    await writer.commit();
    expect(await store.has(sha256(bytes))).toBe(true);
  });

  it('keeps the bytes written, not the caller buffer they came from', async () => {
    const chunk = Buffer.from('first');
    const writer = store.writer();
    await writer.write(chunk);
    chunk.write('XXXXX');
    const { digest } = await writer.commit();
    expect(digest).toBe(sha256(Buffer.from('first')));
    expect((await store.read(digest)).toString()).toBe('first');
  });

  it.each([
    ['small', 1024],
    ['multi-MB', 7 * MIB],
  ])('abort of a %s write leaves nothing, and is idempotent', async (_size, length) => {
    const bytes = randomBytes(length);
    const writer = store.writer();
    await writer.write(bytes.subarray(0, length / 2));
    await writer.write(bytes.subarray(length / 2));
    await writer.abort();
    await writer.abort();
    expect(await store.has(sha256(bytes))).toBe(false);
    expect(await harness.leftovers()).toEqual([]);
    await expect(writer.write(Buffer.from('more'))).rejects.toThrow();
  });

  it('abort after commit changes nothing', async () => {
    const writer = store.writer();
    await writer.write(Buffer.from('kept'));
    const { digest } = await writer.commit();
    await writer.abort();
    expect((await store.read(digest)).toString()).toBe('kept');
  });

  it('accepts concurrent writes of the same bytes: one artifact, intact', async () => {
    const bytes = randomBytes(6 * MIB);
    const results = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const writer = store.writer();
        for (let offset = 0; offset < bytes.length; offset += MIB) await writer.write(bytes.subarray(offset, offset + MIB));
        return writer.commit();
      }),
    );
    for (const result of results) expect(result).toEqual({ digest: sha256(bytes), size: bytes.length });
    expect(sha256(await store.read(sha256(bytes)))).toBe(sha256(bytes));
    expect(await harness.leftovers()).toHaveLength(1);
  });

  it('refuses to open a digest it does not hold', async () => {
    const missing = sha256(Buffer.from('never stored'));
    expect(await store.has(missing)).toBe(false);
    await expect(store.open(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.read(missing)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    'sha256:../../../../etc/passwd',
    `sha256:../${'a'.repeat(61)}`,
    `sha256:${'a'.repeat(63)}`,
    `sha256:${'a'.repeat(65)}`,
    `sha256:${'A'.repeat(64)}`,
    `sha256:${'a'.repeat(64)}/../x`,
    `sha256:${'a'.repeat(64)}\n`,
    `md5:${'a'.repeat(32)}`,
    'a'.repeat(64),
    '',
  ])('refuses the hostile digest %j', async (digest) => {
    await expect(store.open(digest)).rejects.toThrow(/Not an artifact digest/);
    await expect(store.read(digest)).rejects.toThrow(/Not an artifact digest/);
    await expect(store.delete(digest)).rejects.toThrow(/Not an artifact digest/);
    expect(await store.has(digest)).toBe(false);
  });
});

describe('S3ArtifactStore specifics (s3rver)', () => {
  let h: S3Harness;

  beforeAll(async () => {
    h = await s3Harness();
  });
  afterEach(() => h.clear());
  afterAll(() => h.close());

  it('keeps an artifact at <prefix>sha256/<hex>, and nothing in the bucket before commit', async () => {
    const bytes = Buffer.from('model weights');
    const writer = h.store.writer();
    await writer.write(bytes);
    expect(await h.leftovers()).toEqual([]);
    const { digest } = await writer.commit();
    expect(await h.leftovers()).toEqual([`assay/sha256/${digest.slice('sha256:'.length)}`]);
    expect(h.store.keyOf(digest)).toBe(`assay/sha256/${digest.slice('sha256:'.length)}`);
    expect(h.sent).toContain('PutObjectCommand');
    expect(h.sent).not.toContain('CreateMultipartUploadCommand');
  });

  it('stages a write larger than a part on local disk and uploads it in parts to its final key', async () => {
    const bytes = randomBytes(11 * MIB);
    const writer = h.store.writer();
    for (let offset = 0; offset < bytes.length; offset += MIB) await writer.write(bytes.subarray(offset, offset + MIB));
    expect(await files(h.staging)).toHaveLength(1);
    expect((await h.leftovers()).filter((l) => !l.startsWith('staging:'))).toEqual([]);
    const { digest } = await writer.commit();
    expect(digest).toBe(sha256(bytes));
    expect(h.sent.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(h.sent).toContain('CompleteMultipartUploadCommand');
    expect(h.sent).not.toContain('PutObjectCommand');
    expect(h.sent).not.toContain('CopyObjectCommand');
    expect(await h.leftovers()).toEqual([h.store.keyOf(digest)]);
    // (Buffer.equals: toEqual compares megabytes element by element, for minutes)
    expect((await h.store.read(digest)).equals(bytes)).toBe(true);
  });

  it('does not upload bytes the bucket already holds', async () => {
    const bytes = Buffer.from('the same bytes twice');
    await h.store.put(bytes);
    h.sent.length = 0;
    await h.store.put(bytes);
    expect(h.sent).toEqual(['HeadObjectCommand']);
  });

  it('aborts the multipart upload and removes the staging file when a part fails', async () => {
    const bytes = randomBytes(11 * MIB);
    h.fault = (command) => (command instanceof UploadPartCommand && command.input.PartNumber === 2 ? new Error('connection reset') : undefined);
    try {
      const writer = h.store.writer();
      await writer.write(bytes);
      await expect(writer.commit()).rejects.toThrow('connection reset');
      await writer.abort();
    } finally {
      h.fault = undefined;
    }
    expect(h.sent).toContain('AbortMultipartUploadCommand');
    expect(await h.leftovers()).toEqual([]);
    expect(await h.store.has(sha256(bytes))).toBe(false);
  });

  it('fails a read whose object no longer matches its address', async () => {
    const { digest } = await h.store.put(Buffer.from('original bytes'));
    await h.client.send(new PutObjectCommand({ Bucket: h.server.bucket, Key: h.store.keyOf(digest), Body: Buffer.from('tampered bytes') }));
    await expect(h.store.read(digest)).rejects.toThrow(/is corrupt/);
  });

  it('releases the HTTP response when a reader stops early', async () => {
    const { digest } = await h.store.put(randomBytes(3 * MIB));
    // More early stops than the client has sockets (50): a leaked response would stall the loop.
    for (let i = 0; i < 60; i++) {
      const stream = await h.store.open(digest);
      for await (const _chunk of stream) break;
    }
    expect(await h.store.has(digest)).toBe(true);
  }, 30_000);

  it('fails a commit into a bucket that does not exist, leaving no staging file', async () => {
    const store = new S3ArtifactStore({ client: h.client, bucket: 'no-such-bucket', stagingDir: h.staging, partSize: 5 * MIB });
    const writer = store.writer();
    await writer.write(randomBytes(6 * MIB));
    await expect(writer.commit()).rejects.toThrow();
    expect(await files(h.staging)).toEqual([]);
  });
});
