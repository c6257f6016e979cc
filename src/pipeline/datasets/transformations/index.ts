/**
 * Declarative dataset transformations (split, filter, dropColumns, pseudonymise, impute): validate
 * an untrusted spec, then apply it as a pure function producing the new versions' tables and a
 * summary to record with them. Pure library: node:crypto and seedrandom only.
 */
export * from './transformation-spec';
export { validateTransformationSpec, RATIO_SUM_TOLERANCE, type SpecProblem, type SpecValidation } from './transformation-spec.validator';
export { applyTransformation, TRANSFORMATION_ALGORITHMS } from './transformation.dispatcher';
export { TransformationError } from './transformation.error';
export { compilePredicate } from './row-filter.transform';
export type { StratumCounts } from './dataset-splitter.transform';
export type { FittedImputation } from './imputer.transform';
export {
  MIN_PSEUDONYMISATION_KEY_BYTES,
  PSEUDONYM_HEX_LENGTH,
  PSEUDONYM_PREFIX,
  pseudonym,
  pseudonymisationKeyId,
} from './pseudonymiser.transform';
export { parseNumber } from './numeric-cell';
