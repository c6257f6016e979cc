/**
 * The loss-threshold attack's statistics from one sort. Members and non-members are pooled and
 * sorted by loss ascending (the attack score −loss descending). A threshold τ predicts "member"
 * for loss ≤ τ, so the only thresholds that matter are the distinct losses: one per tie group.
 *
 * Every row carries a weight (1 for the point estimate, its multiplicity in a bootstrap
 * replicate), so a replicate costs one O(n) pass and no re-sorting. Counts stay integers, so the
 * best threshold is found by exact comparisons. Hot loops touch no globals (see resample-counts.ts).
 */

export interface MembershipRows {
  n: number;
  /** Losses in ascending order (ties in input order: members first, then non-members). */
  loss: Float64Array;
  /** 1 for a member (a training row), 0 for a non-member. */
  member: Uint8Array;
  /** 1 where the next row has a different loss (the last row of a tie group). */
  tieGroupEnd: Uint8Array;
  /** Sorted positions of the members and of the non-members: the bootstrap strata. */
  memberRows: Int32Array;
  nonMemberRows: Int32Array;
}

export function sortMembershipRows(memberLosses: Float64Array, nonMemberLosses: Float64Array): MembershipRows {
  const members = memberLosses.length;
  const n = members + nonMemberLosses.length;
  const pooled = new Float64Array(n);
  pooled.set(memberLosses);
  pooled.set(nonMemberLosses, members);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (pooled[a] as number) - (pooled[b] as number) || a - b);
  const rows: MembershipRows = {
    n,
    loss: new Float64Array(n),
    member: new Uint8Array(n),
    tieGroupEnd: new Uint8Array(n),
    memberRows: new Int32Array(members),
    nonMemberRows: new Int32Array(n - members),
  };
  let m = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const source = order[i] as number;
    rows.loss[i] = pooled[source] as number;
    if (source < members) {
      rows.member[i] = 1;
      rows.memberRows[m++] = i;
    } else {
      rows.nonMemberRows[k++] = i;
    }
  }
  // -0 and 0 are one loss: compare with !==, which treats them as equal.
  for (let i = 0; i < n; i++) rows.tieGroupEnd[i] = i === n - 1 || rows.loss[i] !== rows.loss[i + 1] ? 1 : 0;
  return rows;
}

export interface AttackTally {
  /** Weighted member and non-member counts (M and N). */
  members: number;
  nonMembers: number;
  /** Mann–Whitney U: weighted (member, non-member) pairs where the member's loss is lower, ties ½. AUC = U / (M·N). */
  u: number;
  /** max over thresholds of TP·N − FP·M, ≥ 0 (0 is "predict nobody"): the advantage times M·N. */
  bestGap: number;
  /** Last sorted row of the first tie group reaching bestGap; −1 when no threshold beats predicting nobody. */
  bestRow: number;
  /** True and false positives at that threshold. */
  bestTp: number;
  bestFp: number;
}

/** Tallies the rows, each weighted by `weights[i]`. */
export function tallyAttack(rows: MembershipRows, weights: Int32Array): AttackTally {
  const { member, tieGroupEnd } = rows;
  let members = 0;
  let nonMembers = 0;
  for (let i = 0; i < rows.n; i++) {
    if (member[i] === 1) members += weights[i] as number;
    else nonMembers += weights[i] as number;
  }
  let u = 0;
  let tp = 0;
  let fp = 0;
  let groupMembers = 0;
  let groupNonMembers = 0;
  let bestGap = 0;
  let bestRow = -1;
  let bestTp = 0;
  let bestFp = 0;
  for (let i = 0; i < rows.n; i++) {
    const w = weights[i] as number;
    if (member[i] === 1) groupMembers += w;
    else groupNonMembers += w;
    if (tieGroupEnd[i] === 1) {
      // Each non-member in this group loses to every member below it (lower loss) and ties with the group's members.
      u += groupNonMembers * tp + 0.5 * groupMembers * groupNonMembers;
      tp += groupMembers;
      fp += groupNonMembers;
      groupMembers = 0;
      groupNonMembers = 0;
      const gap = tp * nonMembers - fp * members;
      if (gap > bestGap) {
        bestGap = gap;
        bestRow = i;
        bestTp = tp;
        bestFp = fp;
      }
    }
  }
  return { members, nonMembers, u, bestGap, bestRow, bestTp, bestFp };
}

/** AUC and advantage of a tally (both sides non-empty). */
export function aucOf(t: AttackTally): number {
  return t.u / (t.members * t.nonMembers);
}

export function advantageOf(t: AttackTally): number {
  return t.bestGap / (t.members * t.nonMembers);
}

/**
 * The operating point with the highest TPR among the thresholds whose FPR is ≤ maxFpr (unit
 * weights). `threshold` is null when only "predict nobody" qualifies (TPR = FPR = 0 then).
 */
export function bestTprAtFpr(rows: MembershipRows, maxFpr: number): { tpr: number; fpr: number; threshold: number | null } {
  const members = rows.memberRows.length;
  const nonMembers = rows.nonMemberRows.length;
  let tp = 0;
  let fp = 0;
  let best = { tpr: 0, fpr: 0, threshold: null as number | null };
  for (let i = 0; i < rows.n; i++) {
    if (rows.member[i] === 1) tp++;
    else fp++;
    if (rows.tieGroupEnd[i] !== 1) continue;
    // fp / N is correctly rounded, so 10 / 1000 ≤ 0.01 holds exactly.
    if (fp / nonMembers > maxFpr) break;
    best = { tpr: tp / members, fpr: fp / nonMembers, threshold: rows.loss[i] as number };
  }
  return best;
}
