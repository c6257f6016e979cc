import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DifferentialPrivacyError } from './differential-privacy.error';
import { PUBLISHED_STEP_RDP } from './published-epsilons.fixture';
import { composeRdp, computeRdp, stepRdp } from './rdp.accountant';
import { DEFAULT_RDP_ORDERS } from './rdp-orders';

// The shared reference folder sits beside the repository root (/work/shared next to /work/main).
const REFERENCE = path.resolve(__dirname, '../../../..', '../shared/reference/dp-sgd-epsilons.json');
const present = existsSync(REFERENCE);

/** A second, plain implementation: A_α = Σ C(α, i)(1−q)^(α−i) q^i e^((i²−i)/2σ²) in doubles, for small α. */
function bruteForceRdp(q: number, sigma: number, alpha: number): number {
  let a = 0;
  let binomial = 1;
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) binomial = (binomial * (alpha - i + 1)) / i;
    a += binomial * (1 - q) ** (alpha - i) * q ** i * Math.exp((i * i - i) / (2 * sigma * sigma));
  }
  return Math.log(a) / (alpha - 1);
}

/**
 * An independent route for ANY order, straight from the definition (Mironov et al. 2019, §3):
 * A_α = E_{z ~ N(0, σ²)} [(1 − q + q·e^((2z − 1)/2σ²))^α], by the trapezoid rule in log space
 * (the integrand is smooth and Gaussian-tailed, so the rule converges fast).
 */
function integratedRdp(q: number, sigma: number, alpha: number): number {
  const [low, high, n] = [-14 * sigma, alpha + 14 * sigma + 2, 6000];
  const h = (high - low) / n;
  const logIntegrand = (z: number) => {
    const a = Math.log1p(-q);
    const b = Math.log(q) + (2 * z - 1) / (2 * sigma * sigma);
    const mixture = Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
    return (-z * z) / (2 * sigma * sigma) - Math.log(sigma * Math.sqrt(2 * Math.PI)) + alpha * mixture;
  };
  const values = Array.from({ length: n + 1 }, (_, k) => logIntegrand(low + k * h));
  const peak = Math.max(...values);
  const sum = values.reduce((acc, v, k) => acc + (k === 0 || k === n ? 0.5 : 1) * Math.exp(v - peak), 0);
  return (peak + Math.log(sum * h)) / (alpha - 1);
}

function expectSignificant(actual: number, expected: number, digits: number): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThan(0.5 * 10 ** (1 - digits));
}

