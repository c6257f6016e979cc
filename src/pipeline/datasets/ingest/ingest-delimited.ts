import { Readable } from 'node:stream';
import type { Row, Table } from '../table';
import { defaultColumnNames, uniqueColumnNames, type ColumnRename } from './column-names';
import { TableProfiler, type TableProfile } from './column-profiler';
import { DelimitedReader, detectLineBreak, trimBlanks, type LineBreak, type LineBreakStyle, type RawRecord } from './delimited-reader';
import { sniffDelimiter } from './delimiter-sniffer';
import { resolveOptions, type Delimiter, type Encoding, type IngestOptions, type ResolvedOptions } from './ingest-options';
import { IngestError } from './ingest.error';
import { readContent, UploadStats, type IngestSource } from './raw-reader';
import { TableWriter } from './table-writer';
import { decodeText, type DecodeStats } from './text-decoder';

/** How the bytes were read, for the datasheet and to reproduce the parse. */
export interface DetectedFormat {
  compression: 'gzip' | 'none';
  encoding: Encoding;
  bom: boolean;
  delimiter: Delimiter;
  lineBreak: LineBreakStyle;
  header: boolean;
  skipLines: number;
  trimFields: boolean;
  missingMarkers: string[];
}

export interface IngestResult {
  /** SHA-256 (hex) of the bytes exactly as uploaded (still compressed, for gzip). */
  sha256: string;
  byteCount: number;
  /** Bytes after gzip inflation; equals byteCount when the upload was not compressed. */
  contentByteCount: number;
  /** SHA-256 (hex) of the parsed table in its `assay.table/v1` form (see TableWriter). */
  tableSha256: string;
  tableByteCount: number;
  /** Final, unique column names. */
  columns: string[];
  /** Header names changed to make them unique (duplicates) or non-empty; show these to the uploader. */
  renamedColumns: ColumnRename[];
  format: DetectedFormat;
  /** Lines of rows dropped by onRaggedRow `skip` (the first 100; the count is in the profile). */
  skippedLines: number[];
  profile: TableProfile;
}

export interface ReadTableResult extends IngestResult {
  table: Table;
}

/** Text buffered before the delimiter is sniffed and reading starts. */
const SNIFF_CHARS = 64 * 1024;
const MAX_SKIPPED_LINES_REPORTED = 100;
/** readTable holds everything in memory, so its default size limit is lower. */
const READ_TABLE_MAX_BYTES = 64 * 1024 ** 2;

/**
 * Reads an upload once, as a stream, and turns it into a table without holding it: the raw bytes
 * are hashed (and teed to `onRawChunk`), gzip is inflated under limits, the text is decoded
 * strictly and tokenized, each row goes to `onRow`, and the canonical form is hashed (and teed
 * to `onTableChunk`) while the columns are profiled.
 *
 * Every failure rejects with an IngestError (callback errors are passed through unchanged), and
 * a Node stream source is destroyed on failure.
 */
export async function ingestDelimited(source: IngestSource, options: IngestOptions = {}): Promise<IngestResult> {
  try {
    const settings = resolveOptions(options);
    const upload = new UploadStats();
    const decoding: DecodeStats = { bom: false };
    const assembler = new TableAssembler(settings, options);
    const content = readContent(source, { maxBytes: settings.maxBytes, maxCompressionRatio: settings.maxCompressionRatio, onRawChunk: options.onRawChunk }, upload);
    for await (const text of decodeText(content, settings.encoding, decoding)) await assembler.push(text, false);
    if (upload.byteCount === 0) throw new IngestError('DATASET_EMPTY', 'The upload is empty.', { reason: 'no-bytes' });
    await assembler.push('', true);
    return await assembler.finish(upload, decoding);
  } catch (error) {
    destroy(source);
    throw error;
  }
}

