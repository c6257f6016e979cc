/**
 * The in-memory and streaming shape of a parsed dataset, shared by ingest, transformations and
 * the privacy scan. A cell is the field's text after parsing (quotes removed, encoding decoded),
 * or null when it is missing (empty, `?`, `NA`, … per the version's missing-value markers).
 */
export type Cell = string | null;
export type Row = Cell[];

export interface Table {
  /** Column names, unique (duplicates in a source header are renamed explicitly at ingest). */
  columns: string[];
  rows: Row[];
}

export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'date';
