/**
 * Per-group outcome counts and the rates fairness compares. A row falls in one of four cells by
 * (actual label, predicted label); everything per group follows from the four counts.
 */
import { type PointValue, defined, ratio, undefinedBecause } from '../undefined-reason';

/** Cell index of a row: 2·label + predicted. */
export const TN = 0;
export const FP = 1;
export const FN = 2;
export const TP = 3;

export const GROUP_RATES = ['baseRate', 'selectionRate', 'truePositiveRate', 'falsePositiveRate'] as const;

export type GroupRateName = (typeof GROUP_RATES)[number];

/** [TN, FP, FN, TP] counts. */
export type CellCounts = Int32Array;

export function groupRates(cells: CellCounts): Record<GroupRateName, PointValue> {
  const tn = cells[TN] as number;
  const fp = cells[FP] as number;
  const fn = cells[FN] as number;
  const tp = cells[TP] as number;
  const size = tn + fp + fn + tp;
  if (size === 0) {
    const none = undefinedBecause('no-rows');
    return { baseRate: none, selectionRate: none, truePositiveRate: none, falsePositiveRate: none };
  }
  return {
    baseRate: defined((fn + tp) / size),
    selectionRate: defined((fp + tp) / size),
    truePositiveRate: ratio(tp, tp + fn, 'no-actual-positives'),
    falsePositiveRate: ratio(fp, fp + tn, 'no-actual-negatives'),
  };
}

/**
 * One stratified replicate of a group: `size` rows drawn with replacement from the group, of
 * which only the cells matter. `cellOfRow` holds the cell of each of the group's rows; the draw
 * indexes it (no branch on the outcome: a random branch mispredicts, and this loop is hot).
 * `(u * size) | 0` is floor(u·size), exact for size < 2³¹.
 */
export function resampleCells(uniform: () => number, cellOfRow: Uint8Array, into: CellCounts): void {
  into.fill(0);
  const size = cellOfRow.length;
  for (let draw = 0; draw < size; draw++) into[cellOfRow[(uniform() * size) | 0] as number]! += 1;
}
