import type { Table } from '../table';

/**
 * Declarative transformation specs: plain JSON (a discriminated union on `type`) so a spec can be
 * validated, stored with the dataset versions it produced, hashed, and replayed later.
 * Build them with `validateTransformationSpec` from untrusted input; never trust a cast.
 */

/** A seed for the split's PRNG. A number is used through its decimal text, so `42` and `"42"` split alike. */
export type SplitSeed = string | number;

export interface SplitSpec {
  type: 'split';
  /** Output role → share of the rows, each in (0, 1], summing to 1 within 1e-9. */
  ratios: Record<string, number>;
  /** Column whose values (missing included, as its own class) are kept in proportion in every output. */
  stratifyBy?: string;
  seed: SplitSeed;
}

export type FilterScalar = string | number;
export type ScalarOperator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';
export type ListOperator = 'in' | 'notIn';
export type MissingOperator = 'isMissing' | 'notMissing';
export type FilterOperator = ScalarOperator | ListOperator | MissingOperator;

/**
 * One test on one column. Missing cells satisfy only `isMissing` (SQL-like: `ne` and `notIn`
 * do not keep missing rows; combine with `isMissing` under `any` to keep them).
 */
export type FilterCondition =
  | { column: string; op: ScalarOperator; value: FilterScalar }
  | { column: string; op: ListOperator; value: FilterScalar[] }
  | { column: string; op: MissingOperator };

export type FilterPredicate = FilterCondition | { all: FilterPredicate[] } | { any: FilterPredicate[] };

export interface FilterSpec {
  type: 'filter';
  /** Rows for which this holds are kept. */
  where: FilterPredicate;
}

export interface DropColumnsSpec {
  type: 'dropColumns';
  columns: string[];
}

export interface PseudonymiseSpec {
  type: 'pseudonymise';
  /** Columns whose values are replaced by keyed pseudonyms (the key comes from the context, never the spec). */
  columns: string[];
}

export type FittedImputeStrategy = 'mean' | 'median' | 'mode';
export type ImputeStrategy = FittedImputeStrategy | 'constant';
export type ImputeColumn = { name: string; strategy: FittedImputeStrategy } | { name: string; strategy: 'constant'; value: FilterScalar };

export interface ImputeSpec {
  type: 'impute';
  columns: ImputeColumn[];
}

export type TransformationSpec = SplitSpec | FilterSpec | DropColumnsSpec | PseudonymiseSpec | ImputeSpec;
export type TransformationType = TransformationSpec['type'];

export const TRANSFORMATION_TYPES: readonly TransformationType[] = ['split', 'filter', 'dropColumns', 'pseudonymise', 'impute'];

/** Caller-held inputs that must not be part of a (stored, exported) spec. */
export interface TransformationContext {
  /** HMAC key for `pseudonymise`, at least 32 bytes; managed by the caller like the ledger key. */
  pseudonymisationKey?: Uint8Array;
}

export interface TransformationOutput {
  /** `output` for one-output transformations; the ratio's name (`train`, `test`, …) for `split`. */
  role: string;
  table: Table;
}

export interface TransformationResult {
  outputs: TransformationOutput[];
  /** JSON: what was done, with the parameters and any fitted values, for the new versions' records. */
  summary: Record<string, unknown>;
}

/** Role of the single output of every transformation but `split`. */
export const SINGLE_OUTPUT_ROLE = 'output';

/** Limits that keep hostile specs cheap to validate and apply. */
export const SPEC_LIMITS = {
  splitOutputs: 16,
  seedLength: 256,
  filterDepth: 8,
  filterNodes: 1_000,
  listValues: 10_000,
  stringValueLength: 10_000,
  columnsPerSpec: 10_000,
  strata: 10_000,
} as const;

/** Split role names: identifier-like, so they are safe as object keys, file names and PROV ids. */
export const ROLE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
