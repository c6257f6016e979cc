/**
 * The ROC curve as scikit-learn's `roc_curve(drop_intermediate=True)` returns it: one point per
 * distinct score (predict positive when score ≥ threshold), thresholds descending, a point dropped
 * when it sits between two equal steps (second differences of the FP and TP counts both 0), and
 * a first point (0, 0) for "nothing positive" whose threshold — +∞ in scikit-learn — is null here
 * because JSON has no infinity.
 */
import type { UndefinedReason } from '../undefined-reason';
import type { BinaryRows } from './binary-tally';

export type RocCurve =
  | { fpr: number[]; tpr: number[]; thresholds: (number | null)[] }
  | { fpr: null; tpr: null; thresholds: null; reason: UndefinedReason };

export function rocCurve(rows: BinaryRows): RocCurve {
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let fp = 0;
  let tp = 0;
  for (let i = rows.n - 1; i >= 0; i--) {
    if (rows.label[i] === 1) tp++;
    else fp++;
    // A tie group ends (reading downwards) where the previous row has a different score.
    if (i === 0 || rows.tieGroupEnd[i - 1] === 1) {
      fps.push(fp);
      tps.push(tp);
      thresholds.push(rows.score[i] as number);
    }
  }
  if (tp === 0 || fp === 0) return { fpr: null, tpr: null, thresholds: null, reason: 'single-class' };
  const kept: number[] = [];
  for (let j = 0; j < fps.length; j++) {
    const interior = j > 0 && j < fps.length - 1;
    const straight =
      interior &&
      (fps[j + 1] as number) - 2 * (fps[j] as number) + (fps[j - 1] as number) === 0 &&
      (tps[j + 1] as number) - 2 * (tps[j] as number) + (tps[j - 1] as number) === 0;
    if (fps.length <= 2 || !straight) kept.push(j);
  }
  return {
    fpr: [0, ...kept.map((j) => (fps[j] as number) / fp)],
    tpr: [0, ...kept.map((j) => (tps[j] as number) / tp)],
    thresholds: [null, ...kept.map((j) => thresholds[j] as number)],
  };
}
