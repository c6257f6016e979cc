/**
 * Resolves the paths an expression reads (expression-reads.ts) against the evidence document as
 * JSON and the pack's parameter values, for the `observed` record of a rule result. Absent values
 * are recorded as null (the evidence document does not tell null and absent apart for rules either);
 * through `[*]` every element gives one entry, so arrays never hold undefined.
 */
import type { PathSegment, ReadPath } from './expression-reads';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function step(value: unknown, segment: PathSegment): unknown {
  if (typeof segment !== 'string') return Array.isArray(value) ? (value as unknown[])[segment.index] : undefined;
  return isObject(value) && Object.hasOwn(value, segment) ? value[segment] : undefined;
}

type Finish = (value: unknown) => JsonValue;

const FINISH: Record<ReadPath['kind'], Finish> = {
  value: (value) => (value ?? null) as JsonValue,
  presence: (value) => value !== undefined && value !== null,
  size: (value) => {
    if (Array.isArray(value) || typeof value === 'string') return value.length;
    return isObject(value) ? Object.keys(value).length : null;
  },
};

function resolve(value: unknown, segments: readonly PathSegment[], from: number, finish: Finish): JsonValue {
  let current = value;
  for (let i = from; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === '*') return Array.isArray(current) ? current.map((item: unknown) => resolve(item, segments, i + 1, finish)) : finish(undefined);
    current = step(current, segment);
    if (current === undefined || current === null) return finish(undefined);
  }
  return finish(current);
}

export function observedValues(reads: readonly ReadPath[], roots: { evidence: unknown; params: unknown }): Record<string, JsonValue> {
  const observed: Record<string, JsonValue> = {};
  for (const read of reads) {
    const [root] = read.segments;
    const value = root === 'evidence' ? roots.evidence : roots.params;
    observed[read.label] = resolve(value, read.segments, 1, FINISH[read.kind]);
  }
  return observed;
}
