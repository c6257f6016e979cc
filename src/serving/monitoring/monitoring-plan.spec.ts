import { evidencePlan, parsePlan, windowMs } from './monitoring-plan';

describe('monitoring plans', () => {
  it('reads window durations with a fixed length only, from one minute to 366 days', () => {
    expect(windowMs('PT1M')).toBe(60_000);
    expect(windowMs('P1DT2H')).toBe(26 * 3_600_000);
    expect(windowMs('P2W')).toBe(14 * 86_400_000);
    for (const bad of ['P1M', 'P1Y', 'PT59S', 'P367D', 'P', 'PT', '1D', 'P1.5D']) expect(windowMs(bad)).toBeUndefined();
  });

  it('fills defaults for an empty plan and maps it to the evidence document’s plan', () => {
    const parsed = parsePlan({});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.plan).toEqual({
      decisionLogging: true,
      window: 'P7D',
      minSamples: 100,
      features: null,
      groupAttributes: null,
      thresholds: { psi: 0.2, ks: 0.1, predictionRateDelta: 0.1, groupPredictionRateDelta: 0.1, accuracyDrop: 0.05 },
    });
    expect(evidencePlan({ ...parsed.value.plan, thresholds: { ...parsed.value.plan.thresholds, ks: null }, webhooks: [] }, ['income'])).toEqual({
      decisionLogging: true,
      features: ['income'],
      window: 'P7D',
      thresholds: [
        { metric: 'psi', value: 0.2 },
        { metric: 'prediction_rate_delta', value: 0.1 },
        { metric: 'group_prediction_rate_delta', value: 0.1 },
        { metric: 'accuracy_drop', value: 0.05 },
      ],
      groupDrift: true,
      webhooks: 0,
    });
  });

  it('names every problem of a hostile plan', () => {
    const parsed = parsePlan({
      window: 'P1M',
      minSamples: 0,
      features: [],
      thresholds: { psi: -1, nope: 1 },
      webhooks: [{ url: 'ftp://x', secret: 'short' }],
      extra: true,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.path).sort()).toEqual(
      ['/extra', '/window', '/minSamples', '/features', '/thresholds/psi', '/thresholds/nope', '/webhooks/0/url', '/webhooks/0/secret'].sort(),
    );
  });
});
