import { DifferentialPrivacyError } from './differential-privacy.error';
import { checkNoiseMultiplier, checkOrders, checkSampleRate, checkSteps } from './dp-parameters.validator';
import { logAdd, logErfc, logSub } from './log-space.math';
import { DEFAULT_RDP_ORDERS } from './rdp-orders';

/**
 * Rényi differential privacy of the sampled Gaussian mechanism — the DP-SGD step: each example is
 * included with probability q (Poisson sampling), the sum of clipped contributions gets Gaussian
 * noise of standard deviation σ times the clip norm. Mironov, Talwar & Zhang 2019, "Rényi
 * Differential Privacy of the Sampled Gaussian Mechanism" (arXiv:1908.10530): RDP(α) = ln A_α / (α − 1),
 * A_α computed as TensorFlow Privacy's rdp_accountant (and Opacus's copy of it) does:
 *
 * - integer α: the exact binomial expansion (§3.3, eq. for integer α)
 *   A_α = Σ_{i=0..α} C(α, i) (1 − q)^(α−i) q^i exp((i² − i) / 2σ²), summed in log space;
 * - fractional α: the two convergent series of §3.3 (TF Privacy `_compute_log_a_frac`), each term
 *   carrying a Gaussian tail ½ erfc(·); summed until both terms fall below e^−30 — once past
 *   i = α, which TF Privacy does not wait for (see logAFractional).
 *
 * RDP composes additively: T steps spend T · RDP(α) at every order α.
 */

/** Series terms the fractional path may sum before giving up (it needs tens to thousands in practice). */
const MAX_SERIES_TERMS = 2_000_000;
/** TF Privacy stops the fractional series once both new terms are below e^−30 (relative to A ≥ 1). */
const SERIES_CUTOFF = -30;

export interface RdpOptions {
  /** Poisson sampling rate q = expected batch size / dataset size, in [0, 1]. */
  sampleRate: number;
  /** σ: noise standard deviation ÷ clip norm, ≥ 0 (0 → RDP = ∞ unless q = 0). */
  noiseMultiplier: number;
  /** Steps composed, ≥ 0. */
  steps: number;
  /** Orders α > 1; default DEFAULT_RDP_ORDERS. */
  orders?: readonly number[];
}

/** RDP of `steps` sampled Gaussian steps at each order (same order as `orders`); Infinity where unbounded. */
export function computeRdp(options: RdpOptions): number[] {
  const q = checkSampleRate(options.sampleRate);
  const sigma = checkNoiseMultiplier(options.noiseMultiplier);
  const steps = checkSteps(options.steps);
  const orders = checkOrders(options.orders ?? DEFAULT_RDP_ORDERS);
  return orders.map((alpha) => (steps === 0 ? 0 : steps * stepRdp(q, sigma, alpha)));
}

/**
 * Per-step values already computed, by `q|σ|α`: a run asks again every epoch, and the fractional
 * series can take thousands of terms. Bounded; cleared when full.
 */
const memo = new Map<string, number>();
const MEMO_LIMIT = 20_000;

/** RDP of one step at one order; arguments already validated. */
export function stepRdp(q: number, sigma: number, alpha: number): number {
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  // Without subsampling the mechanism is the plain Gaussian one: RDP(α) = α / 2σ² (Mironov 2017, Prop. 7).
  if (q === 1) return alpha / (2 * sigma * sigma);
  const key = `${q}|${sigma}|${alpha}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAFractional(q, sigma, alpha);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, logA / (alpha - 1));
  return logA / (alpha - 1);
}

/** Per-order sum of RDP curves over the same orders: composition of different mechanisms (or runs). */
export function composeRdp(...curves: readonly (readonly number[])[]): number[] {
  const length = curves[0]?.length ?? 0;
  if (curves.some((curve) => curve.length !== length)) {
    throw new DifferentialPrivacyError('DP_ORDERS_INVALID', 'RDP curves compose only over the same orders', { parameter: 'curves' });
  }
  return Array.from({ length }, (_, k) => curves.reduce((sum, curve) => sum + (curve[k] as number), 0));
}

function logAInteger(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const twoSigmaSquared = 2 * sigma * sigma;
  let logA = -Infinity;
  let logBinomial = 0; // ln C(α, i), built up term by term
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinomial += Math.log((alpha - i + 1) / i);
    logA = logAdd(logA, logBinomial + i * logQ + (alpha - i) * log1mQ + (i * i - i) / twoSigmaSquared);
  }
  return logA;
}

function logAFractional(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const sigmaSquared = sigma * sigma;
  const z0 = sigmaSquared * Math.log(1 / q - 1) + 0.5;
  const tailScale = Math.SQRT2 * sigma;
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  let logAbsBinomial = 0; // ln |C(α, i)|
  let binomialPositive = true;
  for (let i = 0; i < MAX_SERIES_TERMS; i++) {
    if (i > 0) {
      const factor = (alpha - i + 1) / i;
      logAbsBinomial += Math.log(Math.abs(factor));
      if (factor < 0) binomialPositive = !binomialPositive;
    }
    const j = alpha - i;
    const logT0 = logAbsBinomial + i * logQ + j * log1mQ;
    const logT1 = logAbsBinomial + j * logQ + i * log1mQ;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / tailScale);
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / tailScale);
    const logS0 = logT0 + (i * i - i) / (2 * sigmaSquared) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigmaSquared) + logE1;
    if (binomialPositive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Number.isNaN(logA0) || Number.isNaN(logA1)) {
      throw numerical(q, sigma, alpha, 'the fractional series lost its sign');
    }
    // TF Privacy stops at the first small pair of terms; when α·ln(1 − q) < −30 (q near ½, large α)
    // the very first terms are that small, before the bulk at i ≈ qα, and A came out < 1 (RDP < 0).
    // Past i = α the terms only shrink, so the cutoff applies from there.
    if (i > alpha && Math.max(logS0, logS1) < SERIES_CUTOFF) return logAdd(logA0, logA1);
  }
  throw numerical(q, sigma, alpha, `the fractional series did not converge in ${MAX_SERIES_TERMS} terms`);
}

function numerical(q: number, sigma: number, alpha: number, reason: string): DifferentialPrivacyError {
  return new DifferentialPrivacyError('DP_ACCOUNTANT_NUMERICAL', `RDP at order ${alpha} (q = ${q}, σ = ${sigma}): ${reason}`, { reason, value: String(alpha) });
}
