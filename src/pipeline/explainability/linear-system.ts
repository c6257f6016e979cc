import { ExplainabilityError } from './explainability.error';

/**
 * Solves the square system A·u = b (row-major A, n × n) by Gaussian elimination with partial
 * pivoting, in float64. Returns null when a pivot vanishes (relative to the largest entry), so
 * the caller decides how to regularise. Sizes here are the number of feature groups plus one.
 */
export function solveLinearSystem(matrix: Float64Array, rhs: Float64Array, n: number): Float64Array | null {
  if (matrix.length !== n * n || rhs.length !== n) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', 'linear system of inconsistent size');
  const a = matrix.slice();
  const b = rhs.slice();
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  const tiny = (scale || 1) * 1e-13;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col] as number) > Math.abs(a[pivot * n + col] as number)) pivot = r;
    const p = a[pivot * n + col] as number;
    if (!(Math.abs(p) > tiny)) return null;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const held = a[col * n + c] as number;
        a[col * n + c] = a[pivot * n + c] as number;
        a[pivot * n + c] = held;
      }
      const held = b[col] as number;
      b[col] = b[pivot] as number;
      b[pivot] = held;
    }
    for (let r = col + 1; r < n; r++) {
      const factor = (a[r * n + col] as number) / p;
      if (factor === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] = (a[r * n + c] as number) - factor * (a[col * n + c] as number);
      b[r] = (b[r] as number) - factor * (b[col] as number);
    }
  }
  const u = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r] as number;
    for (let c = r + 1; c < n; c++) s -= (a[r * n + c] as number) * (u[c] as number);
    u[r] = s / (a[r * n + r] as number);
  }
  return u;
}
