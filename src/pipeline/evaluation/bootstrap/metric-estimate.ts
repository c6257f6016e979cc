/** A metric's value with its bootstrap interval, and the table that collects replicate values. */
import type { PointValue, UndefinedReason } from '../undefined-reason';
import { BOOTSTRAP_METHOD, type BootstrapSettings } from './bootstrap-options';
import { percentileBounds } from './percentile-interval';

/** A bootstrap confidence interval for one metric. */
export interface ConfidenceInterval {
  lower: number;
  upper: number;
  level: number;
  method: typeof BOOTSTRAP_METHOD;
  /** Replicates drawn. */
  resamples: number;
  /**
   * Replicates on which the metric was undefined (e.g. a replicate with no positives has no
   * recall). They are left out: the interval is over the remaining ones.
   */
  undefinedResamples: number;
}

/** Why a defined metric has no interval. */
export type MissingIntervalReason = 'bootstrap-disabled' | 'undefined-in-every-resample';

/**
 * A metric with its uncertainty: a value and its interval; a value and the reason it has no
 * interval; or null with the reason the metric is undefined.
 */
export type MetricEstimate =
  | { value: number; ci: ConfidenceInterval }
  | { value: number; ci: null; ciReason: MissingIntervalReason }
  | { value: null; reason: UndefinedReason; ci: null };

/** Combines a point value with its replicates (NaN where undefined in a replicate). */
export function metricEstimate(point: PointValue, replicates: Float64Array, settings: BootstrapSettings): MetricEstimate {
  if (point.value === null) return { value: null, reason: point.reason, ci: null };
  if (settings.resamples === 0) return { value: point.value, ci: null, ciReason: 'bootstrap-disabled' };
  const bounds = percentileBounds(replicates, settings.level);
  if (bounds === null) return { value: point.value, ci: null, ciReason: 'undefined-in-every-resample' };
  return {
    value: point.value,
    ci: { ...bounds, level: settings.level, method: BOOTSTRAP_METHOD, resamples: settings.resamples },
  };
}

/**
 * Replicate values of a fixed set of named metrics, one Float64Array each (NaN = undefined in
 * that replicate), filled replicate by replicate.
 */
export class ReplicateTable<K extends string> {
  private readonly values = new Map<K, Float64Array>();

  constructor(private readonly resamples: number) {}

  record(replicate: number, key: K, point: PointValue): void {
    let column = this.values.get(key);
    if (column === undefined) {
      column = new Float64Array(this.resamples).fill(Number.NaN);
      this.values.set(key, column);
    }
    column[replicate] = point.value ?? Number.NaN;
  }

  recordAll<P extends K>(replicate: number, points: Readonly<Record<P, PointValue>>): void {
    for (const key of Object.keys(points) as P[]) this.record(replicate, key, points[key]);
  }

  replicates(key: K): Float64Array {
    return this.values.get(key) ?? new Float64Array(this.resamples).fill(Number.NaN);
  }

  estimate(key: K, point: PointValue, settings: BootstrapSettings): MetricEstimate {
    return metricEstimate(point, this.replicates(key), settings);
  }

  estimateAll<P extends K>(points: Readonly<Record<P, PointValue>>, settings: BootstrapSettings): Record<P, MetricEstimate> {
    const result = {} as Record<P, MetricEstimate>;
    for (const key of Object.keys(points) as P[]) result[key] = this.estimate(key, points[key], settings);
    return result;
  }
}
