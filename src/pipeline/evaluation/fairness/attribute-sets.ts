/**
 * The attribute sets fairness is assessed over: each sensitive attribute alone, then every
 * combination of 2…k of them (intersections), in input order.
 */
import { EvaluationError } from '../evaluation.error';

export const DEFAULT_MAX_INTERSECTION_SIZE = 2;

export function attributeSets(names: readonly string[], maxIntersectionSize: number | undefined): string[][] {
  const k = maxIntersectionSize ?? DEFAULT_MAX_INTERSECTION_SIZE;
  if (!Number.isInteger(k) || k < 1) {
    throw new EvaluationError('EVALUATION_OPTION_INVALID', 'maxIntersectionSize must be an integer ≥ 1 (1: no intersections)', { field: 'options.maxIntersectionSize' });
  }
  const sets: string[][] = [];
  const extend = (chosen: string[], from: number, size: number): void => {
    if (chosen.length === size) {
      sets.push(chosen);
      return;
    }
    for (let i = from; i < names.length; i++) extend([...chosen, names[i] as string], i + 1, size);
  };
  for (let size = 1; size <= Math.min(k, names.length); size++) extend([], 0, size);
  return sets;
}
