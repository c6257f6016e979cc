import { BYTES_PER_GB } from './energy-assumptions';
import type { Bounds } from './energy-measurement';

/** Energy charged to the measured work, split by component; `energyJoules` and bounds include PUE. */
export interface EnergyEstimate {
  cpuJoules: number;
  memoryJoules: number;
  energyJoules: number;
  boundsJoules: Bounds;
}

/**
 * Memory energy, Green Algorithms' model (Lannelongue et al. 2021): power per GB × GB × time. The GB
 * here are this process's peak resident set (decimal GB), held for the whole window — an overestimate
 * when the peak was brief, which the memory band's upper side already allows for.
 */
export function memoryEnergyJoules(memoryWPerGb: number, peakRssBytes: number, wallSeconds: number): number {
  return memoryWPerGb * (peakRssBytes / BYTES_PER_GB) * wallSeconds;
}

export function clampUnit(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 1;
}
