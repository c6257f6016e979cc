import { isPlainObject } from '../../pipeline/datasets/json-checks';
import { parseNumber } from '../../pipeline/datasets/transformations';
import type { FeatureState } from '../../pipeline/training/preprocessing';

/** What one input may be checked against: the fitted preprocessor's features and the extra fields monitoring reads. */
export interface InputSchema {
  features: readonly FeatureState[];
  /** Fields that are not model features but may be sent for per-group monitoring (the datasheet's sensitive attributes). */
  groupAttributes: readonly string[];
  /** Lookups built once per served version (compileInputSchema), not per request. */
  categories: ReadonlyMap<string, ReadonlySet<string>>;
  featureColumns: ReadonlySet<string>;
  extraColumns: ReadonlySet<string>;
}

export function compileInputSchema(features: readonly FeatureState[], groupAttributes: readonly string[]): InputSchema {
  const featureColumns = new Set(features.map((f) => f.column));
  return {
    features,
    groupAttributes,
    categories: new Map(features.flatMap((f) => (f.kind === 'categorical' ? [[f.column, new Set(f.categories)] as const] : []))),
    featureColumns,
    extraColumns: new Set(groupAttributes.filter((name) => !featureColumns.has(name))),
  };
}

export interface ParsedInput {
  /** The input as sent (after the checks): what its digest covers and what is stored where the datasheet allows it. */
  raw: Record<string, string | number | boolean | null>;
  /** Feature column → cell text (null = missing, imputed by the stored preprocessing). */
  cells: Record<string, string | null>;
  /** Group attribute → value, for those sent. */
  groups: Record<string, string | null>;
}

export type InputProblemCode =
  'REQUEST_INVALID' | 'FIELD_MISSING' | 'WRONG_TYPE' | 'NOT_FINITE' | 'UNKNOWN_CATEGORY' | 'UNKNOWN_FIELD' | 'NOT_AN_OBJECT' | 'TOO_LONG';

export interface InputProblem {
  /** JSON pointer into the request body, e.g. `/inputs/3/income`. */
  path: string;
  index: number;
  field: string | null;
  code: InputProblemCode;
  message: string;
}

const MAX_TEXT = 1_000;
const LONE_SURROGATE = /\p{Cs}/u;
const MAX_PROBLEMS = 100;

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks every input of a predict request against the model's input schema before anything is
 * predicted or logged: each feature present (null stands for a missing value, which the stored
 * preprocessing imputes as it did in training), numbers finite, categories seen in training
 * (an unseen category would silently encode as all-zero: a decision on less than the input), no
 * field the model does not know. All problems are collected (up to 100), each naming its field.
 */
export function parseInputs(inputs: readonly unknown[], schema: InputSchema): { ok: true; inputs: ParsedInput[] } | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const parsed: ParsedInput[] = [];
  const { categories, featureColumns, extraColumns } = schema;
  inputs.forEach((input, index) => {
    const problem = (field: string | null, code: InputProblemCode, message: string) =>
      problems.length < MAX_PROBLEMS && problems.push({ path: `/inputs/${index}${field === null ? '' : `/${pointer(field)}`}`, index, field, code, message });
    if (!isPlainObject(input)) {
      problem(null, 'NOT_AN_OBJECT', 'must be an object of field → value');
      return;
    }
    const raw: ParsedInput['raw'] = {};
    const cells: ParsedInput['cells'] = {};
    const groups: ParsedInput['groups'] = {};
    for (const feature of schema.features) {
      const { column } = feature;
      if (!Object.hasOwn(input, column)) {
        problem(column, 'FIELD_MISSING', `is required (send null for a missing value)`);
        continue;
      }
      const value = input[column];
      if (value === null) {
        raw[column] = cells[column] = null;
        continue;
      }
      if (feature.kind === 'numeric') {
        const number = typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value) : undefined;
        if (typeof value === 'number' && !Number.isFinite(value)) problem(column, 'NOT_FINITE', 'must be a finite number');
        else if (number === undefined || !Number.isFinite(number)) problem(column, 'WRONG_TYPE', 'must be a finite number (or numeric text)');
        else {
          raw[column] = value as number | string;
          cells[column] = String(number);
        }
        continue;
      }
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        problem(column, 'WRONG_TYPE', 'must be a string (a category), a number, a boolean or null');
        continue;
      }
      const text = String(value);
      if (!categories.get(column)!.has(text)) {
        problem(column, 'UNKNOWN_CATEGORY', `${JSON.stringify(text.slice(0, 100))} is not a category the model was trained on`);
        continue;
      }
      raw[column] = value;
      cells[column] = text;
    }
    for (const [field, value] of Object.entries(input)) {
      if (featureColumns.has(field)) continue;
      if (!extraColumns.has(field)) {
        problem(field, 'UNKNOWN_FIELD', 'is not an input of this model (nor a monitored group attribute)');
        continue;
      }
      if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        problem(field, 'WRONG_TYPE', 'must be a string, a number, a boolean or null');
        continue;
      }
      if (typeof value === 'number' && !Number.isFinite(value)) {
        problem(field, 'NOT_FINITE', 'must be a finite number');
        continue;
      }
      const text = value === null ? null : String(value);
      if (text !== null && LONE_SURROGATE.test(text)) {
        problem(field, 'WRONG_TYPE', 'must be well-formed Unicode text');
        continue;
      }
      if (text !== null && text.length > MAX_TEXT) {
        problem(field, 'TOO_LONG', `must be at most ${MAX_TEXT} characters`);
        continue;
      }
      raw[field] = value;
      groups[field] = text;
    }
    parsed.push({ raw, cells, groups });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, inputs: parsed };
}
