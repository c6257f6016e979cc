/**
 * The loss-threshold membership-inference attack (Yeom et al. 2018, "Privacy Risk in Machine
 * Learning"): guess "member" (the row was in the training set) when the model's loss on the row is
 * at most a threshold. Its success, reported as Carlini et al. 2022 ("Membership Inference Attacks
 * From First Principles") recommend:
 * - `auc`: area under the ROC of the score −loss separating members from non-members,
 *   P(loss_member < loss_non-member) + ½·P(tie) = Mann–Whitney U / (M·N), from one sort;
 * - `advantage`: max over thresholds of TPR − FPR (Yeom's membership advantage), i.e. the one-sided
 *   Kolmogorov–Smirnov statistic of the two loss distributions; ≥ 0 because "predict nobody" is a
 *   threshold too;
 * - `tprAtLowFpr`: the best TPR at FPR ≤ 0.01 and ≤ 0.001, where an attack is confidently right.
 *
 * Intervals: percentile bootstrap, stratified (members and non-members each resampled to their own
 * size in every replicate), from one seed stream. AUC and advantage do not depend on the ratio of
 * members to non-members, but their precision does (the smaller side dominates the variance), and
 * only on balanced sets is the attack's accuracy (1 + advantage)/2: draw audit sets with
 * balancedMembershipSample so audits are comparable.
 *
 * The advantage is a maximum over thresholds, so chance alone pushes it above 0: with n rows a
 * side and no leakage at all its expectation is about 1.23/√n (0.039 at n = 1000), and its interval
 * usually excludes 0. Judge it against a tolerance, not against 0; the AUC has no such bias.
 */
import { bootstrapSettings, BOOTSTRAP_METHOD, type BootstrapOptions, type BootstrapSettings } from '../bootstrap/bootstrap-options';
import type { ConfidenceInterval } from '../bootstrap/metric-estimate';
import { percentileBounds } from '../bootstrap/percentile-interval';
import { drawStratifiedCounts, unitWeights } from '../bootstrap/resample-counts';
import { EvaluationError } from '../evaluation.error';
import { seededUniform } from '../seeded-random';
import { advantageOf, aucOf, bestTprAtFpr, sortMembershipRows, tallyAttack, type MembershipRows } from './attack-tally';
import { finiteLosses, meanOf } from './loss-input';

export const MEMBERSHIP_ATTACK = 'loss_threshold';
/** FPR bounds at which the TPR is reported (Carlini et al. 2022 report 0.1 % and 1 %). */
export const DEFAULT_LOW_FPR_TARGETS: readonly number[] = [0.01, 0.001];
/** Below this many members or non-members, no interval is computed: a bootstrap of so few rows says little. */
export const MIN_EXAMPLES_FOR_INTERVAL = 10;

export interface MembershipInferenceInput {
  /** Per-example losses on rows the model was trained on. */
  memberLosses: ArrayLike<number>;
  /** Per-example losses on rows it never saw (held out), from the same distribution. */
  nonMemberLosses: ArrayLike<number>;
}

export interface MembershipInferenceOptions extends BootstrapOptions {
  /** FPR bounds in (0, 1) for `tprAtLowFpr`. Default [0.01, 0.001]. */
  lowFprTargets?: readonly number[];
}

/** Why `aucCi` and `advantageCi` are null. */
export type MembershipIntervalReason = 'bootstrap-disabled' | 'too-few-examples';

/**
 * The best TPR among thresholds with FPR ≤ maxFpr; `threshold` null means only "predict nobody"
 * qualifies. Null with a reason when there are fewer than 1/maxFpr non-members: then FPR ≤ maxFpr
 * only means "no false positive at all", and the rate cannot be resolved.
 */
export type TprAtFpr =
  | { maxFpr: number; tpr: number; fpr: number; threshold: number | null }
  | { maxFpr: number; tpr: null; fpr: null; threshold: null; reason: 'too-few-non-members'; nonMembersNeeded: number };

export interface MembershipInferenceResult {
  attack: typeof MEMBERSHIP_ATTACK;
  members: number;
  nonMembers: number;
  auc: number;
  aucCi: ConfidenceInterval | null;
  advantage: number;
  advantageCi: ConfidenceInterval | null;
  /** Why the intervals are null; null when they are present. */
  ciReason: MembershipIntervalReason | null;
  /** The loss threshold achieving `advantage` (guess "member" when loss ≤ threshold); null when advantage is 0. */
  threshold: number | null;
  /** TPR and FPR at `threshold` (both 0 when it is null). */
  thresholdTpr: number;
  thresholdFpr: number;
  tprAtLowFpr: TprAtFpr[];
  meanMemberLoss: number;
  meanNonMemberLoss: number;
  bootstrap: BootstrapSettings;
}

