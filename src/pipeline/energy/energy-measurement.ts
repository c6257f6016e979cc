/**
 * The energy and resource record for one piece of work done in this process (DESIGN.md "Energy and
 * resources"). Plain JSON — numbers, strings, arrays, plain objects; never undefined, NaN or
 * Infinity — so it can be stored as evidence and canonicalised as-is.
 *
 * Honesty rules the shape follows:
 * - every energy figure states how it was obtained (`method`) and what it assumed (`assumptions`);
 * - every energy and CO2e figure comes with a [low, high] interval that contains it;
 * - what could not be measured is said in `notes` / `warnings`, not silently defaulted.
 */

/** `rapl`: package energy read from Linux powercap counters; `tdp-estimate`: modelled from TDP. */
export type EnergyMethod = 'rapl' | 'tdp-estimate';

/** [low, high], low ≤ point estimate ≤ high. */
export type Bounds = [number, number];

/** A grid's average carbon intensity and where the number comes from. */
export interface GridIntensity {
  gCo2ePerKwh: number;
  /** Dataset or publisher, specific enough to look the number up again. */
  source: string;
  /** The year the intensity describes (not the year it was fetched). */
  year: string;
  region: string;
  /** Symmetric relative uncertainty applied to the intensity (0.1 = ±10%); 0 when not stated. */
  relativeUncertainty: number;
}

/** Recorded for both methods; under `rapl` the TDP fields and cpuBandFactors are not used. */
export interface EnergyAssumptions {
  /** Watts drawn per fully busy core in the TDP model (Green Algorithms, Lannelongue et al. 2021). */
  tdpPerCoreW: number;
  /** `configured` when the caller supplied it for this CPU, `default` when the generic value was used. */
  tdpPerCoreSource: 'configured' | 'default';
  /** Memory power per GB of resident memory. */
  memoryWPerGb: number;
  /** Memory the estimate charges for: this process's peak resident set. */
  memoryBasis: 'peak-rss';
  /** Power usage effectiveness multiplier (1.0 = no facility overhead counted). */
  pue: number;
  /** Logical CPUs the utilisation is computed against. */
  cores: number;
  /** Multipliers on the CPU part of the estimate that give its bounds (see energy-assumptions.ts). */
  cpuBandFactors: Bounds;
  /** Multipliers on the memory part of the estimate that give its bounds. */
  memoryBandFactors: Bounds;
  /** Relative uncertainty of RAPL counters themselves (only used when method is `rapl`). */
  raplRelativeUncertainty: number;
}

export interface RaplDomainReading {
  /** powercap zone directory, e.g. `intel-rapl:0`. */
  zone: string;
  /** The zone's `name`, e.g. `package-0`, `dram`, `psys`. */
  name: string;
  joules: number;
  /** Whether this domain is summed into `packageJoules` (only top-level `package-*` zones are). */
  counted: boolean;
}

export interface RaplSection {
  domains: RaplDomainReading[];
  /** Energy of all counted package domains over the window: every process on the machine, not just this one. */
  packageJoules: number;
  /** Fraction of `packageJoules` charged to this process. */
  apportionedShare: number;
  /** The interval the share is known to lie in. */
  apportionedShareBounds: Bounds;
  /**
   * `proc-stat-busy-share`: process CPU time ÷ machine busy CPU time from /proc/stat;
   * `unapportioned`: /proc/stat unreadable, the whole package is charged (an upper bound).
   */
  apportionment: 'proc-stat-busy-share' | 'unapportioned';
  /** Machine-wide busy CPU seconds over the window (all CPUs), when /proc/stat was readable. */
  systemBusyCpuSeconds?: number;
  /** Counter reads over the window and the longest gap between two of them. */
  polls: number;
  maxPollGapSeconds: number;
}

export interface EnergyComponents {
  /** CPU energy charged to this process, before PUE. */
  cpuJoules: number;
  /** Memory energy charged to this process, before PUE (always the W/GB estimate). */
  memoryJoules: number;
}

export interface EnergyMeasurement {
  method: EnergyMethod;
  startedAt: string;
  endedAt: string;
  wallSeconds: number;
  /** User + system CPU time of this process (all its threads) over the window. */
  cpuSeconds: number;
  /**
   * cpuSeconds ÷ (wallSeconds × cores), `cores` being the logical CPUs available to the process — the
   * definition of OpenTelemetry's process.cpu.utilization. 1 = every such CPU busy throughout.
   */
  cpuUtilisation: number;
  peakRssBytes: number;
  /** How `peakRssBytes` was obtained (see memory-peak.sampler.ts). */
  peakRssBasis: 'maxrss-in-window' | 'sampled';
  memorySamples: number;
  /** Caller's estimate of the floating-point operations done, carried through unchanged. */
  estimatedFlops?: number;
  /** Energy charged to this process, after PUE. */
  energyJoules: number;
  energyKwh: number;
  energyBoundsKwh: Bounds;
  components: EnergyComponents;
  co2eGrams: number;
  co2eBoundsGrams: Bounds;
  gridIntensity: GridIntensity;
  assumptions: EnergyAssumptions;
  cpu: { model: string; cores: number; logicalCpus?: number; physicalCores?: number };
  rapl?: RaplSection;
  /** Statements of method a reader needs to interpret the figures. */
  notes: string[];
  /** Conditions that make this particular measurement less reliable than usual. */
  warnings: string[];
}
