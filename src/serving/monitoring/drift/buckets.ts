/**
 * Helpers shared by the drift modules. Bucketing has one definition for the baseline (training
 * values) and the monitoring view (live values), so a live count and a training share always
 * describe the same interval.
 */

/** How many of the ascending `bounds` are strictly less than `value`: v ≤ bounds[0] → 0, v > the last → bounds.length. */
export function bucketOf(bounds: readonly number[], value: number): number {
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((bounds[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** How many of the ascending `values` are ≤ `value`. */
export function countAtMost(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((values[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The PSI bin of each quantile bucket (index = bucket). PSI cuts are a subset of the edges, so
 * bucket b (edges[b−1], edges[b]] lies in one PSI bin: the number of cuts ≤ edges[b−1].
 */
export function psiBinOfBucket(edges: readonly number[], psiBins: readonly number[]): number[] {
  return [0, ...edges.map((edge) => countAtMost(psiBins, edge))];
}

/** counts[index] += amount (the index is known to be in range). */
export function addTo(counts: number[], index: number, amount = 1): void {
  counts[index] = (counts[index] ?? 0) + amount;
}

/** count / total, 0 for an empty total (the callers flag that case separately). */
export function share(count: number, total: number): number {
  return total > 0 ? count / total : 0;
}

/** `record[key]` when it is an own property: a group value like `constructor` must not reach Object.prototype. */
export function own<T>(from: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(from, key) ? from[key] : undefined;
}
