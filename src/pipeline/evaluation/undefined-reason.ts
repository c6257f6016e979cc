/**
 * Why a metric has no value. A metric that is undefined on its data (precision with no predicted
 * positives, AUC with one class) is reported as `null` with one of these reasons: never NaN, and
 * never a made-up 0. The codes are stable API; the descriptions are for reports.
 */
export const UNDEFINED_REASONS = {
  'no-rows': 'there are no rows',
  'no-predicted-positives': 'nothing was predicted positive (TP + FP = 0)',
  'no-actual-positives': 'there are no actual positives (TP + FN = 0)',
  'no-actual-negatives': 'there are no actual negatives (TN + FP = 0)',
  'no-positives-and-no-predictions': 'no actual and no predicted positives (2·TP + FP + FN = 0)',
  'single-class': 'only one class is present, so ranking is undefined',
  'not-binary': 'defined for binary classification only',
  'no-class-defined': 'the metric is undefined for every class',
  'empty-bin': 'no score fell into this bin',
  'fewer-than-two-groups': 'fewer than two groups are eligible to compare',
  'zero-max-selection-rate': 'no eligible group has any selections, so the ratio is 0/0',
  'zero-max-base-rate': 'no eligible group has any positive labels, so the ratio is 0/0',
  'baseline-undefined': 'the baseline value is undefined',
  'condition-undefined': 'the value under this condition is undefined',
} as const;

export type UndefinedReason = keyof typeof UNDEFINED_REASONS;

/** A metric's value on one data set: a finite number, or `null` with the reason it is undefined. */
export type PointValue = { value: number } | { value: null; reason: UndefinedReason };

export function defined(value: number): PointValue {
  return { value };
}

export function undefinedBecause(reason: UndefinedReason): PointValue {
  return { value: null, reason };
}

/** `numerator / denominator`, or null with `reason` when the denominator is 0. */
export function ratio(numerator: number, denominator: number, reason: UndefinedReason): PointValue {
  return denominator === 0 ? { value: null, reason } : { value: numerator / denominator };
}
