import type { Cell, Row, Table } from '../table';
import { parseNumber, scalarNumber } from './numeric-cell';
import { columnIndex, tableOf, type TransformOutcome } from './transform-outcome';
import { SINGLE_OUTPUT_ROLE, type FilterPredicate, type FilterScalar, type FilterSpec } from './transformation-spec';

export const FILTER_ALGORITHM = 'assay.filter/v1';

type RowTest = (row: Row) => boolean;

/** Keeps the rows for which `spec.where` holds, in their input order. */
export function filterRows(table: Table, spec: FilterSpec): TransformOutcome {
  const test = compilePredicate(spec.where, table);
  const rows = table.rows.filter(test).map((row) => [...row]);
  return {
    outputs: [{ role: SINGLE_OUTPUT_ROLE, table: tableOf(table.columns, rows) }],
    details: { keptRows: rows.length, droppedRows: table.rows.length - rows.length },
  };
}

/**
 * Turns a predicate into a row test, resolving column names once. Equality is numeric when both
 * the cell and the value spell finite numbers ("1.0" eq 1), else exact text; order comparisons
 * are numeric only. A missing cell satisfies only `isMissing` (and fails `ne`/`notIn`, as in SQL).
 */
export function compilePredicate(predicate: FilterPredicate, table: Pick<Table, 'columns'>): RowTest {
  if ('all' in predicate) {
    const tests = predicate.all.map((p) => compilePredicate(p, table));
    return (row) => tests.every((t) => t(row));
  }
  if ('any' in predicate) {
    const tests = predicate.any.map((p) => compilePredicate(p, table));
    return (row) => tests.some((t) => t(row));
  }
  const index = columnIndex(table as Table, predicate.column);
  const cellOf = (row: Row): Cell => row[index] ?? null;
  switch (predicate.op) {
    case 'isMissing':
      return (row) => cellOf(row) === null;
    case 'notMissing':
      return (row) => cellOf(row) !== null;
    case 'eq': {
      const equals = equalityTest(predicate.value);
      return (row) => present(cellOf(row), equals);
    }
    case 'ne': {
      const equals = equalityTest(predicate.value);
      return (row) => present(cellOf(row), (cell) => !equals(cell));
    }
    case 'in': {
      const member = membershipTest(predicate.value);
      return (row) => present(cellOf(row), member);
    }
    case 'notIn': {
      const member = membershipTest(predicate.value);
      return (row) => present(cellOf(row), (cell) => !member(cell));
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const bound = scalarNumber(predicate.value);
      if (bound === undefined) throw new Error(`${predicate.op} needs a numeric value (spec not validated?)`);
      const compare = ORDER[predicate.op];
      return (row) => {
        const n = parseNumber(cellOf(row));
        return n !== undefined && compare(n, bound);
      };
    }
  }
}

const ORDER = {
  lt: (a: number, b: number) => a < b,
  lte: (a: number, b: number) => a <= b,
  gt: (a: number, b: number) => a > b,
  gte: (a: number, b: number) => a >= b,
} as const;

function present(cell: Cell, test: (cell: string) => boolean): boolean {
  return cell !== null && test(cell);
}

function equalityTest(value: FilterScalar): (cell: string) => boolean {
  const number = scalarNumber(value);
  const text = String(value);
  return (cell) => {
    const n = number === undefined ? undefined : parseNumber(cell);
    return n !== undefined ? n === number : cell === text;
  };
}

/** `in` as a set lookup: a numeric cell can only equal a numeric value, a non-numeric cell only a text. */
function membershipTest(values: readonly FilterScalar[]): (cell: string) => boolean {
  const numbers = new Set<number>();
  const texts = new Set<string>();
  for (const value of values) {
    const number = scalarNumber(value);
    if (number === undefined) texts.add(String(value));
    else numbers.add(number);
  }
  return (cell) => {
    const n = parseNumber(cell);
    return n !== undefined ? numbers.has(n) : texts.has(cell);
  };
}
