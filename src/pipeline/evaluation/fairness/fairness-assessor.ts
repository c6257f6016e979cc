/**
 * Group fairness of a binary classifier for every sensitive attribute and every intersection of
 * 2…k attributes: per-group size, base rate, selection rate, TPR and FPR; per attribute set the
 * fairlearn disparities (see disparity.ts) and the four-fifths rule; all with percentile
 * bootstrap intervals.
 *
 * Bootstrap: stratified by group. Each replicate redraws every group's rows from that group with
 * replacement, keeping its size, so every group is present in every replicate and eligibility
 * (below) is the same in all of them. Each attribute set has its own stratification and seed
 * stream. A replicate in which an eligible group happens to draw no positives (or no negatives)
 * has no TPR (FPR) difference and is counted in the interval's `undefinedResamples`.
 *
 * Small groups: a group with fewer than `minGroupSize` rows is reported in full (with its
 * intervals) and flagged `tooSmallToJudge`, but left out of the max/min of every disparity and of
 * the four-fifths rule, because one or two rows would swing those. A group with no actual
 * positives has no TPR and is left out of the equal-opportunity difference and the TPR half of
 * equalized odds; one with no actual negatives is left out of the FPR half. Every exclusion is
 * listed in `excludedGroups` and, for small groups, in the summary.
 */
import { bootstrapSettings, type BootstrapOptions, type BootstrapSettings } from '../bootstrap/bootstrap-options';
import { ReplicateTable, type MetricEstimate } from '../bootstrap/metric-estimate';
import { partitionRows } from '../group-partition';
import { DEFAULT_THRESHOLD, binaryLabels, probabilities, threshold as checkedThreshold } from '../input-validation';
import { seededUniform } from '../seeded-random';
import type { PointValue, UndefinedReason } from '../undefined-reason';
import { attributeSets } from './attribute-sets';
import { DISPARITIES, disparities, type DisparityName, type Eligibility } from './disparity';
import { fourFifthsThreshold, minGroupSize, sensitiveAttributes, type GroupingOptions } from './fairness-options';
import { FN, FP, GROUP_RATES, TN, TP, groupRates, resampleCells, type GroupRateName } from './group-rates';

export interface FairnessInput {
  /** Actual labels, 0 or 1. */
  yTrue: ArrayLike<number>;
  /** Probability of the positive (favourable) outcome, in [0, 1]. */
  scores: ArrayLike<number>;
  /** Sensitive attributes: name → one value per row. */
  attributes: Readonly<Record<string, readonly string[]>>;
}

export interface FairnessOptions extends BootstrapOptions, GroupingOptions {
  /** A row is selected (predicted positive) when its score is ≥ threshold. Default 0.5. */
  threshold?: number;
  /** The four-fifths rule passes when the demographic parity ratio is ≥ this. Default 0.8. */
  fourFifthsThreshold?: number;
}

export interface GroupFairness {
  values: string[];
  size: number;
  positives: number;
  selected: number;
  tooSmallToJudge: boolean;
  baseRate: MetricEstimate;
  selectionRate: MetricEstimate;
  truePositiveRate: MetricEstimate;
  falsePositiveRate: MetricEstimate;
}

export type ExclusionReason = 'too-small-to-judge' | 'no-actual-positives' | 'no-actual-negatives';
export type Comparison = DisparityName | 'fourFifthsRule';

export interface GroupExclusion {
  values: string[];
  size: number;
  reason: ExclusionReason;
  /** For `no-actual-negatives`, equalized odds loses only this group's FPR. */
  excludedFrom: Comparison[];
}

export interface FourFifthsRule {
  threshold: number;
  /** The demographic parity ratio over eligible groups. */
  ratio: number | null;
  passes: boolean | null;
  /** Why the rule could not be judged (null when it could). */
  reason: UndefinedReason | null;
  /** The eligible group with the highest selection rate (the first in order on a tie). */
  referenceGroup: string[] | null;
  /** Eligible groups selected at less than threshold × the reference group's rate. */
  adverselyImpactedGroups: string[][];
}

