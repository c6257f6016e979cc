import type { Row, Table } from '../table';
import type { TransformationOutput } from './transformation-spec';

/** What one transformation function returns; the dispatcher adds the common summary fields. */
export interface TransformOutcome {
  outputs: TransformationOutput[];
  /** Transformation-specific, JSON-serialisable facts for the summary (counts, fitted values, …). */
  details: Record<string, unknown>;
}

/** A new table sharing no arrays with its source, so callers may mutate either freely. */
export function tableOf(columns: readonly string[], rows: Row[]): Table {
  return { columns: [...columns], rows };
}

/** Column index by name; the validator has already checked the name, so a miss is a bug. */
export function columnIndex(table: Table, name: string): number {
  const index = table.columns.indexOf(name);
  if (index < 0) throw new Error(`column ${JSON.stringify(name)} not in table (spec not validated against it?)`);
  return index;
}

/** UTF-16 code unit order, as JCS (RFC 8785) sorts keys: locale-independent, so replays agree. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
