import fc from 'fast-check';
import type { Cell, Row, Table } from '../../datasets/table';
import { LabelBalanceAccumulator, labelBalance, type LabelBalance, type LabelCount } from './label-balance';

/** The same numbers with plain objects and filters; null is keyed apart from the text "null". */
function naiveBalance(table: Table, labelColumn: string, sensitiveColumns: string[], positiveLabel?: string): LabelBalance {
  const li = table.columns.indexOf(labelColumn);
  const n = table.rows.length;
  const distinct = (rows: Row[], index: number): Cell[] => {
    const keys: Record<string, Cell> = {};
    for (const row of rows) keys[row[index] === null ? '\u0000null' : `v:${row[index]}`] = row[index]!;
    return Object.values(keys).sort((a, b) => (a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0));
  };
  const labelsOf = (rows: Row[]): LabelCount[] =>
    distinct(rows, li).map((label) => {
      const count = rows.filter((row) => row[li] === label).length;
      return { label, count, rate: count / rows.length };
    });
  const rateOf = (rows: Row[]): number | null => {
    if (positiveLabel === undefined) return null;
    const labelled = rows.filter((row) => row[li] !== null);
    return labelled.length === 0 ? null : labelled.filter((row) => row[li] === positiveLabel).length / labelled.length;
  };
  return {
    records: n,
    labelColumn,
    positiveLabel: positiveLabel ?? null,
    labels: labelsOf(table.rows),
    positiveRate: rateOf(table.rows),
    attributes: sensitiveColumns.map((column) => {
      const si = table.columns.indexOf(column);
      const groups = distinct(table.rows, si).map((value) => {
        const rows = table.rows.filter((row) => row[si] === value);
        return { value, count: rows.length, share: rows.length / n, labels: labelsOf(rows), positiveRate: rateOf(rows) };
      });
      const rated = groups.filter((g) => g.positiveRate !== null);
      if (rated.length === 0) return { column, groups, positiveRateDifference: null, positiveRateRatio: null, highest: null, lowest: null };
      const rates = rated.map((g) => g.positiveRate!);
      const max = Math.max(...rates);
      const min = Math.min(...rates);
      const highest = rated.find((g) => g.positiveRate === max)!;
      const lowest = rated.find((g) => g.positiveRate === min)!;
      return {
        column,
        groups,
        positiveRateDifference: max - min,
        positiveRateRatio: max === 0 ? null : min / max,
        highest: { value: highest.value, positiveRate: max },
        lowest: { value: lowest.value, positiveRate: min },
      };
    }),
  };
}

describe(LabelBalanceAccumulator.name, () => {
  const table: Table = {
    columns: ['sex', 'race', 'approved'],
    rows: [
      ['F', 'A', 'yes'],
      ['F', 'A', 'no'],
      ['F', 'B', 'no'],
      ['F', null, null],
      ['M', 'A', 'yes'],
      ['M', 'B', 'yes'],
      ['M', 'B', 'yes'],
      ['M', 'B', 'no'],
    ],
  };

  it('reports per-group label rates and the disparity of a hand-worked table', () => {
    const result = labelBalance(table, 'approved', ['sex', 'race'], 'yes');
    expect(result.records).toBe(8);
    expect(result.labels).toEqual([
      { label: null, count: 1, rate: 1 / 8 },
      { label: 'no', count: 3, rate: 3 / 8 },
      { label: 'yes', count: 4, rate: 4 / 8 },
    ]);
    expect(result.positiveRate).toBeCloseTo(4 / 7, 12); // the unlabelled record is not a "no"

    const [sex, race] = result.attributes;
    expect(sex!.groups).toEqual([
      {
        value: 'F',
        count: 4,
        share: 0.5,
        labels: [
          { label: null, count: 1, rate: 0.25 },
          { label: 'no', count: 2, rate: 0.5 },
          { label: 'yes', count: 1, rate: 0.25 },
        ],
        positiveRate: 1 / 3,
      },
      {
        value: 'M',
        count: 4,
        share: 0.5,
        labels: [
          { label: 'no', count: 1, rate: 0.25 },
          { label: 'yes', count: 3, rate: 0.75 },
        ],
        positiveRate: 0.75,
      },
    ]);
    expect(sex!.positiveRateDifference).toBeCloseTo(0.75 - 1 / 3, 12);
    expect(sex!.positiveRateRatio).toBeCloseTo(4 / 9, 12); // fails the four-fifths rule
    expect(sex!.highest).toEqual({ value: 'M', positiveRate: 0.75 });
    expect(sex!.lowest).toEqual({ value: 'F', positiveRate: 1 / 3 });

    // The missing race is a group of its own; with no labelled record it has no rate and is left out of the disparity.
    expect(race!.groups.map((g) => [g.value, g.count, g.positiveRate])).toEqual([
      [null, 1, null],
      ['A', 3, 2 / 3],
      ['B', 4, 0.5],
    ]);
    expect(race!.positiveRateDifference).toBeCloseTo(1 / 6, 12);
    expect(race!.positiveRateRatio).toBeCloseTo(0.75, 12);
  });

  it('reports distributions without rates when no positive label is given', () => {
    const result = labelBalance(table, 'approved', ['sex']);
    expect(result.positiveLabel).toBeNull();
    expect(result.positiveRate).toBeNull();
    expect(result.attributes[0]).toMatchObject({ positiveRateDifference: null, positiveRateRatio: null, highest: null, lowest: null });
    expect(result.attributes[0]!.groups[0]!.labels).toHaveLength(3);
  });

  it('has no ratio when no group has a positive label', () => {
    const result = labelBalance(table, 'approved', ['sex'], 'maybe');
    expect(result.attributes[0]).toMatchObject({ positiveRateDifference: 0, positiveRateRatio: null });
  });

  it('streams rows and refuses unknown columns', () => {
    const accumulator = new LabelBalanceAccumulator(table.columns, 'approved', ['sex', 'race'], 'yes');
    table.rows.forEach((row) => accumulator.add(row));
    expect(accumulator.result()).toEqual(labelBalance(table, 'approved', ['sex', 'race'], 'yes'));
    expect(() => new LabelBalanceAccumulator(table.columns, 'outcome', ['sex'])).toThrow(/"outcome" is not in the table/);
    expect(() => accumulator.add(['F', 'A'])).toThrow(RangeError);
    expect(accumulator.result().records).toBe(table.rows.length);
  });

  it('agrees with a naive implementation on random tables', () => {
    const cell = (alphabet: string[]) => fc.oneof(fc.constantFrom(...alphabet), fc.constant(null));
    const arbTable = fc.array(fc.tuple(cell(['a', 'b', 'null']), cell(['x', 'y', 'z']), cell(['0', '1', '2'])), { maxLength: 80 });
    fc.assert(
      fc.property(arbTable, fc.subarray(['g1', 'g2']), fc.option(fc.constantFrom('0', '1', '2'), { nil: undefined }), (rows, sensitive, positive) => {
        const random: Table = { columns: ['g1', 'g2', 'label'], rows };
        const actual = labelBalance(random, 'label', sensitive, positive);
        const expected = naiveBalance(random, 'label', sensitive, positive);
        // Same formulas, same order of operations for the rates: exact equality is expected.
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
