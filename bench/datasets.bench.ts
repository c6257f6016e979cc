/**
 * npm run bench:datasets — ingest plus the full privacy scan against a plain streaming parse of the
 * same file, measured in the same run (goal: ratio ≤ 1.5), with scan throughput and peak memory.
 * The file is generated (default 200 MB) with personal data in it: names, e-mails, phone numbers,
 * card numbers, IBANs, dates of birth, and quasi-identifiers for the re-identification measures.
 * Each pass runs in its own child process so that their memory peaks do not mask each other.
 *
 *   node -r @swc-node/register bench/datasets.bench.ts [MB]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { ingestDelimited } from '../src/pipeline/datasets/ingest';
import { ColumnPiiScanner } from '../src/pipeline/privacy/recognizers';
import { EquivalenceClassCounter, LabelBalanceAccumulator } from '../src/pipeline/privacy/reidentification';

const COLUMNS = ['id', 'name', 'email', 'phone', 'card', 'iban', 'dob', 'sex', 'postcode', 'income', 'segment', 'label'];

async function generate(file: string, megabytes: number): Promise<void> {
  const out = createWriteStream(file);
  let written = 0;
  let state = 7;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  const cards = ['4111 1111 1111 1111', '5500 0000 0000 0004', '3400 0000 0000 009'];
  await write(`${COLUMNS.join(',')}\n`);
  for (let id = 0; written < megabytes * 1e6; ) {
    let batch = '';
    for (let i = 0; i < 2000; i++, id++) {
      const r = next();
      batch +=
        `${id},Person ${r % 5000},user${r % 100000}@example.org,+49 30 ${String(1000000 + (r % 8999999))},${cards[r % 3]},` +
        `DE89 3704 0044 0532 0130 00,19${50 + (r % 50)}-${String(1 + (r % 12)).padStart(2, '0')}-${String(1 + (r % 28)).padStart(2, '0')},` +
        `${r % 2 ? 'female' : 'male'},${10000 + (r % 900)},${(r % 150000) / 10},${['retail', 'sme', 'corporate'][r % 3]},${r % 5 ? 'good' : 'bad'}\n`;
    }
    await write(batch);
    written += batch.length;
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function plainParse(file: string): Promise<number> {
  let rows = 0;
  await pipeline(createReadStream(file), parse({ fromLine: 2 }), new Writable({ objectMode: true, write: (_row, _enc, done) => (rows++, done()) }));
  return rows;
}

async function ingestOnly(file: string): Promise<number> {
  return (await ingestDelimited(createReadStream(file), { maxBytes: 4 * 1024 ** 3 })).profile.rowCount;
}

async function ingestAndScan(file: string): Promise<number> {
  let scanners: ColumnPiiScanner[] = [];
  let classes: EquivalenceClassCounter | undefined;
  let balance: LabelBalanceAccumulator | undefined;
  const result = await ingestDelimited(createReadStream(file), {
    maxBytes: 4 * 1024 ** 3,
    onColumns: (columns) => {
      scanners = columns.map((name) => new ColumnPiiScanner(name));
      const index = (name: string) => columns.indexOf(name);
      classes = new EquivalenceClassCounter([index('dob'), index('sex'), index('postcode')], [index('income')]);
      balance = new LabelBalanceAccumulator([...columns], 'label', ['sex']);
    },
    onRow: (row) => {
      for (let i = 0; i < scanners.length; i++) scanners[i]!.add(row[i] ?? null);
      classes!.add(row);
      balance!.add(row);
    },
  });
  const findings = scanners.map((s) => s.result()).filter((f) => f.length > 0).length;
  const risk = classes!.result({ kThreshold: 5 });
  balance!.result();
  if (findings < 5 || risk.records !== result.profile.rowCount) throw new Error('the scan did not see what was planted');
  return result.profile.rowCount;
}

/** Child mode: run one pass, print {seconds, rows, peakRssMiB}. */
async function child(mode: string, file: string): Promise<void> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  const rows = mode === 'plain' ? await plainParse(file) : mode === 'ingest' ? await ingestOnly(file) : await ingestAndScan(file);
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(JSON.stringify({ seconds, rows, peakRssMiB: peak / 1024 ** 2 }));
}

function run(mode: string, file: string): { seconds: number; rows: number; peakRssMiB: number } {
  const output = execFileSync(process.execPath, ['-r', '@swc-node/register', __filename, '--child', mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output) as { seconds: number; rows: number; peakRssMiB: number };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!, process.argv[4]!);
  const megabytes = Number(process.argv[2] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-datasets-'));
  const file = join(dir, 'people.csv');
  try {
    process.stdout.write(`generating ${megabytes} MB… `);
    await generate(file, megabytes);
    const size = statSync(file).size / 1e6;
    console.log(`${size.toFixed(0)} MB`);
    run('plain', file); // warm the page cache so both passes read from memory
    const plain = run('plain', file);
    const ingest = run('ingest', file);
    const full = run('scan', file);
    if (plain.rows !== full.rows) throw new Error(`row counts differ: ${plain.rows} vs ${full.rows}`);
    const line = (label: string, value: string) => console.log(`  ${label.padEnd(56)} ${value}`);
    line('plain streaming parse (csv-parse, baseline)', `${plain.seconds.toFixed(1)} s  ${(size / plain.seconds).toFixed(1)} MB/s  peak RSS ${plain.peakRssMiB.toFixed(0)} MiB`);
    line('ingest alone (hashes, canonical table, profile)', `${ingest.seconds.toFixed(1)} s  ${(size / ingest.seconds).toFixed(1)} MB/s  peak RSS ${ingest.peakRssMiB.toFixed(0)} MiB`);
    line('ingest + full privacy scan', `${full.seconds.toFixed(1)} s  ${(size / full.seconds).toFixed(1)} MB/s  peak RSS ${full.peakRssMiB.toFixed(0)} MiB`);
    line('ratio ingest+scan ÷ plain parse (goal ≤ 1.5)', (full.seconds / plain.seconds).toFixed(2));
    line('rows', full.rows.toLocaleString('en-US'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
