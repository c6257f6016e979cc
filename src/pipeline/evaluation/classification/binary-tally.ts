/**
 * The sufficient statistics of every binary metric, computed in one pass over rows held in
 * ascending score order. Each row carries a weight: 1 for the point estimate, its multiplicity in
 * a bootstrap replicate. Sorting, thresholding, binning and per-row losses happen once; a
 * replicate then costs one branch-light O(n) pass (AUC included: the rank-sum statistic is
 * accumulated tie group by tie group from the weights).
 */
import { calibrationBin } from './calibration-bins';
import { clippedNegativeLog } from './log-loss';

export interface BinaryRows {
  n: number;
  bins: number;
  /** In ascending score order: */
  label: Uint8Array;
  score: Float64Array;
  /** Confusion cell: 2·label + predicted (0 TN, 1 FP, 2 FN, 3 TP). */
  cell: Uint8Array;
  logLoss: Float64Array;
  squaredError: Float64Array;
  /** score − label: a bin's Σ residual is its Σscore − positives. */
  residual: Float64Array;
  bin: Int32Array;
  /** 1 where the next row has a different score (the last row of a tie group). */
  tieGroupEnd: Uint8Array;
}

export function sortBinaryRows(labels: Uint8Array, scores: Float64Array, threshold: number, bins: number, logLossEpsilon: number): BinaryRows {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number) || a - b);
  const rows: BinaryRows = {
    n,
    bins,
    label: new Uint8Array(n),
    score: new Float64Array(n),
    cell: new Uint8Array(n),
    logLoss: new Float64Array(n),
    squaredError: new Float64Array(n),
    residual: new Float64Array(n),
    bin: new Int32Array(n),
    tieGroupEnd: new Uint8Array(n),
  };
  order.forEach((source, i) => {
    const y = labels[source] as number;
    const p = scores[source] as number;
    rows.label[i] = y;
    rows.score[i] = p;
    // Predicted positive when the score reaches the threshold.
    rows.cell[i] = 2 * y + (p >= threshold ? 1 : 0);
    rows.logLoss[i] = clippedNegativeLog(y === 1 ? p : 1 - p, logLossEpsilon);
    rows.squaredError[i] = (p - y) * (p - y);
    rows.residual[i] = p - y;
    rows.bin[i] = calibrationBin(p, bins);
  });
  for (let i = 0; i < n; i++) rows.tieGroupEnd[i] = i === n - 1 || rows.score[i] !== rows.score[i + 1] ? 1 : 0;
  return rows;
}

export interface BinaryTally {
  /** Total weight (rows, counted with multiplicity). */
  n: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  sumLogLoss: number;
  sumSquaredError: number;
  /** Mann–Whitney U: weighted (positive, negative) pairs with the positive scored higher, ties ½. */
  rankSum: number;
  /** Per calibration bin, Σ weight·(score − label). */
  binResidual: Float64Array;
}

/** Tallies the rows, each weighted by `weights[i]` (unitWeights for the original data). */
export function tallyBinary(rows: BinaryRows, weights: Int32Array): BinaryTally {
  const binResidual = new Float64Array(rows.bins);
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  let sumLogLoss = 0;
  let sumSquaredError = 0;
  let rankSum = 0;
  let negativesBelow = 0;
  let groupPositives = 0;
  let groupNegatives = 0;
  const { cell, logLoss, squaredError, residual, bin, tieGroupEnd } = rows;
  for (let i = 0; i < rows.n; i++) {
    const w = weights[i] as number;
    if (w !== 0) {
      const c = cell[i] as number;
      if (c === 0) tn += w;
      else if (c === 1) fp += w;
      else if (c === 2) fn += w;
      else tp += w;
      if (c >= 2) groupPositives += w;
      else groupNegatives += w;
      sumLogLoss += w * (logLoss[i] as number);
      sumSquaredError += w * (squaredError[i] as number);
      binResidual[bin[i] as number]! += w * (residual[i] as number);
    }
    if (tieGroupEnd[i] === 1) {
      // Positives in this tie group beat every negative below it and tie with the ones in it.
      rankSum += groupPositives * negativesBelow + 0.5 * groupPositives * groupNegatives;
      negativesBelow += groupNegatives;
      groupPositives = 0;
      groupNegatives = 0;
    }
  }
  return { n: tn + fp + fn + tp, tp, fp, tn, fn, sumLogLoss, sumSquaredError, rankSum, binResidual };
}
