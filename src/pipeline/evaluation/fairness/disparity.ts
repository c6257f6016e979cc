/**
 * Between-group disparities, as fairlearn defines them (fairlearn.metrics, agg "between_groups"):
 * - demographic parity difference: max − min selection rate;
 * - demographic parity ratio: min ÷ max selection rate (the disparate-impact ratio);
 * - equal opportunity difference: max − min true positive rate;
 * - equalized odds difference: the larger of the TPR difference and the FPR difference.
 * Each is taken over the groups eligible for it (see fairness-assessor.ts): at least two are needed.
 */
import { type PointValue, defined, undefinedBecause } from '../undefined-reason';
import type { GroupRateName } from './group-rates';

export const DISPARITIES = ['demographicParityDifference', 'demographicParityRatio', 'equalOpportunityDifference', 'equalizedOddsDifference'] as const;

export type DisparityName = (typeof DISPARITIES)[number];

/** Indices of the groups each comparison is taken over. */
export interface Eligibility {
  selectionRate: readonly number[];
  truePositiveRate: readonly number[];
  falsePositiveRate: readonly number[];
}

type Spread = { min: number; max: number } | { reason: PointValue & { value: null } };

function spread(groups: readonly Record<GroupRateName, PointValue>[], indices: readonly number[], rate: GroupRateName): Spread {
  if (indices.length < 2) return { reason: { value: null, reason: 'fewer-than-two-groups' } };
  let min = Infinity;
  let max = -Infinity;
  for (const g of indices) {
    const point = (groups[g] as Record<GroupRateName, PointValue>)[rate];
    // Only possible in a bootstrap replicate (eligibility guarantees a value on all rows).
    if (point.value === null) return { reason: point };
    min = Math.min(min, point.value);
    max = Math.max(max, point.value);
  }
  return { min, max };
}

function difference(s: Spread): PointValue {
  return 'reason' in s ? s.reason : defined(s.max - s.min);
}

export function disparities(groups: readonly Record<GroupRateName, PointValue>[], eligible: Eligibility): Record<DisparityName, PointValue> {
  const selection = spread(groups, eligible.selectionRate, 'selectionRate');
  const tpr = difference(spread(groups, eligible.truePositiveRate, 'truePositiveRate'));
  const fpr = difference(spread(groups, eligible.falsePositiveRate, 'falsePositiveRate'));
  let ratio: PointValue;
  if ('reason' in selection) ratio = selection.reason;
  else ratio = selection.max === 0 ? undefinedBecause('zero-max-selection-rate') : defined(selection.min / selection.max);
  return {
    demographicParityDifference: difference(selection),
    demographicParityRatio: ratio,
    equalOpportunityDifference: tpr,
    equalizedOddsDifference: tpr.value === null ? tpr : fpr.value === null ? fpr : defined(Math.max(tpr.value, fpr.value)),
  };
}
