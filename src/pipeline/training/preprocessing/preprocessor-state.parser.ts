import { CATEGORICAL_IMPUTATIONS, NUMERIC_IMPUTATIONS, PREPROCESSING_LIMITS, SCALINGS } from './preprocessing-spec';
import { PreprocessingError } from './preprocessing.error';
import {
  encodedNames,
  PREPROCESSOR_FORMAT,
  PREPROCESSOR_VERSION,
  UNKNOWN_CATEGORY_ENCODING,
  type FeatureState,
  type LabelState,
  type PreprocessorState,
} from './preprocessor-state';

/**
 * A stored state back to a typed one, refusing anything malformed or inconsistent (the feature
 * names must be exactly those the features produce), so a tampered or truncated record fails
 * loudly instead of shifting every input column of the model.
 */
export function parsePreprocessorState(json: unknown): PreprocessorState {
  const invalid = (message: string): never => {
    throw new PreprocessingError('PREPROCESSING_STATE_INVALID', `not a preprocessor state: ${message}`);
  };
  if (!isRecord(json)) return invalid('expected an object');
  if (json.format !== PREPROCESSOR_FORMAT) return invalid(`format must be ${PREPROCESSOR_FORMAT}`);
  if (json.version !== PREPROCESSOR_VERSION) return invalid(`version ${String(json.version)} is not supported (expected ${PREPROCESSOR_VERSION})`);
  if (json.unknownCategories !== UNKNOWN_CATEGORY_ENCODING) return invalid(`unknownCategories must be ${UNKNOWN_CATEGORY_ENCODING}`);
  const trainingRows = json.trainingRows;
  if (!Number.isSafeInteger(trainingRows) || (trainingRows as number) < 1) return invalid('trainingRows must be a positive integer');

  const label = json.label;
  if (!isRecord(label) || !isName(label.column) || !isStringList(label.classes, PREPROCESSING_LIMITS.classes)) return invalid('bad label');
  const classes = label.classes;
  if (new Set(classes).size !== classes.length || classes.length < 2) return invalid('label classes must be distinct and at least two');
  const labelState: LabelState = { column: label.column, kind: 'multiclass', classes: [...classes] };
  if (label.kind === 'binary') {
    if (classes.length !== 2 || typeof label.positiveLabel !== 'string' || !classes.includes(label.positiveLabel)) return invalid('bad binary label');
    labelState.kind = 'binary';
    labelState.positiveLabel = label.positiveLabel;
  } else if (label.kind !== 'multiclass' || classes.length < 3 || label.positiveLabel !== undefined) return invalid('bad multiclass label');

  if (!Array.isArray(json.features) || json.features.length === 0 || json.features.length > PREPROCESSING_LIMITS.features) return invalid('bad features');
  const features: FeatureState[] = json.features.map((f: unknown, i): FeatureState => {
    if (!isRecord(f) || !isName(f.column)) return invalid(`bad feature ${i}`);
    if (f.kind === 'numeric') {
      const { imputation, scaling, fill, center, scale } = f;
      if (!NUMERIC_IMPUTATIONS.includes(imputation as never) || !SCALINGS.includes(scaling as never)) return invalid(`bad feature ${i}`);
      if (!isFinite(fill) || !isFinite(center) || !isFinite(scale) || (scale) <= 0) return invalid(`bad numbers in feature ${i}`);
      return { kind: 'numeric', column: f.column, imputation, scaling, fill, center, scale } as FeatureState;
    }
    if (f.kind === 'categorical') {
      const { imputation, categories, fill, missingSlot } = f;
      if (!CATEGORICAL_IMPUTATIONS.includes(imputation as never) || !isStringList(categories, PREPROCESSING_LIMITS.categoriesPerColumn)) {
        return invalid(`bad feature ${i}`);
      }
      const list = categories;
      if (new Set(list).size !== list.length || typeof missingSlot !== 'boolean') return invalid(`bad feature ${i}`);
      if (fill !== null && (typeof fill !== 'string' || !list.includes(fill))) return invalid(`bad fill in feature ${i}`);
      if ((imputation === 'missing-category' && fill !== null) || (imputation === 'mode' && missingSlot)) return invalid(`bad imputation in feature ${i}`);
      return { kind: 'categorical', column: f.column, imputation, categories: [...list], fill, missingSlot } as FeatureState;
    }
    return invalid(`bad feature kind at ${i}`);
  });
  const names = features.flatMap(encodedNames);
  if (!isStringList(json.featureNames, PREPROCESSING_LIMITS.encodedFeatures) || (json.featureNames).join('\u0000') !== names.join('\u0000')) {
    return invalid('featureNames do not match the features');
  }
  return {
    format: PREPROCESSOR_FORMAT,
    version: PREPROCESSOR_VERSION,
    label: labelState,
    features,
    featureNames: names,
    unknownCategories: UNKNOWN_CATEGORY_ENCODING,
    trainingRows: trainingRows as number,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isStringList(value: unknown, max: number): value is string[] {
  return Array.isArray(value) && value.length <= max && value.every((v) => typeof v === 'string');
}

function isFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
