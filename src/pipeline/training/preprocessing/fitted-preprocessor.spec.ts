import fc from 'fast-check';
import type { Row, Table } from '../../datasets/table';
import { FittedPreprocessor } from './fitted-preprocessor';
import { PreprocessingError } from './preprocessing.error';
import { fitPreprocessor } from './preprocessor.fitter';

const TRAIN: Table = {
  columns: ['age', 'colour', 'outcome'],
  rows: [
    ['20', 'red', 'no'],
    ['30', 'blue', 'yes'],
    ['40', 'red', 'no'],
  ],
};

describe(FittedPreprocessor.name, () => {
  it('encodes a category unseen in training as all zeros and counts it', () => {
    const prep = fitPreprocessor(TRAIN, { label: 'outcome' });
    const test: Table = { columns: ['outcome', 'colour', 'age'], rows: [['yes', 'purple', '30']] };
    const out = prep.transform(test);
    expect(out.featureNames).toEqual(['age', 'colour=blue', 'colour=red']);
    expect(Array.from(out.x)).toEqual([0, 0, 0]);
    expect(out.unknownCategories).toEqual({ colour: 1 });
    expect(prep.transformRow({ age: '30', colour: 'purple' })).toEqual({ x: new Float32Array([0, 0, 0]), imputed: [], unknownCategories: ['colour'] });
  });

  it('imputes missing values at inference with the training statistics', () => {
    const prep = fitPreprocessor(TRAIN, { label: 'outcome' });
    const row = prep.transformRow({ age: null, colour: null, ignored: 'x' });
    // Mean 30 → standardised 0; mode red → one-hot red.
    expect(Array.from(row.x)).toEqual([0, 0, 1]);
    expect(row.imputed).toEqual(['age', 'colour']);
    const table = prep.transform({ columns: ['age', 'colour'], rows: [[null, null]] });
    expect(table.y).toBeUndefined();
    expect(table.imputed).toEqual({ age: 1, colour: 1 });
  });

  it('refuses records and tables that lack a feature, and text in a numeric column', () => {
    const prep = fitPreprocessor(TRAIN, { label: 'outcome' });
    expect(() => prep.transformRow({ age: '1' })).toThrow(PreprocessingError);
    expect(() => prep.transform({ columns: ['age'], rows: [] })).toThrow(/colour/);
    expect(() => prep.transformRow({ age: 'old', colour: 'red' })).toThrow(expect.objectContaining({ code: 'PREPROCESSING_NOT_NUMERIC' }) as Error);
    expect(() => prep.transform({ columns: ['age', 'colour', 'outcome'], rows: [['1', 'red', 'maybe']] })).toThrow(
      expect.objectContaining({ code: 'PREPROCESSING_LABEL_UNKNOWN', details: { column: 'outcome', row: 0 } }) as Error,
    );
  });

  // Tables of a numeric column, a categorical one (values from a small alphabet, some missing) and a binary label.
  const cell = (values: fc.Arbitrary<string>) => fc.option(values, { nil: null, freq: 5 });
  const row = fc.tuple(cell(fc.integer({ min: -1000, max: 1000 }).map(String)), cell(fc.constantFrom('a', 'b', 'c', 'd', 'e')), fc.constantFrom('0', '1'));
  const table = (min: number) => fc.array(row, { minLength: min, maxLength: 40 }).map((rows): Table => ({ columns: ['n', 'c', 'y'], rows: rows }));
  // Kinds declared: an all-missing column would otherwise be inferred numeric (vacuously).
  const SPEC = { label: 'y', numeric: ['n'], categorical: ['c'] };
  const twoClasses = (t: Table) => new Set(t.rows.map((r) => r[2])).size === 2;

  it('never lets the test split change what was fitted (property)', () => {
    fc.assert(
      fc.property(table(2).filter(twoClasses), table(0), (train, test) => {
        const prep = fitPreprocessor(train, SPEC);
        const before = prep.digest();
        const out = prep.transform(test);
        expect(prep.digest()).toBe(before);

        // The fitted mean is the training mean: independent of the test split's values.
        const present = train.rows.map((r) => r[0]).filter((v): v is string => v !== null).map(Number);
        const mean = present.length ? present.reduce((a, b) => a + b, 0) / present.length : 0;
        const n = prep.state.features[0];
        expect(n?.kind === 'numeric' ? n.fill : NaN).toBeCloseTo(mean, 9);

        // The vocabulary is exactly the training categories; test-only ones encode to nothing.
        const trainCategories = new Set(train.rows.map((r) => r[1]).filter((v): v is string => v !== null));
        const c = prep.state.features[1];
        const vocabulary = c?.kind === 'categorical' ? c.categories : [];
        expect(new Set(vocabulary)).toEqual(trainCategories);
        const width = prep.featureCount;
        test.rows.forEach((r, i) => {
          const category = r[1] ?? null;
          if (category !== null && !trainCategories.has(category)) {
            expect(Array.from(out.x.subarray(i * width + 1, (i + 1) * width))).toEqual(new Array(width - 1).fill(0));
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('fits the same preprocessor whatever the order of the training rows (property)', () => {
    fc.assert(
      fc.property(table(2).filter(twoClasses), fc.integer(), (train, seed) => {
        const shuffled = [...train.rows].sort((a, b) => ((seed ^ hash(a)) >>> 0) - ((seed ^ hash(b)) >>> 0));
        expect(fitPreprocessor({ ...train, rows: shuffled }, SPEC).digest()).toBe(fitPreprocessor(train, SPEC).digest());
      }),
      { numRuns: 100 },
    );
  });
});

function hash(row: Row): number {
  let h = 0;
  for (const ch of row.join('|')) h = Math.imul(h, 31) + (ch.codePointAt(0) ?? 0);
  return h;
}
