import type { Cell, Table } from '../table';
import { largestRemainder, seededRandom, shuffleInPlace } from './seeded-random';
import { columnIndex, compareCodeUnits, tableOf, type TransformOutcome } from './transform-outcome';
import type { SplitSpec } from './transformation-spec';

export const SPLIT_ALGORITHM = 'assay.split/v1';

export interface StratumCounts {
  /** The stratifying column's value; null for missing, which is a class of its own. */
  value: Cell;
  rows: number;
  counts: Record<string, number>;
}

/**
 * Seeded random partition of the rows into the named outputs. Every row lands in exactly one
 * output; output sizes (per stratum, when stratified) are the largest-remainder apportionment of
 * the ratios, so each is within one row of its exact share. Rows keep their input order inside an
 * output: membership is what the seed decides.
 */
export function splitDataset(table: Table, spec: SplitSpec): TransformOutcome {
  // Allocation walks roles and strata in sorted order, never in the spec's key order: a spec stored
  // as canonical JSON (keys sorted) must replay to the very same split.
  const roles = Object.keys(spec.ratios).sort(compareCodeUnits);
  const weights = roles.map((role) => spec.ratios[role] ?? 0);
  const random = seededRandom(spec.seed);
  const assigned: number[][] = roles.map(() => []);
  const strata: StratumCounts[] = [];

  for (const [value, indices] of groupByStratum(table, spec.stratifyBy)) {
    shuffleInPlace(indices, random);
    const counts = largestRemainder(indices.length, weights, random);
    let offset = 0;
    counts.forEach((count, r) => {
      const target = assigned[r] as number[];
      for (let k = offset; k < offset + count; k++) target.push(indices[k] as number);
      offset += count;
    });
    strata.push({ value, rows: indices.length, counts: Object.fromEntries(roles.map((role, r) => [role, counts[r] ?? 0])) });
  }

  const byRole = new Map(
    roles.map((role, r) => {
      const indices = (assigned[r] as number[]).sort((a, b) => a - b);
      return [
        role,
        tableOf(
          table.columns,
          indices.map((i) => [...(table.rows[i] as Cell[])]),
        ),
      ];
    }),
  );
  const outputs = Object.keys(spec.ratios).map((role) => ({ role, table: byRole.get(role) as Table }));
  const details: Record<string, unknown> = {
    seed: spec.seed,
    rowsPerOutput: Object.fromEntries(outputs.map(({ role, table: t }) => [role, t.rows.length])),
  };
  if (spec.stratifyBy !== undefined) {
    details.stratifyBy = spec.stratifyBy;
    details.strata = strata;
  }
  return { outputs, details };
}

/** Row indices per stratum, strata in a fixed order (missing first, then code-unit order). */
function groupByStratum(table: Table, stratifyBy: string | undefined): [Cell, number[]][] {
  if (stratifyBy === undefined) return [[null, table.rows.map((_, i) => i)]];
  const index = columnIndex(table, stratifyBy);
  const groups = new Map<Cell, number[]>();
  table.rows.forEach((row, i) => {
    const value = row[index] ?? null;
    const group = groups.get(value);
    if (group) group.push(i);
    else groups.set(value, [i]);
  });
  return [...groups.entries()].sort(([a], [b]) => (a === null ? (b === null ? 0 : -1) : b === null ? 1 : compareCodeUnits(a, b)));
}
