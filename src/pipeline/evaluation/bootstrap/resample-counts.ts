/**
 * One bootstrap replicate as multiplicities: how many times each row was drawn. Metrics are then
 * weighted sums over the original (pre-sorted, pre-binned) rows, so a replicate costs one pass
 * and no copying or re-sorting.
 *
 * A row index is floor(u·n) for u uniform in [0, 1), written `(u * n) | 0` (exact for n < 2³¹).
 * Hot loops here touch no globals such as `Math`: under Jest's vm sandbox every global lookup
 * goes through an interceptor, and `Math.floor` in this loop measured 25× slower there.
 */

/** Draws `counts.length` rows with replacement from all rows (counts are overwritten). */
export function drawCounts(uniform: () => number, counts: Int32Array): void {
  const n = counts.length;
  counts.fill(0);
  for (let draw = 0; draw < n; draw++) counts[(uniform() * n) | 0]! += 1;
}

/**
 * Draws within each stratum as many rows as it has, with replacement (counts are overwritten):
 * every stratum keeps its size in every replicate. `strata` lists the row indices of each stratum.
 */
export function drawStratifiedCounts(uniform: () => number, strata: readonly Int32Array[], counts: Int32Array): void {
  counts.fill(0);
  for (const rows of strata) {
    const size = rows.length;
    for (let draw = 0; draw < size; draw++) counts[rows[(uniform() * size) | 0]!]! += 1;
  }
}

/** Weight 1 for every row: the tally of the original data. */
export function unitWeights(n: number): Int32Array {
  return new Int32Array(n).fill(1);
}
