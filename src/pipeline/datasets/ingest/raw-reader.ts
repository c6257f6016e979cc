import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { IngestError } from './ingest.error';

/** What an upload can be read from: a Node stream (an HTTP request, a file) or any async iterable of bytes. */
export type IngestSource = AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

/** Facts about the bytes, filled in as they stream past. */
export class UploadStats {
  readonly rawHash: Hash = createHash('sha256');
  /** Bytes as uploaded. */
  byteCount = 0;
  /** Bytes after gzip inflation; equals byteCount for plain uploads. */
  contentByteCount = 0;
  compression: 'gzip' | 'none' = 'none';
}

export interface RawLimits {
  maxBytes: number;
  maxCompressionRatio: number;
  onRawChunk?: (chunk: Buffer) => void | Promise<void>;
}

const GZIP_MAGIC = [0x1f, 0x8b];
// Below this much inflated content a high ratio is harmless (a small, very sparse file).
const RATIO_FLOOR_BYTES = 16 * 1024 ** 2;

/**
 * Reads the source once: hashes, counts and tees the raw bytes, and yields the content bytes,
 * inflated on the fly when the upload starts with the gzip magic.
 */
export async function* readContent(source: IngestSource, limits: RawLimits, stats: UploadStats): AsyncGenerator<Buffer> {
  const raw = tapRaw(source, limits, stats);
  // Peek at two bytes: the first chunk may hold only one.
  const head: Buffer[] = [];
  let headLength = 0;
  while (headLength < 2) {
    const next = await raw.next();
    if (next.done) break;
    head.push(next.value);
    headLength += next.value.length;
  }
  const first = Buffer.concat(head);
  const rest = prepend(first, raw);
  if (first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1]) {
    stats.compression = 'gzip';
    yield* inflate(rest, limits, stats);
  } else {
    for await (const chunk of rest) {
      stats.contentByteCount += chunk.length;
      yield chunk;
    }
  }
}

async function* tapRaw(source: IngestSource, limits: RawLimits, stats: UploadStats): AsyncGenerator<Buffer> {
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw error instanceof IngestError ? error : new IngestError('DATASET_READ_FAILED', `Reading the upload failed: ${message(error)}`, {}, { cause: error });
      }
      if (next.done) {
        finished = true;
        return;
      }
      const chunk = asBuffer(next.value);
      if (chunk.length === 0) continue;
      stats.byteCount += chunk.length;
      if (stats.byteCount > limits.maxBytes) {
        throw new IngestError('DATASET_TOO_LARGE', `The upload exceeds ${limits.maxBytes} bytes.`, { limit: limits.maxBytes });
      }
      stats.rawHash.update(chunk);
      const teed = limits.onRawChunk?.(chunk);
      if (teed !== undefined) await teed;
      yield chunk;
    }
  } finally {
    // Ends (and, for Node streams, destroys) the source when we stop early; never awaited, as a
    // stalled source would otherwise hold the failure back.
    if (!finished) void iterator.return?.()?.then(undefined, () => undefined);
  }
}

async function* prepend(first: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  if (first.length > 0) yield first;
  yield* rest;
}

/**
 * Streams through zlib with two guards so a gzip bomb fails after a few MiB of work: the inflated
 * total may not pass maxBytes, and, past a floor, not outgrow by the ratio the compressed bytes
 * zlib has consumed (`bytesWritten` advances with each output block, so a single huge upload
 * chunk cannot hide the ratio).
 */
async function* inflate(compressed: AsyncGenerator<Buffer>, limits: RawLimits, stats: UploadStats): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  const feeding = pipeline(Readable.from(compressed, { objectMode: true, highWaterMark: 1 }), gunzip);
  // Its failure also destroys gunzip, which the loop below reports; this only prevents an unhandled rejection.
  feeding.catch(() => undefined);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      stats.contentByteCount += chunk.length;
      if (stats.contentByteCount > limits.maxBytes) {
        throw new IngestError('DATASET_TOO_LARGE', `The decompressed upload exceeds ${limits.maxBytes} bytes.`, {
          limit: limits.maxBytes,
          reason: 'decompressed',
        });
      }
      if (stats.contentByteCount > RATIO_FLOOR_BYTES && stats.contentByteCount > limits.maxCompressionRatio * gunzip.bytesWritten) {
        throw new IngestError('DATASET_TOO_LARGE', `The upload inflates more than ${limits.maxCompressionRatio}-fold (a gzip bomb?).`, {
          limit: limits.maxCompressionRatio,
          reason: 'compression-ratio',
        });
      }
      yield chunk;
    }
    await feeding;
  } catch (error) {
    if (error instanceof IngestError || !isZlibError(error)) throw error;
    throw new IngestError('DATASET_ENCODING_INVALID', `The gzip data is corrupt: ${message(error)}`, { reason: 'gzip' }, { cause: error });
  } finally {
    gunzip.destroy();
  }
}

function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  // A string chunk means someone called setEncoding(): the raw bytes (and their hash) are already lost.
  throw new IngestError('DATASET_READ_FAILED', 'The upload source must yield bytes, not decoded text.', { reason: 'not-bytes' });
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
