import type { FeatureState } from '../../pipeline/training/preprocessing';
import { compileInputSchema, parseInputs } from './prediction-input';

const features: FeatureState[] = [
  { kind: 'numeric', column: 'income', imputation: 'mean', fill: 50, scaling: 'standard', center: 50, scale: 10 },
  { kind: 'categorical', column: 'purpose', imputation: 'mode', categories: ['car', 'house'], fill: 'car', missingSlot: false },
];
const schema = compileInputSchema(features, ['sex']);

describe('parseInputs: every input checked against the model’s input schema before anything is predicted', () => {
  it('accepts numbers, numeric text, known categories, null for a missing value and a group attribute', () => {
    const parsed = parseInputs(
      [
        { income: 42.5, purpose: 'car', sex: 'F' },
        { income: '17', purpose: null },
      ],
      schema,
    );
    expect(parsed).toEqual({
      ok: true,
      inputs: [
        { raw: { income: 42.5, purpose: 'car', sex: 'F' }, cells: { income: '42.5', purpose: 'car' }, groups: { sex: 'F' } },
        { raw: { income: '17', purpose: null }, cells: { income: '17', purpose: null }, groups: {} },
      ],
    });
  });

  it.each([
    ['a missing field', { purpose: 'car' }, 'income', 'FIELD_MISSING'],
    ['a wrong type', { income: 'abc', purpose: 'car' }, 'income', 'WRONG_TYPE'],
    ['an object for a number', { income: { $gt: 1 }, purpose: 'car' }, 'income', 'WRONG_TYPE'],
    ['an unknown category', { income: 1, purpose: 'yacht' }, 'purpose', 'UNKNOWN_CATEGORY'],
    ['NaN as text', { income: 'NaN', purpose: 'car' }, 'income', 'WRONG_TYPE'],
    ['an infinite number (1e999 in JSON)', { income: Number.POSITIVE_INFINITY, purpose: 'car' }, 'income', 'NOT_FINITE'],
    ['NaN', { income: Number.NaN, purpose: 'car' }, 'income', 'NOT_FINITE'],
    ['a field the model does not know', { income: 1, purpose: 'car', email: 'a@b.c' }, 'email', 'UNKNOWN_FIELD'],
  ])('refuses %s, naming the field and the input', (_, input, field, code) => {
    const parsed = parseInputs([{ income: 1, purpose: 'car' }, input], schema);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([expect.objectContaining({ index: 1, field, code, path: `/inputs/1/${field}` })]);
  });

  it('refuses an input that is not an object, and collects every problem of a batch', () => {
    const parsed = parseInputs([[], { purpose: 'x' }], schema);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.index, p.field, p.code])).toEqual([
      [0, null, 'NOT_AN_OBJECT'],
      [1, 'income', 'FIELD_MISSING'],
      [1, 'purpose', 'UNKNOWN_CATEGORY'],
    ]);
  });
});
