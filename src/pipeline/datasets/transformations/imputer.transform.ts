import type { Cell, Table } from '../table';
import { parseNumber } from './numeric-cell';
import { columnIndex, compareCodeUnits, tableOf, type TransformOutcome } from './transform-outcome';
import { SINGLE_OUTPUT_ROLE, type ImputeColumn, type ImputeSpec, type ImputeStrategy } from './transformation-spec';

export const IMPUTE_ALGORITHM = 'assay.impute/v1';

export interface FittedImputation {
  column: string;
  strategy: ImputeStrategy;
  /** The text written into missing cells. */
  value: string;
  /** Present cells the value was fitted on (all of them for a constant, which fits nothing). */
  fittedOn: number;
  imputedCells: number;
}

/**
 * Fills missing cells, fitting each value on this table's present cells. Fitting on the input
 * itself is the point: apply it to a training split, and record the fitted values (the summary
 * does) to reuse them on other splits rather than refitting there.
 */
export function imputeMissing(table: Table, spec: ImputeSpec): TransformOutcome {
  const plan = spec.columns.map((item) => {
    const index = columnIndex(table, item.name);
    const present = table.rows.map((row) => row[index] ?? null).filter((cell): cell is string => cell !== null);
    return {
      index,
      fitted: { column: item.name, strategy: item.strategy, value: fit(item, present), fittedOn: present.length, imputedCells: 0 },
    };
  });
  const rows = table.rows.map((row) => {
    const copy = [...row];
    for (const { index, fitted } of plan) {
      if ((copy[index] ?? null) === null) {
        copy[index] = fitted.value;
        fitted.imputedCells++;
      }
    }
    return copy;
  });
  const fitted: FittedImputation[] = plan.map((p) => p.fitted);
  return { outputs: [{ role: SINGLE_OUTPUT_ROLE, table: tableOf(table.columns, rows) }], details: { fitted } };
}

function fit(item: ImputeColumn, present: readonly string[]): string {
  switch (item.strategy) {
    case 'constant':
      return String(item.value);
    case 'mode':
      return mode(present);
    case 'mean':
      return formatNumber(mean(numbers(present, item.name)));
    case 'median':
      return formatNumber(median(numbers(present, item.name)));
  }
}

function numbers(present: readonly string[], column: string): number[] {
  if (present.length === 0) throw new Error(`column ${JSON.stringify(column)} has no values to fit (spec not validated?)`);
  return present.map((cell) => {
    const n = parseNumber(cell);
    if (n === undefined) throw new Error(`column ${JSON.stringify(column)} is not numeric (spec not validated?)`);
    return n;
  });
}

/** Neumaier-compensated mean: stable for long columns of mixed magnitudes. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const v of values) {
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return (sum + compensation) / values.length;
}

/** The middle value, or the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The most frequent text; ties go to the smallest in code-unit order, not the first seen, so the
 * fitted value does not depend on row order. Values compare as text: "1" and "1.0" are distinct.
 */
export function mode(present: readonly Cell[]): string {
  const counts = new Map<string, number>();
  for (const cell of present) if (cell !== null) counts.set(cell, (counts.get(cell) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && compareCodeUnits(value, best) < 0)) {
      best = value;
      bestCount = count;
    }
  }
  if (best === undefined) throw new Error('mode of a column without values (spec not validated?)');
  return best;
}

/** Shortest round-trip decimal (ECMAScript Number#toString); -0 written as 0. */
function formatNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}
