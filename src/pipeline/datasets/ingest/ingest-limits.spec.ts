import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { ScenarioOutcome } from './failure-scenarios.fixture';
import { ingestDelimited } from './ingest-delimited';
import { IngestError } from './ingest.error';
import type { IngestOptions } from './ingest-options';

const MiB = 1024 ** 2;

/** An async iterable over a generator's chunks: not a stream, so nothing is read ahead. */
function lazily(chunks: Generator<Buffer>): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.resolve(chunks.next()),
      return: () => Promise.resolve(chunks.return(undefined)),
    }),
  };
}

/** Yields `count` chunks from `make(i)`, recording how many were pulled and the peak heap. */
function meteredSource(count: number, make: (i: number) => Buffer) {
  const meter = { pulled: 0, peakHeap: process.memoryUsage().heapUsed };
  function* chunks(): Generator<Buffer> {
    for (let i = 0; i < count; i++) {
      meter.pulled++;
      meter.peakHeap = Math.max(meter.peakHeap, process.memoryUsage().heapUsed);
      yield make(i);
    }
  }
  return { meter, source: lazily(chunks()) };
}

async function rejection(promise: Promise<unknown>): Promise<IngestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error('expected the ingest to fail');
}

describe('ingestDelimited limits', () => {
  describe('a 50 MB single field', () => {
    const field = Buffer.alloc(64 * 1024, 'x');
    const chunks = Math.ceil((50 * MiB) / field.length);

    it.each([
      ['unquoted', 'id,text\n1,'],
      ['quoted', 'id,text\n1,"'],
    ])('%s: fails fast with memory flat', async (_, prefix) => {
      const before = process.memoryUsage().heapUsed;
      const { meter, source } = meteredSource(chunks, (i) => (i === 0 ? Buffer.concat([Buffer.from(prefix), field]) : field));
      const error = await rejection(ingestDelimited(source));
      expect(error.code).toBe('DATASET_RECORD_TOO_LARGE');
      expect(error.details).toMatchObject({ line: 2, limit: MiB });
      expect(meter.pulled).toBeLessThan(chunks / 20);
      expect(meter.peakHeap - before).toBeLessThan(16 * MiB);
    });
  });

  describe('a gzip bomb (1 GiB from ~1 MiB, produced lazily)', () => {
    // 1,024 concatenated gzip members (RFC 1952 §2.2), each 1 MiB of 64 KiB lines squeezed to ~1 KiB
    // (long lines keep the parsing cheap, so the test times the guards, not the tokenizer).
    const member = gzipSync(Buffer.alloc(MiB, 'x'.repeat(65_535) + '\n'), { level: 9 });
    const header = gzipSync(Buffer.from('text\n'));
    const bomb = () => meteredSource(1 + 1024 / 16, (i) => (i === 0 ? header : Buffer.concat(Array.from({ length: 16 }, () => member))));

    it('trips the compression-ratio guard', async () => {
      const started = performance.now();
      const { meter, source } = bomb();
      const error = await rejection(ingestDelimited(source));
      expect(error.code).toBe('DATASET_TOO_LARGE');
      expect(error.details.reason).toBe('compression-ratio');
      expect(meter.pulled).toBeLessThan(10);
      expect(performance.now() - started).toBeLessThan(10_000);
    });

    it('trips the decompressed-size limit when the ratio is allowed', async () => {
      const { meter, source } = bomb();
      const options: IngestOptions = { maxBytes: 48 * MiB, maxCompressionRatio: 5000 };
      const error = await rejection(ingestDelimited(source, options));
      expect(error).toMatchObject({ code: 'DATASET_TOO_LARGE', details: { reason: 'decompressed', limit: 48 * MiB } });
      expect(meter.pulled).toBeLessThan(10);
    });

    it('of NUL bytes stops at the first KiB as binary', async () => {
      const zeros = gzipSync(Buffer.alloc(MiB), { level: 9 });
      const { meter, source } = meteredSource(1024, () => zeros);
      expect((await rejection(ingestDelimited(source))).code).toBe('DATASET_BINARY');
      expect(meter.pulled).toBeLessThan(1024 / 16);
    });
  });

  it('refuses a header of 100,000 columns without building them', async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(','); // ~590 KB, under the record limit
    const started = performance.now();
    const error = await rejection(ingestDelimited(meteredSource(1, () => Buffer.from(`${header}\n1,2\n`)).source));
    expect(error).toMatchObject({ code: 'DATASET_TOO_MANY_COLUMNS', details: { found: 100_000, limit: 2000, line: 1 } });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('stops reading at maxBytes of raw upload', async () => {
    const { meter, source } = meteredSource(1000, () => Buffer.from('1,2\n'.repeat(16_384)));
    const error = await rejection(ingestDelimited(source, { maxBytes: MiB }));
    expect(error).toMatchObject({ code: 'DATASET_TOO_LARGE', details: { limit: MiB } });
    expect(meter.pulled).toBe(17);
  });

  it('rejects every failure cleanly: an IngestError, no unhandled rejection or uncaught exception, the stream destroyed', async () => {
    const script = "require('./failure-scenarios.fixture').main().catch((e) => { console.error(e); process.exit(2); })";
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: __dirname, timeout: 60_000 });
    const { outcomes, unhandled } = JSON.parse(stdout) as { outcomes: ScenarioOutcome[]; unhandled: string[] };
    expect(unhandled).toEqual([]);
    expect(Object.fromEntries(outcomes.map((o) => [o.name, [o.code, o.destroyed]]))).toEqual({
      binary: ['DATASET_BINARY', true],
      ragged: ['DATASET_RAGGED_ROW', true],
      'raw too large, endless source': ['DATASET_TOO_LARGE', true],
      'gzip bomb, endless source': ['DATASET_TOO_LARGE', true],
      'record too large, endless source': ['DATASET_RECORD_TOO_LARGE', true],
      'source fails': ['DATASET_READ_FAILED', true],
      'gzip source fails': ['DATASET_READ_FAILED', true],
      'stalled source, binary': ['DATASET_BINARY', true],
      'stalled gzip source, binary': ['DATASET_BINARY', true],
      'corrupt gzip': ['DATASET_ENCODING_INVALID', true],
      'consumer fails': ['DATASET_MALFORMED', true],
    });
  });
});
