/**
 * Dataset ingest speed against its baseline, measured in the same run:
 *   (a) a plain streaming csv-parse pass over the file (records counted, nothing else), and
 *   (b) ingestDelimited over the same file: raw SHA-256, strict UTF-8 decoding, tokenizing,
 *       missing markers, the canonical assay.table/v1 form and its SHA-256, and the profile.
 * Prints MB/s for both, the ratio (b ÷ a in time), and each pass's peak RSS (each pass runs in
 * its own child process, so the peaks do not mask each other).
 *
 *   node -r @swc-node/register bench/datasets-parse.bench.ts [MB]     (default 200)
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { ingestDelimited } from '../src/pipeline/datasets/ingest';

interface Pass {
  seconds: number;
  rows: number;
  peakRssMiB: number;
}

const line = (label: string, value: string) => console.log(`  ${label.padEnd(44)} ${value}`);

/** A mixed CSV: integers, decimals with signs and exponents, ISO dates, yes/no, categories, quoted text. */
async function generate(file: string, megabytes: number): Promise<void> {
  const target = megabytes * 1e6;
  const out = createWriteStream(file);
  let written = 0;
  let id = 0;
  let state = 42;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  const header = 'id,name,amount,score,opened,active,segment,note\n';
  await write(header);
  written += header.length;
  while (written < target) {
    let batch = '';
    for (let i = 0; i < 2000; i++) {
      const r = next();
      const day = String(1 + (r % 28)).padStart(2, '0');
      const month = String(1 + (r % 12)).padStart(2, '0');
      const note = r % 10 === 0 ? `"follow-up, ""priority"" ${r % 97}"` : r % 7 === 0 ? '' : `note ${r % 5000}`;
      batch += `${id++},customer ${r % 1000},${((r % 200_000) - 100_000) / 100},${(r % 1000) / 10}e-1,2021-${month}-${day},${r % 2 ? 'yes' : 'no'},${['retail', 'sme', 'corporate', 'NA'][r % 4]},${note}\n`;
    }
    await write(batch);
    written += batch.length;
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function baseline(file: string): Promise<number> {
  let rows = 0;
  await pipeline(
    createReadStream(file),
    parse(),
    new Writable({
      objectMode: true,
      write(_record, _encoding, callback) {
        rows++;
        callback();
      },
    }),
  );
  return rows - 1;
}

async function ingest(file: string): Promise<number> {
  const result = await ingestDelimited(createReadStream(file));
  return result.profile.rowCount;
}

/** Child-process entry: one pass, printed as JSON. */
async function runPass(kind: string, file: string): Promise<void> {
  const started = performance.now();
  const rows = kind === 'baseline' ? await baseline(file) : await ingest(file);
  const seconds = (performance.now() - started) / 1000;
  const pass: Pass = { seconds, rows, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(pass));
}

function pass(kind: string, file: string): Pass {
  const output = execFileSync(process.execPath, ['-r', '@swc-node/register', __filename, '--pass', kind, file], { encoding: 'utf8' });
  return JSON.parse(output) as Pass;
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-datasets-'));
  const file = join(dir, 'bench.csv');
  try {
    await generate(file, megabytes);
    const size = statSync(file).size;
    console.log(`datasets-parse: ${(size / 1e6).toFixed(1)} MB CSV, 8 columns`);
    const a = pass('baseline', file);
    const b = pass('ingest', file);
    if (a.rows !== b.rows) throw new Error(`row counts differ: csv-parse ${a.rows}, ingest ${b.rows}`);
    line('rows', a.rows.toLocaleString('en'));
    line('(a) csv-parse stream, records only', `${(size / 1e6 / a.seconds).toFixed(1)} MB/s  (${a.seconds.toFixed(2)} s, peak RSS ${a.peakRssMiB.toFixed(0)} MiB)`);
    line('(b) ingestDelimited: hashes + canonical + profile', `${(size / 1e6 / b.seconds).toFixed(1)} MB/s  (${b.seconds.toFixed(2)} s, peak RSS ${b.peakRssMiB.toFixed(0)} MiB)`);
    line('ratio (b ÷ a, time)', `${(b.seconds / a.seconds).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const passIndex = process.argv.indexOf('--pass');
(passIndex === -1 ? main() : runPass(process.argv[passIndex + 1]!, process.argv[passIndex + 2]!)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
