import type { Cell, Table } from '../../datasets/table';
import { parseNumber } from '../../datasets/transformations';
import { meanAndStd, median, sortValues } from './column-statistics';
import { FittedPreprocessor } from './fitted-preprocessor';
import { PREPROCESSING_DEFAULTS, PREPROCESSING_LIMITS, type PreprocessingSpec } from './preprocessing-spec';
import { validatePreprocessingSpec } from './preprocessing-spec.validator';
import { PreprocessingError } from './preprocessing.error';
import {
  encodedNames,
  PREPROCESSOR_FORMAT,
  PREPROCESSOR_VERSION,
  UNKNOWN_CATEGORY_ENCODING,
  type CategoricalFeatureState,
  type FeatureState,
  type LabelState,
  type NumericFeatureState,
} from './preprocessor-state';

/**
 * Fits imputation, scaling, one-hot vocabularies and the label encoding on the TRAINING split
 * only; validation and test splits go through `transform` of the result, so nothing about them
 * (a category, an extreme value) leaks into what the model was trained with. `spec` may be
 * untrusted JSON: it is validated against the table first.
 */
export function fitPreprocessor(train: Table, spec: PreprocessingSpec): FittedPreprocessor {
  const validation = validatePreprocessingSpec(spec, train);
  if (!validation.ok) throw new PreprocessingError('PREPROCESSING_SPEC_INVALID', 'invalid preprocessing spec', { problems: validation.problems });
  const valid = validation.spec;
  if (train.rows.length === 0) throw new PreprocessingError('PREPROCESSING_NO_ROWS', 'the training split has no rows');

  const indexOf = new Map(train.columns.map((name, i) => [name, i]));
  const cells = (column: string): Cell[] => {
    const index = indexOf.get(column) as number;
    return train.rows.map((row) => row[index] ?? null);
  };
  const label = fitLabel(valid.label, cells(valid.label), valid.positiveLabel);
  const featureColumns = valid.features ?? train.columns.filter((c) => c !== valid.label);
  if (featureColumns.length === 0) throw new PreprocessingError('PREPROCESSING_SPEC_INVALID', 'there are no feature columns besides the label');
  if (featureColumns.length > PREPROCESSING_LIMITS.features) {
    throw new PreprocessingError('PREPROCESSING_TOO_MANY_FEATURES', `more than ${PREPROCESSING_LIMITS.features} feature columns`, {
      limit: PREPROCESSING_LIMITS.features,
      found: featureColumns.length,
    });
  }
  const numeric = new Set(valid.numeric ?? []);
  const categorical = new Set(valid.categorical ?? []);
  const numericImputation = valid.imputation?.numeric ?? PREPROCESSING_DEFAULTS.imputation.numeric;
  const categoricalImputation = valid.imputation?.categorical ?? PREPROCESSING_DEFAULTS.imputation.categorical;
  const scaling = valid.scaling ?? PREPROCESSING_DEFAULTS.scaling;

  const features = featureColumns.map((column): FeatureState => {
    const values = cells(column);
    const kind = numeric.has(column) ? 'numeric' : categorical.has(column) ? 'categorical' : inferKind(values);
    return kind === 'numeric'
      ? fitNumeric(column, values, numericImputation, scaling)
      : fitCategorical(column, values, categoricalImputation);
  });

  const featureNames = features.flatMap(encodedNames);
  if (featureNames.length > PREPROCESSING_LIMITS.encodedFeatures) {
    throw new PreprocessingError('PREPROCESSING_TOO_MANY_FEATURES', `more than ${PREPROCESSING_LIMITS.encodedFeatures} encoded features`, {
      limit: PREPROCESSING_LIMITS.encodedFeatures,
      found: featureNames.length,
    });
  }
  const seen = new Set<string>();
  for (const name of featureNames) {
    if (seen.has(name)) {
      throw new PreprocessingError('PREPROCESSING_FEATURE_NAME_COLLISION', `two encoded features would both be named ${JSON.stringify(name)}`);
    }
    seen.add(name);
  }
  return new FittedPreprocessor({
    format: PREPROCESSOR_FORMAT,
    version: PREPROCESSOR_VERSION,
    label,
    features,
    featureNames,
    unknownCategories: UNKNOWN_CATEGORY_ENCODING,
    trainingRows: train.rows.length,
  });
}

