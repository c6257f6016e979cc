import { parseNumber } from '../../../pipeline/datasets/transformations';
import type { FeatureProfile, MonitoringBaseline } from './baseline';
import { bucketOf, own } from './buckets';

/**
 * What a category unseen in training is logged as. (A training category spelled so would be
 * indistinguishable from it; it is counted as that category.)
 */
export const UNKNOWN_CATEGORY = '__unknown__';

/**
 * What the decision log keeps of one input for monitoring, instead of the input itself (personal
 * data): per feature (`f`) the quantile bucket of a number or the category, per group attribute
 * (`g`) its value; null when missing. Keys are short because one is stored per prediction.
 */
export interface MonitoringView {
  f: Record<string, number | string | null>;
  g: Record<string, string | null>;
}

export type MonitoringRecord = Readonly<Record<string, string | number | null>>;

/**
 * The view of one validated input record. Every baseline feature must be a field (null when
 * missing); a group attribute the record lacks is logged as missing. Numbers may be JS numbers or
 * numeric text; a JS number in a categorical field or a group attribute is taken as String(n).
 */
export function monitoringView(baseline: MonitoringBaseline, record: MonitoringRecord, groupAttributes: readonly string[]): MonitoringView {
  return {
    f: Object.fromEntries(baseline.features.map((profile) => [profile.column, featureView(profile, record)])),
    g: Object.fromEntries(groupAttributes.map((attribute) => [attribute, textOrNull(own(record, attribute) ?? null)])),
  };
}

function featureView(profile: FeatureProfile, record: MonitoringRecord): number | string | null {
  const { column } = profile;
  if (!Object.hasOwn(record, column)) throw new RangeError(`the record has no field ${JSON.stringify(column)}`);
  const value = record[column] ?? null;
  if (value === null) return null;
  if (profile.kind === 'categorical') {
    const category = String(value);
    return profile.categories.includes(category) ? category : UNKNOWN_CATEGORY;
  }
  const number = typeof value === 'number' ? value : parseNumber(value);
  // The field, never the value: it may be personal data.
  if (number === undefined || !Number.isFinite(number)) throw new TypeError(`field ${JSON.stringify(column)} is numeric; its value is not a finite number`);
  return bucketOf(profile.edges, number);
}

function textOrNull(value: string | number | null): string | null {
  return value === null ? null : String(value);
}
