import { join } from 'node:path';
import fc from 'fast-check';
import { fixtureRoots, INTEL_MAX_ENERGY_RANGE_UJ, setZoneEnergy, writeRaplZone } from './energy.fixture';
import { counterDeltaUj, discoverRapl, RaplCounterAccumulator, readCounterFile } from './powercap-rapl.reader';

describe('counterDeltaUj', () => {
  it('subtracts when the counter did not wrap, and adds the distance to the wrap point when it did', () => {
    expect(counterDeltaUj(1_000, 5_000, 10_000)).toBe(4_000);
    expect(counterDeltaUj(9_000, 1_000, 10_000)).toBe(2_000); // 1 000 to the wrap, 1 000 after it
    expect(counterDeltaUj(7, 7, 10_000)).toBe(0);
    expect(counterDeltaUj(250_000_000_000, 5_000_000_000, INTEL_MAX_ENERGY_RANGE_UJ)).toBe(17_143_328_850);
  });

  it('recovers any energy below one full range, wrapped or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }).chain((max) => fc.tuple(fc.constant(max), fc.integer({ min: 0, max: max - 1 }), fc.integer({ min: 0, max: max - 1 }))), ([max, previous, energy]) => {
        expect(counterDeltaUj(previous, (previous + energy) % max, max)).toBe(energy);
      }),
    );
  });
});

describe('discoverRapl', () => {
  it('counts only top-level package zones; keeps subzones, psys and mmio out of the sum', () => {
    const roots = fixtureRoots();
    try {
      writeRaplZone(roots.sysRoot, 'intel-rapl:0', { name: 'package-0', energyUj: 1 });
      writeRaplZone(roots.sysRoot, 'intel-rapl:0:0', { name: 'core', energyUj: 2 });
      writeRaplZone(roots.sysRoot, 'intel-rapl:0:1', { name: 'dram', energyUj: 3 });
      writeRaplZone(roots.sysRoot, 'intel-rapl:1', { name: 'package-1', energyUj: 4 });
      writeRaplZone(roots.sysRoot, 'intel-rapl:2', { name: 'psys', energyUj: 5 });
      writeRaplZone(roots.sysRoot, 'intel-rapl-mmio:0', { name: 'package-0', energyUj: 6 });
      const found = discoverRapl(roots.sysRoot);
      expect(found.available).toBe(true);
      if (!found.available) return;
      expect(found.zones.map((z) => [z.zone, z.name, z.counted])).toEqual([
        ['intel-rapl:0', 'package-0', true],
        ['intel-rapl:0:0', 'core', false],
        ['intel-rapl:0:1', 'dram', false],
        ['intel-rapl:1', 'package-1', true],
        ['intel-rapl:2', 'psys', false],
      ]);
      expect(found.zones[0]?.maxEnergyRangeUj).toBe(INTEL_MAX_ENERGY_RANGE_UJ);
    } finally {
      roots.cleanup();
    }
  });

  it('reports no powercap interface (VMs, containers, non-Linux)', () => {
    const roots = fixtureRoots();
    try {
      const found = discoverRapl(roots.sysRoot);
      expect(found).toEqual({ available: false, reason: expect.stringContaining('no powercap interface') });
    } finally {
      roots.cleanup();
    }
  });

  it('reports a present but unreadable counter, naming the root-only rule', () => {
    const roots = fixtureRoots();
    try {
      writeRaplZone(roots.sysRoot, 'intel-rapl:0', { name: 'package-0', energyUj: 1 });
      const denied = (path: string): number => {
        if (path.endsWith('energy_uj')) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
        return readCounterFile(path);
      };
      const found = discoverRapl(roots.sysRoot, denied);
      expect(found.available).toBe(false);
      if (found.available) return;
      expect(found.reason).toContain('EACCES');
      expect(found.reason).toContain('root-only since the CVE-2020-8694 fix');
    } finally {
      roots.cleanup();
    }
  });

  it('treats an unreadable energy_uj file as unavailable (real filesystem error)', () => {
    const roots = fixtureRoots();
    try {
      writeRaplZone(roots.sysRoot, 'intel-rapl:0', { name: 'package-0', energyUj: 0, unreadable: true });
      const found = discoverRapl(roots.sysRoot);
      expect(found.available).toBe(false);
      if (!found.available) expect(found.reason).toContain('EISDIR');
    } finally {
      roots.cleanup();
    }
  });

  it('needs at least one package zone', () => {
    const roots = fixtureRoots();
    try {
      writeRaplZone(roots.sysRoot, 'intel-rapl:0', { name: 'psys', energyUj: 1 });
      expect(discoverRapl(roots.sysRoot)).toEqual({ available: false, reason: expect.stringContaining('no package zone') });
    } finally {
      roots.cleanup();
    }
  });
});

