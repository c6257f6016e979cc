/** Options shared by the fairness assessment and the label-balance report, with their defaults. */
import { EvaluationError } from '../evaluation.error';
import { namedColumns, positiveInteger } from '../input-validation';

/** Groups with fewer rows are flagged `tooSmallToJudge` and left out of between-group comparisons. */
export const DEFAULT_MIN_GROUP_SIZE = 30;
/** The four-fifths (80 %) rule of the US Uniform Guidelines on Employee Selection Procedures, 29 CFR §1607.4(D). */
export const DEFAULT_FOUR_FIFTHS_THRESHOLD = 0.8;

export interface GroupingOptions {
  /** Default 30. */
  minGroupSize?: number;
  /** Largest intersection: combinations of 2…k attributes are assessed. Default 2 (all pairs); 1 for none. */
  maxIntersectionSize?: number;
}

export function minGroupSize(value: number | undefined): number {
  return positiveInteger(value, DEFAULT_MIN_GROUP_SIZE, 'options.minGroupSize');
}

export function fourFifthsThreshold(value: number | undefined): number {
  const chosen = value ?? DEFAULT_FOUR_FIFTHS_THRESHOLD;
  if (!(chosen > 0 && chosen <= 1)) throw new EvaluationError('EVALUATION_OPTION_INVALID', 'fourFifthsThreshold must be in (0, 1]', { field: 'options.fourFifthsThreshold' });
  return chosen;
}

/** The sensitive attributes as a name → column map: at least one. */
export function sensitiveAttributes(attributes: Readonly<Record<string, readonly string[]>>, rows: number): Map<string, readonly string[]> {
  if (attributes === null || typeof attributes !== 'object') {
    throw new EvaluationError('EVALUATION_ATTRIBUTE_INVALID', 'attributes must map attribute names to columns', { field: 'attributes' });
  }
  const columns = new Map(namedColumns(attributes, rows, 'attributes'));
  if (columns.size === 0) throw new EvaluationError('EVALUATION_ATTRIBUTE_INVALID', 'at least one sensitive attribute is needed', { field: 'attributes' });
  return columns;
}
