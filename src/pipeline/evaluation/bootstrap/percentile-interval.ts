/**
 * Percentile-bootstrap interval ends. Quantiles interpolate linearly between order statistics
 * (Hyndman & Fan type 7: numpy's and R's default), so they match `np.percentile` on the same
 * replicate values.
 */

/** The p-quantile of ascending `sorted` (non-empty), type 7. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

export interface PercentileBounds {
  lower: number;
  upper: number;
  /** Replicates on which the metric was undefined (left out of the quantiles). */
  undefinedResamples: number;
}

/**
 * The central `level` interval of the replicate values; NaN marks a replicate on which the metric
 * was undefined. Null when no replicate has a value.
 */
export function percentileBounds(replicates: Float64Array, level: number): PercentileBounds | null {
  const values = replicates.filter((value) => !Number.isNaN(value)).sort();
  if (values.length === 0) return null;
  const tail = (1 - level) / 2;
  return { lower: quantile(values, tail), upper: quantile(values, 1 - tail), undefinedResamples: replicates.length - values.length };
}
