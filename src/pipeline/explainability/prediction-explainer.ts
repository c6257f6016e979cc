import * as tf from '@tensorflow/tfjs';
import { ExplainabilityError } from './explainability.error';
import { checkFeatureGroups, singletonGroups, type FeatureGroup } from './feature-groups';
import { checkMatrix } from './input-checks';
import { integratedGradients, type ColumnAttribution, type CompletenessCheck, type IntegratedGradientsOptions } from './integrated-gradients';
import { assertJsonSafe } from './json-safety';
import { kernelShap, type EfficiencyCheck, type KernelShapOptions } from './kernel-shap';
import { modelScorer, type ScoreSpace } from './model-scorer';
import { scorePredictor } from './predict-function';

export type ExplanationMethod = 'integrated-gradients' | 'kernel-shap';
export const EXPLANATION_METHODS: readonly ExplanationMethod[] = ['integrated-gradients', 'kernel-shap'];

export interface ExplainPredictionOptions {
  /** A model from the training library (flat encoded rows in, class probabilities out). */
  model: tf.LayersModel;
  /** The encoded row to explain (FittedPreprocessor#transform), `features` values. */
  x: Float32Array;
  /** Original columns (featureGroupsFromPreprocessor); default one per encoded feature. */
  groups?: readonly FeatureGroup[];
  /** Class names in encoded order (FittedPreprocessor#outputClasses). */
  classNames?: readonly string[];
  /** The class whose score is explained; default the predicted class. */
  classIndex?: number;
  /** Default `probability`. */
  space?: ScoreSpace;
  /** Binary decision threshold on P(class 1); default 0.5. */
  threshold?: number;
  /** Default integrated gradients, and KernelSHAP when a background is given. */
  methods?: readonly ExplanationMethod[];
  /** Integrated-gradients baseline; default zeros (see IntegratedGradientsOptions.baseline). */
  baseline?: Float32Array;
  /** Background rows for KernelSHAP (a sample of the training split), row-major. */
  background?: { x: Float32Array; rows: number };
  /** Default 0. */
  seed?: number;
  integratedGradients?: Pick<IntegratedGradientsOptions, 'initialSteps' | 'maxSteps' | 'tolerance' | 'batchRows'>;
  kernelShap?: Pick<KernelShapOptions, 'backgroundSize' | 'nsamples' | 'batchRows'>;
}

export interface ClassProbability {
  classIndex: number;
  label: string | null;
  probability: number;
}

export interface IntegratedGradientsSummary {
  method: 'integrated-gradients';
  baseline: 'zeros' | 'provided';
  /** f(baseline). */
  baselineScore: number;
  /** Per original column, largest |value| first. */
  attributions: ColumnAttribution[];
  completeness: CompletenessCheck;
  gradientEvaluations: number;
}

export interface KernelShapSummary {
  method: 'kernel-shap';
  seed: number;
  /** E_background[f]. */
  baseValue: number;
  /** Per original column, largest |value| first. */
  attributions: ColumnAttribution[];
  efficiency: EfficiencyCheck;
  nsamples: number;
  exact: boolean;
  backgroundSize: number;
  backgroundIndices: number[];
  rowsEvaluated: number;
}

export type MethodExplanation = IntegratedGradientsSummary | KernelShapSummary;

/** Plain JSON: the record behind a "right to an explanation" answer and its evidence. */
export interface PredictionExplanation {
  format: 'assay.prediction-explanation';
  version: 1;
  prediction: {
    classIndex: number;
    label: string | null;
    /** Probability of the predicted class. */
    probability: number;
    /** Binary models only; null for multiclass (argmax). */
    threshold: number | null;
    probabilities: ClassProbability[];
  };
  /** What the attributions explain: one class's score in one space. */
  explained: { classIndex: number; label: string | null; space: ScoreSpace; score: number };
  methods: MethodExplanation[];
  /** Every completeness / efficiency check passed. */
  checksPassed: boolean;
}

/**
 * A per-prediction explanation of one input: the prediction, and per original column how much
 * it moved the explained score, by integrated gradients (against a baseline input) and/or
 * KernelSHAP (against background rows), each with its completeness or efficiency check.
 * Attributions are sorted by magnitude. The result is plain JSON (checked).
 */
