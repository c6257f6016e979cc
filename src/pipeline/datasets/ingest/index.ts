/** Streaming ingest of delimited uploads (issue "Datasets with provenance"): a pure library, no I/O of its own. */
export { ingestDelimited, readTable, type DetectedFormat, type IngestResult, type ReadTableResult } from './ingest-delimited';
export { INGEST_DEFAULTS, type Delimiter, type Encoding, type IngestOptions } from './ingest-options';
export { INGEST_ERROR_CODES, IngestError, type IngestErrorCode, type IngestErrorDetails } from './ingest.error';
export type { IngestSource } from './raw-reader';
export type { ColumnRename } from './column-names';
export {
  TableProfiler,
  type CategoricalProfile,
  type ColumnProfile,
  type DateProfile,
  type NumericProfile,
  type TableProfile,
  type ValueCount,
} from './column-profiler';
export { TABLE_FORMAT, TableWriter, tableSha256, type TableDigest } from './table-writer';
