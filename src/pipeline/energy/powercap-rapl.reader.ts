import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RaplDomainReading } from './energy-measurement';

/**
 * RAPL (Running Average Power Limit) energy counters through the Linux powercap sysfs interface
 * (kernel docs: Documentation/power/powercap/powercap.rst). /sys/class/powercap holds one entry per
 * zone: `intel-rapl:<n>` is a top-level zone (a CPU package, or `psys` on some laptops), and
 * `intel-rapl:<n>:<m>` a subzone (`core`, `uncore`, `dram`). AMD processors are exposed through the
 * same `intel-rapl` control type. Each zone has `name`, `energy_uj` (a cumulative microjoule counter
 * that wraps) and `max_energy_range_uj` (where it wraps).
 *
 * Only top-level `package-*` zones are summed: subzones are parts of their package, `psys` covers
 * the whole platform including the packages, and `intel-rapl-mmio:*` is a second interface to the
 * same package counter — summing any of them double counts (the failure Jay et al. 2023 measured).
 */

export interface RaplZone {
  zone: string;
  name: string;
  energyPath: string;
  maxEnergyRangeUj: number;
  /** Summed into package energy. */
  counted: boolean;
}

export type RaplAvailability = { available: true; zones: RaplZone[] } | { available: false; reason: string };

const TOP_LEVEL = /^intel-rapl:\d+$/;
const SUBZONE = /^intel-rapl:\d+:\d+$/;

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
}

/** Reads a sysfs counter file as a non-negative integer. */
export function readCounterFile(path: string): number {
  const value = Number(readFileSync(path, 'utf8').trim());
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${path} does not hold a non-negative integer`);
  return value;
}

/**
 * Finds the RAPL zones under `<sysRoot>/class/powercap` and checks the package counters can be read.
 * On many systems they cannot: `energy_uj` has been readable only by root since the fix for the
 * PLATYPUS power side channel (CVE-2020-8694; Linux 5.10, backported to stable kernels). Virtual
 * machines and most containers have no zones at all.
 */
export function discoverRapl(sysRoot: string, readCounter: (path: string) => number = readCounterFile): RaplAvailability {
  const base = join(sysRoot, 'class', 'powercap');
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch (error) {
    return { available: false, reason: `no powercap interface at ${base} (${errorCode(error)}): no RAPL driver, or a VM or container without it` };
  }
  const zones: RaplZone[] = [];
  for (const zone of entries.filter((entry) => TOP_LEVEL.test(entry) || SUBZONE.test(entry)).sort()) {
    const dir = join(base, zone);
    try {
      const name = readFileSync(join(dir, 'name'), 'utf8').trim();
      const maxEnergyRangeUj = readCounter(join(dir, 'max_energy_range_uj'));
      zones.push({ zone, name, energyPath: join(dir, 'energy_uj'), maxEnergyRangeUj, counted: TOP_LEVEL.test(zone) && name.startsWith('package-') });
    } catch {
      // A zone without a readable name or range cannot be interpreted; leave it out.
    }
  }
  const packages = zones.filter((z) => z.counted);
  if (packages.length === 0) return { available: false, reason: `no package zone under ${base}` };
  for (const zone of packages) {
    try {
      readCounter(zone.energyPath);
    } catch (error) {
      const code = errorCode(error);
      const why = code === 'EACCES' || code === 'EPERM' ? ' (root-only since the CVE-2020-8694 fix, Linux 5.10)' : '';
      return { available: false, reason: `RAPL counter ${zone.energyPath} not readable: ${code}${why}` };
    }
  }
  // Informational subzones (dram, core, …) are kept only if they too can be read.
  const readable = zones.filter((zone) => {
    if (zone.counted) return true;
    try {
      readCounter(zone.energyPath);
      return true;
    } catch {
      return false;
    }
  });
  return { available: true, zones: readable };
}

/**
 * Energy between two reads of a wrapping counter. The counter runs from 0 to max_energy_range_uj
 * and then restarts, so a smaller second reading means exactly one wrap happened between the reads
 * (more than one cannot be seen — hence polling, see RaplCounterAccumulator). The wrap point is
 * max_energy_range_uj to within one hardware energy unit (tens of µJ), which is ignored.
 */
export function counterDeltaUj(previousUj: number, nextUj: number, maxEnergyRangeUj: number): number {
  return nextUj >= previousUj ? nextUj - previousUj : maxEnergyRangeUj - previousUj + nextUj;
}

interface ZoneState {
  zone: RaplZone;
  lastUj: number;
  totalUj: number;
}

export interface RaplTotals {
  domains: RaplDomainReading[];
  packageJoules: number;
  polls: number;
  maxPollGapSeconds: number;
  failedReads: number;
}

/**
 * Accumulates wrap-corrected energy per zone from repeated reads. Counters wrap after
 * max_energy_range_uj (≈ 262 kJ on many Intel parts: about 9 minutes at 500 W), so a long run must be
 * polled at least once per wrap period; a read that fails is skipped and counted, not fatal.
 */
export class RaplCounterAccumulator {
  private states: ZoneState[] = [];
  private polls = 0;
  private failedReads = 0;
  private lastPollMs = 0;
  private maxGapMs = 0;

  constructor(
    private readonly zones: RaplZone[],
    private readonly readCounter: (path: string) => number = readCounterFile,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.states = this.zones.map((zone) => ({ zone, lastUj: this.readCounter(zone.energyPath), totalUj: 0 }));
    this.polls = 1;
    this.failedReads = 0;
    this.lastPollMs = this.nowMs();
    this.maxGapMs = 0;
  }

  poll(): void {
    for (const state of this.states) {
      let next: number;
      try {
        next = this.readCounter(state.zone.energyPath);
      } catch {
        this.failedReads++;
        continue;
      }
      state.totalUj += counterDeltaUj(state.lastUj, next, state.zone.maxEnergyRangeUj);
      state.lastUj = next;
    }
    const now = this.nowMs();
    this.maxGapMs = Math.max(this.maxGapMs, now - this.lastPollMs);
    this.lastPollMs = now;
    this.polls++;
  }

  totals(): RaplTotals {
    const domains = this.states.map(({ zone, totalUj }) => ({ zone: zone.zone, name: zone.name, joules: totalUj / 1e6, counted: zone.counted }));
    const packageJoules = domains.filter((d) => d.counted).reduce((sum, d) => sum + d.joules, 0);
    return { domains, packageJoules, polls: this.polls, maxPollGapSeconds: this.maxGapMs / 1000, failedReads: this.failedReads };
  }

  /** The longest gap between reads that cannot hide a second wrap, given a plausible maximum package power. */
  safeGapSeconds(plausibleMaxPackageW: number): number {
    const ranges = this.zones.filter((z) => z.counted).map((z) => z.maxEnergyRangeUj / 1e6 / plausibleMaxPackageW);
    return ranges.length > 0 ? Math.min(...ranges) : Infinity;
  }
}
