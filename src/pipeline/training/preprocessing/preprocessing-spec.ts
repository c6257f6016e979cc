/**
 * What to fit: plain JSON, validated by `validatePreprocessingSpec` before use (it may come from a
 * request body). Everything optional has a documented default so a stored spec replays exactly.
 */
export type NumericImputation = 'mean' | 'median';
/** `mode`: the most frequent training category. `missing-category`: missing is its own one-hot slot. */
export type CategoricalImputation = 'mode' | 'missing-category';
export type Scaling = 'standard' | 'none';

export interface PreprocessingSpec {
  /** The column to predict. Training rows must all have a label. */
  label: string;
  /** Input columns, in output order. Default: every column but the label, in table order. */
  features?: string[];
  /** Forced numeric (each present value must parse as a finite decimal number). */
  numeric?: string[];
  /** Forced categorical. Features in neither list are inferred: numeric when every present value parses as a number. */
  categorical?: string[];
  imputation?: { numeric?: NumericImputation; categorical?: CategoricalImputation };
  scaling?: Scaling;
  /** Binary labels only: the class encoded as 1. Default: the greater of the two (sorted) classes. */
  positiveLabel?: string;
}

export const PREPROCESSING_DEFAULTS = {
  imputation: { numeric: 'mean', categorical: 'mode' },
  scaling: 'standard',
} as const satisfies { imputation: { numeric: NumericImputation; categorical: CategoricalImputation }; scaling: Scaling };

/** Bounds against hostile or mistaken input (an ID column one-hot encoded would be a million features). */
export const PREPROCESSING_LIMITS = {
  features: 10_000,
  categoriesPerColumn: 1_000,
  encodedFeatures: 100_000,
  classes: 1_000,
} as const;

export const NUMERIC_IMPUTATIONS: readonly NumericImputation[] = ['mean', 'median'];
export const CATEGORICAL_IMPUTATIONS: readonly CategoricalImputation[] = ['mode', 'missing-category'];
export const SCALINGS: readonly Scaling[] = ['standard', 'none'];
