import type { Table } from '../table';
import { dropColumns } from './column-dropper.transform';

describe('dropColumns', () => {
  const table: Table = {
    columns: ['id', 'name', 'age', 'city'],
    rows: [
      ['1', 'Ann', '34', null],
      ['2', null, '41', 'Lyon'],
    ],
  };

  it('removes the named columns and keeps the rest in order', () => {
    const { outputs, details } = dropColumns(table, { type: 'dropColumns', columns: ['name', 'id'] });
    expect(outputs).toEqual([
      {
        role: 'output',
        table: {
          columns: ['age', 'city'],
          rows: [
            ['34', null],
            ['41', 'Lyon'],
          ],
        },
      },
    ]);
    expect(details).toEqual({ droppedColumns: ['name', 'id'], remainingColumns: 2 });
  });

  it('refuses to leave no column even if called unvalidated', () => {
    expect(() => dropColumns(table, { type: 'dropColumns', columns: [...table.columns] })).toThrow('no column');
  });
});
