import { encodedNames, type PreprocessorState } from '../training/preprocessing';
import { ExplainabilityError } from './explainability.error';

/**
 * Encoded features grouped back to the original columns they came from: a numeric column is one
 * feature, a one-hot encoded column is all of its slots. Importances and attributions are
 * reported per group, because "age" and "purpose" are what a person asked about, not
 * `purpose=car`. Groups must partition the encoded features: every feature in exactly one group.
 */
export interface FeatureGroup {
  /** The original column. */
  name: string;
  /** 0-based indices of its encoded features (columns of the model input). */
  features: number[];
}

/** One group per original column of a fitted preprocessor, in its feature order. */
export function featureGroupsFromPreprocessor(state: Pick<PreprocessorState, 'features'>): FeatureGroup[] {
  let offset = 0;
  return state.features.map((feature) => {
    const width = encodedNames(feature).length;
    const group = { name: feature.column, features: Array.from({ length: width }, (_, i) => offset + i) };
    offset += width;
    return group;
  });
}

/** One group per encoded feature, named after it (`feature_3` when no names are given). */
export function singletonGroups(features: number, names?: readonly string[]): FeatureGroup[] {
  if (names !== undefined && names.length !== features) {
    throw new ExplainabilityError('EXPLAIN_GROUPS_INVALID', `${names.length} feature names for ${features} features`, { expected: features, found: names.length });
  }
  return Array.from({ length: features }, (_, i) => ({ name: names?.[i] ?? `feature_${i}`, features: [i] }));
}

/** Checks that `groups` partition 0…features−1 under distinct, non-empty names; returns them. */
export function checkFeatureGroups(groups: readonly FeatureGroup[], features: number): readonly FeatureGroup[] {
  if (!isList(groups) || groups.length === 0) throw new ExplainabilityError('EXPLAIN_GROUPS_INVALID', 'at least one feature group is needed');
  const owner = new Int32Array(features).fill(-1);
  const names = new Set<string>();
  groups.forEach((group, g) => {
    if (typeof group.name !== 'string' || group.name === '') throw new ExplainabilityError('EXPLAIN_GROUPS_INVALID', `group ${g} has no name`, { index: g });
    if (names.has(group.name)) throw new ExplainabilityError('EXPLAIN_GROUPS_INVALID', `two groups are named ${JSON.stringify(group.name)}`, { column: group.name });
    names.add(group.name);
    if (!isList(group.features) || group.features.length === 0) {
      throw new ExplainabilityError('EXPLAIN_GROUPS_INVALID', `group ${JSON.stringify(group.name)} has no features`, { column: group.name });
    }
    for (const f of group.features) {
      if (!Number.isSafeInteger(f) || f < 0 || f >= features) {
        throw new ExplainabilityError('EXPLAIN_GROUPS_INVALID', `group ${JSON.stringify(group.name)} names feature ${String(f)}; the model has ${features}`, {
          column: group.name,
          expected: features,
        });
      }
      if (owner[f] !== -1) {
        throw new ExplainabilityError('EXPLAIN_GROUPS_INVALID', `feature ${f} is in more than one group`, { column: group.name, index: f });
      }
      owner[f] = g;
    }
  });
  const missing = owner.indexOf(-1);
  if (missing !== -1) throw new ExplainabilityError('EXPLAIN_GROUPS_INVALID', `feature ${missing} is in no group`, { index: missing });
  return groups;
}

/** Per-group sums of per-feature values. */
export function sumByGroup(values: ArrayLike<number>, groups: readonly FeatureGroup[]): number[] {
  return groups.map((group) => group.features.reduce((sum, f) => sum + (values[f] as number), 0));
}

/** Array.isArray without narrowing the argument to any[] (groups may come from untrusted JSON). */
function isList(value: unknown): boolean {
  return Array.isArray(value);
}
