import { ExplainabilityError } from './explainability.error';

/**
 * Explanations become hashed evidence and HTTP bodies: plain JSON only. Throws on NaN, ±Infinity,
 * −0, undefined, typed arrays or class instances anywhere in `value` (JSON.stringify would silently
 * turn them into null, {} or nothing, and the hash would cover something else than was computed).
 */
export function assertJsonSafe(value: unknown, path = ''): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ExplainabilityError('EXPLAIN_PREDICTION_INVALID', `${path || '/'} is ${String(value)}, which JSON cannot hold`);
    if (Object.is(value, -0)) throw new ExplainabilityError('EXPLAIN_PREDICTION_INVALID', `${path || '/'} is −0, which JSON turns into 0`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertJsonSafe(item, `${path}/${i}`));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) assertJsonSafe(item, `${path}/${key}`);
    return;
  }
  throw new ExplainabilityError('EXPLAIN_PREDICTION_INVALID', `${path || '/'} is not plain JSON (${typeof value})`);
}

/** −0 as 0 (a zero attribution times a negative gradient is −0, which JSON does not round-trip). */
export function plainZero(value: number): number {
  return value === 0 ? 0 : value;
}
