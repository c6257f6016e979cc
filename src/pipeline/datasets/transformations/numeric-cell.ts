import type { Cell } from '../table';

// Decimal text only: Number() alone would also accept '', ' ', '0x1f', '0b1' and 'Infinity', which
// no CSV author means as numbers.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The finite number a cell (or filter value) spells in decimal, surrounding spaces allowed; else undefined. */
export function parseNumber(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return undefined;
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** A filter or impute value as a number, when it is one or spells one. */
export function scalarNumber(value: string | number): number | undefined {
  return typeof value === 'number' ? (Number.isFinite(value) ? value : undefined) : parseNumber(value);
}

/**
 * Index of the first present, non-numeric cell of a column, or -1. Problems cite the row, never
 * the value: a cell may be personal data, and problems end up in logs and HTTP responses.
 */
export function firstNonNumericRow(rows: readonly (readonly Cell[])[], index: number): number {
  for (let r = 0; r < rows.length; r++) {
    const cell = rows[r]?.[index] ?? null;
    if (cell !== null && parseNumber(cell) === undefined) return r;
  }
  return -1;
}
