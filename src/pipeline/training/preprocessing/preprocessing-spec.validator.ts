import type { SpecProblem } from '../../datasets/transformations';
import type { Table } from '../../datasets/table';
import {
  CATEGORICAL_IMPUTATIONS,
  NUMERIC_IMPUTATIONS,
  PREPROCESSING_LIMITS,
  SCALINGS,
  type CategoricalImputation,
  type NumericImputation,
  type PreprocessingSpec,
  type Scaling,
} from './preprocessing-spec';

export type PreprocessingSpecValidation = { ok: true; spec: PreprocessingSpec } | { ok: false; problems: SpecProblem[] };

const MAX_PROBLEMS = 100;
const SPEC_KEYS = ['label', 'features', 'numeric', 'categorical', 'imputation', 'scaling', 'positiveLabel'];

/**
 * Checks untrusted input and returns a fresh spec holding only known fields, or every problem
 * found (JSON Pointer paths). With `table`, column names are checked against it.
 */
export function validatePreprocessingSpec(input: unknown, table?: Table): PreprocessingSpecValidation {
  const problems: SpecProblem[] = [];
  const fail = (path: string, message: string): undefined => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path, message });
    return undefined;
  };
  if (!isPlainObject(input)) return { ok: false, problems: [{ path: '', message: 'must be an object' }] };
  for (const key of Object.keys(input)) {
    if (!SPEC_KEYS.includes(key)) fail(`/${escape(key)}`, `is not allowed here (allowed: ${SPEC_KEYS.join(', ')})`);
  }
  const columns = table ? new Set(table.columns) : undefined;
  const column = (value: unknown, path: string): string | undefined => {
    if (typeof value !== 'string' || value.length === 0) return fail(path, 'must be a column name (a non-empty string)');
    if (columns && !columns.has(value)) return fail(path, `unknown column ${describe(value)}`);
    return value;
  };
  const columnList = (value: unknown, path: string): string[] | undefined => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length > PREPROCESSING_LIMITS.features) {
      return fail(path, `must be an array of at most ${PREPROCESSING_LIMITS.features} column names`);
    }
    const seen = new Set<string>();
    const names: string[] = [];
    value.forEach((item: unknown, i) => {
      const name = column(item, `${path}/${i}`);
      if (name === undefined) return;
      if (seen.has(name)) fail(`${path}/${i}`, `repeats column ${describe(name)}`);
      seen.add(name);
      names.push(name);
    });
    return names;
  };

  const label = column(input.label, '/label');
  const features = columnList(input.features, '/features');
  const numeric = columnList(input.numeric, '/numeric');
  const categorical = columnList(input.categorical, '/categorical');
  if (features && features.length === 0) fail('/features', 'must name at least one column');
  if (label !== undefined && features?.includes(label)) fail('/features', `must not include the label ${describe(label)}`);
  const inputs = new Set(features ?? table?.columns.filter((c) => c !== label) ?? []);
  for (const [list, path] of [
    [numeric, '/numeric'],
    [categorical, '/categorical'],
  ] as const) {
    list?.forEach((name, i) => {
      if (name === label) fail(`${path}/${i}`, 'must not name the label');
      else if ((features || table) && !inputs.has(name)) fail(`${path}/${i}`, `${describe(name)} is not a feature`);
    });
  }
  const both = numeric?.filter((name) => categorical?.includes(name)) ?? [];
  for (const name of both) fail('/categorical', `${describe(name)} is also listed as numeric`);

  let imputation: PreprocessingSpec['imputation'];
  if (input.imputation !== undefined) {
    if (!isPlainObject(input.imputation)) fail('/imputation', 'must be an object {numeric?, categorical?}');
    else {
      imputation = {};
      for (const key of Object.keys(input.imputation)) {
        if (key !== 'numeric' && key !== 'categorical') fail(`/imputation/${escape(key)}`, 'is not allowed here (allowed: numeric, categorical)');
      }
      const n = input.imputation.numeric;
      if (n !== undefined) {
        if (NUMERIC_IMPUTATIONS.includes(n as NumericImputation)) imputation.numeric = n as NumericImputation;
        else fail('/imputation/numeric', `must be one of ${NUMERIC_IMPUTATIONS.join(', ')} (got ${describe(n)})`);
      }
      const c = input.imputation.categorical;
      if (c !== undefined) {
        if (CATEGORICAL_IMPUTATIONS.includes(c as CategoricalImputation)) imputation.categorical = c as CategoricalImputation;
        else fail('/imputation/categorical', `must be one of ${CATEGORICAL_IMPUTATIONS.join(', ')} (got ${describe(c)})`);
      }
    }
  }
  const scaling = input.scaling;
  if (scaling !== undefined && !SCALINGS.includes(scaling as Scaling)) fail('/scaling', `must be one of ${SCALINGS.join(', ')} (got ${describe(scaling)})`);
  const positiveLabel = input.positiveLabel;
  if (positiveLabel !== undefined && typeof positiveLabel !== 'string') fail('/positiveLabel', 'must be a string (a class of the label)');

  if (problems.length > 0 || label === undefined) return { ok: false, problems };
  const spec: PreprocessingSpec = { label };
  if (features) spec.features = features;
  if (numeric) spec.numeric = numeric;
  if (categorical) spec.categorical = categorical;
  if (imputation) spec.imputation = imputation;
  if (scaling !== undefined) spec.scaling = scaling as Scaling;
  if (positiveLabel !== undefined) spec.positiveLabel = positiveLabel as string;
  return { ok: true, spec };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** RFC 6901 §3 escaping of one reference token. */
function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
