/**
 * `fairness`: the latest `fairness.assessed` record of the version's model, with point values only
 * (the intervals stay in the record). Null when the record is absent or holds no assessment (a
 * multiclass model, or no sensitive attribute in the test split: the record says why).
 *
 * `preTraining` comes from the same record's label balance of the training split: per attribute
 * set, the spread of the groups' positive-label rates, over groups large enough to judge, as
 * assessLabelBalance defines it (difference max − min, ratio min ÷ max; null with fewer than two
 * such groups, ratio null when every rate is 0). The privacy scan's label balance is not used: the
 * scan does not know the positive label, so its rates are always null.
 */
import type { FairnessAttributeSet, FairnessSection } from '../evidence-document';
import type { AttributeSetFairness, LabelBalanceComparison } from '../../../pipeline/evaluation';
import { readRecord } from './assembly.error';
import { pointValue } from './metric-value';
import type { FairnessAssessedBody } from './producer-bodies';
import type { RecordSet } from './record-set';

function attributeSet(set: AttributeSetFairness): FairnessAttributeSet {
  return {
    attributes: [...set.attributes],
    kind: set.kind,
    groups: set.groups.map((group) => ({
      values: [...group.values],
      size: group.size,
      selectionRate: pointValue(group.selectionRate),
      truePositiveRate: pointValue(group.truePositiveRate),
      falsePositiveRate: pointValue(group.falsePositiveRate),
      tooSmallToJudge: group.tooSmallToJudge,
    })),
    demographicParityDifference: pointValue(set.demographicParityDifference),
    demographicParityRatio: pointValue(set.demographicParityRatio),
    equalOpportunityDifference: pointValue(set.equalOpportunityDifference),
    equalizedOddsDifference: pointValue(set.equalizedOddsDifference),
    fourFifthsPass: set.fourFifthsRule.passes,
    adverselyImpactedGroups: set.fourFifthsRule.adverselyImpactedGroups.map((values) => [...values]),
  };
}

function preTraining(balance: LabelBalanceComparison | null): FairnessSection['preTraining'] {
  if (!balance) return null;
  return balance.attributeSets.map((set) => {
    const rates = set.groups.flatMap((group) => (group.training && !group.training.tooSmallToJudge ? [group.training.baseRate] : []));
    if (rates.length < 2) return { attributes: [...set.attributes], positiveRateRatio: null, positiveRateDifference: null };
    const min = Math.min(...rates);
    const max = Math.max(...rates);
    return { attributes: [...set.attributes], positiveRateRatio: max === 0 ? null : min / max, positiveRateDifference: max - min };
  });
}

const defined = (values: Array<number | null>) => values.filter((value): value is number => value !== null);

export function fairnessSection(current: RecordSet, runId: string): FairnessSection | null {
  const record = current.latest<FairnessAssessedBody>('fairness.assessed', runId);
  if (!record?.body.assessment) return null;
  return readRecord(record, () => {
    const assessment = record.body.assessment!;
    const attributeSets = assessment.attributeSets.map(attributeSet);
    const ratios = defined(attributeSets.map((set) => set.demographicParityRatio));
    const odds = defined(attributeSets.map((set) => set.equalizedOddsDifference));
    return {
      datasetVersionId: record.body.split.versionId,
      minGroupSize: assessment.minGroupSize,
      fourFifthsThreshold: assessment.fourFifthsThreshold,
      attributeSets,
      minDemographicParityRatio: ratios.length > 0 ? Math.min(...ratios) : null,
      maxEqualizedOddsDifference: odds.length > 0 ? Math.max(...odds) : null,
      preTraining: preTraining(record.body.labelBalance),
    };
  });
}
