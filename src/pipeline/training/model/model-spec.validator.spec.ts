import { MODEL_SPEC_LIMITS } from './model-spec';
import { validateModelSpec } from './model-spec.validator';

const TRAINING = { optimizer: { type: 'adam', learningRate: 0.001 }, batchSize: 64, epochs: 3, seed: 1 };

function problemsOf(input: unknown): string[] {
  const result = validateModelSpec(input);
  return result.ok ? [] : result.problems.map((p) => `${p.path} ${p.message}`);
}

describe(validateModelSpec.name, () => {
  it('accepts each model type and returns only the known fields', () => {
    const cnn = {
      type: 'cnn',
      inputShape: [28, 28, 1],
      convLayers: [{ filters: 8, kernelSize: 5, activation: 'relu', pool: { size: 2 } }, { filters: 16, kernelSize: [3, 3], strides: 1, padding: 'same', activation: 'relu' }],
      denseLayers: [{ units: 32, activation: 'relu', dropout: 0.25 }],
      training: { ...TRAINING, l1: 0, l2: 1e-4, earlyStopping: { patience: 2, minDelta: 0.001 }, classWeights: 'balanced' },
    };
    for (const spec of [
      { type: 'logistic_regression', training: TRAINING },
      { type: 'mlp', hiddenLayers: [{ units: 16, activation: 'tanh' }], training: { ...TRAINING, classWeights: { good: 1, bad: 5 } } },
      cnn,
    ]) {
      const result = validateModelSpec(JSON.parse(JSON.stringify(spec)));
      expect(result).toEqual({ ok: true, spec });
    }
  });

  it('refuses unknown fields at every level', () => {
    const problems = problemsOf({
      type: 'mlp',
      hiddenLayers: [{ units: 4, activation: 'relu', bias: false }],
      training: { ...TRAINING, erlyStopping: { patience: 1 }, optimizer: { type: 'sgd', learningRate: 0.1, beta1: 0.9 } },
      extra: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/extra /),
        expect.stringMatching(/^\/hiddenLayers\/0\/bias /),
        expect.stringMatching(/^\/training\/erlyStopping /),
        expect.stringMatching(/^\/training\/optimizer\/beta1 /),
      ]),
    );
  });

  it('bounds what a hostile spec could ask for', () => {
    const huge = problemsOf({
      type: 'mlp',
      hiddenLayers: Array.from({ length: MODEL_SPEC_LIMITS.denseLayers + 1 }, () => ({ units: 8, activation: 'relu' })),
      training: { ...TRAINING, epochs: 1e9, batchSize: 0 },
    });
    expect(huge).toEqual(expect.arrayContaining([expect.stringMatching(/^\/hiddenLayers /), expect.stringMatching(/^\/training\/epochs /), expect.stringMatching(/^\/training\/batchSize /)]));
    expect(problemsOf({ type: 'mlp', hiddenLayers: [{ units: 1e7, activation: 'relu' }], training: TRAINING })).toEqual([expect.stringMatching(/^\/hiddenLayers\/0\/units /)]);
    expect(problemsOf({ type: 'mlp', hiddenLayers: [{ units: 4, activation: 'relu', dropout: 1 }], training: TRAINING })).toEqual([expect.stringMatching(/dropout/)]);
    expect(problemsOf({ type: 'logistic_regression', training: { ...TRAINING, seed: -1 } })).toEqual([expect.stringMatching(/^\/training\/seed /)]);
    expect(problemsOf({ type: 'logistic_regression', training: { ...TRAINING, optimizer: { type: 'adam', learningRate: Number.NaN } } })).toHaveLength(1);
    expect(problemsOf({ type: 'logistic_regression', training: { ...TRAINING, classWeights: { a: -1 } } })).toEqual([expect.stringMatching(/^\/training\/classWeights\/a /)]);
    expect(problemsOf('mlp')).toEqual([' must be an object']);
    expect(problemsOf({ type: 'transformer', training: TRAINING })).toEqual([expect.stringMatching(/^\/type /)]);
  });

  it('refuses a CNN that shrinks its image to nothing', () => {
    const problems = problemsOf({
      type: 'cnn',
      inputShape: [8, 8, 1],
      convLayers: [{ filters: 4, kernelSize: 5, activation: 'relu', pool: { size: 2 } }, { filters: 4, kernelSize: 3, activation: 'relu' }],
      training: TRAINING,
    });
    expect(problems).toEqual([expect.stringMatching(/^\/convLayers\/1 shrinks/)]);
  });

  it('keeps a class named __proto__ as data', () => {
    const result = validateModelSpec(JSON.parse(`{"type":"logistic_regression","training":{"optimizer":{"type":"sgd","learningRate":0.1},"batchSize":8,"epochs":1,"seed":0,"classWeights":{"__proto__":2}}}`));
    expect(result.ok && result.spec.training.classWeights).toEqual(JSON.parse('{"__proto__":2}'));
    expect(result.ok && Object.getPrototypeOf(result.spec.training.classWeights)).toBe(Object.prototype);
  });
});