/** ingestDelimited into memory, for small files and tests (default maxBytes 64 MiB). */
export async function readTable(input: IngestSource | Uint8Array | string, options: IngestOptions = {}): Promise<ReadTableResult> {
  const source = typeof input === 'string' || input instanceof Uint8Array ? Readable.from([typeof input === 'string' ? Buffer.from(input, 'utf8') : input]) : input;
  const rows: Row[] = [];
  const result = await ingestDelimited(source, {
    ...options,
    maxBytes: options.maxBytes ?? READ_TABLE_MAX_BYTES,
    onRow: (row, line) => {
      rows.push(row);
      return options.onRow?.(row, line);
    },
  });
  return { ...result, table: { columns: result.columns, rows } };
}

/** Header handling, ragged rows, missing markers, and fan-out of each row to its consumers. */
class TableAssembler {
  private pending = '';
  private reader: DelimitedReader | undefined;
  private lineBreak: { lineBreak: LineBreak; style: LineBreakStyle } | undefined;
  private delimiter: Delimiter | undefined;
  private linesSkipped = 0;
  private columns: string[] | undefined;
  private renames: ColumnRename[] = [];
  private writer: TableWriter | undefined;
  private profiler: TableProfiler | undefined;
  private rowCount = 0;
  private skippedRowCount = 0;
  private readonly skippedLines: number[] = [];
  private readonly missing: Set<string>;
  private readonly longestMarker: number;

  constructor(
    private readonly settings: ResolvedOptions,
    private readonly sinks: Pick<IngestOptions, 'onColumns' | 'onRow' | 'onTableChunk'>,
  ) {
    this.missing = new Set(settings.missingMarkers);
    this.longestMarker = Math.max(0, ...settings.missingMarkers.map((marker) => marker.length));
  }

  async push(text: string, final: boolean): Promise<void> {
    if (this.reader === undefined) {
      this.pending += text;
      if (!final && this.pending.length < SNIFF_CHARS) return;
      this.reader = this.start(final);
      if (this.reader === undefined) return;
      text = this.pending;
      this.pending = '';
    }
    for (const record of this.reader.push(text, final)) {
      const accepted = this.accept(record);
      if (accepted !== undefined) await accepted;
    }
  }

  async finish(upload: UploadStats, decoding: DecodeStats): Promise<IngestResult> {
    if (this.columns === undefined || this.writer === undefined || this.profiler === undefined) {
      throw new IngestError('DATASET_EMPTY', 'The upload holds no records.', { reason: 'no-records' });
    }
    if (this.rowCount === 0) {
      const reason = this.skippedRowCount > 0 ? 'all-rows-skipped' : 'no-rows';
      throw new IngestError('DATASET_EMPTY', 'The upload holds no data rows.', { reason, found: this.skippedRowCount });
    }
    const last = this.writer.end();
    const teed = this.sinks.onTableChunk?.(last);
    if (teed !== undefined) await teed;
    const table = this.writer.digest();
    const { settings } = this;
    return {
      sha256: upload.rawHash.digest('hex'),
      byteCount: upload.byteCount,
      contentByteCount: upload.contentByteCount,
      tableSha256: table.sha256,
      tableByteCount: table.byteCount,
      columns: this.columns,
      renamedColumns: this.renames,
      format: {
        compression: upload.compression,
        encoding: settings.encoding,
        bom: decoding.bom,
        delimiter: this.delimiter!,
        lineBreak: this.lineBreak!.style,
        header: settings.header,
        skipLines: settings.skipLines,
        trimFields: settings.trimFields,
        missingMarkers: [...settings.missingMarkers],
      },
      skippedLines: this.skippedLines,
      profile: this.profiler.result(this.rowCount, this.skippedRowCount),
    };
  }

