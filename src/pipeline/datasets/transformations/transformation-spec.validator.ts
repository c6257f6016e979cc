import type { Table } from '../table';
import { firstNonNumericRow, scalarNumber } from './numeric-cell';
import {
  ROLE_NAME,
  SPEC_LIMITS,
  TRANSFORMATION_TYPES,
  type DropColumnsSpec,
  type FilterPredicate,
  type FilterScalar,
  type FilterSpec,
  type ImputeColumn,
  type ImputeSpec,
  type PseudonymiseSpec,
  type SplitSeed,
  type SplitSpec,
  type TransformationSpec,
  type TransformationType,
} from './transformation-spec';
import { describeValue, isPlainObject, jsonPointer } from '../json-checks';

/** One thing wrong with a spec: where (a JSON Pointer into the spec) and what. */
export interface SpecProblem {
  path: string;
  message: string;
}

export type SpecValidation = { ok: true; spec: TransformationSpec } | { ok: false; problems: SpecProblem[] };

/** Ratios are decimals typed by people: 0.7 + 0.15 + 0.15 is 1 only within rounding. */
export const RATIO_SUM_TOLERANCE = 1e-9;
const MAX_PROBLEMS = 100;

const SCALAR_OPS = new Set(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']);
const ORDER_OPS = new Set(['lt', 'lte', 'gt', 'gte']);
const LIST_OPS = new Set(['in', 'notIn']);
const MISSING_OPS = new Set(['isMissing', 'notMissing']);
const IMPUTE_STRATEGIES = new Set(['mean', 'median', 'mode', 'constant']);

type Path = readonly (string | number)[];

/**
 * Checks untrusted input (parsed JSON from a request or a stored record) and returns a fresh,
 * typed spec holding only the known fields, or every problem found. With `table`, column names are
 * checked against it, and so is what the data must allow (numeric columns for `lt`/`mean`, …).
 */
export function validateTransformationSpec(input: unknown, table?: Table): SpecValidation {
  const v = new Validator(table);
  const spec = v.spec(input);
  return spec !== undefined && v.problems.length === 0 ? { ok: true, spec } : { ok: false, problems: v.problems };
}

class Validator {
  readonly problems: SpecProblem[] = [];
  private readonly columnIndex: Map<string, number> | undefined;
  private filterNodes = 0;

  constructor(private readonly table: Table | undefined) {
    this.columnIndex = table ? new Map(table.columns.map((name, index) => [name, index])) : undefined;
  }

  spec(input: unknown): TransformationSpec | undefined {
    if (!isPlainObject(input)) return this.fail([], 'must be an object');
    const type = input.type;
    if (typeof type !== 'string' || !(TRANSFORMATION_TYPES as readonly string[]).includes(type)) {
      return this.fail(['type'], `must be one of ${TRANSFORMATION_TYPES.join(', ')} (got ${describeValue(type)})`);
    }
    switch (type as TransformationType) {
      case 'split':
        return this.split(input);
      case 'filter':
        return this.filter(input);
      case 'dropColumns':
        return this.columnList(input, 'dropColumns');
      case 'pseudonymise':
        return this.columnList(input, 'pseudonymise');
      case 'impute':
        return this.impute(input);
    }
  }

  private split(input: Record<string, unknown>): SplitSpec | undefined {
    this.onlyKeys(input, [], ['type', 'ratios', 'stratifyBy', 'seed']);
    const ratios = this.ratios(input.ratios);
    const seed = this.seed(input.seed);
    let stratifyBy: string | undefined;
    if (input.stratifyBy !== undefined) {
      const index = this.column(input.stratifyBy, ['stratifyBy']);
      stratifyBy = typeof input.stratifyBy === 'string' ? input.stratifyBy : undefined;
      if (index !== undefined && this.table) {
        const strata = new Set(this.table.rows.map((row) => row[index] ?? null));
        if (strata.size > SPEC_LIMITS.strata) {
          this.fail(['stratifyBy'], `has ${strata.size} distinct values; stratifying needs at most ${SPEC_LIMITS.strata}`);
        }
      }
    }
    if (ratios === undefined || seed === undefined) return undefined;
    return stratifyBy === undefined ? { type: 'split', ratios, seed } : { type: 'split', ratios, stratifyBy, seed };
  }

  private ratios(value: unknown): Record<string, number> | undefined {
    const path = ['ratios'];
    if (!isPlainObject(value)) return this.fail(path, 'must be an object of output name → ratio');
    const names = Object.keys(value);
    if (names.length < 2 || names.length > SPEC_LIMITS.splitOutputs) {
      return this.fail(path, `must name between 2 and ${SPEC_LIMITS.splitOutputs} outputs (got ${names.length})`);
    }
    const ratios: Record<string, number> = {};
    let sum = 0;
    let valid = true;
    for (const name of names) {
      const ratio = value[name];
      if (!ROLE_NAME.test(name)) {
        valid = false;
        this.fail([...path, name], 'output names must start with a letter and use only letters, digits, _ and - (at most 64)');
      } else if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio <= 0 || ratio > 1) {
        valid = false;
        this.fail([...path, name], `must be a number in (0, 1] (got ${describeValue(ratio)})`);
      } else {
        ratios[name] = ratio;
        sum += ratio;
      }
    }
    if (!valid) return undefined;
    if (Math.abs(sum - 1) > RATIO_SUM_TOLERANCE) return this.fail(path, `must sum to 1 (got ${sum})`);
    return ratios;
  }

  private seed(value: unknown): SplitSeed | undefined {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.length > 0 && value.length <= SPEC_LIMITS.seedLength) return value;
    return this.fail(['seed'], `is required: a finite number or a string of 1 to ${SPEC_LIMITS.seedLength} characters`);
  }

  private filter(input: Record<string, unknown>): FilterSpec | undefined {
    this.onlyKeys(input, [], ['type', 'where']);
    if (input.where === undefined) return this.fail(['where'], 'is required');
    const where = this.predicate(input.where, ['where'], 1);
    return where === undefined ? undefined : { type: 'filter', where };
  }

  private predicate(value: unknown, path: Path, depth: number): FilterPredicate | undefined {
    if (++this.filterNodes > SPEC_LIMITS.filterNodes) {
      if (this.filterNodes === SPEC_LIMITS.filterNodes + 1) this.fail(path, `the predicate has more than ${SPEC_LIMITS.filterNodes} nodes`);
      return undefined;
    }
    if (!isPlainObject(value)) return this.fail(path, 'must be a condition {column, op, value?} or {all: […]} or {any: […]}');
    for (const combinator of ['all', 'any'] as const) {
      if (!Object.hasOwn(value, combinator)) continue;
      this.onlyKeys(value, path, [combinator]);
      const children = value[combinator];
      const here = [...path, combinator];
      if (depth >= SPEC_LIMITS.filterDepth) return this.fail(here, `nests deeper than ${SPEC_LIMITS.filterDepth} levels`);
      if (!Array.isArray(children) || children.length === 0 || children.length > SPEC_LIMITS.filterNodes) {
        return this.fail(here, 'must be a non-empty array of predicates');
      }
      const parsed: FilterPredicate[] = [];
      for (let i = 0; i < children.length; i++) {
        const child = this.predicate(children[i], [...here, i], depth + 1);
        if (child !== undefined) parsed.push(child);
      }
      if (parsed.length !== children.length) return undefined;
      return combinator === 'all' ? { all: parsed } : { any: parsed };
    }
    return this.condition(value, path);
  }

  private condition(value: Record<string, unknown>, path: Path): FilterPredicate | undefined {
    this.onlyKeys(value, path, ['column', 'op', 'value']);
    const index = this.column(value.column, [...path, 'column']);
    const column = value.column as string;
    const op = value.op;
    if (typeof op !== 'string' || !(SCALAR_OPS.has(op) || LIST_OPS.has(op) || MISSING_OPS.has(op))) {
      return this.fail([...path, 'op'], `must be one of ${[...SCALAR_OPS, ...LIST_OPS, ...MISSING_OPS].join(', ')} (got ${describeValue(op)})`);
    }
    if (MISSING_OPS.has(op)) {
      if (value.value !== undefined) return this.fail([...path, 'value'], `must be absent for ${op}`);
      return index === undefined ? undefined : { column, op: op as 'isMissing' | 'notMissing' };
    }
    if (LIST_OPS.has(op)) {
      const list = value.value;
      if (!Array.isArray(list) || list.length === 0 || list.length > SPEC_LIMITS.listValues) {
        return this.fail([...path, 'value'], `must be a non-empty array of at most ${SPEC_LIMITS.listValues} strings or numbers for ${op}`);
      }
      const scalars: FilterScalar[] = [];
      for (let i = 0; i < list.length; i++) {
        const scalar = this.scalar(list[i], [...path, 'value', i]);
        if (scalar !== undefined) scalars.push(scalar);
      }
      if (scalars.length !== list.length || index === undefined) return undefined;
      return { column, op: op as 'in' | 'notIn', value: scalars };
    }
    const scalar = this.scalar(value.value, [...path, 'value']);
    if (scalar === undefined) return undefined;
    if (ORDER_OPS.has(op)) {
      // Order comparisons are numeric only: comparing text ("10" < "9") would silently mislead.
      if (scalarNumber(scalar) === undefined) return this.fail([...path, 'value'], `must be a number for ${op}`);
      if (index !== undefined && this.table) {
        const row = firstNonNumericRow(this.table.rows, index);
        if (row >= 0)
          return this.fail([...path, 'column'], `${op} needs a numeric column; ${JSON.stringify(column)} is not numeric (row ${row})`);
      }
    }
    return index === undefined ? undefined : { column, op: op as 'eq', value: scalar };
  }

  private scalar(value: unknown, path: Path): FilterScalar | undefined {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.length <= SPEC_LIMITS.stringValueLength) return value;
    return this.fail(path, `must be a finite number or a string of at most ${SPEC_LIMITS.stringValueLength} characters`);
  }

  private columnList(input: Record<string, unknown>, type: 'dropColumns' | 'pseudonymise'): DropColumnsSpec | PseudonymiseSpec | undefined {
    this.onlyKeys(input, [], ['type', 'columns']);
    const columns = this.columnNames(input.columns, ['columns']);
    if (columns === undefined) return undefined;
    if (type === 'dropColumns' && this.table && new Set(columns).size >= this.table.columns.length) {
      return this.fail(['columns'], 'would drop every column; a dataset version needs at least one');
    }
    return { type, columns };
  }

  private columnNames(value: unknown, path: Path): string[] | undefined {
    if (!Array.isArray(value) || value.length === 0 || value.length > SPEC_LIMITS.columnsPerSpec) {
      return this.fail(path, `must be a non-empty array of at most ${SPEC_LIMITS.columnsPerSpec} column names`);
    }
    const seen = new Set<string>();
    let valid = true;
    for (let i = 0; i < value.length; i++) {
      const name: unknown = value[i];
      if (this.column(name, [...path, i]) === undefined) {
        valid = false;
      } else if (seen.has(name as string)) {
        valid = false;
        this.fail([...path, i], `repeats column ${JSON.stringify(name)}`);
      } else {
        seen.add(name as string);
      }
    }
    return valid ? [...seen] : undefined;
  }

  private impute(input: Record<string, unknown>): ImputeSpec | undefined {
    this.onlyKeys(input, [], ['type', 'columns']);
    const list = input.columns;
    if (!Array.isArray(list) || list.length === 0 || list.length > SPEC_LIMITS.columnsPerSpec) {
      return this.fail(['columns'], `must be a non-empty array of at most ${SPEC_LIMITS.columnsPerSpec} {name, strategy, value?}`);
    }
    const columns: ImputeColumn[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < list.length; i++) {
      const path = ['columns', i];
      const item: unknown = list[i];
      if (!isPlainObject(item)) {
        this.fail(path, 'must be an object {name, strategy, value?}');
        continue;
      }
      this.onlyKeys(item, path, ['name', 'strategy', 'value']);
      const index = this.column(item.name, [...path, 'name']);
      const name = item.name as string;
      if (index !== undefined && seen.has(name)) this.fail([...path, 'name'], `repeats column ${JSON.stringify(name)}`);
      if (index !== undefined) seen.add(name);
      const strategy = item.strategy;
      if (typeof strategy !== 'string' || !IMPUTE_STRATEGIES.has(strategy)) {
        this.fail([...path, 'strategy'], `must be one of ${[...IMPUTE_STRATEGIES].join(', ')} (got ${describeValue(strategy)})`);
        continue;
      }
      if (strategy === 'constant') {
        if (item.value === undefined) {
          this.fail([...path, 'value'], 'is required for the constant strategy');
          continue;
        }
        const constant = this.scalar(item.value, [...path, 'value']);
        if (constant !== undefined && index !== undefined) columns.push({ name, strategy, value: constant });
        continue;
      }
      if (item.value !== undefined) {
        this.fail([...path, 'value'], `must be absent for ${strategy}: the value is fitted on the data`);
        continue;
      }
      if (index === undefined) continue;
      if (this.table) this.fittable(index, name, strategy, path);
      columns.push({ name, strategy: strategy as 'mean' | 'median' | 'mode' });
    }
    return this.problems.length === 0 ? { type: 'impute', columns } : undefined;
  }

  /** The data must allow fitting: a present value at all, and only numbers for mean and median. */
  private fittable(index: number, name: string, strategy: string, path: Path): void {
    const rows = this.table?.rows ?? [];
    if (!rows.some((row) => (row[index] ?? null) !== null)) {
      this.fail([...path, 'name'], `column ${JSON.stringify(name)} has no values to fit ${strategy} on`);
      return;
    }
    if (strategy === 'mean' || strategy === 'median') {
      const row = firstNonNumericRow(rows, index);
      if (row >= 0)
        this.fail([...path, 'strategy'], `${strategy} needs a numeric column; ${JSON.stringify(name)} is not numeric (row ${row})`);
    }
  }

  /** A column name; its index in the table when a table was given, -1 when none was. */
  private column(value: unknown, path: Path): number | undefined {
    if (typeof value !== 'string' || value.length === 0) return this.fail(path, 'must be a column name (a non-empty string)');
    if (!this.columnIndex) return -1;
    const index = this.columnIndex.get(value);
    if (index === undefined) return this.fail(path, `unknown column ${describeValue(value)}`);
    return index;
  }

  private onlyKeys(value: Record<string, unknown>, path: Path, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail([...path, key], `is not allowed here (allowed: ${allowed.join(', ')})`);
    }
  }

  private fail(path: Path, message: string): undefined {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ path: jsonPointer(path), message });
    else if (this.problems.length === MAX_PROBLEMS) this.problems.push({ path: '', message: 'too many problems; stopped listing' });
    return undefined;
  }
}
