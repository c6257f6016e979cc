import fc from 'fast-check';
import type { Table } from '../table';
import { imputeMissing, mean, median, mode } from './imputer.transform';

describe('imputeMissing', () => {
  const table: Table = {
    columns: ['age', 'income', 'city', 'flag'],
    rows: [
      ['1', '10', 'Lyon', null],
      [null, '30', 'Paris', 'y'],
      ['2', null, 'Lyon', null],
      ['6', '20.5', null, 'n'],
      [null, '1e2', 'Paris', null],
    ],
  };

  it('hand-worked: mean, median, mode and constant, fitted on the input and recorded', () => {
    const { outputs, details } = imputeMissing(table, {
      type: 'impute',
      columns: [
        { name: 'age', strategy: 'mean' },
        { name: 'income', strategy: 'median' },
        { name: 'city', strategy: 'mode' },
        { name: 'flag', strategy: 'constant', value: 'unknown' },
      ],
    });
    // age: (1 + 2 + 6) / 3 = 3; income: median of 10, 30, 20.5, 100 = (20.5 + 30) / 2 = 25.25;
    // city: Lyon and Paris tie at 2, Lyon sorts first.
    expect(outputs[0]!.table.rows).toEqual([
      ['1', '10', 'Lyon', 'unknown'],
      ['3', '30', 'Paris', 'y'],
      ['2', '25.25', 'Lyon', 'unknown'],
      ['6', '20.5', 'Lyon', 'n'],
      ['3', '1e2', 'Paris', 'unknown'],
    ]);
    expect(details).toEqual({
      fitted: [
        { column: 'age', strategy: 'mean', value: '3', fittedOn: 3, imputedCells: 2 },
        { column: 'income', strategy: 'median', value: '25.25', fittedOn: 4, imputedCells: 1 },
        { column: 'city', strategy: 'mode', value: 'Lyon', fittedOn: 4, imputedCells: 1 },
        { column: 'flag', strategy: 'constant', value: 'unknown', fittedOn: 2, imputedCells: 3 },
      ],
    });
    expect(table.rows[1]![0]).toBeNull();
  });

  it('writes numbers as shortest round-trip decimals', () => {
    expect(mean([1, 2])).toBe(1.5);
    expect(mean([0.1, 0.2, 0.3])).toBeCloseTo(0.2, 15);
    expect(mean([1e16, 1, -1e16])).toBe(1 / 3);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const t: Table = { columns: ['x'], rows: [['1'], ['2'], [null], ['2']] };
    expect(imputeMissing(t, { type: 'impute', columns: [{ name: 'x', strategy: 'mean' }] }).outputs[0]!.table.rows[2]).toEqual([
      '1.6666666666666667',
    ]);
    expect(
      imputeMissing(t, { type: 'impute', columns: [{ name: 'x', strategy: 'constant', value: 0 }] }).outputs[0]!.table.rows[2],
    ).toEqual(['0']);
  });

  it('breaks mode ties by code-unit order, whatever the row order', () => {
    expect(mode(['b', 'a', 'b', 'a', 'c'])).toBe('a');
    expect(mode(['1.0', '1', '1.0'])).toBe('1.0');
  });

  it('leaves no missing value in imputed columns and changes nothing else', () => {
    const cell = fc.option(fc.integer({ min: -50, max: 50 }).map(String), { freq: 3 });
    const arbTable = fc
      .array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 40 })
      .filter((rows) => rows.some((r) => r[0] !== null) && rows.some((r) => r[1] !== null));
    fc.assert(
      fc.property(arbTable, fc.constantFrom('mean' as const, 'median' as const, 'mode' as const), (rows, strategy) => {
        const input: Table = { columns: ['a', 'b', 'c'], rows };
        const { outputs } = imputeMissing(input, {
          type: 'impute',
          columns: [
            { name: 'a', strategy },
            { name: 'b', strategy: 'mode' },
          ],
        });
        const out = outputs[0]!.table.rows;
        out.forEach((row, i) => {
          expect(row[0]).not.toBeNull();
          expect(row[1]).not.toBeNull();
          expect(row[2]).toBe(rows[i]![2]);
          if (rows[i]![0] !== null) expect(row[0]).toBe(rows[i]![0]);
        });
        const filled = new Set(out.filter((_, i) => rows[i]![0] === null).map((r) => r[0]));
        expect(filled.size).toBeLessThanOrEqual(1);
      }),
    );
  });
});
