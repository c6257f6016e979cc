import fc from 'fast-check';
import { MEMORY_BAND } from './energy-assumptions';
import { apportionShare, estimateRaplEnergy } from './rapl-energy.estimator';

describe('apportionShare', () => {
  it('is process CPU time over machine busy time, known to ±2 ticks per CPU', () => {
    // 3 s of process CPU out of 12 s busy on 4 CPUs at USER_HZ 100: slack 2 × 4 × 0.01 = 0.08 s.
    const share = apportionShare({ processCpuSeconds: 3, systemBusyCpuSeconds: 12, onlineCpus: 4, wallSeconds: 5, tickSeconds: 0.01 });
    expect(share.apportionment).toBe('proc-stat-busy-share');
    expect(share.share).toBeCloseTo(0.25, 12);
    expect(share.bounds[0]).toBeCloseTo(3 / 12.08, 12);
    expect(share.bounds[1]).toBeCloseTo(3 / 11.92, 12);
  });

  it('caps the share at 1 when tick rounding makes the process look busier than the machine', () => {
    const share = apportionShare({ processCpuSeconds: 1.005, systemBusyCpuSeconds: 1, onlineCpus: 1, wallSeconds: 1, tickSeconds: 0.01 });
    expect(share.share).toBe(1);
    expect(share.bounds[1]).toBe(1);
    expect(share.bounds[0]).toBeCloseTo(1.005 / 1.02, 12);
  });

  it('charges the whole package without /proc/stat, bounded below by the all-CPUs-busy share', () => {
    const share = apportionShare({ processCpuSeconds: 2, onlineCpus: 8, wallSeconds: 1, tickSeconds: 0.01 });
    expect(share).toEqual({ share: 1, bounds: [0.25, 1], apportionment: 'unapportioned' });
  });

  it('always keeps the share inside its bounds, inside [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
        fc.integer({ min: 1, max: 512 }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        (processCpuSeconds, systemBusyCpuSeconds, onlineCpus, wallSeconds) => {
          const s = apportionShare({ processCpuSeconds, onlineCpus, wallSeconds, tickSeconds: 0.01, ...(systemBusyCpuSeconds !== undefined ? { systemBusyCpuSeconds } : {}) });
          expect(0).toBeLessThanOrEqual(s.bounds[0]);
          expect(s.bounds[0]).toBeLessThanOrEqual(s.share);
          expect(s.share).toBeLessThanOrEqual(s.bounds[1]);
          expect(s.bounds[1]).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('estimateRaplEnergy', () => {
  it('matches the hand computation', () => {
    // Package 400 J × share 0.25 = 100 J.  Memory 0.3725 W/GB × 1 GB × 5 s = 1.8625 J.  PUE 1.2.
    // Energy (100 + 1.8625) × 1.2 = 122.235 J.
    // Low  (400 × 0.2 × 0.9 + 1.8625 × 0.5) × 1.2 = (72 + 0.93125) × 1.2 = 87.5175 J.
    // High (400 × 0.3 × 1.1 + 1.8625 × 1.5) × 1.2 = (132 + 2.79375) × 1.2 = 161.7525 J.
    const e = estimateRaplEnergy({
      packageJoules: 400,
      share: { share: 0.25, bounds: [0.2, 0.3], apportionment: 'proc-stat-busy-share' },
      raplRelativeUncertainty: 0.1,
      wallSeconds: 5,
      peakRssBytes: 1e9,
      memoryWPerGb: 0.3725,
      memoryBandFactors: MEMORY_BAND,
      pue: 1.2,
    });
    expect(e.cpuJoules).toBeCloseTo(100, 10);
    expect(e.memoryJoules).toBeCloseTo(1.8625, 10);
    expect(e.energyJoules).toBeCloseTo(122.235, 10);
    expect(e.boundsJoules[0]).toBeCloseTo(87.5175, 10);
    expect(e.boundsJoules[1]).toBeCloseTo(161.7525, 10);
  });
});
