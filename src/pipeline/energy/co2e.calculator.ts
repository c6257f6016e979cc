import { JOULES_PER_KWH } from './energy-assumptions';
import type { Bounds, GridIntensity } from './energy-measurement';

export interface Co2e {
  co2eGrams: number;
  co2eBoundsGrams: Bounds;
}

export function joulesToKwh(joules: number): number {
  return joules / JOULES_PER_KWH;
}

/**
 * CO2e = energy × grid intensity (the product CodeCarbon's methodology also uses). The bounds pair
 * the energy bounds with the intensity's own stated relative uncertainty: low × low, high × high.
 */
export function co2eFor(energyKwh: number, energyBoundsKwh: Bounds, grid: GridIntensity): Co2e {
  const u = grid.relativeUncertainty;
  return {
    co2eGrams: energyKwh * grid.gCo2ePerKwh,
    co2eBoundsGrams: [energyBoundsKwh[0] * grid.gCo2ePerKwh * (1 - u), energyBoundsKwh[1] * grid.gCo2ePerKwh * (1 + u)],
  };
}
