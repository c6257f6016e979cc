import { DifferentialPrivacyError } from './differential-privacy.error';
import { MAX_RDP_ORDER, MAX_RDP_ORDERS } from './rdp-orders';

/**
 * Domain checks shared by the accountant, the calibrator and the trainer. Each throws
 * DifferentialPrivacyError with the parameter's name, so an API can say which field was wrong.
 */

function invalid(parameter: string, value: unknown, expected: string): never {
  throw new DifferentialPrivacyError('DP_PARAMETER_INVALID', `${parameter} must be ${expected} (got ${String(value)})`, { parameter, value: String(value) });
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

/** Poisson sampling rate q ∈ [0, 1]. */
export function checkSampleRate(value: unknown, parameter = 'sampleRate'): number {
  return isNumber(value) && value >= 0 && value <= 1 ? value : invalid(parameter, value, 'a number from 0 to 1');
}

/** σ ≥ 0, finite: the Gaussian noise's standard deviation in units of the clip norm (0 = no noise, ε = ∞). */
export function checkNoiseMultiplier(value: unknown, parameter = 'noiseMultiplier'): number {
  return isNumber(value) && Number.isFinite(value) && value >= 0 ? value : invalid(parameter, value, 'a finite number ≥ 0');
}

export function checkSteps(value: unknown, parameter = 'steps'): number {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : invalid(parameter, value, 'an integer ≥ 0');
}

/** δ ∈ (0, 1): the conversions take ln δ, and δ ≥ 1 promises nothing. */
export function checkDelta(value: unknown, parameter = 'delta'): number {
  return isNumber(value) && value > 0 && value < 1 ? value : invalid(parameter, value, 'a number strictly between 0 and 1');
}

export function checkPositive(value: unknown, parameter: string): number {
  return isNumber(value) && Number.isFinite(value) && value > 0 ? value : invalid(parameter, value, 'a finite number > 0');
}

/** A non-empty list of finite orders 1 < α ≤ MAX_RDP_ORDER, at most MAX_RDP_ORDERS of them. */
export function checkOrders(orders: unknown): number[] {
  if (!Array.isArray(orders) || orders.length === 0 || orders.length > MAX_RDP_ORDERS) {
    throw new DifferentialPrivacyError('DP_ORDERS_INVALID', `orders must be a list of 1 to ${MAX_RDP_ORDERS} numbers`, {
      parameter: 'orders',
      limit: MAX_RDP_ORDERS,
    });
  }
  return orders.map((order: unknown, i) => {
    if (!isNumber(order) || !(order > 1) || order > MAX_RDP_ORDER) {
      throw new DifferentialPrivacyError('DP_ORDERS_INVALID', `orders[${i}] must be a number above 1 and at most ${MAX_RDP_ORDER} (got ${String(order)})`, {
        parameter: `orders[${i}]`,
        value: String(order),
        limit: MAX_RDP_ORDER,
      });
    }
    return order;
  });
}
