/**
 * Input checks shared by the evaluators. Each returns a private copy in a compact typed array, so
 * later mutation of the caller's arrays cannot change a result half-way through.
 */
import { EvaluationError } from './evaluation.error';

export function requireRows(rows: number, field: string): void {
  if (rows === 0) throw new EvaluationError('EVALUATION_NO_ROWS', `${field} is empty`, { field });
}

export function requireLength(actual: number, expected: number, field: string): void {
  if (actual !== expected) {
    throw new EvaluationError('EVALUATION_LENGTH_MISMATCH', `${field} has ${actual} entries; expected ${expected}`, { field, expected, found: actual });
  }
}

/** Binary labels: each exactly 0 or 1. */
export function binaryLabels(yTrue: ArrayLike<number>, field = 'yTrue'): Uint8Array {
  requireRows(yTrue.length, field);
  const labels = new Uint8Array(yTrue.length);
  for (let row = 0; row < yTrue.length; row++) {
    const label = yTrue[row];
    if (label !== 0 && label !== 1) throw new EvaluationError('EVALUATION_LABEL_INVALID', `${field}[${row}] is not 0 or 1`, { field, row });
    labels[row] = label;
  }
  return labels;
}

/** Class indices: each an integer in [0, classes). */
export function classLabels(yTrue: ArrayLike<number>, classes: number, field = 'yTrue'): Int32Array {
  requireRows(yTrue.length, field);
  const labels = new Int32Array(yTrue.length);
  for (let row = 0; row < yTrue.length; row++) {
    const label = yTrue[row] as number;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new EvaluationError('EVALUATION_LABEL_INVALID', `${field}[${row}] is not a class index in [0, ${classes})`, { field, row, expected: classes });
    }
    labels[row] = label;
  }
  return labels;
}

/** Probabilities: each finite and in [0, 1]. `width` entries make one row (for error details). */
export function probabilities(scores: ArrayLike<number>, expectedLength: number, field = 'scores', width = 1): Float64Array {
  requireLength(scores.length, expectedLength, field);
  const values = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    if (!(score >= 0 && score <= 1)) {
      throw new EvaluationError('EVALUATION_SCORE_INVALID', `${field}[${i}] is not a finite probability in [0, 1]`, { field, row: (i - (i % width)) / width });
    }
    values[i] = score;
  }
  return values;
}

/**
 * Largest |row sum − 1| accepted for a probability matrix: float32 softmax rounding is ~1e-7 per
 * row; anything far beyond that is not a probability distribution (logits, or the wrong axis).
 */
export const ROW_SUM_TOLERANCE = 1e-3;

/** A rows × classes probability matrix, row-major: entries in [0, 1], rows summing to 1. */
export function probabilityMatrix(scores: ArrayLike<number>, rows: number, classes: number, field = 'scores'): Float64Array {
  const values = probabilities(scores, rows * classes, field, classes);
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += values[row * classes + k] as number;
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw new EvaluationError('EVALUATION_SCORE_INVALID', `${field} row ${row} sums to ${sum.toPrecision(6)}, not 1`, { field, row });
    }
  }
  return values;
}

/** Default decision threshold: a row is predicted positive when its score is ≥ 0.5. */
export const DEFAULT_THRESHOLD = 0.5;

/** A decision threshold in [0, 1]. */
export function threshold(value: number | undefined, fallback: number, field = 'options.threshold'): number {
  const chosen = value ?? fallback;
  if (!(chosen >= 0 && chosen <= 1)) throw new EvaluationError('EVALUATION_OPTION_INVALID', `${field} must be in [0, 1]`, { field });
  return chosen;
}

export function positiveInteger(value: number | undefined, fallback: number, field: string, max = Number.MAX_SAFE_INTEGER): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > max) {
    throw new EvaluationError('EVALUATION_OPTION_INVALID', `${field} must be an integer in [1, ${max}]`, { field });
  }
  return chosen;
}

/** A categorical column aligned with the rows (a slicing column or a sensitive attribute). */
export function stringColumn(values: readonly string[], rows: number, field: string): string[] {
  const untrusted: unknown = values;
  if (!Array.isArray(untrusted)) throw new EvaluationError('EVALUATION_ATTRIBUTE_INVALID', `${field} is not an array`, { field });
  requireLength(values.length, rows, field);
  for (let row = 0; row < rows; row++) {
    if (typeof values[row] !== 'string') throw new EvaluationError('EVALUATION_ATTRIBUTE_INVALID', `${field}[${row}] is not a string`, { field, row });
  }
  return Array.from(values);
}

/** Named categorical columns; at least one, none unnamed. */
export function namedColumns(columns: Readonly<Record<string, readonly string[]>>, rows: number, field: string): [string, readonly string[]][] {
  return Object.entries(columns).map(([name, values]) => {
    if (name === '') throw new EvaluationError('EVALUATION_ATTRIBUTE_INVALID', `${field} has a column without a name`, { field });
    return [name, stringColumn(values, rows, `${field}.${name}`)];
  });
}
