import { createHash } from 'node:crypto';
import type { Row, Table } from '../table';

/** Name of the canonical parsed form that `tableSha256` covers. */
export const TABLE_FORMAT = 'assay.table/v1';

const CHUNK_CHARS = 64 * 1024;

export interface TableDigest {
  /** SHA-256 (hex) of the canonical bytes. */
  sha256: string;
  byteCount: number;
  rowCount: number;
}

/**
 * Serializes a table as `assay.table/v1`: UTF-8, one JSON array per line, each line ending in
 * "\n", the column names first. `JSON.stringify` of an array of strings and nulls is already the
 * RFC 8785 (JCS) canonical form, so equal tables give equal bytes whatever file they came from.
 *
 * Pull-style so the caller controls backpressure: `write` hands back a chunk (≈64 KiB) whenever
 * one is ready; `end` hands back the rest. The digest covers exactly the bytes handed out.
 */
export class TableWriter {
  private readonly hash = createHash('sha256');
  private pending: string;
  private byteCount = 0;
  private rowCount = 0;
  private digestValue: TableDigest | undefined;
  private readonly width: number;

  constructor(columns: readonly string[]) {
    this.width = columns.length;
    this.pending = JSON.stringify(columns) + '\n';
  }

  write(row: Row): Buffer | undefined {
    if (this.digestValue !== undefined) throw new Error('TableWriter: write after end');
    // A row of the wrong width would still hash; refuse it so the form stays rectangular.
    if (row.length !== this.width) throw new RangeError(`TableWriter: row has ${row.length} cells, table has ${this.width} columns`);
    this.pending += JSON.stringify(row) + '\n';
    this.rowCount++;
    return this.pending.length >= CHUNK_CHARS ? this.flush() : undefined;
  }

  /** The remaining bytes (possibly empty: the header alone is never empty). */
  end(): Buffer {
    if (this.digestValue !== undefined) throw new Error('TableWriter: end called twice');
    const last = this.flush();
    this.digestValue = { sha256: this.hash.digest('hex'), byteCount: this.byteCount, rowCount: this.rowCount };
    return last;
  }

  /** Available after `end`. */
  digest(): TableDigest {
    if (this.digestValue === undefined) throw new Error('TableWriter: digest before end');
    return this.digestValue;
  }

  private flush(): Buffer {
    const chunk = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.hash.update(chunk);
    this.byteCount += chunk.length;
    return chunk;
  }

  /** The whole canonical form of a small table, in one buffer. */
  static serialize(table: Table): Buffer {
    const writer = new TableWriter(table.columns);
    const chunks: Buffer[] = [];
    for (const row of table.rows) {
      const chunk = writer.write(row);
      if (chunk !== undefined) chunks.push(chunk);
    }
    chunks.push(writer.end());
    return Buffer.concat(chunks);
  }
}

/** SHA-256 (hex) of a table's `assay.table/v1` form. */
export function tableSha256(table: Table): string {
  return createHash('sha256').update(TableWriter.serialize(table)).digest('hex');
}
