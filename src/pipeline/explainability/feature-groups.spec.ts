import type { PreprocessorState } from '../training/preprocessing';
import { checkFeatureGroups, featureGroupsFromPreprocessor, singletonGroups, sumByGroup } from './feature-groups';

describe(featureGroupsFromPreprocessor.name, () => {
  it('maps each original column to its encoded features, one-hot slots (and a missing slot) included', () => {
    const state: Pick<PreprocessorState, 'features'> = {
      features: [
        { kind: 'numeric', column: 'age', imputation: 'mean', fill: 0, scaling: 'standard', center: 40, scale: 10 },
        { kind: 'categorical', column: 'purpose', imputation: 'missing-category', categories: ['car', 'house'], fill: null, missingSlot: true },
        { kind: 'categorical', column: 'housing', imputation: 'mode', categories: ['own', 'rent'], fill: 'own', missingSlot: false },
        { kind: 'numeric', column: 'debt', imputation: 'median', fill: 0, scaling: 'none', center: 0, scale: 1 },
      ],
    };
    const groups = featureGroupsFromPreprocessor(state);
    expect(groups).toEqual([
      { name: 'age', features: [0] },
      { name: 'purpose', features: [1, 2, 3] },
      { name: 'housing', features: [4, 5] },
      { name: 'debt', features: [6] },
    ]);
    expect(checkFeatureGroups(groups, 7)).toBe(groups);
    expect(sumByGroup([1, 2, 3, 4, 5, 6, 7], groups)).toEqual([1, 9, 11, 7]);
  });
});

describe(checkFeatureGroups.name, () => {
  it.each([
    ['no groups', []],
    ['an empty group', [{ name: 'a', features: [] }, { name: 'b', features: [0, 1, 2] }]],
    ['a duplicate name', [{ name: 'a', features: [0] }, { name: 'a', features: [1, 2] }]],
    ['a feature twice', [{ name: 'a', features: [0, 1] }, { name: 'b', features: [1, 2] }]],
    ['a feature missing', [{ name: 'a', features: [0, 1] }]],
    ['a feature out of range', [{ name: 'a', features: [0, 1, 2, 3] }]],
    ['a fractional index', [{ name: 'a', features: [0, 1, 1.5] }]],
    ['an unnamed group', [{ name: '', features: [0, 1, 2] }]],
  ])('refuses %s', (_, groups) => {
    expect(() => checkFeatureGroups(groups, 3)).toThrow(expect.objectContaining({ code: 'EXPLAIN_GROUPS_INVALID' }));
  });

  it('accepts singleton groups, named or not', () => {
    expect(singletonGroups(2)).toEqual([
      { name: 'feature_0', features: [0] },
      { name: 'feature_1', features: [1] },
    ]);
    expect(singletonGroups(2, ['a', 'b']).map((g) => g.name)).toEqual(['a', 'b']);
    expect(() => singletonGroups(2, ['a'])).toThrow(expect.objectContaining({ code: 'EXPLAIN_GROUPS_INVALID' }));
  });
});
