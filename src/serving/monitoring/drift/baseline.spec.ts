import type { Table } from '../../../pipeline/datasets/table';
import type { FeatureState } from '../../../pipeline/training/preprocessing';
import { buildMonitoringBaseline, MISSING_GROUP, type BaselineInput, type CategoricalProfile, type NumericProfile } from './baseline';
import { normalSample } from './drift.fixture';

const numeric = (column: string): FeatureState => ({ kind: 'numeric', column, imputation: 'mean', fill: 0, scaling: 'none', center: 0, scale: 1 });
const categorical = (column: string, categories: string[]): FeatureState => ({
  kind: 'categorical',
  column,
  imputation: 'missing-category',
  categories,
  fill: null,
  missingSlot: true,
});

// Ten present values with ties at 2, one missing cell.
const TRAINING: Table = {
  columns: ['x', 'colour', 'sex'],
  rows: [
    ['3.5', 'red', 'f'],
    ['-1', 'blue', 'm'],
    ['2', 'red', 'f'],
    ['2', 'red', null],
    ['2', null, 'm'],
    ['7', 'green', 'f'],
    ['0.25', 'red', 'm'],
    ['10', 'blue', 'f'],
    ['2', 'red', 'm'],
    ['4', 'blue', 'constructor'],
    [null, 'red', 'f'],
  ],
};
const PREDICTIONS = ['yes', 'no', 'yes', 'no', 'no', 'yes', 'no', 'yes', 'no', 'no', 'yes'];

function input(overrides: Partial<BaselineInput> = {}): BaselineInput {
  return {
    training: TRAINING,
    features: [numeric('x'), categorical('colour', ['blue', 'green', 'red'])],
    classes: ['no', 'yes'],
    trainingPredictions: PREDICTIONS,
    groupAttributes: ['sex', 'not-a-column'],
    test: {
      table: { columns: ['outcome'], rows: [['yes'], ['no'], ['no'], ['yes']] },
      predictions: ['yes', 'no', 'yes', 'yes'],
      labelColumn: 'outcome',
    },
    quantiles: 10,
    ...overrides,
  };
}