export interface AttributeSetFairness {
  attributes: string[];
  kind: 'attribute' | 'intersection';
  groups: GroupFairness[];
  demographicParityDifference: MetricEstimate;
  demographicParityRatio: MetricEstimate;
  equalOpportunityDifference: MetricEstimate;
  equalizedOddsDifference: MetricEstimate;
  fourFifthsRule: FourFifthsRule;
  excludedGroups: GroupExclusion[];
}

export interface FairnessSummary {
  fourFifthsFailures: { attributes: string[]; kind: AttributeSetFairness['kind']; ratio: number; adverselyImpactedGroups: string[][] }[];
  fourFifthsUndetermined: { attributes: string[]; kind: AttributeSetFairness['kind']; reason: UndefinedReason }[];
  /** Every group too small to judge, and the comparisons it was left out of. */
  smallGroups: { attributes: string[]; values: string[]; size: number; excludedFrom: Comparison[] }[];
}

export interface FairnessAssessment {
  rows: number;
  threshold: number;
  minGroupSize: number;
  fourFifthsThreshold: number;
  bootstrap: BootstrapSettings;
  attributeSets: AttributeSetFairness[];
  summary: FairnessSummary;
}

const ALL_COMPARISONS: Comparison[] = [...DISPARITIES, 'fourFifthsRule'];

type GroupPoints = Record<GroupRateName, PointValue>;

function fourFifthsRule(groups: readonly GroupFairness[], eligible: readonly number[], ratio: PointValue, threshold: number): FourFifthsRule {
  if (ratio.value === null) return { threshold, ratio: null, passes: null, reason: ratio.reason, referenceGroup: null, adverselyImpactedGroups: [] };
  let reference = eligible[0] as number;
  for (const g of eligible) if ((groups[g]!.selectionRate.value as number) > (groups[reference]!.selectionRate.value as number)) reference = g;
  const top = groups[reference]!.selectionRate.value as number;
  return {
    threshold,
    ratio: ratio.value,
    passes: ratio.value >= threshold,
    reason: null,
    referenceGroup: groups[reference]!.values,
    adverselyImpactedGroups: eligible.filter((g) => (groups[g]!.selectionRate.value as number) < threshold * top).map((g) => groups[g]!.values),
  };
}

