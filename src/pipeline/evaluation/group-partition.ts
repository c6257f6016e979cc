/**
 * Rows grouped by the values of one or more categorical columns (a slice, a sensitive attribute or
 * an intersection of attributes). Only combinations that occur are groups. Groups are ordered by
 * their values, compared as UTF-16 code units column by column: the same order on every platform
 * and locale.
 */
export interface RowGroup {
  /** One value per column, in the columns' order. */
  values: string[];
  /** Row indices, ascending. */
  rows: Int32Array;
}

export function compareValues(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function partitionRows(columns: readonly (readonly string[])[], rows: number): RowGroup[] {
  const byKey = new Map<string, { values: string[]; rows: number[] }>();
  for (let row = 0; row < rows; row++) {
    const values = columns.map((column) => column[row] as string);
    // JSON of the array: unambiguous whatever the values contain.
    const key = JSON.stringify(values);
    let group = byKey.get(key);
    if (group === undefined) {
      group = { values, rows: [] };
      byKey.set(key, group);
    }
    group.rows.push(row);
  }
  return [...byKey.values()].sort((a, b) => compareValues(a.values, b.values)).map((group) => ({ values: group.values, rows: Int32Array.from(group.rows) }));
}

/** Row i of the result is the index of the group holding row i. */
export function groupIndexOfRows(groups: readonly RowGroup[], rows: number): Int32Array {
  const index = new Int32Array(rows);
  groups.forEach((group, g) => {
    for (const row of group.rows) index[row] = g;
  });
  return index;
}
