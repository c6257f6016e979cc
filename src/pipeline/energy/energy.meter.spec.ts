import { accessSync, constants, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EnergyMeter, type EnergyMeterOptions } from './energy.meter';
import {
  type FixtureRoots,
  fixtureRoots,
  ManualProbe,
  setZoneEnergy,
  writeCpuInfo,
  writeProcStat,
  writeRaplZone,
  XEON_NO_SMT_CPUINFO,
  XEON_SMT_CPUINFO,
} from './energy.fixture';
import type { EnergyMeasurement } from './energy-measurement';

const TEST_GRID = { gCo2ePerKwh: 300, source: 'test grid', year: '2024', region: 'Testland' };
/** Timers that never fire within a spec, so only the probe and the fixture files move. */
const NO_TIMERS = { raplPollIntervalMs: 1_000_000, memorySampleIntervalMs: 1_000_000 };

let roots: FixtureRoots;
let probe: ManualProbe;
beforeEach(() => {
  roots = fixtureRoots();
  probe = new ManualProbe();
});
afterEach(() => roots.cleanup());

function meter(options: EnergyMeterOptions = {}): EnergyMeter {
  return new EnergyMeter({ sysRoot: roots.sysRoot, procRoot: roots.procRoot, probe, ...NO_TIMERS, ...options });
}

function expectBracketed(m: EnergyMeasurement): void {
  expect(m.energyBoundsKwh[0]).toBeLessThanOrEqual(m.energyKwh);
  expect(m.energyKwh).toBeLessThanOrEqual(m.energyBoundsKwh[1]);
  expect(m.co2eBoundsGrams[0]).toBeLessThanOrEqual(m.co2eGrams);
  expect(m.co2eGrams).toBeLessThanOrEqual(m.co2eBoundsGrams[1]);
}

