import { randomUUID } from 'node:crypto';
import { ColumnPiiScanner } from './column-pii-scanner';

/**
 * Micro-benchmark over synthetic columns, printed and not asserted: timings depend on the machine
 * and on whatever else it is running. What is asserted is only that the columns were scanned.
 * Run alone for stable numbers: npx jest src/pipeline/privacy/recognizers/recognizers.bench
 */
const CELLS = 20_000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('recogniser throughput (printed, not asserted)', () => {
  it('scans typical columns', () => {
    const r = rng(7);
    const int = (n: number) => Math.floor(r() * n);
    const digits = (k: number) => Array.from({ length: k }, () => int(10)).join('');
    const columns: Array<[string, () => string]> = [
      ['category', () => ['red', 'green', 'blue', 'amber'][int(4)]!],
      ['quantity', () => String(int(100_000))],
      ['price', () => (r() * 1000).toFixed(2)],
      ['uuid', () => randomUUID()],
      ['comment', () => `The parcel arrived ${int(9)} days late and the box was damaged, order ${int(1e6)}`],
      ['email', () => `user${int(1e6)}@example${int(100)}.com`],
      ['account_id', () => String(1_000_000_000 + int(8_999_999_999))],
      ['card_number', () => `4${digits(15)}`],
      ['phone', () => `(${200 + int(700)}) ${200 + int(700)}-${digits(4)}`],
      ['phone_intl', () => `+44 20 7${digits(3)} ${digits(4)}`],
      ['dob', () => `19${50 + int(50)}-0${1 + int(9)}-1${int(9)}`],
      ['name', () => `${['Ada', 'Alan', 'Grace'][int(3)]} ${['Lovelace', 'Turing', 'Hopper'][int(3)]}`],
    ];
    const lines: string[] = ['column        cells/s      MB/s  reported'];
    for (const [name, generate] of columns) {
      const values = Array.from({ length: CELLS }, generate);
      const bytes = values.reduce((n, v) => n + Buffer.byteLength(v), 0);
      // Warm-up: JIT, and one-time work such as probing NANP area codes, is not steady state.
      const warmup = new ColumnPiiScanner(name);
      for (const v of values.slice(0, 2000)) warmup.add(v);
      const scanner = new ColumnPiiScanner(name);
      const start = process.hrtime.bigint();
      for (const v of values) scanner.add(v);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const reported = scanner.result().map((f) => `${f.entityType} ${f.share.toFixed(2)}/${f.confidence.toFixed(2)}`);
      lines.push(
        `${name.padEnd(12)} ${Math.round(CELLS / seconds)
          .toString()
          .padStart(9)} ${(bytes / seconds / 1e6).toFixed(1).padStart(9)}  ${reported.join(', ') || '-'}`,
      );
      expect(scanner.result().every((f) => f.nonMissingValues === CELLS)).toBe(true);
    }
    console.log(lines.join('\n'));
  });
});
