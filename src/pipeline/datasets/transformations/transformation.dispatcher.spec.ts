import { randomBytes } from 'node:crypto';
import type { Table } from '../table';
import { applyTransformation } from './transformation.dispatcher';
import { TransformationError } from './transformation.error';
import type { TransformationSpec } from './transformation-spec';

function frozen(table: Table): Table {
  table.rows.forEach((row) => Object.freeze(row));
  Object.freeze(table.rows);
  Object.freeze(table.columns);
  return Object.freeze(table);
}

function captured(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const table = frozen({
  columns: ['id', 'age', 'label'],
  rows: Array.from({ length: 20 }, (_, i) => [String(i), i % 4 === 0 ? null : String(20 + i), i % 2 === 0 ? 'yes' : 'no']),
});

describe('applyTransformation', () => {
  it.each<TransformationSpec>([
    { type: 'split', ratios: { train: 0.8, test: 0.2 }, seed: 'x', stratifyBy: 'label' },
    { type: 'filter', where: { column: 'age', op: 'gte', value: 30 } },
    { type: 'dropColumns', columns: ['age'] },
    { type: 'pseudonymise', columns: ['id'] },
    { type: 'impute', columns: [{ name: 'age', strategy: 'median' }] },
  ])('applies $type without touching the (frozen) input, and records what it did', (spec) => {
    const key = randomBytes(32);
    const { outputs, summary } = applyTransformation(table, spec, { pseudonymisationKey: key });
    expect(summary).toMatchObject({
      type: spec.type,
      algorithm: `assay.${spec.type}/v1`,
      parameters: spec,
      input: { rows: 20, columns: 3 },
      outputs: outputs.map((o) => ({ role: o.role, rows: o.table.rows.length, columns: o.table.columns.length })),
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(JSON.stringify(summary)).not.toContain(key.toString('hex'));
    for (const { table: t } of outputs) expect(t.rows.every((row) => !table.rows.includes(row))).toBe(true);
  });

  it('summarises a split with the row counts per output', () => {
    const { outputs, summary } = applyTransformation(table, { type: 'split', ratios: { train: 0.75, test: 0.25 }, seed: 3 });
    expect(outputs.map((o) => [o.role, o.table.rows.length])).toEqual([
      ['train', 15],
      ['test', 5],
    ]);
    expect(summary).toMatchObject({ seed: 3, rowsPerOutput: { train: 15, test: 5 } });
  });

  it('re-validates the spec against this table', () => {
    const call = (): unknown => applyTransformation(table, { type: 'dropColumns', columns: ['ssn'] });
    expect(call).toThrow(TransformationError);
    expect(call).toThrow('/columns/0 unknown column "ssn"');
    const thrown = captured(() => applyTransformation(table, { type: 'filter', where: { column: 'label', op: 'gt', value: 1 } }));
    expect(thrown).toBeInstanceOf(TransformationError);
    expect((thrown as TransformationError).problems).toEqual([
      { path: '/where/column', message: 'gt needs a numeric column; "label" is not numeric (row 0)' },
    ]);
    expect(() => applyTransformation(table, { type: 'nope' } as unknown as TransformationSpec)).toThrow('invalid "nope" transformation');
  });

  it('refuses ragged tables and duplicate columns', () => {
    expect(() => applyTransformation({ columns: ['a', 'b'], rows: [['1']] }, { type: 'dropColumns', columns: ['a'] })).toThrow(
      'row 0 has 1 cells for 2 columns',
    );
    expect(() => applyTransformation({ columns: ['a', 'a'], rows: [] }, { type: 'dropColumns', columns: ['a'] })).toThrow(
      'duplicate column',
    );
  });

  it('needs the pseudonymisation key from the context', () => {
    expect(() => applyTransformation(table, { type: 'pseudonymise', columns: ['id'] })).toThrow('context.pseudonymisationKey');
  });
});
