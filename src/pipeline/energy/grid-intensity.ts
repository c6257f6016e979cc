import type { GridIntensity } from './energy-measurement';

/**
 * The default grid intensity: the EU-27 annual average for 2023, a placeholder for deployments that
 * have not configured their own grid. Configure the intensity of the grid the machine actually draws
 * from (country or bidding zone, and year) — the EU average is wrong for every single member state
 * (2023, Ember via Our World in Data: France 56, Germany 381 gCO2e/kWh).
 *
 * How the number was obtained, so it can be checked: the European Environment Agency's indicator
 * "Greenhouse gas emission intensity of electricity generation in Europe" (ENER 038) states that in
 * 2023 the EU's electricity was 58% less GHG-intensive than in 1990, and the EEA's 2020 assessment of
 * the same indicator (IND-353) gives the 1990 EU-27 value as 510 g CO2e/kWh: 510 × 0.42 ≈ 214.
 * It is derived from two rounded published statements rather than copied from a table, and it is an
 * annual generation-based average (not marginal, not the hour the work ran), hence the ±10% stated.
 * Replace it with the figure from the EEA data viewer, or your own grid's, when configuring.
 */
export const EU27_2023_GRID_INTENSITY: GridIntensity = Object.freeze({
  gCo2ePerKwh: 214,
  source:
    'European Environment Agency, indicator ENER 038 "Greenhouse gas emission intensity of electricity generation in Europe": ' +
    '2023 is 58% below 1990; 1990 EU-27 = 510 gCO2e/kWh (EEA assessment IND-353, 2020); 510 × 0.42 ≈ 214. ' +
    'Default placeholder: configure your own grid.',
  year: '2023',
  region: 'EU-27 (annual average)',
  relativeUncertainty: 0.1,
});

/** A caller-supplied intensity; `relativeUncertainty` defaults to 0 (the caller's number taken as exact). */
export interface GridIntensityInput {
  gCo2ePerKwh: number;
  source: string;
  year: string;
  region: string;
  relativeUncertainty?: number;
}

/** Checks a configured intensity: a number with no named source is not evidence. */
export function resolveGridIntensity(input?: GridIntensityInput): GridIntensity {
  if (!input) return { ...EU27_2023_GRID_INTENSITY };
  const { gCo2ePerKwh, source, year, region } = input;
  const relativeUncertainty = input.relativeUncertainty ?? 0;
  if (!Number.isFinite(gCo2ePerKwh) || gCo2ePerKwh < 0) throw new RangeError(`grid intensity must be a non-negative number, got ${gCo2ePerKwh}`);
  if (!Number.isFinite(relativeUncertainty) || relativeUncertainty < 0 || relativeUncertainty > 1)
    throw new RangeError(`grid intensity relativeUncertainty must be in [0, 1], got ${relativeUncertainty}`);
  for (const [key, value] of Object.entries({ source, year, region })) {
    if (typeof value !== 'string' || value.trim() === '') throw new RangeError(`grid intensity needs a non-empty ${key}`);
  }
  return { gCo2ePerKwh, source, year, region, relativeUncertainty };
}