describe(buildMonitoringBaseline.name, () => {
  it('profiles a numeric column by "lower" quantiles with an exact cdf', () => {
    // v = np.array([3.5, -1, 2, 2, 2, 7, 0.25, 10, 2, 4]); e = np.unique(np.quantile(v, np.arange(1, 10) / 10, method='lower'))
    // → [-1, 0.25, 2, 3.5, 4, 7]; [np.mean(v <= x) for x in e] → [.1, .2, .6, .7, .8, .9]
    const x = buildMonitoringBaseline(input()).features[0] as NumericProfile;
    expect(x).toEqual({
      kind: 'numeric',
      column: 'x',
      present: 10,
      missingShare: 1 / 11,
      edges: [-1, 0.25, 2, 3.5, 4, 7],
      cdf: [0.1, 0.2, 0.6, 0.7, 0.8, 0.9],
      psiBins: [-1, 0.25, 2, 3.5, 4, 7],
      psiExpected: [0.1, 0.1, 0.4, 0.1, 0.1, 0.1, 0.1],
    });
  });

  it('profiles a categorical column over its present cells, in the preprocessor order', () => {
    const colour = buildMonitoringBaseline(input()).features[1] as CategoricalProfile;
    expect(colour).toEqual({
      kind: 'categorical',
      column: 'colour',
      present: 10,
      missingShare: 1 / 11,
      categories: ['blue', 'green', 'red'],
      expected: [0.3, 0.1, 0.6],
    });
  });

  it('records prediction rates overall and per group (missing cells as a group), and the test accuracy', () => {
    const baseline = buildMonitoringBaseline(input());
    expect(baseline.predictionRates).toEqual({ no: 6 / 11, yes: 5 / 11 });
    expect(Object.keys(baseline.groups)).toEqual(['sex']);
    expect(baseline.groups.sex).toEqual({
      f: { count: 5, rates: { no: 0, yes: 1 } },
      m: { count: 4, rates: { no: 1, yes: 0 } },
      [MISSING_GROUP]: { count: 1, rates: { no: 1, yes: 0 } },
      constructor: { count: 1, rates: { no: 1, yes: 0 } },
    });
    expect(baseline).toMatchObject({ accuracy: 0.75, testRows: 4, trainingRows: 11, classes: ['no', 'yes'], quantiles: 10 });
    expect(buildMonitoringBaseline(input({ test: undefined }))).toMatchObject({ accuracy: null, testRows: 0 });
  });

  it('deduplicates the edges of a column with many ties, with an exact cdf', () => {
    const values = Array.from({ length: 100 }, (_, i) => String(i % 5));
    const baseline = buildMonitoringBaseline(
      input({
        training: { columns: ['x'], rows: values.map((v) => [v]) },
        features: [numeric('x')],
        trainingPredictions: values.map(() => 'no'),
        groupAttributes: [],
        quantiles: undefined,
      }),
    );
    expect(baseline.quantiles).toBe(100);
    expect(baseline.features[0]).toMatchObject({
      edges: [0, 1, 2, 3, 4],
      cdf: [0.2, 0.4, 0.6, 0.8, 1],
      psiBins: [0, 1, 2, 3, 4],
      psiExpected: [0.2, 0.2, 0.2, 0.2, 0.2, 0],
    });
  });

  it('gives strictly increasing edges, a non-decreasing cdf and decile PSI cuts among the edges for a continuous column', () => {
    const values = normalSample('baseline', 5000);
    const baseline = buildMonitoringBaseline(
      input({
        training: { columns: ['x'], rows: values.map((v) => [String(v)]) },
        features: [numeric('x')],
        trainingPredictions: values.map(() => 'no'),
        groupAttributes: [],
        quantiles: 100,
      }),
    );
    const x = baseline.features[0] as NumericProfile;
    expect(x.edges).toHaveLength(99);
    x.edges.slice(1).forEach((edge, k) => expect(edge).toBeGreaterThan(x.edges[k]!));
    // No ties: the k-th edge is the ⌊4999·(k+1)/100⌋-th smallest value.
    expect(x.cdf).toEqual(x.edges.map((_, k) => (Math.floor((4999 * (k + 1)) / 100) + 1) / 5000));
    expect(x.psiBins).toEqual(x.edges.filter((_, k) => (k + 1) % 10 === 0));
    expect(x.psiExpected).toEqual(new Array(10).fill(0.1));
    expect(JSON.parse(JSON.stringify(baseline))).toEqual(baseline);
  });

  it('survives a JSON round trip unchanged (−0 included)', () => {
    // Without the `constructor` group: toStrictEqual compares objects' `constructor` properties by identity.
    const rows = [...TRAINING.rows.filter((row) => row[2] !== 'constructor'), ['-0', 'red', 'f']];
    const baseline = buildMonitoringBaseline(input({ training: { ...TRAINING, rows }, trainingPredictions: rows.map(() => 'no') }));
    expect(JSON.parse(JSON.stringify(baseline))).toStrictEqual(baseline);
  });

  it('refuses inconsistent inputs without quoting cell values', () => {
    expect(() => buildMonitoringBaseline(input({ quantiles: 25 }))).toThrow(/multiple of 10/);
    expect(() => buildMonitoringBaseline(input({ trainingPredictions: ['yes'] }))).toThrow(/one prediction per training row/);
    expect(() => buildMonitoringBaseline(input({ trainingPredictions: PREDICTIONS.map(() => 'maybe') }))).toThrow(/not one of the model's classes/);
    expect(() => buildMonitoringBaseline(input({ features: [numeric('colour')] }))).toThrow(/training row 0 is not a number/);
    expect(() => buildMonitoringBaseline(input({ features: [categorical('colour', ['red'])] }))).toThrow(/training row 1 holds a category/);
    expect(() => buildMonitoringBaseline(input({ features: [numeric('age')] }))).toThrow(/no column "age"/);
    const test = { table: { columns: ['outcome'], rows: [[null]] }, predictions: ['yes'], labelColumn: 'outcome' };
    expect(() => buildMonitoringBaseline(input({ test }))).toThrow(/test row 0 has no label/);
  });
});
