import seedrandom from 'seedrandom';
import type { FeatureState } from '../../../pipeline/training/preprocessing';
import { buildMonitoringBaseline, MISSING_GROUP, type MonitoringBaseline } from './baseline';
import { normalSample } from './drift.fixture';
import { monitoringView, type MonitoringRecord } from './monitoring-view';
import { assessWindow, type LoggedPrediction, type MonitoringMetric, type WindowInput } from './window-assessment';

const numeric = (column: string): FeatureState => ({ kind: 'numeric', column, imputation: 'mean', fill: 0, scaling: 'none', center: 0, scale: 1 });
const categorical = (column: string, categories: string[]): FeatureState => ({
  kind: 'categorical',
  column,
  imputation: 'mode',
  categories,
  fill: categories[0]!,
  missingSlot: false,
});

const COLUMNS = ['x', 'z', 'colour', 'city', 'sex'];
const FEATURES = [numeric('x'), numeric('z'), categorical('colour', ['blue', 'green', 'red']), categorical('city', ['a', 'b', 'c'])];
const FEATURE_COLUMNS = FEATURES.map((f) => f.column);

interface Shift {
  /** Added to the mean of x (sd 1). */
  x?: number;
  /** Shares of blue, green, red. */
  colour?: readonly number[];
}

/** n seeded records: x ~ N(0, 1), z ~ N(10, 2) (as numeric text), colour and city drawn by share, sex with 2 % missing. */
function population(seed: string, n: number, shift: Shift = {}): MonitoringRecord[] {
  const uniform = seedrandom(`${seed}/categories`);
  const pick = (values: readonly string[], shares: readonly number[]): string => {
    let u = uniform();
    const i = shares.findIndex((share) => (u -= share) < 0);
    return values[i < 0 ? values.length - 1 : i]!;
  };
  const x = normalSample(`${seed}/x`, n, shift.x ?? 0);
  const z = normalSample(`${seed}/z`, n, 10, 2);
  return x.map((value, i) => ({
    x: value,
    z: String(z[i]),
    colour: pick(['blue', 'green', 'red'], shift.colour ?? [0.2, 0.3, 0.5]),
    city: pick(['a', 'b', 'c'], [1 / 3, 1 / 3, 1 / 3]),
    sex: uniform() < 0.02 ? null : pick(['f', 'm'], [0.5, 0.5]),
  }));
}

const predict = (record: MonitoringRecord): string => ((record.x as number) > 0.3 ? 'yes' : 'no');

function baselineOf(records: readonly MonitoringRecord[]): MonitoringBaseline {
  return buildMonitoringBaseline({
    training: { columns: COLUMNS, rows: records.map((r) => COLUMNS.map((c) => (r[c] === null ? null : String(r[c])))) },
    features: FEATURES,
    classes: ['no', 'yes'],
    trainingPredictions: records.map(predict),
    groupAttributes: ['sex'],
  });
}

function logged(baseline: MonitoringBaseline, records: readonly MonitoringRecord[]): LoggedPrediction[] {
  return records.map((record) => ({ view: monitoringView(baseline, record, ['sex']), label: predict(record), outcome: null }));
}

const summary = (metrics: readonly MonitoringMetric[]) => metrics.map((m) => `${m.metric}:${m.target}`);