/** Numeric when every present value parses as a finite number (vacuously so for an all-missing column). */
function inferKind(values: readonly Cell[]): 'numeric' | 'categorical' {
  return values.every((v) => v === null || parseNumber(v) !== undefined) ? 'numeric' : 'categorical';
}

function fitLabel(column: string, values: readonly Cell[], positiveLabel: string | undefined): LabelState {
  values.forEach((v, row) => {
    if (v === null) throw new PreprocessingError('PREPROCESSING_LABEL_MISSING', `training row ${row} has no label`, { column, row });
  });
  const classes = sortValues(values as string[]);
  if (classes.length < 2) {
    throw new PreprocessingError('PREPROCESSING_LABEL_SINGLE_CLASS', 'the training label has a single class; there is nothing to learn', { column });
  }
  if (classes.length > PREPROCESSING_LIMITS.classes) {
    throw new PreprocessingError('PREPROCESSING_TOO_MANY_CLASSES', `the label has more than ${PREPROCESSING_LIMITS.classes} classes`, {
      column,
      limit: PREPROCESSING_LIMITS.classes,
      found: classes.length,
    });
  }
  if (classes.length === 2) {
    const positive = positiveLabel ?? classes[1];
    if (positive === undefined || !classes.includes(positive)) {
      throw new PreprocessingError('PREPROCESSING_SPEC_INVALID', 'invalid preprocessing spec', {
        problems: [{ path: '/positiveLabel', message: 'is not a class of the training label' }],
      });
    }
    return { column, kind: 'binary', classes, positiveLabel: positive };
  }
  if (positiveLabel !== undefined) {
    throw new PreprocessingError('PREPROCESSING_SPEC_INVALID', 'invalid preprocessing spec', {
      problems: [{ path: '/positiveLabel', message: `applies to binary labels only; this one has ${classes.length} classes` }],
    });
  }
  return { column, kind: 'multiclass', classes };
}

function fitNumeric(
  column: string,
  values: readonly Cell[],
  imputation: NumericFeatureState['imputation'],
  scaling: NumericFeatureState['scaling'],
): NumericFeatureState {
  const present: number[] = [];
  values.forEach((v, row) => {
    if (v === null) return;
    const n = parseNumber(v);
    if (n === undefined) {
      throw new PreprocessingError('PREPROCESSING_NOT_NUMERIC', `column ${JSON.stringify(column)} is numeric; training row ${row} is not a number`, {
        column,
        row,
      });
    }
    present.push(n);
  });
  present.sort((a, b) => a - b);
  const fill = present.length === 0 ? 0 : imputation === 'mean' ? meanAndStd(present).mean : median(present);
  if (scaling === 'none') return { kind: 'numeric', column, imputation, fill, scaling, center: 0, scale: 1 };
  // Scale what the model will see: the imputed column (imputation happens before scaling).
  const imputed = present.concat(new Array<number>(values.length - present.length).fill(fill)).sort((a, b) => a - b);
  const { mean, std } = meanAndStd(imputed);
  return { kind: 'numeric', column, imputation, fill, scaling, center: mean, scale: std > 0 && Number.isFinite(std) ? std : 1 };
}

function fitCategorical(column: string, values: readonly Cell[], imputation: CategoricalFeatureState['imputation']): CategoricalFeatureState {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const categories = sortValues(counts.keys());
  if (categories.length > PREPROCESSING_LIMITS.categoriesPerColumn) {
    throw new PreprocessingError(
      'PREPROCESSING_TOO_MANY_CATEGORIES',
      `column ${JSON.stringify(column)} has more than ${PREPROCESSING_LIMITS.categoriesPerColumn} categories; declare it numeric or drop it`,
      { column, limit: PREPROCESSING_LIMITS.categoriesPerColumn, found: categories.length },
    );
  }
  if (imputation === 'missing-category') {
    // A real category spelled __missing__ would collide with the slot; fitPreprocessor refuses that by name.
    return { kind: 'categorical', column, imputation, categories, fill: null, missingSlot: missing > 0 };
  }
  // Mode; ties go to the category that sorts first, so the choice does not depend on row order.
  let fill: string | null = null;
  let best = 0;
  for (const category of categories) {
    const count = counts.get(category) as number;
    if (count > best) {
      best = count;
      fill = category;
    }
  }
  return { kind: 'categorical', column, imputation, categories, fill, missingSlot: false };
}
