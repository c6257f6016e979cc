/**
 * Equal-width calibration bins on [0, 1]. With B bins, bin b holds scores in [b/B, (b+1)/B); the
 * last bin also holds 1. Edges are b/B computed as a division (not an accumulated step), so a
 * score of exactly 0.3 falls in bin 3 of 10, as the written interval says.
 */
export const DEFAULT_CALIBRATION_BINS = 10;
export const MAX_CALIBRATION_BINS = 1000;

export function calibrationBin(score: number, bins: number): number {
  let bin = Math.min(Math.floor(score * bins), bins - 1);
  // score·B can round across an edge; settle against the edges themselves.
  if (bin > 0 && score < bin / bins) bin -= 1;
  else if (bin < bins - 1 && score >= (bin + 1) / bins) bin += 1;
  return bin;
}

/** One point of the reliability curve (the positive class's calibration). */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean score in the bin; null when the bin is empty. */
  meanPredicted: number | null;
  /** Fraction of actual positives in the bin; null when the bin is empty. */
  observedRate: number | null;
}

export interface CalibrationReport {
  binning: 'equal-width';
  bins: number;
  /**
   * Expected calibration error over the same bins: Σ_b (n_b / n) · |mean score_b − positive rate_b|
   * (Naeini et al. 2015; Guo et al. 2017 with the positive-class probability as the confidence).
   * Empty bins contribute nothing.
   */
  curve: ReliabilityBin[];
}

/** The reliability curve of rows binned by `bin` (one pass, unweighted). */
export function reliabilityCurve(bin: ArrayLike<number>, score: ArrayLike<number>, label: ArrayLike<number>, bins: number): CalibrationReport {
  const count = new Float64Array(bins);
  const sumScore = new Float64Array(bins);
  const sumPositive = new Float64Array(bins);
  for (let i = 0; i < bin.length; i++) {
    const b = bin[i] as number;
    count[b]! += 1;
    sumScore[b]! += score[i] as number;
    sumPositive[b]! += label[i] as number;
  }
  const curve: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = count[b] as number;
    curve.push({
      lower: b / bins,
      upper: (b + 1) / bins,
      count: n,
      meanPredicted: n === 0 ? null : (sumScore[b] as number) / n,
      observedRate: n === 0 ? null : (sumPositive[b] as number) / n,
    });
  }
  return { binning: 'equal-width', bins, curve };
}
