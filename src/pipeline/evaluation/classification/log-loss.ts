/**
 * Log loss clips probabilities to [ε, 1 − ε] before taking logarithms, as scikit-learn's
 * `log_loss` does (since 1.5, ε is the machine epsilon of the input's float type; for float64 that
 * is 2.220446049250313e-16 = Number.EPSILON). A confidently wrong score of exactly 0 or 1 then
 * costs −ln ε ≈ 36.04 instead of infinity.
 */
import { EvaluationError } from '../evaluation.error';

export const DEFAULT_LOG_LOSS_EPSILON = Number.EPSILON;

export function logLossEpsilon(value: number | undefined): number {
  const epsilon = value ?? DEFAULT_LOG_LOSS_EPSILON;
  if (!(epsilon > 0 && epsilon < 0.5)) {
    throw new EvaluationError('EVALUATION_OPTION_INVALID', 'logLossEpsilon must be in (0, 0.5)', { field: 'options.logLossEpsilon' });
  }
  return epsilon;
}

/** −ln p with p clipped to [ε, 1 − ε]: the loss of giving the true class probability p. */
export function clippedNegativeLog(probability: number, epsilon: number): number {
  return -Math.log(Math.min(Math.max(probability, epsilon), 1 - epsilon));
}
