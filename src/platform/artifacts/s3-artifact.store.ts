import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import type { OnApplicationShutdown } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import { ArtifactStore, type ArtifactWriter } from './artifact-store';

const DIGEST = /^sha256:([0-9a-f]{64})$/;
const MIB = 1024 * 1024;
/** S3 limits: every part but the last is at least 5 MiB; at most 10,000 parts. */
const MIN_PART_BYTES = 5 * MIB;
const MAX_PARTS = 10_000;

export interface S3ArtifactStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix ("assay/"); a missing trailing slash is added. Default: none. */
  prefix?: string;
  /** Local directory where writes larger than `partSize` are staged until they are committed. */
  stagingDir: string;
  /**
   * Writes up to this size stay in memory and go up with one PutObject on commit; larger writes are
   * staged in a file and go up as a multipart upload in parts of this size. Default 16 MiB, at least
   * 5 MiB (the S3 minimum part size).
   */
  partSize?: number;
  /** Parts uploaded at once. Default 4. */
  partConcurrency?: number;
}

/**
 * Artifacts in an S3-compatible bucket under `<prefix>sha256/<hex>`, with the filesystem store's
 * semantics: bytes are hashed as they are written, and an artifact becomes visible at its address
 * only on commit.
 *
 * The content address is known only after the last byte, and S3 has no rename. So nothing goes to
 * the bucket before commit: a write is held in memory up to `partSize` and spills to a local staging
 * file beyond that. On commit the bytes are uploaded straight to their final key, with PutObject or
 * a multipart upload; S3 makes an object visible only once PutObject or CompleteMultipartUpload has
 * succeeded, so a partial object is never visible at a content address, and there are no temporary
 * objects to copy, delete or leak (a crash mid-upload leaves at most an incomplete multipart upload,
 * which a bucket lifecycle rule `AbortIncompleteMultipartUpload` removes). Every PutObject and
 * UploadPart carries its SHA-256 (x-amz-checksum-sha256), which S3 verifies before storing; for
 * PutObject that is the content address itself. Reads are verified against the address as they
 * stream: a changed object fails the read instead of passing on wrong bytes.
 */
export class S3ArtifactStore extends ArtifactStore implements OnApplicationShutdown {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly stagingDir: string;
  private readonly partSize: number;
  private readonly partConcurrency: number;

  constructor(options: S3ArtifactStoreOptions) {
    super();
    this.client = options.client;
    this.bucket = options.bucket;
    const prefix = (options.prefix ?? '').replace(/^\/+/, '');
    this.prefix = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
    this.stagingDir = resolve(options.stagingDir);
    this.partSize = options.partSize ?? 16 * MIB;
    if (!Number.isInteger(this.partSize) || this.partSize < MIN_PART_BYTES) throw new Error(`S3 part size must be at least ${MIN_PART_BYTES} bytes`);
    this.partConcurrency = Math.max(1, options.partConcurrency ?? 4);
  }

  /** The object key of a digest (for operators and tests). */
  keyOf(digest: string): string {
    return this.keyOfHex(this.hexOf(digest));
  }

