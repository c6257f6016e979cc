import { closingQuote, opensField, type LineBreak } from './delimited-reader';
import type { Delimiter } from './ingest-options';
import { IngestError } from './ingest.error';

const CANDIDATES = [',', '\t', ';', '|'] as const;
const MAX_RECORDS = 100;
/** Share of sampled records that must agree on a delimiter's count. */
const AGREEMENT = 0.8;

/**
 * Picks the delimiter whose count per record (outside quotes) is most consistent over the first
 * records of the sample, in the manner of Python's csv.Sniffer; falls back to runs of whitespace
 * (UCI `.data` files), then to a single column when no record holds a separator at all.
 * Undefined while a partial sample holds no complete record yet (a very wide header).
 */
export function sniffDelimiter(sample: string, final: boolean, lineBreak: LineBreak): Delimiter | undefined {
  const records = sampleRecords(sample, final, lineBreak);
  if (records.length === 0 && !final) return undefined;
  let best: { delimiter: Delimiter; agreement: number; count: number } | undefined;
  for (const candidate of CANDIDATES) {
    const counts = records.map((record) => countOutsideQuotes(record, candidate));
    const [count, agreement] = mode(counts);
    if (count === 0 || agreement < AGREEMENT) continue;
    if (best === undefined || agreement > best.agreement || (agreement === best.agreement && count > best.count)) {
      best = { delimiter: candidate, agreement, count };
    }
  }
  if (best !== undefined) return best.delimiter;
  const widths = records.map((record) => record.trim().split(/[ \t]+/).length);
  const [width, agreement] = mode(widths);
  if (width >= 2 && agreement >= AGREEMENT) return 'whitespace';
  if (width === 1 && agreement === 1) return ',';
  throw new IngestError('DATASET_DELIMITER_UNDETECTED', 'No consistent delimiter found in the first records; pass delimiter explicitly.', {
    reason: `sampled ${records.length} records`,
  });
}

/** Non-blank records of the sample, split at line breaks outside quotes; a cut-off last record is dropped. */
function sampleRecords(sample: string, final: boolean, lineBreak: LineBreak): string[] {
  const records: string[] = [];
  let start = 0;
  for (let i = 0; i < sample.length && records.length < MAX_RECORDS; i++) {
    const char = sample[i];
    if (char === '"' && opensField(sample, i)) {
      i = closingQuote(sample, i);
      if (i === -1) break;
    } else if (char === lineBreak) {
      records.push(sample.slice(start, i));
      start = i + 1;
    }
  }
  if (final && records.length < MAX_RECORDS && start < sample.length) records.push(sample.slice(start));
  return records.filter((record) => record.trim().length > 0);
}

function countOutsideQuotes(record: string, delimiter: string): number {
  let count = 0;
  for (let i = 0; i < record.length; i++) {
    const char = record[i];
    if (char === '"' && opensField(record, i)) {
      i = closingQuote(record, i);
      if (i === -1) break;
    } else if (char === delimiter) count++;
  }
  return count;
}

/** The most frequent value and the share of entries holding it. */
function mode(values: number[]): [value: number, share: number] {
  if (values.length === 0) return [0, 0];
  const frequency = new Map<number, number>();
  let best = values[0]!;
  for (const value of values) {
    const seen = (frequency.get(value) ?? 0) + 1;
    frequency.set(value, seen);
    if (seen > frequency.get(best)! || (seen === frequency.get(best) && value > best)) best = value;
  }
  return [best, frequency.get(best)! / values.length];
}
