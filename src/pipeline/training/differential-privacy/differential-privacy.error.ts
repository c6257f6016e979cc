/** Every way privacy accounting or DP-SGD training can fail on its own terms. The codes are stable API. */
export const DIFFERENTIAL_PRIVACY_ERROR_CODES = [
  /** A sample rate, noise multiplier, step count, δ, clip norm or batch size out of its domain. */
  'DP_PARAMETER_INVALID',
  /** RDP orders that are not finite numbers above 1, or too many of them. */
  'DP_ORDERS_INVALID',
  /** No noise multiplier reaches the target ε with these orders and this conversion. */
  'DP_TARGET_UNREACHABLE',
  /** The accountant's series did not converge or lost its sign (never seen in the supported domain). */
  'DP_ACCOUNTANT_NUMERICAL',
  /** A model spec DP-SGD does not train (CNN layers, dropout, balanced class weights). */
  'DP_SPEC_UNSUPPORTED',
  /** A resume checkpoint without privacy accounting, or with that of another configuration. */
  'DP_CHECKPOINT_MISMATCH',
] as const;

export type DifferentialPrivacyErrorCode = (typeof DIFFERENTIAL_PRIVACY_ERROR_CODES)[number];

/** JSON-safe context; never holds training data. */
export interface DifferentialPrivacyErrorDetails {
  /** The offending option (`noiseMultiplier`, `orders[3]`, `hiddenLayers[0].dropout`, …). */
  parameter?: string;
  /** The offending value as text: it may be NaN or Infinity, which JSON cannot hold. */
  value?: string;
  limit?: number;
  /** DP_TARGET_UNREACHABLE: the smallest ε any noise multiplier reaches (σ → ∞). */
  floor?: number;
  reason?: string;
}

export class DifferentialPrivacyError extends Error {
  override readonly name = 'DifferentialPrivacyError';

  constructor(
    readonly code: DifferentialPrivacyErrorCode,
    message: string,
    readonly details: DifferentialPrivacyErrorDetails = {},
  ) {
    super(message);
  }
}
