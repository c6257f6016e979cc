import type { Table } from '../table';
import { tableOf, type TransformOutcome } from './transform-outcome';
import { SINGLE_OUTPUT_ROLE, type DropColumnsSpec } from './transformation-spec';

export const DROP_COLUMNS_ALGORITHM = 'assay.dropColumns/v1';

/** The table without the named columns; the others keep their order. */
export function dropColumns(table: Table, spec: DropColumnsSpec): TransformOutcome {
  const dropped = new Set(spec.columns);
  const kept = table.columns.flatMap((name, index) => (dropped.has(name) ? [] : [index]));
  if (kept.length === 0) throw new Error('dropColumns would leave no column (spec not validated?)');
  const rows = table.rows.map((row) => kept.map((index) => row[index] ?? null));
  return {
    outputs: [
      {
        role: SINGLE_OUTPUT_ROLE,
        table: tableOf(
          kept.map((index) => table.columns[index] as string),
          rows,
        ),
      },
    ],
    details: { droppedColumns: [...spec.columns], remainingColumns: kept.length },
  };
}
