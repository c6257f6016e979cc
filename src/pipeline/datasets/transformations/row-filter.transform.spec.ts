import fc from 'fast-check';
import type { Cell, Row, Table } from '../table';
import { filterRows } from './row-filter.transform';
import type { FilterPredicate, FilterScalar } from './transformation-spec';
import { validateTransformationSpec } from './transformation-spec.validator';

const people: Table = {
  columns: ['name', 'age', 'city'],
  rows: [
    ['Ann', '34', 'Paris'],
    ['Bob', null, 'Lyon'],
    ['Cy', '17', null],
    ['Di', '51.0', 'Paris'],
    ['Ed', ' 8 ', 'Nice'],
  ],
};

function kept(where: unknown, table: Table = people): string[] {
  const validation = validateTransformationSpec({ type: 'filter', where }, table);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  if (validation.spec.type !== 'filter') throw new Error('not a filter');
  return filterRows(table, validation.spec).outputs[0]!.table.rows.map((r) => r[0] as string);
}

describe('filterRows', () => {
  it('hand-worked examples', () => {
    expect(kept({ column: 'city', op: 'eq', value: 'Paris' })).toEqual(['Ann', 'Di']);
    expect(kept({ column: 'age', op: 'eq', value: 51 })).toEqual(['Di']);
    expect(kept({ column: 'age', op: 'eq', value: '51' })).toEqual(['Di']);
    expect(kept({ column: 'age', op: 'gte', value: 18 })).toEqual(['Ann', 'Di']);
    expect(kept({ column: 'age', op: 'lt', value: '10' })).toEqual(['Ed']);
    expect(kept({ column: 'city', op: 'ne', value: 'Paris' })).toEqual(['Bob', 'Ed']);
    expect(kept({ column: 'city', op: 'notIn', value: ['Paris', 'Lyon'] })).toEqual(['Ed']);
    expect(kept({ column: 'city', op: 'in', value: ['Lyon', 'Nice', 3] })).toEqual(['Bob', 'Ed']);
    expect(kept({ column: 'age', op: 'in', value: [8, '34.00'] })).toEqual(['Ann', 'Ed']);
    expect(kept({ column: 'age', op: 'isMissing' })).toEqual(['Bob']);
    expect(kept({ column: 'city', op: 'notMissing' })).toEqual(['Ann', 'Bob', 'Di', 'Ed']);
    expect(
      kept({
        any: [
          { column: 'city', op: 'ne', value: 'Paris' },
          { column: 'city', op: 'isMissing' },
        ],
      }),
    ).toEqual(['Bob', 'Cy', 'Ed']);
    expect(
      kept({
        all: [
          { column: 'age', op: 'gt', value: 10 },
          {
            any: [
              { column: 'city', op: 'eq', value: 'Paris' },
              { column: 'city', op: 'isMissing' },
            ],
          },
        ],
      }),
    ).toEqual(['Ann', 'Cy', 'Di']);
  });

  it('reports kept and dropped rows and copies what it keeps', () => {
    const { outputs, details } = filterRows(people, { type: 'filter', where: { column: 'city', op: 'eq', value: 'Paris' } });
    expect(details).toEqual({ keptRows: 2, droppedRows: 3 });
    expect(outputs[0]!.role).toBe('output');
    expect(outputs[0]!.table.rows[0]).not.toBe(people.rows[0]);
    expect(outputs[0]!.table.columns).not.toBe(people.columns);
  });

  describe('equals a naive filter', () => {
    // Cells mix numbers written several ways, text and missing values; `n` is always numeric.
    const textCell = fc.constantFrom<Cell>('1', '1.0', '01', '2', '-3', '1e1', '10', 'a', 'B', 'a b', '', ' 2 ', null);
    const numCell = fc.option(fc.oneof(fc.integer({ min: -20, max: 20 }).map(String), fc.constantFrom('2.50', '-0', '.5', '1e1')), {
      freq: 5,
    });
    const table = fc.array(fc.tuple(textCell, numCell), { maxLength: 40 }).map((rows): Table => ({ columns: ['t', 'n'], rows }));
    const scalar = fc.oneof(
      fc.constantFrom<FilterScalar>('1', '01', 'a', 'B', '', '2.5', ' 2 '),
      fc.integer({ min: -20, max: 20 }),
      fc.constant(2.5),
    );

    const predicate = fc.letrec<{ node: FilterPredicate }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ column: fc.constantFrom('t', 'n'), op: fc.constantFrom('eq' as const, 'ne' as const), value: scalar }),
        fc.record({
          column: fc.constantFrom('t', 'n'),
          op: fc.constantFrom('in' as const, 'notIn' as const),
          value: fc.array(scalar, { minLength: 1, maxLength: 4 }),
        }),
        fc.record({ column: fc.constantFrom('t', 'n'), op: fc.constantFrom('isMissing' as const, 'notMissing' as const) }),
        fc.record({
          column: fc.constant('n'),
          op: fc.constantFrom('lt' as const, 'lte' as const, 'gt' as const, 'gte' as const),
          value: fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constantFrom('2.5', '-1')),
        }),
        fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      ),
    })).node;

    it('for any table and predicate', () => {
      fc.assert(
        fc.property(table, predicate, (t, where) => {
          const validation = validateTransformationSpec({ type: 'filter', where }, t);
          fc.pre(validation.ok); // deeper-than-limit trees are the validator's business
          const got = filterRows(t, { type: 'filter', where }).outputs[0]!.table.rows;
          expect(got).toEqual(t.rows.filter((row) => naive(where, t.columns, row)));
        }),
        { numRuns: 500 },
      );
    });
  });
});

/** The documented semantics, written out the slow and obvious way. */
function naive(p: FilterPredicate, columns: string[], row: Row): boolean {
  if ('all' in p) return p.all.every((q) => naive(q, columns, row));
  if ('any' in p) return p.any.some((q) => naive(q, columns, row));
  const cell = row[columns.indexOf(p.column)] ?? null;
  if (p.op === 'isMissing') return cell === null;
  if (p.op === 'notMissing') return cell !== null;
  if (cell === null) return false;
  const num = (x: string | number): number | null => {
    if (typeof x === 'number') return x;
    const s = x.trim();
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : null;
  };
  const eq = (v: FilterScalar): boolean => {
    const a = num(cell);
    const b = num(v);
    return a !== null && b !== null ? a === b : cell === String(v);
  };
  switch (p.op) {
    case 'eq':
      return eq(p.value);
    case 'ne':
      return !eq(p.value);
    case 'in':
      return p.value.some(eq);
    case 'notIn':
      return !p.value.some(eq);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const a = num(cell);
      const b = num(p.value);
      if (a === null || b === null) return false;
      return p.op === 'lt' ? a < b : p.op === 'lte' ? a <= b : p.op === 'gt' ? a > b : a >= b;
    }
  }
}
