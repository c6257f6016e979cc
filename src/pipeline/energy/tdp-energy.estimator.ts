import type { Bounds } from './energy-measurement';
import { type EnergyEstimate, memoryEnergyJoules } from './energy-estimate';

export interface TdpEstimateInput {
  cpuSeconds: number;
  wallSeconds: number;
  peakRssBytes: number;
  tdpPerCoreW: number;
  memoryWPerGb: number;
  pue: number;
  cpuBandFactors: Bounds;
  memoryBandFactors: Bounds;
  /**
   * physical cores ÷ logical CPUs when SMT (hyper-threading) is on, else 1. TDP per core is per
   * *physical* core, but CPU seconds accrue per logical CPU: two busy siblings on one core are charged
   * twice while drawing far less than twice. The low bound is scaled by this ratio to cover it.
   */
  smtRatio?: number;
}

/**
 * The TDP fallback, Green Algorithms' model (Lannelongue et al. 2021):
 *   E = t × (n_cores × P_core × u) + t × (GB × P_GB), all × PUE,
 * and since u = cpuSeconds ÷ (t × n_cores), the CPU term is P_core × cpuSeconds: it charges only the
 * core-seconds this process used, not the machine's idle floor. Bounds scale each component by its
 * band (energy-assumptions.ts) — judgement intervals, stated as such.
 */
export function estimateTdpEnergy(input: TdpEstimateInput): EnergyEstimate {
  const { cpuSeconds, wallSeconds, peakRssBytes, tdpPerCoreW, memoryWPerGb, pue, cpuBandFactors, memoryBandFactors } = input;
  const smtRatio = input.smtRatio ?? 1;
  const cpuJoules = tdpPerCoreW * cpuSeconds;
  const memoryJoules = memoryEnergyJoules(memoryWPerGb, peakRssBytes, wallSeconds);
  const low = (cpuJoules * cpuBandFactors[0] * smtRatio + memoryJoules * memoryBandFactors[0]) * pue;
  const high = (cpuJoules * cpuBandFactors[1] + memoryJoules * memoryBandFactors[1]) * pue;
  return { cpuJoules, memoryJoules, energyJoules: (cpuJoules + memoryJoules) * pue, boundsJoules: [low, high] };
}
