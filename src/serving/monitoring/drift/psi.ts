/**
 * Default floor for PSI proportions. An empty bin on either side makes a term infinite (ln 0): one
 * category that training never saw, or one decile no live value fell into, would end every
 * comparison. 1e-4 caps such a bin's term at about p·ln(p/1e-4) ≈ 9.2·p for a share p.
 */
export const PSI_FLOOR = 1e-4;

/**
 * The conventional reading of PSI (credit-scoring practice, e.g. Siddiqi 2006), for deciles:
 * below `moderate` (0.1) stable, from 0.1 to `significant` (0.25) a moderate shift, above 0.25 a
 * significant one.
 */
export const PSI_BANDS = { moderate: 0.1, significant: 0.25 } as const;

export type PsiBand = 'stable' | 'moderate' | 'significant';

export function psiBand(psi: number): PsiBand {
  return psi > PSI_BANDS.significant ? 'significant' : psi >= PSI_BANDS.moderate ? 'moderate' : 'stable';
}

/**
 * Population stability index Σ (a − e)·ln(a / e) over bins, e the expected (training) share and a
 * the actual share (count / total). The floor applies to both sides the same way: each share is
 * raised to max(share, floor), nothing is renormalised. So identical distributions give exactly
 * 0, a bin empty on both sides adds 0, and a bin empty on one side adds a large finite term.
 */
export function populationStabilityIndex(expected: readonly number[], actualCounts: readonly number[], options: { floor?: number } = {}): number {
  const floor = options.floor ?? PSI_FLOOR;
  if (!(floor > 0 && floor < 1)) throw new RangeError('floor must lie in (0, 1)');
  if (expected.length === 0 || expected.length !== actualCounts.length)
    throw new RangeError('expected and actualCounts need the same, non-zero number of bins');
  if (![...expected, ...actualCounts].every((v) => Number.isFinite(v) && v >= 0)) throw new RangeError('shares and counts must be finite and non-negative');
  const total = actualCounts.reduce((sum, count) => sum + count, 0);
  if (total === 0) throw new RangeError('actualCounts hold no observation');
  let psi = 0;
  expected.forEach((share, i) => {
    const e = Math.max(share, floor);
    const a = Math.max((actualCounts[i] as number) / total, floor);
    psi += (a - e) * Math.log(a / e);
  });
  return psi;
}
