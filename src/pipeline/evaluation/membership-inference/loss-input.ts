/**
 * Input checks for the membership-inference attack: per-example losses must be present and
 * finite. Each check returns a private Float64Array copy, so later mutation of the caller's arrays
 * cannot change a result half-way through.
 */
import { EvaluationError } from '../evaluation.error';
import { requireRows } from '../input-validation';

/** Finite losses (any sign: the attack only ranks them), copied. */
export function finiteLosses(values: ArrayLike<number>, field: string): Float64Array {
  const untrusted: unknown = values;
  if (typeof untrusted !== 'object' || untrusted === null || typeof (untrusted as { length?: unknown }).length !== 'number') {
    throw new EvaluationError('EVALUATION_SCORE_INVALID', `${field} is not an array of losses`, { field });
  }
  requireRows(values.length, field);
  const losses = new Float64Array(values.length);
  for (let row = 0; row < values.length; row++) {
    const loss = values[row];
    if (typeof loss !== 'number' || !Number.isFinite(loss)) {
      throw new EvaluationError('EVALUATION_SCORE_INVALID', `${field}[${row}] is not a finite loss`, { field, row });
    }
    losses[row] = loss;
  }
  return losses;
}

/** The arithmetic mean, summed as x/n so that finite inputs give a finite mean. */
export function meanOf(values: Float64Array): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i] as number) / n;
  return sum;
}
