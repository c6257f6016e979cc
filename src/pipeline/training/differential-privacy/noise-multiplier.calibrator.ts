import { DifferentialPrivacyError } from './differential-privacy.error';
import { checkDelta, checkOrders, checkPositive, checkSampleRate, checkSteps } from './dp-parameters.validator';
import { checkConversion, DEFAULT_RDP_CONVERSION, epsilonFromRdp, type RdpConversion } from './epsilon.converter';
import { computePrivacySpent, type PrivacySpent } from './privacy-spent';
import { DEFAULT_RDP_ORDERS } from './rdp-orders';

/**
 * "What noise do I need?": the smallest noise multiplier σ whose (ε, δ) stays within a target ε,
 * by bisection — ε falls strictly as σ grows (RDP falls at every order). The answer errs on the
 * safe side: its ε is ≤ the target, and σ is within `relativeTolerance` of the exact threshold.
 */
export interface CalibrationOptions {
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  orders?: readonly number[];
  conversion?: RdpConversion;
  /** Relative width of the final σ bracket; default 1e-6. */
  relativeTolerance?: number;
}

export interface Calibration {
  noiseMultiplier: number;
  /** The privacy spent at that σ (epsilon ≤ targetEpsilon). */
  privacy: PrivacySpent;
}

/** Beyond this σ the question is not a practical one; the caller hears DP_TARGET_UNREACHABLE. */
export const MAX_NOISE_MULTIPLIER = 1e6;

export function noiseMultiplierForEpsilon(options: CalibrationOptions): Calibration {
  const targetEpsilon = checkPositive(options.targetEpsilon, 'targetEpsilon');
  const delta = checkDelta(options.delta);
  const sampleRate = checkSampleRate(options.sampleRate);
  const steps = checkSteps(options.steps);
  const orders = checkOrders(options.orders ?? DEFAULT_RDP_ORDERS);
  const conversion = checkConversion(options.conversion ?? DEFAULT_RDP_CONVERSION);
  const relativeTolerance = checkPositive(options.relativeTolerance ?? 1e-6, 'relativeTolerance');
  const spent = (noiseMultiplier: number) => computePrivacySpent({ sampleRate, noiseMultiplier, steps, delta, orders, conversion });
  const meets = (privacy: PrivacySpent) => privacy.epsilon !== null && privacy.epsilon <= targetEpsilon;

  // Touching no data (q = 0 or no steps) spends nothing, noise or not.
  const noiseless = spent(0);
  if (meets(noiseless)) return { noiseMultiplier: 0, privacy: noiseless };
  // σ → ∞ drives RDP to 0 at every order; what remains is the conversion's own floor.
  const floor = epsilonFromRdp(orders, orders.map(() => 0), delta, conversion).epsilon;
  if (floor >= targetEpsilon) {
    throw new DifferentialPrivacyError(
      'DP_TARGET_UNREACHABLE',
      `no noise reaches ε = ${targetEpsilon} at δ = ${delta} with these orders and the ${conversion} conversion (ε > ${floor} for every σ)`,
      { parameter: 'targetEpsilon', value: String(targetEpsilon), floor },
    );
  }

  let low = 0;
  let high = 1;
  let atHigh = spent(high);
  while (!meets(atHigh)) {
    low = high;
    high *= 2;
    if (high > MAX_NOISE_MULTIPLIER) {
      throw new DifferentialPrivacyError('DP_TARGET_UNREACHABLE', `ε = ${targetEpsilon} needs a noise multiplier above ${MAX_NOISE_MULTIPLIER}`, {
        parameter: 'targetEpsilon',
        value: String(targetEpsilon),
        limit: MAX_NOISE_MULTIPLIER,
        floor,
      });
    }
    atHigh = spent(high);
  }
  while (high - low > relativeTolerance * high) {
    const middle = (low + high) / 2;
    const atMiddle = spent(middle);
    if (meets(atMiddle)) {
      high = middle;
      atHigh = atMiddle;
    } else {
      low = middle;
    }
  }
  return { noiseMultiplier: high, privacy: atHigh };
}
