import type { CategoricalImputation, NumericImputation, Scaling } from './preprocessing-spec';

/**
 * The fitted preprocessor as plain JSON: everything learned from the training split and nothing
 * else. It is stored with the model and hashed (see FittedPreprocessor#digest), so it holds no
 * timestamps, no row data beyond vocabularies, and only finite numbers.
 */
export const PREPROCESSOR_FORMAT = 'assay.preprocessor';
export const PREPROCESSOR_VERSION = 1;

/** Name of the one-hot slot that missing values take under `missing-category` imputation. */
export const MISSING_CATEGORY = '__missing__';

/**
 * How a category never seen in training is encoded: every one of the column's slots is 0, so the
 * column contributes nothing and the model falls back on its other inputs and bias. (An explicit
 * `__unknown__` slot would carry a weight that training never updated.)
 */
export const UNKNOWN_CATEGORY_ENCODING = 'all-zero';

export interface NumericFeatureState {
  kind: 'numeric';
  column: string;
  imputation: NumericImputation;
  /** Value a missing cell takes (the training mean or median; 0 when training had no values). */
  fill: number;
  scaling: Scaling;
  /** Encoded value = (value − center) / scale; 0 and 1 under scaling `none`. */
  center: number;
  scale: number;
}

export interface CategoricalFeatureState {
  kind: 'categorical';
  column: string;
  imputation: CategoricalImputation;
  /** Training categories, sorted (numerically when all are numbers); one slot each, in this order. */
  categories: string[];
  /** `mode`: the category a missing cell takes (null when training had none: missing encodes all-zero). */
  fill: string | null;
  /**
   * `missing-category`: whether a `__missing__` slot follows the categories. It exists only when
   * training had missing values (otherwise its weight would be untrained); a missing cell then
   * encodes all-zero, like an unknown category.
   */
  missingSlot: boolean;
}

export type FeatureState = NumericFeatureState | CategoricalFeatureState;

export interface LabelState {
  column: string;
  kind: 'binary' | 'multiclass';
  /** Every training class, sorted (numerically when all are numbers). */
  classes: string[];
  /** Binary only: the class encoded as 1 (the other is 0). */
  positiveLabel?: string;
}

export interface PreprocessorState {
  format: typeof PREPROCESSOR_FORMAT;
  version: typeof PREPROCESSOR_VERSION;
  label: LabelState;
  features: FeatureState[];
  /** Names of the encoded columns of x, in order: `column` for numbers, `column=category` for one-hot slots. */
  featureNames: string[];
  unknownCategories: typeof UNKNOWN_CATEGORY_ENCODING;
  trainingRows: number;
}

/** Output column names of one feature. */
export function encodedNames(feature: FeatureState): string[] {
  if (feature.kind === 'numeric') return [feature.column];
  const names = feature.categories.map((category) => `${feature.column}=${category}`);
  if (feature.missingSlot) names.push(`${feature.column}=${MISSING_CATEGORY}`);
  return names;
}
