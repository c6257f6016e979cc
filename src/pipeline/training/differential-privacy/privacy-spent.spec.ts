import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DifferentialPrivacyError } from './differential-privacy.error';
import { epsilonFromRdp } from './epsilon.converter';
import { computePrivacySpent } from './privacy-spent';
import { PUBLISHED_DELTA, PUBLISHED_EPSILONS, type PublishedEpsilon } from './published-epsilons.fixture';
import { DEFAULT_RDP_ORDERS } from './rdp-orders';

const REFERENCE = path.resolve(__dirname, '../../../..', '../shared/reference/dp-sgd-epsilons.json');
const present = existsSync(REFERENCE);

/** The published values carry two decimals: ±0.005 of rounding, plus a hair. */
const PUBLISHED_TOLERANCE = 0.0051;

function spentFor(c: PublishedEpsilon, delta: number, conversion: 'classic' | 'balle2020') {
  return computePrivacySpent({ sampleRate: c.B / c.N, noiseMultiplier: c.sigma, steps: Math.ceil((c.epochs * c.N) / c.B), delta, conversion });
}

describe(computePrivacySpent.name, () => {
  it('uses the documented default orders: 1.1…10.9 by 0.1, then 12…63', () => {
    expect(DEFAULT_RDP_ORDERS).toHaveLength(99 + 52);
    expect(DEFAULT_RDP_ORDERS.slice(0, 3)).toEqual([1.1, 1.2, 1.3]);
    expect(DEFAULT_RDP_ORDERS.slice(97, 101)).toEqual([10.8, 10.9, 12, 13]);
    expect(DEFAULT_RDP_ORDERS.at(-1)).toBe(63);
  });

  it.each(PUBLISHED_EPSILONS.map((c) => [`N=${c.N} B=${c.B} σ=${c.sigma} ${c.epochs} epochs`, c] as const))(
    'reproduces the published ε with the classic conversion (in-repo copy): %s',
    (_, c) => {
      const spent = spentFor(c, PUBLISHED_DELTA, 'classic');
      expect(Math.abs((spent.epsilon as number) - c.epsilon)).toBeLessThanOrEqual(PUBLISHED_TOLERANCE);
      expect(spent).toMatchObject({ accountant: 'rdp', mechanism: 'sampled_gaussian', conversion: 'classic', delta: PUBLISHED_DELTA });
    },
  );

  (present ? describe : describe.skip)(`the published table${present ? '' : ' (SKIPPED: ../shared absent)'}`, () => {
    const reference = present ? (JSON.parse(readFileSync(REFERENCE, 'utf8')) as { delta: number; cases: PublishedEpsilon[] }) : { delta: 1e-5, cases: [] };

    it('has cases to check', () => expect(reference.cases.length).toBeGreaterThanOrEqual(7));

    it('reproduces EVERY case with the classic conversion, and the Balle et al. conversion never exceeds it', () => {
      for (const c of reference.cases) {
        const classic = spentFor(c, reference.delta, 'classic');
        const balle = spentFor(c, reference.delta, 'balle2020');
        expect({ case: c, epsilon: Math.round((classic.epsilon as number) * 100) / 100 }).toEqual({ case: c, epsilon: c.epsilon });
        expect(Math.abs((classic.epsilon as number) - c.epsilon)).toBeLessThanOrEqual(PUBLISHED_TOLERANCE);
        expect(balle.epsilon as number).toBeLessThan(classic.epsilon as number);
      }
    });
  });

  it('reports the conversion, the optimal order and the orders used; Balle ≤ classic at every order', () => {
    const common = { sampleRate: 0.01, noiseMultiplier: 1, steps: 5000, delta: 1e-6 };
    const classic = computePrivacySpent({ ...common, conversion: 'classic' });
    const balle = computePrivacySpent(common);
    expect(balle.conversion).toBe('balle2020');
    expect(classic.orders).toEqual([...DEFAULT_RDP_ORDERS]);
    expect(DEFAULT_RDP_ORDERS).toContain(classic.optimalOrder);
    expect(classic.rdp).toHaveLength(DEFAULT_RDP_ORDERS.length);
    // The reported ε is the minimum over the orders, attained at the reported order.
    const k = DEFAULT_RDP_ORDERS.indexOf(classic.optimalOrder as number);
    expect(classic.epsilon).toBeCloseTo((classic.rdp?.[k] as number) - Math.log(1e-6) / ((classic.optimalOrder as number) - 1), 12);
    for (const [i, alpha] of DEFAULT_RDP_ORDERS.entries()) {
      const single = (conversion: 'classic' | 'balle2020') => epsilonFromRdp([alpha], [classic.rdp?.[i] as number], 1e-6, conversion).epsilon;
      expect(single('balle2020')).toBeLessThanOrEqual(single('classic'));
    }
  });

  it('ε falls as σ grows, and rises with steps and with q', () => {
    const base = { sampleRate: 0.01, noiseMultiplier: 1, steps: 2000, delta: 1e-5 };
    for (const conversion of ['classic', 'balle2020'] as const) {
      const eps = (change: Partial<typeof base>) => computePrivacySpent({ ...base, ...change, conversion }).epsilon as number;
      const bySigma = [0.6, 0.8, 1, 1.5, 3].map((noiseMultiplier) => eps({ noiseMultiplier }));
      const bySteps = [1, 10, 100, 1000, 10000].map((steps) => eps({ steps }));
      const byQ = [0.001, 0.005, 0.02, 0.1, 1].map((sampleRate) => eps({ sampleRate }));
      bySigma.slice(1).forEach((e, i) => expect(e).toBeLessThan(bySigma[i] as number));
      bySteps.slice(1).forEach((e, i) => expect(e).toBeGreaterThan(bySteps[i] as number));
      byQ.slice(1).forEach((e, i) => expect(e).toBeGreaterThan(byQ[i] as number));
    }
  });

  it('is JSON evidence: unbounded ε is null rather than Infinity; nothing spent is ε = 0 under Balle', () => {
    const unbounded = computePrivacySpent({ sampleRate: 0.01, noiseMultiplier: 0, steps: 10, delta: 1e-5 });
    expect(unbounded).toMatchObject({ epsilon: null, optimalOrder: null, rdp: null });
    const nothing = computePrivacySpent({ sampleRate: 0, noiseMultiplier: 0, steps: 10, delta: 1e-5 });
    expect(nothing.epsilon).toBe(0);
    const spent = computePrivacySpent({ sampleRate: 0.01, noiseMultiplier: 1.1, steps: 100, delta: 1e-5 });
    for (const report of [unbounded, nothing, spent]) expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('refuses δ outside (0, 1) and unknown conversions', () => {
    const base = { sampleRate: 0.01, noiseMultiplier: 1, steps: 10 };
    expect(() => computePrivacySpent({ ...base, delta: 0 })).toThrow(DifferentialPrivacyError);
    expect(() => computePrivacySpent({ ...base, delta: 1 })).toThrow(expect.objectContaining({ code: 'DP_PARAMETER_INVALID' }));
    expect(() => computePrivacySpent({ ...base, delta: 1e-5, conversion: 'pld' as never })).toThrow(expect.objectContaining({ details: expect.objectContaining({ parameter: 'conversion' }) }));
  });
});
