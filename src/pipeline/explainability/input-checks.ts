import { ExplainabilityError } from './explainability.error';

/**
 * Argument checks shared by the explainers. Every public entry point validates what it is given,
 * because requests (a row to explain, a background sample) may come from outside.
 */

/** A row-major `rows × features` matrix of finite values. */
export function checkMatrix(x: Float32Array, rows: number, features: number, option: string): void {
  if (!(x instanceof Float32Array)) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `${option} must be a Float32Array`, { option });
  checkInteger(rows, option === 'x' ? 'rows' : `${option}.rows`, 1);
  if (x.length !== rows * features) {
    throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `${option} holds ${x.length} values; ${rows} rows × ${features} features need ${rows * features}`, {
      option,
      expected: rows * features,
      found: x.length,
    });
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `${option} has a non-finite value at row ${Math.floor(i / features)}, feature ${i % features}`, {
        option,
        index: i,
      });
    }
  }
}

export function checkInteger(value: number, option: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `${option} must be an integer from ${min} to ${max} (got ${String(value)})`, { option });
  }
}

export function checkPositive(value: number, option: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `${option} must be a positive number`, { option });
}

export function checkNonNegative(value: number, option: string): void {
  if (!Number.isFinite(value) || value < 0) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `${option} must be a finite number ≥ 0`, { option });
}

/** Seeds are unsigned 32-bit integers, as everywhere in the training library. */
export function checkSeed(seed: number): void {
  checkInteger(seed, 'seed', 0, 0xffff_ffff);
}

/** The output of a predict function: `expected` finite values. */
export function checkPredictions(values: Float32Array, expected: number): void {
  if (!(values instanceof Float32Array) || values.length !== expected) {
    throw new ExplainabilityError('EXPLAIN_PREDICTION_INVALID', `the predict function returned ${String(values?.length)} values; expected ${expected}`, {
      expected,
      found: values?.length ?? 0,
    });
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ExplainabilityError('EXPLAIN_PREDICTION_INVALID', `the predict function returned a non-finite value at ${i}`, { index: i });
    }
  }
}
