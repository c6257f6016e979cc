import { DifferentialPrivacyError } from './differential-privacy.error';
import { checkDelta, checkOrders } from './dp-parameters.validator';

/**
 * From an RDP curve to (ε, δ)-DP, minimising over the orders:
 *
 * - `classic`: ε = min_α RDP(α) − ln δ / (α − 1) (Mironov 2017, "Rényi Differential Privacy",
 *   Prop. 3). The conversion behind the ε published with TensorFlow Privacy and Opacus before 2021.
 * - `balle2020`: ε = min_α RDP(α) + ln((α − 1)/α) − (ln δ + ln α) / (α − 1) (Balle, Barthe,
 *   Gaboardi, Hsu & Sato 2020, "Hypothesis Testing Interpretations and Rényi Differential
 *   Privacy", Prop. 12; Asoodeh et al. 2020 eq. 20) — what dp_accounting and Opacus use now.
 *   Always smaller: per order the two differ by ln(1 − 1/α) − ln α / (α − 1) < 0. As in
 *   dp_accounting, orders ≤ 1.01 are skipped (the bound is unstable there) and ε = 0 when
 *   δ² ≥ 1 − e^(−RDP(α)) (then even the KL divergence ≤ RDP(α) forces total variation ≤ δ).
 */
export type RdpConversion = 'classic' | 'balle2020';

export const RDP_CONVERSIONS: readonly RdpConversion[] = ['classic', 'balle2020'];

/** The tighter, current conversion. */
export const DEFAULT_RDP_CONVERSION: RdpConversion = 'balle2020';

export interface EpsilonAtOrder {
  /** Infinity when every order's bound is (RDP unbounded). */
  epsilon: number;
  /** The order attaining the minimum; null when ε is unbounded. */
  optimalOrder: number | null;
}

export function epsilonFromRdp(orders: readonly number[], rdp: readonly number[], delta: number, conversion: RdpConversion = DEFAULT_RDP_CONVERSION): EpsilonAtOrder {
  const checkedOrders = checkOrders(orders);
  const checkedDelta = checkDelta(delta);
  checkConversion(conversion);
  if (rdp.length !== checkedOrders.length) {
    throw new DifferentialPrivacyError('DP_ORDERS_INVALID', `${rdp.length} RDP values for ${checkedOrders.length} orders`, { parameter: 'rdp' });
  }
  let best: EpsilonAtOrder = { epsilon: Infinity, optimalOrder: null };
  checkedOrders.forEach((alpha, k) => {
    const r = rdp[k] as number;
    if (Number.isNaN(r) || r < 0) {
      throw new DifferentialPrivacyError('DP_PARAMETER_INVALID', `rdp[${k}] must be a number ≥ 0 (got ${r})`, { parameter: `rdp[${k}]`, value: String(r) });
    }
    const epsilon = conversion === 'classic' ? classic(alpha, r, checkedDelta) : balle2020(alpha, r, checkedDelta);
    if (epsilon < best.epsilon) best = { epsilon, optimalOrder: alpha };
  });
  return best;
}

export function checkConversion(conversion: unknown): RdpConversion {
  if (!RDP_CONVERSIONS.includes(conversion as RdpConversion)) {
    throw new DifferentialPrivacyError('DP_PARAMETER_INVALID', `conversion must be one of ${RDP_CONVERSIONS.join(', ')}`, {
      parameter: 'conversion',
      value: String(conversion),
    });
  }
  return conversion as RdpConversion;
}

function classic(alpha: number, rdp: number, delta: number): number {
  return rdp - Math.log(delta) / (alpha - 1);
}

function balle2020(alpha: number, rdp: number, delta: number): number {
  if (delta * delta + Math.expm1(-rdp) > 0) return 0;
  if (alpha <= 1.01) return Infinity;
  return Math.max(0, rdp + Math.log1p(-1 / alpha) - Math.log(delta * alpha) / (alpha - 1));
}