/** Every number finite, no undefined anywhere: safe to store and canonicalise as evidence. */
function expectPlainJson(value: unknown, path = '$'): void {
  if (typeof value === 'number') expect({ path, finite: Number.isFinite(value) }).toEqual({ path, finite: true });
  else if (Array.isArray(value)) value.forEach((item, i) => expectPlainJson(item, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectPlainJson(v, `${path}.${k}`);
  else expect(['string', 'boolean'].includes(typeof value) || value === null ? path : `${path} is ${typeof value}`).toBe(path);
}

describe('EnergyMeter with readable RAPL counters', () => {
  beforeEach(() => {
    writeCpuInfo(roots.procRoot, XEON_NO_SMT_CPUINFO);
    writeRaplZone(roots.sysRoot, 'intel-rapl:0', { name: 'package-0', energyUj: 250_000_000_000 });
    writeRaplZone(roots.sysRoot, 'intel-rapl:0:1', { name: 'dram', energyUj: 1_000_000 });
    writeProcStat(roots.procRoot, { user: 1_000, system: 0, idle: 5_000, cpus: 2 });
  });

  it('measures wrapped package energy, apportions it by busy CPU share, and says so', async () => {
    const m = meter({ gridIntensity: TEST_GRID, estimatedFlops: 1e12, tdpPerCoreW: 10 });
    m.start();
    probe.advance(100, 50); // 100 s wall, 50 s CPU
    probe.maxRss = 200e6; // the window set a new lifetime peak
    setZoneEnergy(roots.sysRoot, 'intel-rapl:0', 5_000_000_000); // wrapped
    setZoneEnergy(roots.sysRoot, 'intel-rapl:0:1', 3_000_000);
    writeProcStat(roots.procRoot, { user: 21_000, system: 0, idle: 5_000, cpus: 2 }); // +20 000 ticks = 200 s busy
    const r = await m.stop();

    // Package: (262 143 328 850 − 250 000 000 000 + 5 000 000 000) µJ = 17 143.32885 J.
    const packageJ = 17_143.32885;
    // Share 50 / 200 = 0.25, known to ±(2 × 2 CPUs × 0.01 s) = ±0.04 s of busy time.
    const [shareLow, shareHigh] = [50 / 200.04, 50 / 199.96];
    // Memory 0.3725 W/GB × 0.2 GB × 100 s = 7.45 J; PUE 1.
    const energyJ = packageJ * 0.25 + 7.45;
    const lowJ = packageJ * shareLow * 0.9 + 7.45 * 0.5;
    const highJ = packageJ * shareHigh * 1.1 + 7.45 * 1.5;

    expect(r.method).toBe('rapl');
    expect(r.wallSeconds).toBe(100);
    expect(r.cpuSeconds).toBe(50);
    expect(r.cpuUtilisation).toBe(0.25);
    expect(r.peakRssBytes).toBe(200e6);
    expect(r.peakRssBasis).toBe('maxrss-in-window');
    expect(r.estimatedFlops).toBe(1e12);
    expect(r.rapl?.packageJoules).toBeCloseTo(packageJ, 6);
    expect(r.rapl?.apportionedShare).toBe(0.25);
    expect(r.rapl?.apportionedShareBounds[0]).toBeCloseTo(shareLow, 12);
    expect(r.rapl?.apportionedShareBounds[1]).toBeCloseTo(shareHigh, 12);
    expect(r.rapl?.apportionment).toBe('proc-stat-busy-share');
    expect(r.rapl?.systemBusyCpuSeconds).toBe(200);
    expect(r.rapl?.domains).toEqual([
      { zone: 'intel-rapl:0', name: 'package-0', joules: expect.closeTo(packageJ, 6) as number, counted: true },
      { zone: 'intel-rapl:0:1', name: 'dram', joules: 2, counted: false },
    ]);
    expect(r.components.cpuJoules).toBeCloseTo(packageJ * 0.25, 6);
    expect(r.components.memoryJoules).toBeCloseTo(7.45, 10);
    expect(r.energyJoules).toBeCloseTo(energyJ, 6);
    expect(r.energyKwh).toBeCloseTo(energyJ / 3.6e6, 12);
    expect(r.energyBoundsKwh[0]).toBeCloseTo(lowJ / 3.6e6, 12);
    expect(r.energyBoundsKwh[1]).toBeCloseTo(highJ / 3.6e6, 12);
    expect(r.co2eGrams).toBeCloseTo((energyJ / 3.6e6) * 300, 9);
    expect(r.co2eBoundsGrams[1]).toBeCloseTo((highJ / 3.6e6) * 300, 9);
    expect(r.gridIntensity).toEqual({ ...TEST_GRID, relativeUncertainty: 0 });
    expect(r.cpu).toEqual({ model: 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz', cores: 2, logicalCpus: 2, physicalCores: 2 });
    expect(r.assumptions).toMatchObject({ tdpPerCoreW: 10, tdpPerCoreSource: 'configured', memoryWPerGb: 0.3725, pue: 1, cores: 2, raplRelativeUncertainty: 0.1 });
    expect(r.notes.join(' ')).toMatch(/every process on the machine/);
    expect(r.notes.join(' ')).toMatch(/share of the machine's busy CPU time/);
    expect(r.warnings).toEqual([]);
    expectBracketed(r);
    expectPlainJson(r);
    expect(JSON.parse(JSON.stringify(r))).toStrictEqual(r);
  });

  it('charges the whole package when /proc/stat cannot be read, and bounds the share from below', async () => {
    const m = meter({ gridIntensity: TEST_GRID });
    m.start();
    probe.advance(10, 5);
    setZoneEnergy(roots.sysRoot, 'intel-rapl:0', 250_000_000_000 + 400_000_000); // 400 J
    rmSync(join(roots.procRoot, 'stat')); // /proc/stat unreadable by the end of the window
    const r = await m.stop();
    expect(r.rapl?.apportionment).toBe('unapportioned');
    expect(r.rapl?.apportionedShare).toBe(1);
    expect(r.rapl?.apportionedShareBounds).toEqual([5 / (10 * 2), 1]);
    expect(r.components.cpuJoules).toBe(400);
    expect(r.notes.join(' ')).toMatch(/upper bound/);
    expectBracketed(r);
  });

  it('warns when the counters went unread long enough to hide a second wrap', async () => {
    const m = meter({ gridIntensity: TEST_GRID });
    m.start();
    probe.advance(1_000, 10); // > 262 143 J ÷ 500 W ≈ 524 s without a poll
    writeProcStat(roots.procRoot, { user: 2_000, system: 0, idle: 5_000, cpus: 2 });
    const r = await m.stop();
    expect(r.warnings.join(' ')).toMatch(/may be undercounted/);
  });

  it('polls the counters on its own timer', async () => {
    const m = new EnergyMeter({ sysRoot: roots.sysRoot, procRoot: roots.procRoot, raplPollIntervalMs: 5, gridIntensity: TEST_GRID });
    m.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const r = await m.stop();
    expect(r.rapl?.polls).toBeGreaterThanOrEqual(4);
  });

  it('uses the TDP estimate when asked to, even with RAPL readable', async () => {
    const m = meter({ method: 'tdp-estimate', gridIntensity: TEST_GRID, tdpPerCoreW: 10 });
    m.start();
    probe.advance(10, 5);
    const r = await m.stop();
    expect(r.method).toBe('tdp-estimate');
    expect(r.rapl).toBeUndefined();
    expect(r.notes.join(' ')).toMatch(/tdp-estimate method was requested/);
  });
});

describe('EnergyMeter without readable RAPL', () => {
  it('falls back to a labelled TDP estimate that matches the hand computation', async () => {
    writeCpuInfo(roots.procRoot, XEON_SMT_CPUINFO);
    writeRaplZone(roots.sysRoot, 'intel-rapl:0', { name: 'package-0', energyUj: 0, unreadable: true });
    probe.cores = 4;
    probe.maxRss = 900e6; // lifetime peak from before the window
    const m = meter({ tdpPerCoreW: 10, pue: 1.25, memorySampleIntervalMs: 100 });
    m.start();
    probe.advance(20, 30);
    probe.rss = 250e6;
    const r = await m.stop();

    // CPU 10 W × 30 s = 300 J; memory 0.3725 × 0.25 GB × 20 s = 1.8625 J; × PUE 1.25 = 377.328125 J.
    // Low: (300 × 0.5 × SMT 2/4 + 1.8625 × 0.5) × 1.25 = 94.9140625 J.
    // High: (300 × 1.5 + 1.8625 × 1.5) × 1.25 = 565.9921875 J.
    expect(r.method).toBe('tdp-estimate');
    expect(r.cpuUtilisation).toBeCloseTo(30 / (20 * 4), 12);
    expect(r.peakRssBytes).toBe(250e6);
    expect(r.peakRssBasis).toBe('sampled');
    expect(r.energyJoules).toBeCloseTo(377.328125, 9);
    expect(r.energyBoundsKwh[0] * 3.6e6).toBeCloseTo(94.9140625, 6);
    expect(r.energyBoundsKwh[1] * 3.6e6).toBeCloseTo(565.9921875, 6);
    // Default grid: 214 g/kWh ± 10%.
    expect(r.co2eGrams).toBeCloseTo((377.328125 / 3.6e6) * 214, 12);
    expect(r.co2eBoundsGrams[0]).toBeCloseTo((94.9140625 / 3.6e6) * 214 * 0.9, 12);
    expect(r.gridIntensity.region).toBe('EU-27 (annual average)');
    expect(r.assumptions).toMatchObject({ tdpPerCoreW: 10, tdpPerCoreSource: 'configured', cpuBandFactors: [0.5, 1.5], pue: 1.25, cores: 4 });
    expect(r.notes.join(' ')).toMatch(/EISDIR/);
    expect(r.notes.join(' ')).toMatch(/not a measurement/);
    expect(r.notes.join(' ')).toMatch(/SMT detected/);
    expect(r.warnings.join(' ')).toMatch(/Grid intensity not configured/);
    expect(r.warnings.join(' ')).toMatch(/event loop was busy/); // 2 samples where ~200 were due
    expect(r).not.toHaveProperty('estimatedFlops');
    expect(r).not.toHaveProperty('rapl');
    expectBracketed(r);
    expectPlainJson(r);
  });

  it('widens the band and warns when TDP per core was not configured', async () => {
    const m = meter({ gridIntensity: TEST_GRID });
    m.start();
    probe.advance(1, 1);
    const r = await m.stop();
    expect(r.assumptions).toMatchObject({ tdpPerCoreW: 12, tdpPerCoreSource: 'default', cpuBandFactors: [0.3, 2] });
    expect(r.cpu.model).toBe('unknown');
    expect(r.notes.join(' ')).toMatch(/no powercap interface/);
    expect(r.warnings.join(' ')).toMatch(/TDP per core not configured/);
    expect(r.components.cpuJoules).toBe(12);
    expectBracketed(r);
  });

  it('carries FLOPs set after start', async () => {
    const m = meter({ gridIntensity: TEST_GRID });
    m.start();
    m.setEstimatedFlops(182_937_600_000);
    probe.advance(1, 1);
    expect((await m.stop()).estimatedFlops).toBe(182_937_600_000);
  });
});

describe('EnergyMeter lifecycle', () => {
  it('refuses to start twice or stop before starting, and validates its options', async () => {
    const m = meter();
    await expect(m.stop()).rejects.toThrow(/before start/);
    m.start();
    expect(() => m.start()).toThrow(/already running/);
    await m.stop();
    expect(m.isRunning).toBe(false);
    expect(() => meter({ pue: 0.9 })).toThrow(/pue/);
    expect(() => meter({ tdpPerCoreW: 0 })).toThrow(/tdpPerCoreW/);
    expect(() => meter({ estimatedFlops: Number.NaN })).toThrow(/estimatedFlops/);
    expect(() => meter({ gridIntensity: { gCo2ePerKwh: 100, source: '', year: '2023', region: 'X' } })).toThrow(/source/);
  });

  it('measure() returns the result with the measurement, and stops the meter when the work throws', async () => {
    const m = meter({ gridIntensity: TEST_GRID });
    const { result, measurement } = await m.measure(() => {
      probe.advance(2, 1);
      return 42;
    });
    expect(result).toBe(42);
    expect(measurement.wallSeconds).toBe(2);
    await expect(
      m.measure(async () => {
        await Promise.resolve();
        throw new Error('training failed');
      }),
    ).rejects.toThrow('training failed');
    expect(m.isRunning).toBe(false);
  });
});

describe('EnergyMeter on this machine', () => {
  /** Seconds the main thread has waited on a run queue (proc(5): /proc/[pid]/schedstat, field 2, ns). */
  function runQueueWaitSeconds(): number | undefined {
    try {
      return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e9;
    } catch {
      return undefined;
    }
  }

  it('measures a busy loop: CPU time ≈ wall time, positive energy inside its bounds', async () => {
    const m = new EnergyMeter({ sysRoot: roots.sysRoot, procRoot: '/proc', cores: 1, gridIntensity: TEST_GRID });
    const waitBefore = runQueueWaitSeconds();
    const { measurement: r } = await m.measure(() => {
      const until = performance.now() + 400;
      let x = 0;
      while (performance.now() < until) x += Math.sqrt(x + 1);
      return x;
    });
    const waitAfter = runQueueWaitSeconds();
    // One thread spinning runs whenever it is not queued behind other processes for a CPU, so
    // CPU time ≈ wall time − run-queue wait (≈ wall time on an idle machine). The tolerance covers
    // GC and libuv threads, which add CPU time, and timer granularity.
    const waited = waitBefore !== undefined && waitAfter !== undefined ? waitAfter - waitBefore : 0;
    expect(r.method).toBe('tdp-estimate');
    expect(r.wallSeconds).toBeGreaterThanOrEqual(0.4);
    expect(Math.abs(r.cpuSeconds + waited - r.wallSeconds)).toBeLessThan(0.15 * r.wallSeconds + 0.02);
    expect(r.cpuUtilisation).toBeCloseTo(r.cpuSeconds / r.wallSeconds, 12);
    expect(r.peakRssBytes).toBeGreaterThan(10e6);
    expect(r.energyJoules).toBeGreaterThan(0);
    expect(r.co2eGrams).toBeGreaterThan(0);
    expectBracketed(r);
    expectPlainJson(r);
  });

  const raplReadable = ((): boolean => {
    try {
      const zone = readdirSync('/sys/class/powercap').find((z) => /^intel-rapl:\d+$/.test(z));
      if (!zone) return false;
      accessSync(`/sys/class/powercap/${zone}/energy_uj`, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  })();

  (raplReadable ? it : it.skip)('reads the real RAPL counters when this machine exposes them', async () => {
    const m = new EnergyMeter({ cores: 1, gridIntensity: TEST_GRID });
    const { measurement: r } = await m.measure(() => {
      const until = performance.now() + 300;
      while (performance.now() < until);
    });
    expect(r.method).toBe('rapl');
    expect(r.rapl?.packageJoules).toBeGreaterThan(0);
    expectBracketed(r);
  });
});
