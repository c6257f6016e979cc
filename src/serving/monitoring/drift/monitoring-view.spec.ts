import { buildMonitoringBaseline } from './baseline';
import { monitoringView, UNKNOWN_CATEGORY } from './monitoring-view';

describe(monitoringView.name, () => {
  const baseline = buildMonitoringBaseline({
    training: { columns: ['x', 'colour', 'sex'], rows: Array.from({ length: 10 }, (_, i) => [String(i + 1), i % 2 ? 'red' : 'blue', i % 2 ? 'f' : 'm']) },
    features: [
      { kind: 'numeric', column: 'x', imputation: 'mean', fill: 0, scaling: 'none', center: 0, scale: 1 },
      { kind: 'categorical', column: 'colour', imputation: 'mode', categories: ['blue', 'red'], fill: 'blue', missingSlot: false },
    ],
    classes: ['no', 'yes'],
    trainingPredictions: new Array<string>(10).fill('no'),
    groupAttributes: ['sex'],
    quantiles: 10,
  });

  it('logs the bucket of a number (number of edges below it), the category, and the group values', () => {
    expect(baseline.features[0]).toMatchObject({ edges: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect(monitoringView(baseline, { x: 1, colour: 'red', sex: 'f', other: 'ignored' }, ['sex'])).toEqual({ f: { x: 0, colour: 'red' }, g: { sex: 'f' } });
    expect(monitoringView(baseline, { x: ' 4.5 ', colour: 'blue', sex: 'm' }, ['sex']).f.x).toBe(4);
    expect(monitoringView(baseline, { x: '4', colour: 'blue', sex: 'm' }, ['sex']).f.x).toBe(3);
    expect(monitoringView(baseline, { x: 9.0001, colour: 'blue', sex: 'm' }, ['sex']).f.x).toBe(9);
    expect(monitoringView(baseline, { x: -50, colour: 'blue', sex: 'm' }, ['sex']).f.x).toBe(0);
  });

  it('logs missing values as null, unseen categories as the unknown marker, and absent group attributes as missing', () => {
    expect(monitoringView(baseline, { x: null, colour: 'purple', sex: null }, ['sex', 'age_band'])).toEqual({
      f: { x: null, colour: UNKNOWN_CATEGORY },
      g: { sex: null, age_band: null },
    });
    expect(monitoringView(baseline, { x: 2, colour: 7, sex: 1 }, ['sex'])).toEqual({ f: { x: 1, colour: UNKNOWN_CATEGORY }, g: { sex: '1' } });
  });

  it('refuses a numeric value that is not a finite number, and a record without a feature, never quoting the value', () => {
    expect(() => monitoringView(baseline, { x: 'secret-text', colour: 'red' }, [])).toThrow(/field "x" is numeric; its value is not a finite number/);
    expect(() => monitoringView(baseline, { x: 'secret-text', colour: 'red' }, [])).not.toThrow(/secret/);
    expect(() => monitoringView(baseline, { x: Number.POSITIVE_INFINITY, colour: 'red' }, [])).toThrow(TypeError);
    expect(() => monitoringView(baseline, { x: 1 }, [])).toThrow(/no field "colour"/);
  });
});
