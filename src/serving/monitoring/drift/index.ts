/**
 * Post-market drift monitoring: a baseline of the training distribution (buildMonitoringBaseline),
 * the per-prediction monitoring view the decision log stores instead of the input (monitoringView),
 * and the comparison of a window of logged predictions with the baseline (assessWindow: PSI, binned
 * KS, prediction-rate and accuracy deltas). Pure library: no NestJS, no database; the baseline and
 * every result are plain JSON.
 */
export {
  buildMonitoringBaseline,
  BASELINE_FORMAT,
  BASELINE_VERSION,
  DEFAULT_QUANTILES,
  MISSING_GROUP,
  PSI_BINS,
  type BaselineInput,
  type CategoricalProfile,
  type FeatureProfile,
  type GroupProfile,
  type MonitoringBaseline,
  type NumericProfile,
} from './baseline';
export { monitoringView, UNKNOWN_CATEGORY, type MonitoringRecord, type MonitoringView } from './monitoring-view';
export { populationStabilityIndex, psiBand, PSI_BANDS, PSI_FLOOR, type PsiBand } from './psi';
export { binnedKolmogorovSmirnov, kolmogorovSmirnovPValue, type BinnedKsResult } from './ks';
export {
  assessWindow,
  type LoggedPrediction,
  type MonitoringMetric,
  type MonitoringMetricName,
  type MonitoringThresholds,
  type WindowAssessment,
  type WindowInput,
} from './window-assessment';
