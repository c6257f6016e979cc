/**
 * Label balance before training: the base rate (share of positive labels) of every group of every
 * sensitive attribute and intersection in the training split, with the between-group base-rate
 * difference and ratio over groups large enough to judge. Descriptive, without intervals: it
 * describes the data the model learned from rather than estimating a property of the model.
 * `compareLabelBalance` lines it up with a fairness assessment of the test split.
 */
import { binaryLabels } from '../input-validation';
import { compareValues, partitionRows } from '../group-partition';
import { type PointValue, defined, undefinedBecause } from '../undefined-reason';
import { attributeSets } from './attribute-sets';
import type { AttributeSetFairness, FairnessAssessment } from './fairness-assessor';
import { minGroupSize, sensitiveAttributes, type GroupingOptions } from './fairness-options';

export interface LabelBalanceInput {
  /** Training-split labels, 0 or 1. */
  yTrue: ArrayLike<number>;
  /** Sensitive attributes of the training rows: name → one value per row. */
  attributes: Readonly<Record<string, readonly string[]>>;
}

export interface GroupLabelBalance {
  values: string[];
  size: number;
  positives: number;
  baseRate: number;
  tooSmallToJudge: boolean;
}

export interface AttributeSetLabelBalance {
  attributes: string[];
  kind: 'attribute' | 'intersection';
  groups: GroupLabelBalance[];
  /** max − min base rate over groups not too small to judge. */
  baseRateDifference: PointValue;
  /** min ÷ max base rate over the same groups. */
  baseRateRatio: PointValue;
  /** Groups left out of the difference and ratio. */
  smallGroups: string[][];
}

export interface LabelBalance {
  rows: number;
  positives: number;
  baseRate: number;
  minGroupSize: number;
  attributeSets: AttributeSetLabelBalance[];
}

export function assessLabelBalance(input: LabelBalanceInput, options: GroupingOptions = {}): LabelBalance {
  const labels = binaryLabels(input.yTrue);
  const attributes = sensitiveAttributes(input.attributes, labels.length);
  const minimum = minGroupSize(options.minGroupSize);
  const positives = labels.reduce((sum, label) => sum + label, 0);
  const sets = attributeSets([...attributes.keys()], options.maxIntersectionSize).map((names): AttributeSetLabelBalance => {
    const groups = partitionRows(names.map((name) => attributes.get(name)!), labels.length).map((group): GroupLabelBalance => {
      let groupPositives = 0;
      for (const row of group.rows) groupPositives += labels[row] as number;
      const size = group.rows.length;
      return { values: group.values, size, positives: groupPositives, baseRate: groupPositives / size, tooSmallToJudge: size < minimum };
    });
    const judged = groups.filter((group) => !group.tooSmallToJudge).map((group) => group.baseRate);
    const min = Math.min(...judged);
    const max = Math.max(...judged);
    const enough = judged.length >= 2;
    return {
      attributes: names,
      kind: names.length === 1 ? 'attribute' : 'intersection',
      groups,
      baseRateDifference: enough ? defined(max - min) : undefinedBecause('fewer-than-two-groups'),
      baseRateRatio: !enough ? undefinedBecause('fewer-than-two-groups') : max === 0 ? undefinedBecause('zero-max-base-rate') : defined(min / max),
      smallGroups: groups.filter((group) => group.tooSmallToJudge).map((group) => group.values),
    };
  });
  return { rows: labels.length, positives, baseRate: positives / labels.length, minGroupSize: minimum, attributeSets: sets };
}

/** One group before (training labels) and after (test labels and model selections); null where the group is absent. */
export interface GroupBeforeAfter {
  values: string[];
  training: { size: number; baseRate: number; tooSmallToJudge: boolean } | null;
  evaluation: { size: number; baseRate: number; selectionRate: number; tooSmallToJudge: boolean } | null;
}

export interface LabelBalanceComparison {
  attributeSets: { attributes: string[]; kind: 'attribute' | 'intersection'; groups: GroupBeforeAfter[] }[];
}

function key(values: readonly string[]): string {
  return JSON.stringify(values);
}

/**
 * Training label rates beside test label and selection rates, group by group, for the attribute
 * sets both reports cover (in the fairness assessment's order), groups in value order.
 */
export function compareLabelBalance(before: LabelBalance, after: FairnessAssessment): LabelBalanceComparison {
  const beforeSets = new Map(before.attributeSets.map((set) => [key(set.attributes), set]));
  return {
    attributeSets: after.attributeSets.flatMap((set: AttributeSetFairness) => {
      const training = beforeSets.get(key(set.attributes));
      if (training === undefined) return [];
      const rows = new Map<string, GroupBeforeAfter>();
      const entry = (values: string[]): GroupBeforeAfter => {
        let found = rows.get(key(values));
        if (found === undefined) {
          found = { values, training: null, evaluation: null };
          rows.set(key(values), found);
        }
        return found;
      };
      for (const group of training.groups) {
        entry(group.values).training = { size: group.size, baseRate: group.baseRate, tooSmallToJudge: group.tooSmallToJudge };
      }
      for (const group of set.groups) {
        entry(group.values).evaluation = {
          size: group.size,
          baseRate: group.positives / group.size,
          selectionRate: group.selected / group.size,
          tooSmallToJudge: group.tooSmallToJudge,
        };
      }
      const groups = [...rows.values()].sort((a, b) => compareValues(a.values, b.values));
      return [{ attributes: set.attributes, kind: set.kind, groups }];
    }),
  };
}
