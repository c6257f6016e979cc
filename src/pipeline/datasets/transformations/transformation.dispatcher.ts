import type { Table } from '../table';
import { DROP_COLUMNS_ALGORITHM, dropColumns } from './column-dropper.transform';
import { SPLIT_ALGORITHM, splitDataset } from './dataset-splitter.transform';
import { IMPUTE_ALGORITHM, imputeMissing } from './imputer.transform';
import { PSEUDONYMISE_ALGORITHM, pseudonymiseColumns } from './pseudonymiser.transform';
import { FILTER_ALGORITHM, filterRows } from './row-filter.transform';
import type { TransformOutcome } from './transform-outcome';
import type { TransformationContext, TransformationResult, TransformationSpec, TransformationType } from './transformation-spec';
import { TransformationError } from './transformation.error';
import { validateTransformationSpec } from './transformation-spec.validator';

/** Versioned algorithm names, recorded so a changed algorithm can never pass for the old one on replay. */
export const TRANSFORMATION_ALGORITHMS: Readonly<Record<TransformationType, string>> = {
  split: SPLIT_ALGORITHM,
  filter: FILTER_ALGORITHM,
  dropColumns: DROP_COLUMNS_ALGORITHM,
  pseudonymise: PSEUDONYMISE_ALGORITHM,
  impute: IMPUTE_ALGORITHM,
};

/**
 * Applies one transformation: a pure function of (table, spec, context) — no clock, no I/O, no
 * global randomness — returning fresh tables (the input is never mutated or aliased) and a JSON
 * summary: type, algorithm, parameters (the spec; never the key), input and output shapes, and
 * the transformation's own facts. The spec is re-validated against this table first, so a spec
 * valid for another version of the dataset cannot slip through; a mismatch throws
 * TransformationError with the problems.
 */
export function applyTransformation(table: Table, spec: TransformationSpec, context: TransformationContext = {}): TransformationResult {
  assertRectangular(table);
  const validation = validateTransformationSpec(spec, table);
  if (!validation.ok) throw new TransformationError(`invalid ${describeType(spec)} transformation`, validation.problems);
  const checked = validation.spec;
  const outcome = run(table, checked, context);
  return {
    outputs: outcome.outputs,
    summary: {
      type: checked.type,
      algorithm: TRANSFORMATION_ALGORITHMS[checked.type],
      parameters: checked,
      input: { rows: table.rows.length, columns: table.columns.length },
      outputs: outcome.outputs.map(({ role, table: t }) => ({ role, rows: t.rows.length, columns: t.columns.length })),
      ...outcome.details,
    },
  };
}

function run(table: Table, spec: TransformationSpec, context: TransformationContext): TransformOutcome {
  switch (spec.type) {
    case 'split':
      return splitDataset(table, spec);
    case 'filter':
      return filterRows(table, spec);
    case 'dropColumns':
      return dropColumns(table, spec);
    case 'pseudonymise':
      return pseudonymiseColumns(table, spec, context.pseudonymisationKey);
    case 'impute':
      return imputeMissing(table, spec);
  }
}

/** Ragged rows would shift cells between columns silently; refuse them. */
function assertRectangular(table: Table): void {
  const width = table.columns.length;
  if (new Set(table.columns).size !== width) throw new TransformationError('the table has duplicate column names');
  const bad = table.rows.findIndex((row) => row.length !== width);
  if (bad >= 0) throw new TransformationError(`row ${bad} has ${table.rows[bad]?.length} cells for ${width} columns`);
}

function describeType(spec: unknown): string {
  const type = typeof spec === 'object' && spec !== null ? (spec as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? JSON.stringify(type.slice(0, 32)) : 'untyped';
}