describe('RaplCounterAccumulator', () => {
  it('accumulates across several wraps when polled at least once per wrap', () => {
    const max = 1_000_000; // 1 J range, so it wraps every poll below
    const readings = [900_000, 400_000, 950_000, 100_000, 600_000];
    let i = 0;
    let now = 0;
    const zone = { zone: 'intel-rapl:0', name: 'package-0', energyPath: 'x', maxEnergyRangeUj: max, counted: true };
    const accumulator = new RaplCounterAccumulator([zone], () => readings[i++] ?? Number.NaN, () => now);
    accumulator.start();
    for (let poll = 0; poll < 4; poll++) {
      now += 2_000;
      accumulator.poll();
    }
    // 900k→400k: 500k; 400k→950k: 550k; 950k→100k: 150k; 100k→600k: 500k
    expect(accumulator.totals()).toEqual({
      domains: [{ zone: 'intel-rapl:0', name: 'package-0', joules: 1.7, counted: true }],
      packageJoules: 1.7,
      polls: 5,
      maxPollGapSeconds: 2,
      failedReads: 0,
    });
    expect(accumulator.safeGapSeconds(500)).toBeCloseTo(1 / 500);
  });

  it('sums packages from fixture files, leaves non-package domains out of the sum, and skips failed reads', () => {
    const roots = fixtureRoots();
    try {
      writeRaplZone(roots.sysRoot, 'intel-rapl:0', { name: 'package-0', energyUj: 10_000_000 });
      writeRaplZone(roots.sysRoot, 'intel-rapl:0:1', { name: 'dram', energyUj: 0 });
      writeRaplZone(roots.sysRoot, 'intel-rapl:1', { name: 'package-1', energyUj: INTEL_MAX_ENERGY_RANGE_UJ - 1_000_000 });
      const found = discoverRapl(roots.sysRoot);
      if (!found.available) throw new Error(found.reason);
      const accumulator = new RaplCounterAccumulator(found.zones);
      accumulator.start();
      setZoneEnergy(roots.sysRoot, 'intel-rapl:0', 25_000_000);
      setZoneEnergy(roots.sysRoot, 'intel-rapl:0:1', 3_000_000);
      setZoneEnergy(roots.sysRoot, 'intel-rapl:1', 4_000_000); // wrapped: 1 J before the wrap + 4 J after
      accumulator.poll();
      const totals = accumulator.totals();
      expect(totals.packageJoules).toBeCloseTo(15 + 5, 9);
      expect(totals.domains.find((d) => d.name === 'dram')).toEqual({ zone: 'intel-rapl:0:1', name: 'dram', joules: 3, counted: false });

      const path = join(roots.sysRoot, 'class', 'powercap', 'intel-rapl:0', 'energy_uj');
      let flakyCalls = 0;
      const flaky = new RaplCounterAccumulator(found.zones, (p) => {
        if (p === path && flakyCalls++ > 0) throw new Error('EIO');
        return readCounterFile(p);
      });
      flaky.start();
      flaky.poll();
      expect(flaky.totals().failedReads).toBe(1);
    } finally {
      roots.cleanup();
    }
  });
});
