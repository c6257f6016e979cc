/**
 * Double-precision helpers for the accountant, which sums terms far beyond the range of a double
 * (e^(α²/2σ²) for α = 63, σ = 0.5) and so works with their logarithms throughout.
 */

/** ln(e^a + e^b) without overflow. */
export function logAdd(a: number, b: number): number {
  const [low, high] = a < b ? [a, b] : [b, a];
  if (low === -Infinity) return high;
  return Math.log1p(Math.exp(low - high)) + high;
}

/** ln(e^a − e^b) for a ≥ b; undefined (NaN) for a < b, which the caller treats as a numerical failure. */
export function logSub(a: number, b: number): number {
  if (a < b) return NaN;
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  const d = a - b;
  // expm1 overflows beyond ~709: then e^a − e^b = e^a to double precision.
  return d > 700 ? a : Math.log(Math.expm1(d)) + b;
}

const LN_SQRT_PI = 0.5 * Math.log(Math.PI);
const CONTINUED_FRACTION_FROM = 2;

/**
 * ln erfc(x) for every real x, to about 1e-14 relative: the positive-term series of erf below 2
 * (erfc = 1 − erf loses at most two digits there), the Laplace continued fraction of erfc from 2
 * on, evaluated in log space so that ln erfc(100) = −10005.177… rather than ln 0.
 * JavaScript has no erfc; TensorFlow Privacy uses scipy's log_ndtr for the same purpose.
 */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)));
  if (x < CONTINUED_FRACTION_FROM) return Math.log1p(-erfSeries(x));
  if (x === Infinity) return -Infinity;
  return -x * x - LN_SQRT_PI - Math.log(erfcContinuedFraction(x));
}

/** erf(x) = 2/√π · e^(−x²) · Σ (2x²)ⁿ x / (1·3·…·(2n+1)), all terms positive (Abramowitz & Stegun 7.1.6). */
function erfSeries(x: number): number {
  const twoXSquared = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= twoXSquared / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/**
 * g(x) with erfc(x) = e^(−x²) / (√π · g(x)), g(x) = x + (1/2)/(x + 1/(x + (3/2)/(x + …)))
 * (Abramowitz & Stegun 7.1.14), by the modified Lentz method.
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = f;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}
