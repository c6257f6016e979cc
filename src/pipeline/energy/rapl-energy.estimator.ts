import type { Bounds } from './energy-measurement';
import { clampUnit, type EnergyEstimate, memoryEnergyJoules } from './energy-estimate';

export interface ShareInput {
  /** This process's CPU seconds over the window. */
  processCpuSeconds: number;
  /** Machine-wide busy CPU seconds over the window from /proc/stat; undefined when unreadable. */
  systemBusyCpuSeconds?: number;
  /** Online logical CPUs (per-CPU lines in /proc/stat, else cpuinfo, else available cores). */
  onlineCpus: number;
  wallSeconds: number;
  /** One /proc/stat tick in seconds (1 / USER_HZ). */
  tickSeconds: number;
}

export interface Share {
  share: number;
  bounds: Bounds;
  apportionment: 'proc-stat-busy-share' | 'unapportioned';
}

/**
 * How much of the package energy to charge to this process: its share of the CPU time the machine
 * spent busy over the same window (the jiffies-share attribution Scaphandre documents for per-process
 * power).
 * Consequences worth knowing: the package's idle floor is charged in proportion too, so a process
 * alone on an idle machine is charged nearly all of it; and other processes' work is excluded.
 *
 * Bounds: /proc/stat counts whole ticks per CPU, so each of the start and end readings of the
 * aggregate line may be short by up to one tick per CPU — the busy total is known to ±2 × CPUs ticks.
 * Without /proc/stat the whole package is charged (share 1, an upper bound), and the lowest the share
 * could be is this process's CPU time over all CPUs' time (as if every CPU had been busy throughout).
 */
export function apportionShare(input: ShareInput): Share {
  const { processCpuSeconds, systemBusyCpuSeconds, onlineCpus, wallSeconds, tickSeconds } = input;
  if (systemBusyCpuSeconds === undefined) {
    const floor = wallSeconds > 0 && onlineCpus > 0 ? clampUnit(processCpuSeconds / (wallSeconds * onlineCpus)) : 0;
    return { share: 1, bounds: [floor, 1], apportionment: 'unapportioned' };
  }
  const busy = systemBusyCpuSeconds;
  const slack = 2 * Math.max(1, onlineCpus) * tickSeconds;
  const share = busy > 0 ? clampUnit(processCpuSeconds / busy) : 1;
  const low = clampUnit(processCpuSeconds / (busy + slack));
  const high = busy > slack ? clampUnit(processCpuSeconds / (busy - slack)) : 1;
  return { share, bounds: [Math.min(low, share), Math.max(high, share)], apportionment: 'proc-stat-busy-share' };
}

export interface RaplEstimateInput {
  packageJoules: number;
  share: Share;
  raplRelativeUncertainty: number;
  wallSeconds: number;
  peakRssBytes: number;
  memoryWPerGb: number;
  memoryBandFactors: Bounds;
  pue: number;
}

/**
 * Measured package energy × this process's share, plus the W/GB memory estimate (package domains do
 * not include DRAM; a `dram` domain, where present, is recorded but not apportioned, since no
 * per-process share of DRAM energy can be read), all × PUE. Bounds combine the counters' own
 * uncertainty, the share's interval and the memory band.
 */
export function estimateRaplEnergy(input: RaplEstimateInput): EnergyEstimate {
  const { packageJoules, share, raplRelativeUncertainty: u, wallSeconds, peakRssBytes, memoryWPerGb, memoryBandFactors, pue } = input;
  const cpuJoules = packageJoules * share.share;
  const memoryJoules = memoryEnergyJoules(memoryWPerGb, peakRssBytes, wallSeconds);
  const low = (packageJoules * share.bounds[0] * (1 - u) + memoryJoules * memoryBandFactors[0]) * pue;
  const high = (packageJoules * share.bounds[1] * (1 + u) + memoryJoules * memoryBandFactors[1]) * pue;
  return { cpuJoules, memoryJoules, energyJoules: (cpuJoules + memoryJoules) * pue, boundsJoules: [low, high] };
}
