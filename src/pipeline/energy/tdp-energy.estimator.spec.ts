import fc from 'fast-check';
import { CONFIGURED_TDP_BAND, DEFAULT_TDP_BAND, MEMORY_BAND } from './energy-assumptions';
import { estimateTdpEnergy, type TdpEstimateInput } from './tdp-energy.estimator';

const base: TdpEstimateInput = {
  cpuSeconds: 10,
  wallSeconds: 20,
  peakRssBytes: 2e9,
  tdpPerCoreW: 12,
  memoryWPerGb: 0.3725,
  pue: 1.5,
  cpuBandFactors: CONFIGURED_TDP_BAND,
  memoryBandFactors: MEMORY_BAND,
};

describe('estimateTdpEnergy', () => {
  it('matches the hand computation', () => {
    // CPU: 12 W × 10 core-seconds = 120 J (= 2 cores × 12 W × utilisation 0.25 × 20 s).
    // Memory: 0.3725 W/GB × 2 GB × 20 s = 14.9 J.  Total: (120 + 14.9) × PUE 1.5 = 202.35 J.
    // Low: (120 × 0.5 + 14.9 × 0.5) × 1.5 = 101.175 J.  High: (120 × 1.5 + 14.9 × 1.5) × 1.5 = 303.525 J.
    const e = estimateTdpEnergy(base);
    expect(e.cpuJoules).toBeCloseTo(120, 10);
    expect(e.memoryJoules).toBeCloseTo(14.9, 10);
    expect(e.energyJoules).toBeCloseTo(202.35, 10);
    expect(e.boundsJoules[0]).toBeCloseTo(101.175, 10);
    expect(e.boundsJoules[1]).toBeCloseTo(303.525, 10);
  });

  it('lowers only the low bound of the CPU part for SMT', () => {
    // Low: (120 × 0.5 × 0.5 + 14.9 × 0.5) × 1.5 = 56.175 J; estimate and high unchanged.
    const e = estimateTdpEnergy({ ...base, smtRatio: 0.5 });
    expect(e.energyJoules).toBeCloseTo(202.35, 10);
    expect(e.boundsJoules[0]).toBeCloseTo(56.175, 10);
    expect(e.boundsJoules[1]).toBeCloseTo(303.525, 10);
  });

  it('charges nothing for a process that used no CPU and no memory', () => {
    expect(estimateTdpEnergy({ ...base, cpuSeconds: 0, peakRssBytes: 0 })).toEqual({ cpuJoules: 0, memoryJoules: 0, energyJoules: 0, boundsJoules: [0, 0] });
  });

  it('always brackets its estimate', () => {
    fc.assert(
      fc.property(
        fc.record({
          cpuSeconds: fc.double({ min: 0, max: 1e6, noNaN: true }),
          wallSeconds: fc.double({ min: 0, max: 1e6, noNaN: true }),
          peakRssBytes: fc.double({ min: 0, max: 1e12, noNaN: true }),
          tdpPerCoreW: fc.double({ min: 0.1, max: 100, noNaN: true }),
          memoryWPerGb: fc.double({ min: 0, max: 2, noNaN: true }),
          pue: fc.double({ min: 1, max: 3, noNaN: true }),
          smtRatio: fc.double({ min: 0.25, max: 1, noNaN: true }),
          configured: fc.boolean(),
        }),
        ({ configured, ...input }) => {
          const e = estimateTdpEnergy({ ...input, cpuBandFactors: configured ? CONFIGURED_TDP_BAND : DEFAULT_TDP_BAND, memoryBandFactors: MEMORY_BAND });
          expect(e.boundsJoules[0]).toBeLessThanOrEqual(e.energyJoules * (1 + 1e-12));
          expect(e.energyJoules).toBeLessThanOrEqual(e.boundsJoules[1] * (1 + 1e-12));
          expect(e.boundsJoules[0]).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