describe('RDP accountant (sampled Gaussian mechanism)', () => {
  it('reproduces the published per-step RDP to 6 significant digits (in-repo copy)', () => {
    const orders = Object.keys(PUBLISHED_STEP_RDP.values).map(Number);
    const rdp = computeRdp({ sampleRate: PUBLISHED_STEP_RDP.q, noiseMultiplier: PUBLISHED_STEP_RDP.sigma, steps: 1, orders });
    orders.forEach((order, k) => expectSignificant(rdp[k] as number, PUBLISHED_STEP_RDP.values[order] as number, 6));
  });

  (present ? describe : describe.skip)(`published per-step RDP${present ? '' : ' (SKIPPED: ../shared absent)'}`, () => {
    it('matches every per-step value of ../shared/reference/dp-sgd-epsilons.json to 6 significant digits', () => {
      const reference = JSON.parse(readFileSync(REFERENCE, 'utf8')) as { per_step_rdp: { q: number; sigma: number; values: Record<string, number> } };
      const { q, sigma, values } = reference.per_step_rdp;
      const orders = Object.keys(values).map(Number);
      expect(orders.length).toBeGreaterThanOrEqual(5);
      const rdp = computeRdp({ sampleRate: q, noiseMultiplier: sigma, steps: 1, orders });
      orders.forEach((order, k) => expectSignificant(rdp[k] as number, values[String(order)] as number, 6));
    });
  });

  it('equals a brute-force binomial sum at integer orders', () => {
    for (const [q, sigma] of [
      [0.01, 1.1],
      [0.1, 0.8],
      [0.5, 2],
      [0.9, 1.5],
    ] as const) {
      for (let alpha = 2; alpha <= 12; alpha++) expect(stepRdp(q, sigma, alpha)).toBeCloseTo(bruteForceRdp(q, sigma, alpha), 12);
    }
  });

  it.each([
    [256 / 60000, 1.1, 2.5],
    [0.01, 1, 3.3],
    [0.3, 2, 7.5],
    [0.9, 0.8, 2.5],
    [0.05, 0.5, 10.5],
    [0.85, 12, 31.4],
    // q near ½ and a large fractional order: α·ln(1 − q) < −30, where TF Privacy's series stops at
    // its first term and returns a negative RDP.
    [0.479, 92.1, 46.48],
    [0.5357, 20.4, 56.75],
  ])('matches the integral definition at fractional orders: q = %d, σ = %d, α = %d', (q, sigma, alpha) => {
    expectSignificant(stepRdp(q, sigma, alpha), integratedRdp(q, sigma, alpha), 7);
  });

  it('is α / 2σ² without subsampling, 0 without sampling, ∞ without noise', () => {
    for (const alpha of [1.5, 2, 7.3, 32]) {
      expect(stepRdp(1, 1.3, alpha)).toBeCloseTo(alpha / (2 * 1.3 ** 2), 14);
      expect(stepRdp(0, 1.3, alpha)).toBe(0);
      expect(stepRdp(0.01, 0, alpha)).toBe(Infinity);
    }
    expect(computeRdp({ sampleRate: 0.01, noiseMultiplier: 0, steps: 0, orders: [2] })).toEqual([0]);
  });

  it('is continuous across integer orders: the fractional series meets the binomial sum', () => {
    for (const [q, sigma] of [
      [256 / 60000, 1.1],
      [0.05, 0.7],
      [0.3, 4],
    ] as const) {
      for (const alpha of [2, 3, 5, 8, 17]) {
        const at = stepRdp(q, sigma, alpha);
        for (const h of [1e-4, -1e-4]) expect(Math.abs(stepRdp(q, sigma, alpha + h) / at - 1)).toBeLessThan(1e-3);
      }
    }
  });

  it('grows with the order (RDP is non-decreasing in α) over the default orders', () => {
    const rdp = computeRdp({ sampleRate: 0.02, noiseMultiplier: 1, steps: 1 });
    expect(rdp).toHaveLength(DEFAULT_RDP_ORDERS.length);
    rdp.slice(1).forEach((value, k) => expect(value).toBeGreaterThanOrEqual((rdp[k] as number) * (1 - 1e-12)));
  });

  it('composes additively over steps and across curves', () => {
    const orders = [1.5, 2, 10.5, 32];
    const one = computeRdp({ sampleRate: 0.01, noiseMultiplier: 1.1, steps: 1, orders });
    const many = computeRdp({ sampleRate: 0.01, noiseMultiplier: 1.1, steps: 1000, orders });
    many.forEach((value, k) => expect(value).toBeCloseTo(1000 * (one[k] as number), 10));
    expect(composeRdp(one, one, one)).toEqual(one.map((v) => v + v + v));
    expect(() => composeRdp(one, [1])).toThrow(DifferentialPrivacyError);
  });

  it.each([
    [{ sampleRate: 1.5, noiseMultiplier: 1, steps: 1 }, 'DP_PARAMETER_INVALID', 'sampleRate'],
    [{ sampleRate: 0.1, noiseMultiplier: -1, steps: 1 }, 'DP_PARAMETER_INVALID', 'noiseMultiplier'],
    [{ sampleRate: 0.1, noiseMultiplier: Infinity, steps: 1 }, 'DP_PARAMETER_INVALID', 'noiseMultiplier'],
    [{ sampleRate: 0.1, noiseMultiplier: 1, steps: 1.5 }, 'DP_PARAMETER_INVALID', 'steps'],
    [{ sampleRate: 0.1, noiseMultiplier: 1, steps: 1, orders: [2, 1] }, 'DP_ORDERS_INVALID', 'orders[1]'],
    [{ sampleRate: 0.1, noiseMultiplier: 1, steps: 1, orders: [] }, 'DP_ORDERS_INVALID', 'orders'],
    [{ sampleRate: Number.NaN, noiseMultiplier: 1, steps: 1 }, 'DP_PARAMETER_INVALID', 'sampleRate'],
  ])('refuses %j with %s', (options, code, parameter) => {
    try {
      computeRdp(options);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DifferentialPrivacyError);
      expect(error).toMatchObject({ code, details: { parameter } });
    }
  });
});
