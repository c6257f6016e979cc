/** Per-slice evaluation: the rows of each value of a slicing column, evaluated on their own. */
import { namedColumns } from '../input-validation';
import { partitionRows } from '../group-partition';

/** Metrics per value of a slicing column: each slice is evaluated (and bootstrapped) on its own rows. */
export interface SliceReport<E> {
  column: string;
  groups: { value: string; rows: number; evaluation: E }[];
}

/** Evaluates `evaluate(rows, purpose)` for each value of each slicing column. */
export function sliceReports<E>(
  slices: Readonly<Record<string, readonly string[]>> | undefined,
  rows: number,
  evaluate: (rowIndices: Int32Array, purpose: string) => E,
): SliceReport<E>[] {
  if (slices === undefined) return [];
  return namedColumns(slices, rows, 'options.slices').map(([column, values]) => ({
    column,
    groups: partitionRows([values], rows).map((group) => ({
      value: group.values[0] as string,
      rows: group.rows.length,
      // One seed stream per slice, named unambiguously (JSON), so slices do not share draws.
      evaluation: evaluate(group.rows, JSON.stringify(['slice', column, group.values[0]])),
    })),
  }));
}

/** The entries of `values` at `rows`. */
export function pick<T extends Uint8Array | Int32Array | Float64Array>(values: T, rows: Int32Array, width = 1): T {
  const picked = new (values.constructor as new (length: number) => T)(rows.length * width);
  rows.forEach((row, i) => {
    for (let k = 0; k < width; k++) picked[i * width + k] = values[row * width + k] as number;
  });
  return picked;
}