describe(assessWindow.name, () => {
  const baseline = baselineOf(population('training', 5000));
  const window = (predictions: LoggedPrediction[], overrides: Partial<WindowInput> = {}): WindowInput => ({
    baseline,
    predictions,
    features: FEATURE_COLUMNS,
    groupAttributes: [],
    thresholds: { psi: 0.2, ks: 0.1 },
    minSamples: 100,
    ...overrides,
  });

  it('does not flag a window drawn from the training distribution', () => {
    const result = assessWindow(window(logged(baseline, population('live-same', 2000))));
    expect(result).toMatchObject({ samples: 2000, outcomes: 0 });
    expect(summary(result.metrics)).toEqual(['psi:x', 'psi:z', 'psi:colour', 'psi:city', 'ks:x', 'ks:z']);
    for (const metric of result.metrics) {
      expect(metric.value).toBeLessThan(metric.metric === 'psi' ? 0.1 : 0.05);
      expect(metric).toMatchObject({ breached: false, samples: 2000 });
      expect(metric.insufficient).toBeUndefined();
    }
    expect(result.metrics[0]!.detail).toEqual({ band: 'stable' });
    expect(result.metrics[4]!.detail).toEqual({ pValue: expect.any(Number), resolution: expect.closeTo(0.01, 12) });
    expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
  });

  it('flags exactly the features whose distribution moved', () => {
    const shifted = population('live-shifted', 2000, { x: 0.5, colour: [0.5, 0.3, 0.2] });
    const { metrics } = assessWindow(window(logged(baseline, shifted)));
    expect(summary(metrics.filter((m) => m.breached))).toEqual(['psi:x', 'psi:colour', 'ks:x']);
    // Expected sizes: decile PSI of N(0.5, 1) against N(0, 1) ≈ 0.238, D = 2Φ(0.25) − 1 ≈ 0.197, colour mix PSI ≈ 0.550.
    expect(metrics.find((m) => m.metric === 'ks' && m.target === 'x')!.value).toBeGreaterThan(0.15);
    expect(metrics.find((m) => m.metric === 'psi' && m.target === 'colour')!.detail).toEqual({ band: 'significant' });
  });

  it('counts missing cells and unseen categories as bins of their own', () => {
    const records = population('live-same', 2000).map((r, i) => ({ ...r, z: i % 4 === 0 ? null : r.z!, city: i % 4 === 1 ? 'd' : r.city! }));
    const { metrics } = assessWindow(window(logged(baseline, records), { features: ['z', 'city'], thresholds: { psi: 0.2 } }));
    expect(summary(metrics.filter((m) => m.breached))).toEqual(['psi:z', 'psi:city']);
  });

  it('reports every metric as insufficient, never breached, below minSamples', () => {
    const shifted = logged(baseline, population('live-small', 50, { x: 3 }));
    const { metrics } = assessWindow(window(shifted, { thresholds: { psi: 0.2, ks: 0.1, predictionRateDelta: 0.1 } }));
    expect(metrics.length).toBe(7);
    for (const metric of metrics) expect(metric).toMatchObject({ breached: false, insufficient: true, samples: 50 });
    expect(metrics.find((m) => m.target === 'x' && m.metric === 'ks')!.value).toBeGreaterThan(0.8);
  });

  it('reports an empty window as insufficient with value 0', () => {
    const { metrics } = assessWindow(window([], { thresholds: { psi: 0.2, predictionRateDelta: 0.1 }, features: ['x'] }));
    expect(metrics).toEqual([
      { metric: 'psi', target: 'x', value: 0, threshold: 0.2, samples: 0, breached: false, insufficient: true, detail: { reason: 'no samples' } },
      {
        metric: 'prediction_rate_delta',
        target: 'class=yes',
        value: 0,
        threshold: 0.1,
        samples: 0,
        breached: false,
        insufficient: true,
        detail: { reason: 'no samples' },
      },
    ]);
  });

  it('reports KS on a column without training values as insufficient', () => {
    const empty = buildMonitoringBaseline({
      training: { columns: ['x'], rows: [[null], [null]] },
      features: [numeric('x')],
      classes: ['no', 'yes'],
      trainingPredictions: ['no', 'no'],
      groupAttributes: [],
    });
    expect(empty.features[0]).toMatchObject({ present: 0, missingShare: 1, edges: [], cdf: [], psiBins: [], psiExpected: [0] });
    const predictions = [1, 2, 3].map((x) => ({ view: monitoringView(empty, { x }, []), label: 'no', outcome: null }));
    const { metrics } = assessWindow({ baseline: empty, predictions, features: ['x'], groupAttributes: [], thresholds: { ks: 0.1 }, minSamples: 1 });
    expect(metrics).toEqual([
      { metric: 'ks', target: 'x', value: 0, threshold: 0.1, samples: 3, breached: false, insufficient: true, detail: { reason: 'no training values' } },
    ]);
  });

  it('refuses views that do not match the baseline, unknown classes and bad thresholds', () => {
    const view = monitoringView(baseline, population('one', 1)[0]!, ['sex']);
    const bad = (f: LoggedPrediction['view']['f']) => window([{ view: { ...view, f: { ...view.f, ...f } }, label: 'no', outcome: null }]);
    expect(() => assessWindow(bad({ x: 1000 }))).toThrow(/prediction 0: the view of "x" does not match the baseline/);
    expect(() => assessWindow(bad({ colour: 'purple' }))).toThrow(/"colour" does not match/);
    expect(() => assessWindow(window([{ view: { f: {}, g: {} }, label: 'no', outcome: null }]))).toThrow(/has no view of "x"/);
    expect(() => assessWindow(window([{ view, label: 'maybe', outcome: null }]))).toThrow(/not one of the model's classes/);
    expect(() => assessWindow(window([], { features: ['age'] }))).toThrow(/not a feature of the baseline/);
    expect(() => assessWindow(window([], { thresholds: { psi: Number.NaN } }))).toThrow(/thresholds.psi/);
  });
});

describe(`${assessWindow.name}: prediction rates`, () => {
  /** `count` rows of group `sex` of which `yes` are predicted yes. */
  const rows = (sex: string | null, count: number, yes: number) => Array.from({ length: count }, (_, i) => ({ sex, label: i < yes ? 'yes' : 'no' }));
  const training = [...rows('f', 500, 150), ...rows('m', 500, 200), ...rows('x', 20, 10), ...rows(null, 10, 5)];
  const baseline = buildMonitoringBaseline({
    training: { columns: ['x', 'sex'], rows: training.map((r, i) => [String(i), r.sex]) },
    features: [numeric('x')],
    classes: ['no', 'yes'],
    trainingPredictions: training.map((r) => r.label),
    groupAttributes: ['sex'],
  });
  const window = (predictions: readonly { sex: string | null; label: string }[]): LoggedPrediction[] =>
    predictions.map(({ sex, label }) => ({ view: monitoringView(baseline, { x: 1, sex }, ['sex']), label, outcome: null }));

  it('flags the group whose positive rate moved by 0.2, and only that group', () => {
    const live = window([...rows('f', 200, 100), ...rows('m', 200, 80), ...rows('x', 5, 5), ...rows('nb', 50, 50)]);
    const { metrics } = assessWindow({
      baseline,
      predictions: live,
      features: [],
      groupAttributes: ['sex', 'unknown'],
      thresholds: { groupPredictionRateDelta: 0.1 },
      minSamples: 30,
    });
    expect(summary(metrics)).toEqual([
      'group_prediction_rate_delta:sex=f/class=yes',
      'group_prediction_rate_delta:sex=m/class=yes',
      'group_prediction_rate_delta:sex=x/class=yes',
    ]);
    const [f, m, x] = metrics;
    expect(f).toMatchObject({ samples: 200, breached: true, threshold: 0.1, detail: { live: 0.5, baseline: 0.3, baselineCount: 500 } });
    expect(f!.value).toBeCloseTo(0.2, 12);
    expect(f!.detail!.delta).toBeCloseTo(0.2, 12);
    expect(f!.insufficient).toBeUndefined();
    expect(m).toMatchObject({ value: 0, samples: 200, breached: false });
    // Moved by 0.5, but 5 < minSamples predictions: reported, never breached.
    expect(x).toMatchObject({ value: 0.5, samples: 5, breached: false, insufficient: true });
  });

  it('groups missing values under MISSING_GROUP and leaves out views logged without the attribute', () => {
    const live = [...window(rows(null, 40, 40)), { view: { f: { x: 0 }, g: {} }, label: 'yes', outcome: null }];
    const { metrics } = assessWindow({
      baseline,
      predictions: live,
      features: [],
      groupAttributes: ['sex'],
      thresholds: { groupPredictionRateDelta: 0.1 },
      minSamples: 30,
    });
    expect(metrics).toEqual([expect.objectContaining({ target: `sex=${MISSING_GROUP}/class=yes`, value: 0.5, samples: 40, breached: true })]);
  });

  it('checks the positive class of a binary model and every class of a multiclass one', () => {
    const live = window(rows('f', 100, 50));
    const binary = assessWindow({ baseline, predictions: live, features: [], groupAttributes: [], thresholds: { predictionRateDelta: 0.1 }, minSamples: 30 });
    // Baseline: 365 of 1030 training predictions are yes.
    expect(binary.metrics).toEqual([
      {
        metric: 'prediction_rate_delta',
        target: 'class=yes',
        value: 0.5 - 365 / 1030,
        threshold: 0.1,
        samples: 100,
        breached: true,
        detail: { delta: 0.5 - 365 / 1030, live: 0.5, baseline: 365 / 1030 },
      },
    ]);
    const multiclass = buildMonitoringBaseline({
      training: { columns: ['x'], rows: [['1'], ['2'], ['3'], ['4']] },
      features: [numeric('x')],
      classes: ['a', 'b', 'c'],
      trainingPredictions: ['a', 'a', 'b', 'c'],
      groupAttributes: [],
    });
    const predictions = ['a', 'b', 'b', 'c'].map((label) => ({ view: { f: { x: 0 }, g: {} }, label, outcome: null }));
    const { metrics } = assessWindow({
      baseline: multiclass,
      predictions,
      features: [],
      groupAttributes: [],
      thresholds: { predictionRateDelta: 0.2 },
      minSamples: 1,
    });
    expect(metrics.map((m) => [m.target, m.value, m.breached])).toEqual([
      ['class=a', 0.25, true],
      ['class=b', 0.25, true],
      ['class=c', 0, false],
    ]);
  });
});

describe(`${assessWindow.name}: accuracy drop`, () => {
  const baselineWith = (test?: { outcomes: string[]; predictions: string[] }) =>
    buildMonitoringBaseline({
      training: { columns: ['x'], rows: [['1'], ['2']] },
      features: [numeric('x')],
      classes: ['no', 'yes'],
      trainingPredictions: ['no', 'yes'],
      groupAttributes: [],
      test: test && { table: { columns: ['y'], rows: test.outcomes.map((o) => [o]) }, predictions: test.predictions, labelColumn: 'y' },
    });
  // Test accuracy 0.8: 8 of 10 correct.
  const baseline = baselineWith({
    outcomes: ['yes', 'yes', 'yes', 'yes', 'yes', 'no', 'no', 'no', 'no', 'no'],
    predictions: ['yes', 'yes', 'yes', 'yes', 'no', 'no', 'no', 'no', 'no', 'yes'],
  });
  /** `withOutcome` of `total` predictions have an outcome; the first `correct` of those are right. */
  const live = (total: number, withOutcome: number, correct: number): LoggedPrediction[] =>
    Array.from({ length: total }, (_, i) => ({ view: { f: { x: 0 }, g: {} }, label: 'yes', outcome: i >= withOutcome ? null : i < correct ? 'yes' : 'no' }));
  const assess = (predictions: LoggedPrediction[], minSamples: number, base = baseline) =>
    assessWindow({ baseline: base, predictions, features: [], groupAttributes: [], thresholds: { accuracyDrop: 0.05 }, minSamples });

  it('compares live accuracy on the predictions with an outcome with the test accuracy', () => {
    const result = assess(live(50, 40, 28), 30);
    expect(result).toMatchObject({ samples: 50, outcomes: 40 });
    expect(result.metrics).toEqual([
      { metric: 'accuracy_drop', target: 'overall', value: 0.8 - 0.7, threshold: 0.05, samples: 40, breached: true, detail: { live: 0.7, baseline: 0.8 } },
    ]);
    expect(assess(live(50, 40, 36), 30).metrics[0]).toMatchObject({ value: 0.8 - 0.9, breached: false });
  });

  it('breaches at a value equal to the threshold', () => {
    // Test accuracy 0.75, live 0.5: a drop of exactly 0.25 in binary floating point.
    const exact = baselineWith({ outcomes: ['yes', 'yes', 'yes', 'no'], predictions: ['yes', 'yes', 'yes', 'yes'] });
    const { metrics } = assessWindow({
      baseline: exact,
      predictions: live(20, 20, 10),
      features: [],
      groupAttributes: [],
      thresholds: { accuracyDrop: 0.25 },
      minSamples: 20,
    });
    expect(metrics[0]).toMatchObject({ value: 0.25, breached: true });
  });

  it('is insufficient with too few outcomes or without a baseline accuracy', () => {
    expect(assess(live(50, 40, 0), 50).metrics[0]).toMatchObject({ value: 0.8, samples: 40, breached: false, insufficient: true });
    expect(assess(live(50, 40, 0), 30, baselineWith()).metrics[0]).toMatchObject({
      value: 0,
      breached: false,
      insufficient: true,
      detail: { reason: 'no baseline accuracy' },
    });
    expect(assess(live(50, 0, 0), 0).metrics[0]).toMatchObject({ samples: 0, insufficient: true, detail: { reason: 'no samples' } });
  });
});
