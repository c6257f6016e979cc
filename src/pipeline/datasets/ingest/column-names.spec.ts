import { defaultColumnNames, uniqueColumnNames } from './column-names';

describe(uniqueColumnNames.name, () => {
  it('suffixes later duplicates, avoiding names already in the header', () => {
    expect(uniqueColumnNames(['a', 'a', 'a_2', 'b', 'a'], 'rename')).toEqual({
      columns: ['a', 'a_3', 'a_2', 'b', 'a_4'],
      renames: [
        { index: 1, from: 'a', to: 'a_3' },
        { index: 4, from: 'a', to: 'a_4' },
      ],
    });
  });

  it('names empty header cells by position', () => {
    expect(uniqueColumnNames(['', 'x', 'c1'], 'rename')).toEqual({
      columns: ['c1_2', 'x', 'c1'],
      renames: [{ index: 0, from: '', to: 'c1_2' }],
    });
  });

  it('fails on duplicates when asked to, listing them', () => {
    expect(() => uniqueColumnNames(['id', 'score', 'score'], 'error')).toThrow(
      expect.objectContaining({ code: 'DATASET_DUPLICATE_COLUMNS', details: { columns: ['score'] } }) as Error,
    );
  });

  it('leaves unique names alone', () => {
    expect(uniqueColumnNames(defaultColumnNames(3), 'error')).toEqual({ columns: ['c1', 'c2', 'c3'], renames: [] });
  });
});
