import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { train, type ModelSpec } from '../training/model';
import { fitPreprocessor } from '../training/preprocessing';
import { gaussian, MLP_SPEC } from './explainability.fixture';
import { featureGroupsFromPreprocessor } from './feature-groups';
import { assertJsonSafe } from './json-safety';
import { explainPrediction, type PredictionExplanation } from './prediction-explainer';

type Table = Parameters<typeof fitPreprocessor>[0];

/** A credit-like table: two numeric columns, a categorical one (with missing cells), a label. */
function applicants(rows: number, seed: string, classes: 2 | 3): Table {
  const random = seedrandom(seed);
  const purposes = ['car', 'house', 'education'];
  return {
    columns: ['income', 'debt', 'purpose', 'outcome'],
    rows: Array.from({ length: rows }, () => {
      const income = 40 + 15 * gaussian(random);
      const debt = 10 + 5 * gaussian(random);
      const purpose = purposes[Math.floor(random() * 3)]!;
      const score = (income - 40) / 15 - (debt - 10) / 5 + (purpose === 'house' ? 0.7 : 0) + 0.3 * gaussian(random);
      const outcome = classes === 2 ? (score > 0 ? 'approve' : 'decline') : score > 0.6 ? 'approve' : score < -0.6 ? 'decline' : 'review';
      return [income.toFixed(1), debt.toFixed(1), random() < 0.05 ? null : purpose, outcome];
    }),
  };
}

async function fitted(classes: 2 | 3) {
  const table = applicants(240, `train${classes}`, classes);
  const prep = fitPreprocessor(table, { label: 'outcome', imputation: { categorical: 'missing-category' } });
  const data = prep.transform(table);
  const spec: ModelSpec = { ...MLP_SPEC, training: { ...MLP_SPEC.training, epochs: 6 } };
  const { model } = await train({ spec, x: data.x, y: data.y!, classes: prep.outputClasses });
  const query = prep.transform(applicants(3, `query${classes}`, classes));
  return { prep, model, background: { x: data.x, rows: data.rows }, query, features: prep.featureCount };
}

function expectSortedByMagnitude(explanation: PredictionExplanation): void {
  for (const method of explanation.methods) {
    const magnitudes = method.attributions.map((a) => Math.abs(a.value));
    expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
    expect(method.attributions.map((a) => a.column).sort()).toEqual(['debt', 'income', 'purpose']);
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe(explainPrediction.name, () => {
  it('explains a binary decision per original column with both methods and their checks, as plain JSON', async () => {
    const { prep, model, background, query, features } = await fitted(2);
    const groups = featureGroupsFromPreprocessor(prep.state);
    expect(groups.find((g) => g.name === 'purpose')!.features).toHaveLength(4); // car, education, house, __missing__
    const before = tf.memory().numTensors;
    for (let r = 0; r < query.rows; r++) {
      const x = query.x.subarray(r * features, (r + 1) * features);
      const explanation = await explainPrediction({ model, x, groups, classNames: prep.outputClasses, background, seed: 7 });
      const [pDecline, pApprove] = explanation.prediction.probabilities.map((p) => p.probability);
      expect(explanation.prediction.probabilities.map((p) => p.label)).toEqual(prep.outputClasses);
      expect(pDecline! + pApprove!).toBeCloseTo(1, 6);
      const predicted = pApprove! >= 0.5 ? 1 : 0;
      expect(explanation.prediction).toMatchObject({ classIndex: predicted, label: prep.outputClasses[predicted], threshold: 0.5 });
      expect(explanation.prediction.probability).toBeGreaterThanOrEqual(0.5);
      // By default the predicted class's probability is explained.
      expect(explanation.explained).toMatchObject({ classIndex: predicted, space: 'probability' });
      expect(explanation.explained.score).toBeCloseTo(explanation.prediction.probability, 6);
      expect(explanation.methods.map((m) => m.method)).toEqual(['integrated-gradients', 'kernel-shap']);
      expect(explanation.checksPassed).toBe(true);
      for (const method of explanation.methods) {
        const sum = method.attributions.reduce((s, a) => s + a.value, 0);
        if (method.method === 'integrated-gradients') {
          expect(method.completeness.passed).toBe(true);
          expect(sum).toBeCloseTo(method.completeness.sum, 10);
          expect(Math.abs(sum - (explanation.explained.score - method.baselineScore))).toBeLessThanOrEqual(method.completeness.bound);
        } else {
          expect(method).toMatchObject({ exact: true, nsamples: 8, backgroundSize: 50, rowsEvaluated: 400, seed: 7 });
          expect(sum).toBeCloseTo(explanation.explained.score - method.baseValue, 6);
        }
      }
      expectSortedByMagnitude(explanation);
      expect(() => assertJsonSafe(explanation)).not.toThrow();
      expect(JSON.parse(JSON.stringify(explanation))).toEqual(explanation);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('explains a multiclass prediction (argmax, logit space on request, a chosen class)', async () => {
    const { prep, model, background, query, features } = await fitted(3);
    const groups = featureGroupsFromPreprocessor(prep.state);
    const x = query.x.subarray(0, features);
    const explanation = await explainPrediction({ model, x, groups, classNames: prep.outputClasses, background, methods: ['kernel-shap', 'integrated-gradients'] });
    const probabilities = explanation.prediction.probabilities.map((p) => p.probability);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(explanation.prediction.classIndex).toBe(probabilities.indexOf(Math.max(...probabilities)));
    expect(explanation.prediction.threshold).toBeNull();
    expect(explanation.methods.map((m) => m.method)).toEqual(['kernel-shap', 'integrated-gradients']);
    expect(explanation.checksPassed).toBe(true);
    expectSortedByMagnitude(explanation);

    const other = (explanation.prediction.classIndex + 1) % 3;
    const logit = await explainPrediction({ model, x, groups, classNames: prep.outputClasses, classIndex: other, space: 'logit' });
    expect(logit.explained).toMatchObject({ classIndex: other, label: prep.outputClasses[other], space: 'logit' });
    expect(logit.methods.map((m) => m.method)).toEqual(['integrated-gradients']);
    expect(logit.checksPassed).toBe(true);
    model.dispose();
  });

  it('rejects requests it cannot answer with stable codes', async () => {
    const { model, features, query } = await fitted(2);
    const x = query.x.subarray(0, features);
    await expect(explainPrediction({ model, x, methods: ['kernel-shap'] })).rejects.toMatchObject({ code: 'EXPLAIN_BACKGROUND_REQUIRED' });
    await expect(explainPrediction({ model, x, classNames: ['one'] })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    await expect(explainPrediction({ model, x: x.slice(1) })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    await expect(explainPrediction({ model, x, classIndex: 5 })).rejects.toMatchObject({ code: 'EXPLAIN_TARGET_INVALID' });
    await expect(explainPrediction({ model, x, methods: ['lime' as 'kernel-shap'] })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    model.dispose();
  });
});

describe(assertJsonSafe.name, () => {
  it('refuses what JSON would silently change', () => {
    expect(() => assertJsonSafe({ a: [1, 'x', null, { b: true }] })).not.toThrow();
    for (const bad of [{ a: NaN }, { a: [Infinity] }, { a: -0 }, { a: undefined }, { a: new Float32Array(1) }, [() => 1]]) {
      expect(() => assertJsonSafe(bad)).toThrow(expect.objectContaining({ code: 'EXPLAIN_PREDICTION_INVALID' }));
    }
  });
});
