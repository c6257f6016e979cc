import type { Cell, Row, Table } from '../../datasets/table';
import { columnIndex } from './equivalence-class-counter';

export interface LabelCount {
  label: Cell;
  count: number;
  /** count / records in the group (missing labels included in the denominator). */
  rate: number;
}

export interface LabelBalanceGroup {
  value: Cell;
  count: number;
  /** count / all records. */
  share: number;
  labels: LabelCount[];
  /**
   * Positive labels / records with a label; null without a positive label, or when no record in
   * the group is labelled. Unlabelled records are left out: a missing label is not a negative one.
   */
  positiveRate: number | null;
}

export interface LabelBalanceAttribute {
  column: string;
  groups: LabelBalanceGroup[];
  /** Highest minus lowest group positive rate (demographic parity difference of the labels). */
  positiveRateDifference: number | null;
  /** Lowest over highest group positive rate (disparate impact; the four-fifths rule reads < 0.8); null when every rate is 0. */
  positiveRateRatio: number | null;
  /** The groups at either end (first in group order on ties); null when no group has a positive rate. */
  highest: GroupRate | null;
  lowest: GroupRate | null;
}

export interface GroupRate {
  value: Cell;
  positiveRate: number;
}

export interface LabelBalance {
  records: number;
  labelColumn: string;
  positiveLabel: string | null;
  labels: LabelCount[];
  positiveRate: number | null;
  attributes: LabelBalanceAttribute[];
}

/** Deterministic order (null first, then by UTF-16 code units) so the result, and its digest, do not depend on row order. */
export function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function cellAt(row: Row, index: number): Cell {
  const cell = row[index];
  if (cell === undefined) throw new RangeError(`Row has ${row.length} cells; column ${index} is missing`);
  return cell;
}

const increment = <K>(counts: Map<K, number>, key: K) => counts.set(key, (counts.get(key) ?? 0) + 1);

function labelCounts(counts: Map<Cell, number>, total: number): LabelCount[] {
  return [...counts.entries()]
    .sort(([a], [b]) => compareCells(a, b))
    .map(([label, count]) => ({ label, count, rate: total === 0 ? 0 : count / total }));
}

function positiveRateOf(counts: Map<Cell, number>, total: number, positiveLabel: string | null): number | null {
  if (positiveLabel === null) return null;
  const labelled = total - (counts.get(null) ?? 0);
  return labelled === 0 ? null : (counts.get(positiveLabel) ?? 0) / labelled;
}

/**
 * Label distribution per group of each sensitive attribute: the pre-training disparity
 * (DESIGN "label rates by group"; EU AI Act Art. 10(2)(f) examination for possible biases).
 * Streaming: memory is one counter per (attribute, group, label), never the rows. A missing
 * sensitive value (null) is a group of its own, reported and compared like any other.
 */
export class LabelBalanceAccumulator {
  private readonly labelIndex: number;
  private readonly sensitiveIndexes: number[];
  private readonly labels = new Map<Cell, number>();
  /** Per sensitive attribute: group value → label → count. */
  private readonly groups: Map<Cell, Map<Cell, number>>[];
  private records = 0;
  private readonly scratch: Cell[] = [];

  constructor(
    columns: string[],
    private readonly labelColumn: string,
    private readonly sensitiveColumns: string[],
    private readonly positiveLabel?: string,
  ) {
    this.labelIndex = columnIndex(columns, labelColumn);
    this.sensitiveIndexes = sensitiveColumns.map((name) => columnIndex(columns, name));
    this.groups = sensitiveColumns.map(() => new Map<Cell, Map<Cell, number>>());
  }

  add(row: Row): void {
    const label = cellAt(row, this.labelIndex);
    // Read every cell before counting anything, so a short row leaves the counts untouched.
    const values = this.scratch;
    for (let i = 0; i < this.sensitiveIndexes.length; i++) values[i] = cellAt(row, this.sensitiveIndexes[i]!);
    increment(this.labels, label);
    for (let i = 0; i < values.length; i++) {
      const groups = this.groups[i]!;
      const value = values[i]!;
      let counts = groups.get(value);
      if (!counts) groups.set(value, (counts = new Map<Cell, number>()));
      increment(counts, label);
    }
    this.records += 1;
  }

  result(): LabelBalance {
    const positive = this.positiveLabel ?? null;
    const records = this.records;
    return {
      records,
      labelColumn: this.labelColumn,
      positiveLabel: positive,
      labels: labelCounts(this.labels, records),
      positiveRate: positiveRateOf(this.labels, records, positive),
      attributes: this.sensitiveColumns.map((column, i) => {
        const groups = [...this.groups[i]!.entries()]
          .sort(([a], [b]) => compareCells(a, b))
          .map(([value, counts]): LabelBalanceGroup => {
            const count = [...counts.values()].reduce((sum, n) => sum + n, 0);
            return {
              value,
              count,
              share: count / records,
              labels: labelCounts(counts, count),
              positiveRate: positiveRateOf(counts, count, positive),
            };
          });
        return { column, groups, ...disparity(groups) };
      }),
    };
  }
}

function disparity(
  groups: LabelBalanceGroup[],
): Pick<LabelBalanceAttribute, 'positiveRateDifference' | 'positiveRateRatio' | 'highest' | 'lowest'> {
  let highest: GroupRate | null = null;
  let lowest: GroupRate | null = null;
  for (const { value, positiveRate } of groups) {
    if (positiveRate === null) continue;
    if (!highest || positiveRate > highest.positiveRate) highest = { value, positiveRate };
    if (!lowest || positiveRate < lowest.positiveRate) lowest = { value, positiveRate };
  }
  if (!highest || !lowest) return { positiveRateDifference: null, positiveRateRatio: null, highest: null, lowest: null };
  return {
    positiveRateDifference: highest.positiveRate - lowest.positiveRate,
    positiveRateRatio: highest.positiveRate === 0 ? null : lowest.positiveRate / highest.positiveRate,
    highest,
    lowest,
  };
}

/** Label balance of a whole in-memory table; the accumulator is the streaming form. */
export function labelBalance(table: Table, labelColumn: string, sensitiveColumns: string[], positiveLabel?: string): LabelBalance {
  const accumulator = new LabelBalanceAccumulator(table.columns, labelColumn, sensitiveColumns, positiveLabel);
  for (const row of table.rows) accumulator.add(row);
  return accumulator.result();
}
