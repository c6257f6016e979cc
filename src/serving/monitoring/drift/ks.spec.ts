import type { FeatureState } from '../../../pipeline/training/preprocessing';
import { buildMonitoringBaseline, type NumericProfile } from './baseline';
import { normalSample } from './drift.fixture';
import { binnedKolmogorovSmirnov, kolmogorovSmirnovPValue } from './ks';
import { monitoringView } from './monitoring-view';

const FEATURE: FeatureState = { kind: 'numeric', column: 'x', imputation: 'mean', fill: 0, scaling: 'none', center: 0, scale: 1 };

function profileOf(training: readonly number[], quantiles?: number): NumericProfile {
  const baseline = buildMonitoringBaseline({
    training: { columns: ['x'], rows: training.map((v) => [String(v)]) },
    features: [FEATURE],
    classes: ['no', 'yes'],
    trainingPredictions: training.map(() => 'no'),
    groupAttributes: [],
    quantiles,
  });
  return baseline.features[0] as NumericProfile;
}

/** Live values → bucket counts, through the monitoring view the decision log stores. */
function bucketCounts(profile: NumericProfile, live: readonly number[]): number[] {
  const baseline = { features: [profile] } as Parameters<typeof monitoringView>[0];
  const counts = new Array<number>(profile.edges.length + 1).fill(0);
  for (const value of live) {
    const bucket = monitoringView(baseline, { x: value }, []).f.x as number;
    counts[bucket] = counts[bucket]! + 1;
  }
  return counts;
}

/** The two-sample KS statistic from the raw values: sup over x of |F_a(x) − F_b(x)|, evaluated after each distinct value. */
function exactD(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

describe(binnedKolmogorovSmirnov.name, () => {
  const training = normalSample('ks-train', 5000);
  // Reference: the samples of this spec dumped as JSON (train, same, shifted), then
  //   from scipy.stats import ks_2samp; r = ks_2samp(train, live, method='asymp'); r.statistic, r.pvalue
  const SCIPY = {
    same: { live: normalSample('ks-live-same', 2000), d: 0.02939999999999998, p: 0.16572012568037864 },
    shifted: { live: normalSample('ks-live-shifted', 2000, 0.1), d: 0.0408, p: 0.016695316772521757 },
  };

  it.each(Object.entries(SCIPY))('stays within the documented bound of the exact statistic (%s, n = 5000 vs 2000)', (_, { live, d, p }) => {
    const dExact = exactD(training, live);
    expect(dExact).toBeCloseTo(d, 12);
    const profile = profileOf(training);
    const ks = binnedKolmogorovSmirnov(profile, bucketCounts(profile, live));
    expect(ks.samples).toBe(2000);
    expect(ks.statistic).toBeLessThanOrEqual(dExact + 1e-12);
    expect(dExact - ks.statistic).toBeLessThanOrEqual(ks.resolution + 1e-12);
    expect(ks.resolution).toBeLessThanOrEqual(1 / 100 + 1e-9);
    expect(Math.abs(ks.statistic - dExact)).toBeLessThanOrEqual(1 / 100 + 1e-9);
    expect(Math.abs(kolmogorovSmirnovPValue(dExact, 5000, 2000) - p)).toBeLessThanOrEqual(2e-3);
  });

  it('is exact when every value is an edge (a column of small integers)', () => {
    const training = Array.from({ length: 500 }, (_, i) => i % 5);
    const live = Array.from({ length: 300 }, (_, i) => (i % 7 < 3 ? 0 : i % 5));
    const profile = profileOf(training);
    expect(profile.edges).toEqual([0, 1, 2, 3, 4]);
    const ks = binnedKolmogorovSmirnov(profile, bucketCounts(profile, live));
    expect(ks.statistic).toBeCloseTo(exactD(training, live), 14);
  });

  it('refuses counts that do not match the edges, and empty samples', () => {
    const profile = profileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10);
    expect(() => binnedKolmogorovSmirnov(profile, [1, 2])).toThrow(RangeError);
    expect(() => binnedKolmogorovSmirnov(profile, new Array<number>(profile.edges.length + 1).fill(0))).toThrow(/at least one/);
  });
});

describe(kolmogorovSmirnovPValue.name, () => {
  // [n1, n2, D, p] from
  //   rng = np.random.default_rng(7)
  //   for n1, n2, shift in [(5000, 2000, 0.05), (5000, 200, 0.1), (1000, 100, 0.3), (300, 300, 0.1), (2001, 2001, 0.05), (5000, 30, 0.4), (60, 40, 0.0), (800, 800, 0.25)]:
  //       r = scipy.stats.ks_2samp(rng.normal(0, 1, n1), rng.normal(shift, 1, n2), method='asymp'); print(n1, n2, r.statistic, r.pvalue)
  // (2001 vs 2001: effective size 1000.5, which scipy rounds half to even.)
  const SCIPY_ASYMP = [
    [5000, 2000, 0.03759999999999997, 0.0342831578622218],
    [5000, 200, 0.06799999999999995, 0.3224588030043165],
    [1000, 100, 0.15799999999999997, 0.018861672010633587],
    [300, 300, 0.08333333333333331, 0.23515069145122736],
    [2001, 2001, 0.029485257371314355, 0.3428937645324558],
    [5000, 30, 0.1826, 0.2389768562912986],
    [60, 40, 0.13333333333333336, 0.738218159725112],
    [800, 800, 0.10999999999999999, 0.00011378168022901029],
  ] as const;

  it.each(SCIPY_ASYMP)('matches scipy ks_2samp(method=asymp) within 2e-3 (n = %i vs %i, D = %f)', (n1, n2, d, p) => {
    expect(Math.abs(kolmogorovSmirnovPValue(d, n1, n2) - p)).toBeLessThanOrEqual(2e-3);
  });

  it('is 1 at D = 0, falls with D, and refuses empty samples', () => {
    expect(kolmogorovSmirnovPValue(0, 5000, 2000)).toBe(1);
    expect(kolmogorovSmirnovPValue(0.5, 5000, 2000)).toBeLessThan(1e-300);
    expect(kolmogorovSmirnovPValue(0.03, 5000, 2000)).toBeGreaterThan(kolmogorovSmirnovPValue(0.04, 5000, 2000));
    expect(() => kolmogorovSmirnovPValue(0.1, 0, 10)).toThrow(RangeError);
  });
});
