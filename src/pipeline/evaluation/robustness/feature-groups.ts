/**
 * Encoded features grouped back to the original columns they came from (a numeric column is one
 * feature; a one-hot column is all of its slots), and per-feature training statistics of the
 * encoded matrix: what masking and noise are measured against.
 */
import { encodedNames, type PreprocessorState } from '../../training/preprocessing/preprocessor-state';
import { EvaluationError } from '../evaluation.error';

export interface FeatureGroup {
  /** The original column. */
  column: string;
  /** Indices of its encoded features in x. */
  features: number[];
}

/** The groups of a fitted preprocessor, in its feature order. */
export function featureGroupsFromPreprocessor(state: Pick<PreprocessorState, 'features'>): FeatureGroup[] {
  let offset = 0;
  return state.features.map((feature) => {
    const width = encodedNames(feature).length;
    const group = { column: feature.column, features: Array.from({ length: width }, (_, i) => offset + i) };
    offset += width;
    return group;
  });
}

export interface EncodedFeatureStatistics {
  /** Mean of each encoded feature (for a one-hot slot: its category's frequency). */
  means: number[];
  /** Population standard deviation of each encoded feature. */
  standardDeviations: number[];
}

/** Means and standard deviations of a rows × features row-major matrix (e.g. the encoded training split). */
export function encodedFeatureStatistics(x: ArrayLike<number>, rows: number): EncodedFeatureStatistics {
  if (!Number.isInteger(rows) || rows < 1 || x.length % rows !== 0) {
    throw new EvaluationError('EVALUATION_LENGTH_MISMATCH', `x has ${x.length} entries: not a multiple of ${rows} rows`, { field: 'x', found: x.length });
  }
  const width = x.length / rows;
  const means = new Array<number>(width).fill(0);
  const squares = new Array<number>(width).fill(0);
  for (let row = 0; row < rows; row++) {
    for (let j = 0; j < width; j++) means[j]! += x[row * width + j] as number;
  }
  for (let j = 0; j < width; j++) means[j]! /= rows;
  for (let row = 0; row < rows; row++) {
    for (let j = 0; j < width; j++) squares[j]! += ((x[row * width + j] as number) - means[j]!) ** 2;
  }
  return { means, standardDeviations: squares.map((sum) => Math.sqrt(sum / rows)) };
}
