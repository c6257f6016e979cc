import type { MetricEstimate } from '../../../pipeline/evaluation';
import { metricValue, metricValues, pointValue } from './metric-value';

const ci = { lower: 0.7, upper: 0.8, level: 0.95, method: 'percentile' as const, resamples: 1000, undefinedResamples: 3 };

describe(metricValue.name, () => {
  it('maps each form of MetricEstimate: with an interval, without one, and undefined', () => {
    expect(metricValue('accuracy', { value: 0.75, ci })).toEqual({ name: 'accuracy', value: 0.75, ci });
    expect(metricValue('recall', { value: 0.5, ci: null, ciReason: 'bootstrap-disabled' })).toEqual({ name: 'recall', value: 0.5, ci: null });
    expect(metricValue('rocAuc', { value: null, reason: 'single-class', ci: null })).toEqual({ name: 'rocAuc', value: null, ci: null });
  });

  it('keeps an interval without a count of undefined replicates as it is', () => {
    const { undefinedResamples, ...older } = ci;
    void undefinedResamples;
    expect(metricValue('f1', { value: 0.75, ci: older } as MetricEstimate).ci).toEqual(older);
  });

  it('orders metrics as the evaluation library reports them, whatever the stored key order', () => {
    const estimate: MetricEstimate = { value: 0.5, ci };
    const stored = { logLoss: estimate, zeta: estimate, accuracy: estimate, macroF1: estimate, rocAuc: estimate, alpha: estimate };
    expect(metricValues(stored).map((m) => m.name)).toEqual(['accuracy', 'rocAuc', 'logLoss', 'macroF1', 'alpha', 'zeta']);
  });

  it('reads the point value alone for the fairness figures', () => {
    expect([pointValue({ value: 0.9, ci }), pointValue({ value: null, reason: 'fewer-than-two-groups', ci: null }), pointValue(undefined)]).toEqual([
      0.9,
      null,
      null,
    ]);
  });
});