  /** Settles line breaks, skips leading lines and sniffs the delimiter; undefined while more text is needed. */
  private start(final: boolean): DelimitedReader | undefined {
    const { settings } = this;
    this.lineBreak ??= detectLineBreak(this.pending, final);
    if (this.lineBreak === undefined) return this.needMore(1);
    const { lineBreak } = this.lineBreak;
    for (; this.linesSkipped < settings.skipLines; this.linesSkipped++) {
      const end = this.pending.indexOf(lineBreak);
      if (end === -1 && !final) return this.needMore(this.linesSkipped + 1);
      this.pending = end === -1 ? '' : this.pending.slice(end + 1);
    }
    if (settings.delimiter !== 'auto') this.delimiter = settings.delimiter;
    else if (!final && this.pending.length < SNIFF_CHARS) return undefined;
    else if (final && trimBlanks(this.pending.replace(/[\r\n]/g, '')) === '') this.delimiter = ',';
    else this.delimiter = sniffDelimiter(this.pending, final, lineBreak);
    if (this.delimiter === undefined) return this.needMore(settings.skipLines + 1);
    return new DelimitedReader({
      delimiter: this.delimiter,
      lineBreak,
      trim: settings.trimFields,
      maxRecordChars: settings.maxRecordBytes,
      maxFields: settings.maxColumns,
      firstLine: settings.skipLines + 1,
    });
  }

  /** Waiting for more text is fine until the text held already exceeds one record's limit. */
  private needMore(line: number): undefined {
    const limit = this.settings.maxRecordBytes;
    if (this.pending.length > limit) {
      throw new IngestError('DATASET_RECORD_TOO_LARGE', `The record starting on line ${line} exceeds ${limit} characters.`, { line, limit });
    }
    return undefined;
  }

  /** Handles one record; returns a promise only when a consumer asked to be awaited. */
  private accept(record: RawRecord): void | Promise<unknown> {
    const { settings } = this;
    if (this.columns === undefined) {
      const width = settings.columns?.length ?? record.fieldCount;
      if (width > settings.maxColumns) {
        throw new IngestError('DATASET_TOO_MANY_COLUMNS', `The ${settings.header ? 'header' : 'first row'} has ${width} columns; at most ${settings.maxColumns} are allowed.`, {
          line: record.line,
          found: width,
          limit: settings.maxColumns,
        });
      }
      const names = settings.header ? record.fields : (settings.columns ?? defaultColumnNames(width));
      const { columns, renames } = uniqueColumnNames(names, settings.duplicateColumns);
      this.columns = columns;
      this.renames = renames;
      this.writer = new TableWriter(columns);
      this.profiler = new TableProfiler(columns, settings.distinctCap);
      const announced = this.sinks.onColumns?.(columns);
      if (settings.header) return announced;
      if (announced !== undefined) return announced.then(() => this.acceptRow(record));
    }
    return this.acceptRow(record);
  }

  private acceptRow(record: RawRecord): void | Promise<unknown> {
    const width = this.columns!.length;
    if (record.fieldCount !== width) {
      if (this.settings.onRaggedRow === 'error') {
        throw new IngestError('DATASET_RAGGED_ROW', `Line ${record.line} has ${record.fieldCount} fields; the table has ${width} columns.`, {
          line: record.line,
          expected: width,
          found: record.fieldCount,
        });
      }
      this.skippedRowCount++;
      if (this.skippedLines.length < MAX_SKIPPED_LINES_REPORTED) this.skippedLines.push(record.line);
      return undefined;
    }
    const row: Row = record.fields;
    for (let i = 0; i < width; i++) {
      const cell = row[i]!;
      if (cell.length <= this.longestMarker && this.missing.has(cell)) row[i] = null;
    }
    this.rowCount++;
    this.profiler!.add(row);
    const chunk = this.writer!.write(row);
    const teed = chunk === undefined ? undefined : this.sinks.onTableChunk?.(chunk);
    const consumed = this.sinks.onRow?.(row, record.line);
    if (teed === undefined) return consumed;
    return consumed === undefined ? teed : Promise.all([teed, consumed]);
  }
}

/**
 * Destroys a Node stream source, without an error: the failure is reported through our promise,
 * not as an 'error' event the caller may not be listening for. This also releases a source that
 * stalls mid-read, which returning its iterator alone would not.
 */
function destroy(source: IngestSource): void {
  const stream = source as Partial<{ destroy(): void; destroyed: boolean }>;
  if (typeof stream.destroy === 'function' && stream.destroyed !== true) stream.destroy();
}
