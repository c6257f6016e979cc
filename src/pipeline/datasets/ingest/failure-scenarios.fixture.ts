/**
 * Failing uploads, each from a Node stream, for the spec that proves failures reject cleanly:
 * run in a child process (`main`) so that an unhandled rejection or uncaught exception anywhere —
 * even after the promise settled — is seen by our own process listeners, not by Jest's.
 */
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { ingestDelimited } from './ingest-delimited';
import { IngestError } from './ingest.error';
import type { IngestOptions } from './ingest-options';

export interface ScenarioOutcome {
  name: string;
  code: string;
  destroyed: boolean;
}

type Scenario = [name: string, source: () => Readable, options?: IngestOptions];

/** A source that delivers `first` and then neither ends nor errors, like a stalled upload. */
function stalled(first: Buffer): Readable {
  const stream = new PassThrough();
  stream.write(first);
  return stream;
}

/** A source that delivers `first` and then fails, like a dropped connection. */
function failing(first: Buffer): Readable {
  const stream = new PassThrough();
  stream.write(first);
  setTimeout(() => stream.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), 20);
  return stream;
}

function* endless(chunk: Buffer): Generator<Buffer> {
  for (;;) yield chunk;
}

const csv = Buffer.from(`a,b\n${'1,2\n'.repeat(2000)}`);
const bombMember = gzipSync(Buffer.alloc(1024 ** 2, 'x'.repeat(65_535) + '\n'));

export const SCENARIOS: Scenario[] = [
  ['binary', () => Readable.from([Buffer.alloc(4096, 0)])],
  ['ragged', () => Readable.from([Buffer.from('a,b\n1,2\n3\n')])],
  ['raw too large, endless source', () => Readable.from(endless(csv)), { maxBytes: 1024 ** 2 }],
  ['gzip bomb, endless source', () => Readable.from(endless(bombMember))],
  ['record too large, endless source', () => Readable.from(endless(Buffer.alloc(64 * 1024, 'x')))],
  ['source fails', () => failing(csv)],
  ['gzip source fails', () => failing(gzipSync(csv).subarray(0, 200))],
  ['stalled source, binary', () => stalled(Buffer.alloc(2048, 1))],
  ['stalled gzip source, binary', () => stalled(gzipSync(Buffer.alloc(4096, 0)))],
  ['corrupt gzip', () => Readable.from([Buffer.concat([gzipSync(csv).subarray(0, 10), Buffer.alloc(100, 0x55)])])],
  [
    'consumer fails',
    () => Readable.from(endless(csv)),
    {
      onRow: () => {
        throw new IngestError('DATASET_MALFORMED', 'consumer says no');
      },
    },
  ],
];

export async function runScenarios(): Promise<ScenarioOutcome[]> {
  const outcomes: ScenarioOutcome[] = [];
  for (const [name, open, options] of SCENARIOS) {
    const source = open();
    const code = await ingestDelimited(source, options).then(
      () => 'resolved',
      (error: unknown) => (error instanceof IngestError ? error.code : `not an IngestError: ${String(error)}`),
    );
    outcomes.push({ name, code, destroyed: source.destroyed });
  }
  return outcomes;
}

/** Child-process entry: prints `{outcomes, unhandled}` as JSON after letting stragglers surface. */
export async function main(): Promise<void> {
  const unhandled: string[] = [];
  process.on('unhandledRejection', (reason) => unhandled.push(`unhandledRejection: ${String(reason)}`));
  process.on('uncaughtException', (error) => unhandled.push(`uncaughtException: ${String(error)}`));
  const outcomes = await runScenarios();
  await new Promise((resolve) => setTimeout(resolve, 200));
  process.stdout.write(JSON.stringify({ outcomes, unhandled }));
}
