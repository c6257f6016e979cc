import type { Row } from '../table';
import { IngestError } from './ingest.error';

/** A field separator; `whitespace` means runs of spaces and tabs (UCI's `german.data`). */
export type Delimiter = ',' | ';' | '\t' | '|' | 'whitespace';
export type Encoding = 'utf-8' | 'latin1';

const DELIMITERS: readonly string[] = [',', ';', '\t', '|', 'whitespace'];

/** How an upload is read. Everything is optional; the defaults suit a typical CSV. */
export interface IngestOptions {
  /** Raw bytes, and separately decompressed bytes, allowed (default 1 GiB). */
  maxBytes?: number;
  /** Longest record, in characters of decoded text (default 1 MiB). */
  maxRecordBytes?: number;
  /** Widest header or record (default 2,000). */
  maxColumns?: number;
  /**
   * Gzip only: decompressed ÷ compressed bytes allowed once more than 16 MiB have been inflated
   * (default 500). Typical CSVs compress 5–15-fold and sparse one-hot ones about 100-fold;
   * zlib's ceiling is about 1,032, which classic bombs reach. maxBytes still bounds the rest.
   */
  maxCompressionRatio?: number;
  /** Default `auto`: sniffed from the first 64 KiB after `skipLines`. */
  delimiter?: Delimiter | 'auto';
  /** Whether the first record holds the column names (default true). */
  header?: boolean;
  /** Column names when `header` is false (default `c1`…`cN`). */
  columns?: readonly string[];
  /** Default `utf-8` (a BOM is allowed); `latin1` (ISO-8859-1) only when the uploader declares it. */
  encoding?: Encoding;
  /** Field values, compared after trimming, that mean "missing" (default `''`, `?`, `NA`). */
  missingMarkers?: readonly string[];
  /** Trim spaces and tabs around fields (default true; Adult separates with ", "). */
  trimFields?: boolean;
  /** Physical lines to drop before the header, e.g. Adult's `|1x3 Cross validator` banner. */
  skipLines?: number;
  /** Default `error`; `skip` drops rows of the wrong width and counts them. */
  onRaggedRow?: 'error' | 'skip';
  /** Default `rename`: the second `name` becomes `name_2`, reported in `renamedColumns`. */
  duplicateColumns?: 'error' | 'rename';
  /** Distinct values counted exactly per column before the count becomes a lower bound (default 10,000). */
  distinctCap?: number;

  /** Receives every raw (as uploaded) chunk, e.g. to store the file content-addressed; awaited. */
  onRawChunk?: (chunk: Buffer) => void | Promise<void>;
  /** Called once, before the first row, with the final (unique) column names; awaited. */
  onColumns?: (columns: readonly string[]) => void | Promise<void>;
  /**
   * Receives each data row (a fresh array, the caller's to keep) with the 1-based line where it
   * starts; awaited, so a slow consumer holds the upload back instead of buffering it.
   */
  onRow?: (row: Row, line: number) => void | Promise<void>;
  /** Receives the canonical `assay.table/v1` bytes (the ones `tableSha256` covers) in ~64 KiB chunks; awaited. */
  onTableChunk?: (chunk: Buffer) => void | Promise<void>;
}

export interface ResolvedOptions {
  maxBytes: number;
  maxRecordBytes: number;
  maxColumns: number;
  maxCompressionRatio: number;
  delimiter: Delimiter | 'auto';
  header: boolean;
  columns: readonly string[] | undefined;
  encoding: Encoding;
  missingMarkers: readonly string[];
  trimFields: boolean;
  skipLines: number;
  onRaggedRow: 'error' | 'skip';
  duplicateColumns: 'error' | 'rename';
  distinctCap: number;
}

export const INGEST_DEFAULTS: Readonly<ResolvedOptions> = Object.freeze({
  maxBytes: 1024 ** 3,
  maxRecordBytes: 1024 ** 2,
  maxColumns: 2_000,
  maxCompressionRatio: 500,
  delimiter: 'auto',
  header: true,
  columns: undefined,
  encoding: 'utf-8',
  missingMarkers: Object.freeze(['', '?', 'NA']),
  trimFields: true,
  skipLines: 0,
  onRaggedRow: 'error',
  duplicateColumns: 'rename',
  distinctCap: 10_000,
});

/** Options usually arrive from an HTTP query, so a bad one is the uploader's error, not a crash. */
export function resolveOptions(options: IngestOptions): ResolvedOptions {
  const o = { ...INGEST_DEFAULTS, ...definedOnly(options) };
  positiveInteger('maxBytes', o.maxBytes);
  positiveInteger('maxRecordBytes', o.maxRecordBytes);
  positiveInteger('maxColumns', o.maxColumns);
  positiveInteger('distinctCap', o.distinctCap);
  if (!Number.isInteger(o.skipLines) || o.skipLines < 0) invalid('skipLines', 'must be a non-negative integer');
  if (!(typeof o.maxCompressionRatio === 'number' && o.maxCompressionRatio >= 1)) invalid('maxCompressionRatio', 'must be ≥ 1');
  if (o.delimiter !== 'auto' && !DELIMITERS.includes(o.delimiter)) invalid('delimiter', `must be auto or one of ${DELIMITERS.join(' ')}`);
  if (o.encoding !== 'utf-8' && o.encoding !== 'latin1') invalid('encoding', 'must be utf-8 or latin1');
  if (o.onRaggedRow !== 'error' && o.onRaggedRow !== 'skip') invalid('onRaggedRow', 'must be error or skip');
  if (o.duplicateColumns !== 'error' && o.duplicateColumns !== 'rename') invalid('duplicateColumns', 'must be error or rename');
  if (typeof o.header !== 'boolean') invalid('header', 'must be a boolean');
  if (typeof o.trimFields !== 'boolean') invalid('trimFields', 'must be a boolean');
  if (!Array.isArray(o.missingMarkers) || !o.missingMarkers.every((m) => typeof m === 'string')) {
    invalid('missingMarkers', 'must be an array of strings');
  }
  if (o.columns !== undefined) {
    if (o.header) invalid('columns', 'names can only be supplied when header is false');
    if (!Array.isArray(o.columns) || o.columns.length === 0 || !o.columns.every((c) => typeof c === 'string')) {
      invalid('columns', 'must be a non-empty array of strings');
    }
    if (o.columns.length > o.maxColumns) invalid('columns', `more than maxColumns (${o.maxColumns})`);
  }
  return o;
}

function definedOnly(options: IngestOptions): Partial<ResolvedOptions> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(INGEST_DEFAULTS) as (keyof ResolvedOptions)[]) {
    if (options[key] !== undefined) picked[key] = options[key];
  }
  return picked;
}

function positiveInteger(option: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) invalid(option, 'must be a positive integer');
}

function invalid(option: string, problem: string): never {
  throw new IngestError('DATASET_OPTIONS_INVALID', `Ingest option ${option} ${problem}.`, { option });
}
