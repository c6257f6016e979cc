import type { Table } from '../../datasets/table';
import { FittedPreprocessor } from './fitted-preprocessor';
import { PREPROCESSING_LIMITS } from './preprocessing-spec';
import { PreprocessingError } from './preprocessing.error';
import { fitPreprocessor } from './preprocessor.fitter';

const TRAIN: Table = {
  columns: ['age', 'colour', 'income', 'outcome'],
  rows: [
    ['20', 'red', '100', 'no'],
    ['30', 'blue', null, 'yes'],
    [null, 'red', '300', 'no'],
    ['50', null, '400', 'yes'],
    ['40', 'green', '200', 'no'],
  ],
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof PreprocessingError) return error.code;
    throw error;
  }
  return undefined;
}

describe(fitPreprocessor.name, () => {
  it('infers kinds, sorts vocabularies and names the encoded features stably', () => {
    const prep = fitPreprocessor(TRAIN, { label: 'outcome' });
    expect(prep.featureNames).toEqual(['age', 'colour=blue', 'colour=green', 'colour=red', 'income']);
    expect(prep.state.features.map((f) => f.kind)).toEqual(['numeric', 'categorical', 'numeric']);
    // Same data, same spec → the same names and the same digest, run after run.
    expect(fitPreprocessor(TRAIN, { label: 'outcome' }).digest()).toBe(prep.digest());
    expect(prep.digest()).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('fits mean imputation and standardisation on the imputed training column', () => {
    const prep = fitPreprocessor(TRAIN, { label: 'outcome' });
    const age = prep.state.features[0];
    expect(age).toMatchObject({ kind: 'numeric', imputation: 'mean', fill: 35, center: 35 });
    // Population std of [20, 30, 35, 50, 40].
    const values = [20, 30, 35, 50, 40];
    const std = Math.sqrt(values.reduce((s, v) => s + (v - 35) ** 2, 0) / values.length);
    expect(age?.kind === 'numeric' && age.scale).toBeCloseTo(std, 12);
  });

  it('fits median and mode, ties to the first category in sort order', () => {
    const prep = fitPreprocessor(TRAIN, { label: 'outcome', imputation: { numeric: 'median', categorical: 'mode' }, scaling: 'none' });
    expect(prep.state.features[0]).toMatchObject({ fill: 35, center: 0, scale: 1 });
    expect(prep.state.features[1]).toMatchObject({ fill: 'red', missingSlot: false });
    const tied = fitPreprocessor({ columns: ['c', 'y'], rows: [['b', '0'], ['a', '1'], ['b', '0'], ['a', '1']] }, { label: 'y' });
    expect(tied.state.features[0]).toMatchObject({ fill: 'a' });
  });

  it('gives missing values their own slot under missing-category, only when training had some', () => {
    const prep = fitPreprocessor(TRAIN, { label: 'outcome', imputation: { categorical: 'missing-category' } });
    expect(prep.featureNames).toContain('colour=__missing__');
    const complete = fitPreprocessor({ ...TRAIN, rows: TRAIN.rows.filter((r) => r[1] !== null) }, { label: 'outcome', imputation: { categorical: 'missing-category' } });
    expect(complete.featureNames).not.toContain('colour=__missing__');
  });

  it('honours declared kinds over inference', () => {
    const prep = fitPreprocessor(TRAIN, { label: 'outcome', categorical: ['age'], features: ['income', 'age'] });
    expect(prep.featureNames).toEqual(['income', 'age=20', 'age=30', 'age=40', 'age=50']);
    expect(codeOf(() => fitPreprocessor(TRAIN, { label: 'outcome', numeric: ['colour'] }))).toBe('PREPROCESSING_NOT_NUMERIC');
  });

  it('encodes binary labels with the greater class positive by default, or the one named', () => {
    expect(fitPreprocessor(TRAIN, { label: 'outcome' }).outputClasses).toEqual(['no', 'yes']);
    const prep = fitPreprocessor(TRAIN, { label: 'outcome', positiveLabel: 'no' });
    expect(prep.outputClasses).toEqual(['yes', 'no']);
    expect(Array.from(prep.transform(TRAIN).y ?? [])).toEqual([1, 0, 1, 0, 1]);
    expect(codeOf(() => fitPreprocessor(TRAIN, { label: 'outcome', positiveLabel: 'maybe' }))).toBe('PREPROCESSING_SPEC_INVALID');
  });

  it('encodes multiclass labels as indices of the numerically sorted classes', () => {
    const table: Table = { columns: ['x', 'digit'], rows: [['1', '10'], ['2', '9'], ['3', '2'], ['4', '9']] };
    const prep = fitPreprocessor(table, { label: 'digit' });
    expect(prep.outputClasses).toEqual(['2', '9', '10']);
    const { y } = prep.transform(table);
    expect(y).toBeInstanceOf(Int32Array);
    expect(Array.from(y ?? [])).toEqual([2, 1, 0, 1]);
    expect(prep.decodeLabel(2)).toBe('10');
  });

  it('refuses what it cannot fit, citing rows and columns but never values', () => {
    expect(codeOf(() => fitPreprocessor({ columns: ['x', 'y'], rows: [] }, { label: 'y' }))).toBe('PREPROCESSING_NO_ROWS');
    expect(codeOf(() => fitPreprocessor({ columns: ['x', 'y'], rows: [['1', 'a'], ['2', 'a']] }, { label: 'y' }))).toBe('PREPROCESSING_LABEL_SINGLE_CLASS');
    let error: unknown;
    try {
      fitPreprocessor({ columns: ['x', 'y'], rows: [['1', 'a'], ['secret', 'b']] }, { label: 'y', numeric: ['x'] });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'PREPROCESSING_NOT_NUMERIC', details: { column: 'x', row: 1 } });
    expect(String((error as Error).message)).not.toContain('secret');
    expect(codeOf(() => fitPreprocessor({ columns: ['x', 'y'], rows: [['1', null], ['2', 'b']] }, { label: 'y' }))).toBe('PREPROCESSING_LABEL_MISSING');
    const ids: Table = { columns: ['id', 'y'], rows: Array.from({ length: PREPROCESSING_LIMITS.categoriesPerColumn + 1 }, (_, i) => [`id-${i}`, String(i % 2)]) };
    expect(codeOf(() => fitPreprocessor(ids, { label: 'y' }))).toBe('PREPROCESSING_TOO_MANY_CATEGORIES');
    const clash: Table = { columns: ['c', 'y'], rows: [['__missing__', '0'], [null, '1']] };
    expect(codeOf(() => fitPreprocessor(clash, { label: 'y', imputation: { categorical: 'missing-category' } }))).toBe('PREPROCESSING_FEATURE_NAME_COLLISION');
  });

  it('validates a hostile spec: unknown fields, unknown columns, contradictions', () => {
    let error: unknown;
    try {
      fitPreprocessor(TRAIN, {
        label: 'outcome',
        features: ['age', 'outcome', 'nope'],
        numeric: ['colour'],
        categorical: ['colour'],
        scaling: 'minmax',
        extra: 1,
      } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PreprocessingError);
    const paths = (error as PreprocessingError).details.problems?.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/extra', '/features/2', '/features', '/scaling', '/categorical', '/numeric/0']));
  });

  it('round-trips through JSON and refuses a tampered state', () => {
    const prep = fitPreprocessor(TRAIN, { label: 'outcome' });
    const restored = FittedPreprocessor.fromJSON(JSON.parse(JSON.stringify(prep)));
    expect(restored.digest()).toBe(prep.digest());
    expect(Array.from(restored.transform(TRAIN).x)).toEqual(Array.from(prep.transform(TRAIN).x));
    const tampered = prep.toJSON();
    tampered.featureNames = [...tampered.featureNames].reverse();
    expect(codeOf(() => FittedPreprocessor.fromJSON(tampered))).toBe('PREPROCESSING_STATE_INVALID');
    expect(codeOf(() => FittedPreprocessor.fromJSON({ ...prep.toJSON(), version: 99 }))).toBe('PREPROCESSING_STATE_INVALID');
  });
});