function lowFprTargets(value: readonly number[] | undefined): number[] {
  const targets = value ?? DEFAULT_LOW_FPR_TARGETS;
  if (!Array.isArray(targets)) throw new EvaluationError('EVALUATION_OPTION_INVALID', 'lowFprTargets must be an array', { field: 'options.lowFprTargets' });
  return targets.map((target: unknown) => {
    if (typeof target !== 'number' || !(target > 0 && target < 1)) {
      throw new EvaluationError('EVALUATION_OPTION_INVALID', 'each lowFprTargets entry must be in (0, 1)', { field: 'options.lowFprTargets' });
    }
    return target;
  });
}

/** The fewest non-members N with 1/N ≤ maxFpr (the same comparison tprAtFpr makes). */
function nonMembersToResolve(maxFpr: number): number {
  let needed = Math.ceil(1 / maxFpr);
  while (1 / needed > maxFpr) needed++;
  while (needed > 1 && 1 / (needed - 1) <= maxFpr) needed--;
  return needed;
}

function tprAtFpr(rows: MembershipRows, maxFpr: number): TprAtFpr {
  const nonMembers = rows.nonMemberRows.length;
  if (1 / nonMembers > maxFpr) {
    return { maxFpr, tpr: null, fpr: null, threshold: null, reason: 'too-few-non-members', nonMembersNeeded: nonMembersToResolve(maxFpr) };
  }
  return { maxFpr, ...bestTprAtFpr(rows, maxFpr) };
}

/** Replicate AUCs and advantages of the stratified bootstrap. */
function bootstrapReplicates(rows: MembershipRows, settings: BootstrapSettings): { auc: Float64Array; advantage: Float64Array } {
  const auc = new Float64Array(settings.resamples);
  const advantage = new Float64Array(settings.resamples);
  const uniform = seededUniform(settings.seed, 'membership-inference');
  const strata = [rows.memberRows, rows.nonMemberRows];
  const counts = new Int32Array(rows.n);
  for (let r = 0; r < settings.resamples; r++) {
    drawStratifiedCounts(uniform, strata, counts);
    const tally = tallyAttack(rows, counts);
    auc[r] = aucOf(tally);
    advantage[r] = advantageOf(tally);
  }
  return { auc, advantage };
}

function interval(replicates: Float64Array, settings: BootstrapSettings): ConfidenceInterval {
  // Both strata keep their size in every replicate, so both statistics are defined in every one.
  const bounds = percentileBounds(replicates, settings.level)!;
  return { ...bounds, level: settings.level, method: BOOTSTRAP_METHOD, resamples: settings.resamples };
}

/** Runs the loss-threshold attack on members' and non-members' losses; see the module comment. */
export function lossThresholdAttack(input: MembershipInferenceInput, options: MembershipInferenceOptions = {}): MembershipInferenceResult {
  const memberLosses = finiteLosses(input.memberLosses, 'memberLosses');
  const nonMemberLosses = finiteLosses(input.nonMemberLosses, 'nonMemberLosses');
  const settings = bootstrapSettings(options, 'rows-within-group');
  const targets = lowFprTargets(options.lowFprTargets);

  const rows = sortMembershipRows(memberLosses, nonMemberLosses);
  const tally = tallyAttack(rows, unitWeights(rows.n));
  const tooFew = memberLosses.length < MIN_EXAMPLES_FOR_INTERVAL || nonMemberLosses.length < MIN_EXAMPLES_FOR_INTERVAL;
  const ciReason: MembershipIntervalReason | null = settings.resamples === 0 ? 'bootstrap-disabled' : tooFew ? 'too-few-examples' : null;
  const replicates = ciReason === null ? bootstrapReplicates(rows, settings) : null;

  return {
    attack: MEMBERSHIP_ATTACK,
    members: tally.members,
    nonMembers: tally.nonMembers,
    auc: aucOf(tally),
    aucCi: replicates === null ? null : interval(replicates.auc, settings),
    advantage: advantageOf(tally),
    advantageCi: replicates === null ? null : interval(replicates.advantage, settings),
    ciReason,
    threshold: tally.bestRow < 0 ? null : (rows.loss[tally.bestRow] as number),
    thresholdTpr: tally.bestTp / tally.members,
    thresholdFpr: tally.bestFp / tally.nonMembers,
    tprAtLowFpr: targets.map((maxFpr) => tprAtFpr(rows, maxFpr)),
    meanMemberLoss: meanOf(memberLosses),
    meanNonMemberLoss: meanOf(nonMemberLosses),
    bootstrap: settings,
  };
}