  writer(): ArtifactWriter {
    const hash = createHash('sha256');
    let chunks: Buffer[] = [];
    let size = 0;
    let staged: { path: string; handle: FileHandle } | undefined;
    let state: 'open' | 'committing' | 'closed' = 'open';
    // Writes run one after another, in the order they were called; a failed write fails the commit.
    let pending: Promise<void> = Promise.resolve();

    const spill = async () => {
      await mkdir(this.stagingDir, { recursive: true, mode: 0o700 });
      const path = join(this.stagingDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
      staged = { path, handle: await open(path, 'wx+', 0o600) }; // read back on commit
      for (const chunk of chunks) await staged.handle.write(chunk);
      chunks = [];
    };
    const discard = async () => {
      chunks = [];
      if (!staged) return;
      const { path, handle } = staged;
      staged = undefined;
      await handle.close().catch(() => undefined);
      await rm(path, { force: true });
    };

    return {
      write: (chunk) => {
        if (state !== 'open') return Promise.reject(new Error('Artifact writer is already committed or aborted'));
        hash.update(chunk);
        size += chunk.length;
        // Copied: the caller may reuse its buffer once the write resolves.
        const copy = Buffer.from(chunk);
        const total = size;
        pending = pending.then(async () => {
          if (staged) await staged.handle.write(copy);
          else {
            chunks.push(copy);
            if (total > this.partSize) await spill();
          }
        });
        return pending;
      },
      commit: async () => {
        if (state !== 'open') throw new Error('Artifact writer is already committed or aborted');
        state = 'committing';
        try {
          await pending;
          const hex = hash.digest('hex');
          const key = this.keyOfHex(hex);
          // Same content, same key: an object already there with this size holds these bytes
          // (reads verify them), so a repeated upload is skipped.
          if ((await this.sizeOf(key)) !== size) {
            if (staged) await this.uploadParts(key, staged.handle, size);
            else await this.putObject(key, Buffer.concat(chunks, size), hex);
          }
          return { digest: `sha256:${hex}`, size };
        } finally {
          state = 'closed';
          await discard();
        }
      },
      abort: async () => {
        if (state !== 'open') return;
        state = 'closed';
        await pending.catch(() => undefined);
        await discard();
      },
    };
  }

  async open(digest: string): Promise<Readable> {
    const hex = this.hexOf(digest);
    let body: Readable;
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOfHex(hex) }));
      body = response.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw notFound(digest);
      throw error;
    }
    const hash = createHash('sha256');
    const verified = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        const actual = hash.digest('hex');
        callback(actual === hex ? null : new Error(`Artifact ${digest} is corrupt: the object holds bytes with SHA-256 ${actual}`));
      },
    });
    // Destroying the returned stream (a reader that stops early) also releases the HTTP response.
    return pipeline(body, verified, () => undefined);
  }

  async delete(digest: string): Promise<void> {
    // DeleteObject succeeds for a missing key: idempotent as it is.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(digest) }));
  }

  async has(digest: string): Promise<boolean> {
    const match = DIGEST.exec(digest);
    if (!match?.[1]) return false;
    return (await this.sizeOf(this.keyOfHex(match[1]))) !== undefined;
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }

  /** The size of the object at `key`, or undefined when there is none. */
  private async sizeOf(key: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async putObject(key: string, body: Buffer, hex: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: 'application/octet-stream',
        ChecksumSHA256: Buffer.from(hex, 'hex').toString('base64'),
      }),
    );
  }

  /** Multipart upload from the staging file; the object appears only when CompleteMultipartUpload succeeds. */
  private async uploadParts(key: string, file: FileHandle, size: number): Promise<void> {
    const partSize = Math.max(this.partSize, Math.ceil(size / MAX_PARTS / MIB) * MIB);
    const count = Math.ceil(size / partSize);
    const created = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: 'application/octet-stream', ChecksumAlgorithm: 'SHA256' }),
    );
    const uploadId = created.UploadId!;
    const parts: CompletedPart[] = new Array<CompletedPart>(count);
    let next = 0;
    let failed = false;
    const uploader = async () => {
      while (!failed && next < count) {
        const index = next++;
        const offset = index * partSize;
        const body = await readFully(file, offset, Math.min(partSize, size - offset));
        const checksum = createHash('sha256').update(body).digest('base64');
        try {
          const uploaded = await this.client.send(
            new UploadPartCommand({
              Bucket: this.bucket,
              Key: key,
              UploadId: uploadId,
              PartNumber: index + 1,
              Body: body,
              ContentLength: body.length,
              ChecksumSHA256: checksum,
            }),
          );
          parts[index] = { PartNumber: index + 1, ETag: uploaded.ETag, ChecksumSHA256: checksum };
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    try {
      // Settled, not raced: no part may still be in flight when the upload is aborted.
      const results = await Promise.allSettled(Array.from({ length: Math.min(this.partConcurrency, count) }, uploader));
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (rejected) throw rejected.reason;
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    }
  }

  private hexOf(digest: string): string {
    const match = DIGEST.exec(digest);
    if (!match?.[1]) throw new Error(`Not an artifact digest: ${digest}`);
    return match[1];
  }

  private keyOfHex(hex: string): string {
    return `${this.prefix}sha256/${hex}`;
  }
}

async function readFully(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`Staged artifact ended early (${position + done} of ${position + length} bytes)`);
    done += bytesRead;
  }
  return buffer;
}

/** No such key. A missing bucket is a configuration error, not a missing artifact (HeadObject cannot tell them apart: it has no body). */
function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (e?.name === 'NoSuchBucket') return false;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** Shaped like the filesystem store's error for a missing artifact (code ENOENT). */
function notFound(digest: string): Error {
  return Object.assign(new Error(`ENOENT: no artifact ${digest}`), { code: 'ENOENT' });
}
