import { canonicalJson, sha256Digest } from '../../platform/ledger/verification';
import { inputDigest, leafText, OUTCOME_LEAF, PREDICTION_LEAF, type DecisionLeaf } from './decision-leaf';

describe('decision leaves', () => {
  const leaves: DecisionLeaf[] = [
    {
      type: PREDICTION_LEAF,
      id: '0b1e7c1e-8f0a-4a57-9a0e-4a3d2f1e0c9b',
      time: '2026-11-29T10:00:00.123Z',
      model: { id: 'm', versionId: 'v', version: 3, digest: `sha256:${'a'.repeat(64)}`, alias: null },
      inputDigest: `sha256:${'b'.repeat(64)}`,
      output: { label: 'Ünïcødé "quoted" \\ \u2028 \u0007 😀', score: 0.1 + 0.2 },
      caller: { type: 'user', id: 'u' },
      explanationDigest: `sha256:${'c'.repeat(64)}`,
    },
    { type: OUTCOME_LEAF, predictionId: 'p', time: '2026-11-29T10:00:00.000Z', label: '10', recordedBy: { type: 'user', id: 'u' } },
  ];

  it('writes the RFC 8785 canonical form, as the general canonicaliser does', () => {
    for (const leaf of leaves) expect(leafText(leaf)).toBe(canonicalJson(leaf));
    for (const score of [1e-7, 1e21, 5e-324, 0.5, -0, 123456789.123, Number.MAX_VALUE]) {
      const leaf = { ...leaves[0]!, output: { label: 'x', score } } as DecisionLeaf;
      expect(leafText(leaf)).toBe(canonicalJson(leaf));
    }
  });

  it('salts the input digest with the prediction id, over the canonical form of both', () => {
    const input = { zeta: 1.5, alpha: 'A', __proto__field: null, mid: true, é: 'x' };
    expect(inputDigest('p1', input)).toBe(sha256Digest({ predictionId: 'p1', input }));
    expect(inputDigest('p1', input)).not.toBe(inputDigest('p2', input));
    const proto = JSON.parse('{"__proto__": "x", "a": 1}') as Record<string, string | number>;
    expect(inputDigest('p1', proto)).toBe(sha256Digest({ predictionId: 'p1', input: proto }));
  });
});