export async function explainPrediction(options: ExplainPredictionOptions): Promise<PredictionExplanation> {
  const { model, x } = options;
  const probabilityView = modelScorer(model, { classIndex: 0 });
  const { features, classes } = probabilityView;
  checkMatrix(x, 1, features, 'x');
  const groups = checkFeatureGroups(options.groups ?? singletonGroups(features), features);
  if (options.classNames !== undefined && options.classNames.length !== classes) {
    throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `${options.classNames.length} class names for ${classes} classes`, {
      option: 'classNames',
      expected: classes,
      found: options.classNames.length,
    });
  }
  const threshold = options.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', 'threshold must be in [0, 1]', { option: 'threshold' });
  const methods = options.methods ?? (options.background ? ['integrated-gradients', 'kernel-shap'] : ['integrated-gradients']);
  if (methods.length === 0) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', 'at least one method is needed', { option: 'methods' });
  for (const method of methods) {
    if (method !== 'integrated-gradients' && method !== 'kernel-shap') throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `unknown method ${JSON.stringify(method)}`, { option: 'methods' });
  }
  if (methods.includes('kernel-shap') && !options.background) {
    throw new ExplainabilityError('EXPLAIN_BACKGROUND_REQUIRED', 'KernelSHAP needs background rows', { option: 'background' });
  }
  const seed = options.seed ?? 0;
  const labelOf = (k: number) => options.classNames?.[k] ?? null;

  const probabilities = await probabilitiesOf(probabilityView.probabilities, x, features);
  let predicted = 0;
  if (classes === 2) predicted = (probabilities[1] as number) >= threshold ? 1 : 0;
  else for (let k = 1; k < classes; k++) if ((probabilities[k] as number) > (probabilities[predicted] as number)) predicted = k;

  const scorer = modelScorer(model, { classIndex: options.classIndex ?? predicted, space: options.space ?? 'probability' });
  const summaries: MethodExplanation[] = [];
  let score: number | undefined;
  for (const method of new Set(methods)) {
    if (method === 'integrated-gradients') {
      const [ig] = await integratedGradients({ ...options.integratedGradients, model: scorer, x, groups, ...(options.baseline ? { baseline: options.baseline } : {}) });
      if (!ig) throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', 'no input to explain', { option: 'x' });
      score = ig.score;
      summaries.push({
        method,
        baseline: options.baseline ? 'provided' : 'zeros',
        baselineScore: ig.baselineScore,
        attributions: byMagnitude(ig.columns),
        completeness: ig.completeness,
        gradientEvaluations: ig.gradientEvaluations,
      });
    } else {
      const background = options.background as { x: Float32Array; rows: number };
      const shap = await kernelShap({
        ...options.kernelShap,
        predict: scorePredictor(scorer),
        x,
        features,
        background: background.x,
        backgroundRows: background.rows,
        groups,
        seed,
      });
      score ??= shap.score;
      summaries.push({
        method,
        seed,
        baseValue: shap.baseValue,
        attributions: byMagnitude(shap.columns),
        efficiency: shap.efficiency,
        nsamples: shap.nsamples,
        exact: shap.exact,
        backgroundSize: shap.backgroundSize,
        backgroundIndices: shap.backgroundIndices,
        rowsEvaluated: shap.rowsEvaluated,
      });
    }
  }

  const explanation: PredictionExplanation = {
    format: 'assay.prediction-explanation',
    version: 1,
    prediction: {
      classIndex: predicted,
      label: labelOf(predicted),
      probability: probabilities[predicted] as number,
      threshold: classes === 2 ? threshold : null,
      probabilities: Array.from(probabilities, (probability, k) => ({ classIndex: k, label: labelOf(k), probability })),
    },
    explained: { classIndex: scorer.classIndex, label: labelOf(scorer.classIndex), space: scorer.space, score: score as number },
    methods: summaries,
    checksPassed: summaries.every((s) => (s.method === 'integrated-gradients' ? s.completeness.passed : s.efficiency.passed)),
  };
  assertJsonSafe(explanation);
  return explanation;
}

async function probabilitiesOf(probabilities: (x: tf.Tensor2D) => tf.Tensor2D, x: Float32Array, features: number): Promise<Float32Array> {
  const out = tf.tidy(() => probabilities(tf.tensor2d(x, [1, features])));
  try {
    return await out.data<'float32'>();
  } finally {
    out.dispose();
  }
}

/** Largest |value| first; ties by column name, so the order is deterministic. */
function byMagnitude(columns: readonly ColumnAttribution[]): ColumnAttribution[] {
  return [...columns].sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
}
