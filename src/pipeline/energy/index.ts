/** Energy and resources (DESIGN.md): a pure library — Node built-ins only, no NestJS, no database. */
export { EnergyMeter, type EnergyMeterOptions } from './energy.meter';
export type {
  Bounds,
  EnergyAssumptions,
  EnergyComponents,
  EnergyMeasurement,
  EnergyMethod,
  GridIntensity,
  RaplDomainReading,
  RaplSection,
} from './energy-measurement';
export { EU27_2023_GRID_INTENSITY, type GridIntensityInput, resolveGridIntensity } from './grid-intensity';
export {
  CONFIGURED_TDP_BAND,
  DEFAULT_MEMORY_W_PER_GB,
  DEFAULT_PUE,
  DEFAULT_RAPL_RELATIVE_UNCERTAINTY,
  DEFAULT_TDP_BAND,
  DEFAULT_TDP_PER_CORE_W,
  MEMORY_BAND,
} from './energy-assumptions';
export { type Conv2dShape, conv2dForwardFlops, convOutputSize, denseForwardFlops, FlopsEstimator, type LayerCost, TRAINING_FORWARD_MULTIPLIER } from './flops.estimator';
export { type ProcessProbe, nodeProcessProbe } from './process.probe';