function assessSet(
  attributes: string[],
  columns: readonly (readonly string[])[],
  labels: Uint8Array,
  selected: Uint8Array,
  settings: { minGroupSize: number; fourFifthsThreshold: number; bootstrap: BootstrapSettings },
): AttributeSetFairness {
  const partition = partitionRows(columns, labels.length);
  const cellOfRow = partition.map((group) => Uint8Array.from(group.rows, (row) => 2 * (labels[row] as number) + (selected[row] as number)));
  const cells = cellOfRow.map((codes) => {
    const counts = new Int32Array(4);
    for (const cell of codes) counts[cell]! += 1;
    return counts;
  });
  const points: GroupPoints[] = cells.map(groupRates);
  const small = partition.map((group) => group.rows.length < settings.minGroupSize);
  const judged = partition.map((_, g) => g).filter((g) => !small[g]);
  const eligible: Eligibility = {
    selectionRate: judged,
    truePositiveRate: judged.filter((g) => points[g]!.truePositiveRate.value !== null),
    falsePositiveRate: judged.filter((g) => points[g]!.falsePositiveRate.value !== null),
  };
  const disparityPoints = disparities(points, eligible);

  const { bootstrap } = settings;
  const table = new ReplicateTable<string>(bootstrap.resamples);
  if (bootstrap.resamples > 0) {
    const uniform = seededUniform(bootstrap.seed, 'fairness', JSON.stringify(attributes));
    const scratch = cells.map(() => new Int32Array(4));
    for (let r = 0; r < bootstrap.resamples; r++) {
      const replicate = cellOfRow.map((codes, g) => {
        resampleCells(uniform, codes, scratch[g]!);
        const rates = groupRates(scratch[g]!);
        for (const rate of GROUP_RATES) table.record(r, `${g}/${rate}`, rates[rate]);
        return rates;
      });
      table.recordAll(r, disparities(replicate, eligible));
    }
  }

  const groups: GroupFairness[] = partition.map((group, g) => {
    const counts = cells[g]!;
    const estimate = (rate: GroupRateName): MetricEstimate => table.estimate(`${g}/${rate}`, points[g]![rate], bootstrap);
    return {
      values: group.values,
      size: group.rows.length,
      positives: (counts[FN] as number) + (counts[TP] as number),
      selected: (counts[FP] as number) + (counts[TP] as number),
      tooSmallToJudge: small[g]!,
      baseRate: estimate('baseRate'),
      selectionRate: estimate('selectionRate'),
      truePositiveRate: estimate('truePositiveRate'),
      falsePositiveRate: estimate('falsePositiveRate'),
    };
  });
  const excludedGroups: GroupExclusion[] = groups.flatMap((group, g): GroupExclusion[] => {
    const { values, size } = group;
    if (small[g]) return [{ values, size, reason: 'too-small-to-judge', excludedFrom: ALL_COMPARISONS }];
    if (cells[g]![FN]! + cells[g]![TP]! === 0) return [{ values, size, reason: 'no-actual-positives', excludedFrom: ['equalOpportunityDifference', 'equalizedOddsDifference'] }];
    if (cells[g]![TN]! + cells[g]![FP]! === 0) return [{ values, size, reason: 'no-actual-negatives', excludedFrom: ['equalizedOddsDifference'] }];
    return [];
  });
  const estimates = table.estimateAll(disparityPoints, bootstrap);
  return {
    attributes,
    kind: attributes.length === 1 ? 'attribute' : 'intersection',
    groups,
    demographicParityDifference: estimates.demographicParityDifference,
    demographicParityRatio: estimates.demographicParityRatio,
    equalOpportunityDifference: estimates.equalOpportunityDifference,
    equalizedOddsDifference: estimates.equalizedOddsDifference,
    fourFifthsRule: fourFifthsRule(groups, judged, disparityPoints.demographicParityRatio, settings.fourFifthsThreshold),
    excludedGroups,
  };
}

function summarise(sets: readonly AttributeSetFairness[]): FairnessSummary {
  const summary: FairnessSummary = { fourFifthsFailures: [], fourFifthsUndetermined: [], smallGroups: [] };
  for (const set of sets) {
    const { attributes, kind, fourFifthsRule: rule } = set;
    if (rule.passes === false) summary.fourFifthsFailures.push({ attributes, kind, ratio: rule.ratio as number, adverselyImpactedGroups: rule.adverselyImpactedGroups });
    if (rule.reason !== null) summary.fourFifthsUndetermined.push({ attributes, kind, reason: rule.reason });
    for (const excluded of set.excludedGroups) {
      if (excluded.reason === 'too-small-to-judge') summary.smallGroups.push({ attributes, values: excluded.values, size: excluded.size, excludedFrom: excluded.excludedFrom });
    }
  }
  return summary;
}

export function assessFairness(input: FairnessInput, options: FairnessOptions = {}): FairnessAssessment {
  const labels = binaryLabels(input.yTrue);
  const scores = probabilities(input.scores, labels.length);
  const threshold = checkedThreshold(options.threshold, DEFAULT_THRESHOLD);
  const attributes = sensitiveAttributes(input.attributes, labels.length);
  const settings = {
    minGroupSize: minGroupSize(options.minGroupSize),
    fourFifthsThreshold: fourFifthsThreshold(options.fourFifthsThreshold),
    bootstrap: bootstrapSettings(options, 'rows-within-group'),
  };
  const selected = Uint8Array.from(scores, (score) => (score >= threshold ? 1 : 0));
  const sets = attributeSets([...attributes.keys()], options.maxIntersectionSize).map((names) =>
    assessSet(names, names.map((name) => attributes.get(name)!), labels, selected, settings),
  );
  return {
    rows: labels.length,
    threshold,
    minGroupSize: settings.minGroupSize,
    fourFifthsThreshold: settings.fourFifthsThreshold,
    bootstrap: settings.bootstrap,
    attributeSets: sets,
    summary: summarise(sets),
  };
}
