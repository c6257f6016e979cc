import type * as tf from '@tensorflow/tfjs';
import type { Table } from '../datasets/table';
import {
  assessFairness,
  assessLabelBalance,
  assessRobustness,
  balancedMembershipSample,
  compareLabelBalance,
  lossThresholdAttack,
  perExampleLosses,
  type MembershipInferenceResult,
  encodedFeatureStatistics,
  evaluateBinary,
  evaluateMulticlass,
  featureGroupsFromPreprocessor as robustnessGroups,
  type BinaryEvaluation,
  type FairnessAssessment,
  type LabelBalanceComparison,
  type MulticlassEvaluation,
  type RobustnessReport,
} from '../evaluation';
import {
  explainPrediction,
  featureGroupsFromPreprocessor,
  permutationImportance,
  probabilityPredictor,
  renderSaliencyPng,
  saliencyMap,
  scorePredictor,
  type SaliencyMap,
  type PermutationImportanceResult,
  type PredictionExplanation,
} from '../explainability';
import type { FittedPreprocessor, TransformedTable } from '../training/preprocessing';

/** Rows per side of the membership audit: enough for tight intervals, bounded in cost. */
const MEMBERSHIP_SAMPLE_PER_SIDE = 2000;

export interface AssessmentSettings {
  /** Bootstrap resamples for every interval. */
  resamples: number;
  /** Confidence level of the intervals. */
  level: number;
  seed: number;
  /** Binary decision threshold on P(positive). */
  threshold: number;
  /** Groups smaller than this are flagged too small to judge. */
  minGroupSize: number;
  /** Test rows explained individually as examples in the report. */
  exampleExplanations: number;
  permutationRepeats: number;
}

export interface AssessmentInput {
  model: tf.LayersModel;
  preprocessor: FittedPreprocessor;
  train: { table: Table; encoded: TransformedTable };
  test: { table: Table; encoded: TransformedTable };
  /** Sensitive attribute columns (from the datasheet); those missing from the test split are reported. */
  sensitiveAttributes: readonly string[];
  /** An image model (CNN): examples get saliency maps, and integrated gradients without KernelSHAP over every pixel. */
  imageModel: boolean;
  /** Runs each step; the caller may wrap them (the observer makes each a tracing span). Default: as is. */
  runStep?: AssessmentStepRunner;
}

/** The steps of an assessment, in the order they run. */
export type AssessmentStep = 'evaluate' | 'fairness' | 'robustness' | 'explain' | 'membership_audit';
export type AssessmentStepRunner = <T>(step: AssessmentStep, work: () => Promise<T>) => Promise<T>;
const runDirectly: AssessmentStepRunner = (_step, work) => work();

/** A saliency map of an example test image, rendered as PNG (the input beside the map). */
export interface SaliencyExample {
  row: number;
  map: SaliencyMap;
  png: Buffer;
}

export interface FairnessOutcome {
  attributes: string[];
  /** Datasheet attributes the split does not have (dropped before training, say). */
  missingAttributes: string[];
  assessment: FairnessAssessment | null;
  /** Label rates by group in the training split, beside the outcomes on the test split. */
  labelBalance: LabelBalanceComparison | null;
  /** Why there is no assessment, when there is none. */
  reason?: string;
}

export interface ModelAssessment {
  classes: string[];
  evaluation: BinaryEvaluation | MulticlassEvaluation;
  fairness: FairnessOutcome;
  robustness: RobustnessReport;
  importance: PermutationImportanceResult;
  examples: PredictionExplanation[];
  saliency: SaliencyExample[];
  /** What the model leaks about its training rows: the loss-threshold attack, training rows against the held-out test rows. */
  membership: MembershipInferenceResult;
}

const column = (table: Table, name: string): string[] => {
  const index = table.columns.indexOf(name);
  return table.rows.map((row) => row[index] ?? '(missing)');
};

/**
 * Every measurement the reviewer's report needs, on the held-out test split: metrics with
 * bootstrap intervals, fairness over the datasheet's sensitive attributes (and label balance of
 * the training split beside it), robustness to noise and masked columns, global permutation
 * importance by original column, and a few individual explanations with their checks.
 */
export async function assessModel(input: AssessmentInput, settings: AssessmentSettings): Promise<ModelAssessment> {
  const { model, preprocessor, test, train } = input;
  const classes = preprocessor.outputClasses;
  const binary = classes.length === 2;
  const yTrue = test.encoded.y!;
  const rows = test.encoded.rows;
  const bootstrap = { resamples: settings.resamples, level: settings.level, seed: settings.seed };
  const step = input.runStep ?? runDirectly;

  const scores = binary ? scorePredictor(model, { classIndex: 1 }) : probabilityPredictor(model);
  // Per-group performance (EU AI Act Art. 13(3)(b)(v)): every metric sliced by each sensitive attribute.
  const present = input.sensitiveAttributes.filter((name) => test.table.columns.includes(name));
  const { predicted, evaluation } = await step('evaluate', async () => {
    const predicted = await scores(test.encoded.x, rows);
    const slices = Object.fromEntries(present.map((name) => [name, column(test.table, name)]));
    const evaluation = binary
      ? evaluateBinary({ yTrue, scores: predicted }, { ...bootstrap, threshold: settings.threshold, slices })
      : evaluateMulticlass({ yTrue, scores: predicted }, { ...bootstrap, slices });
    return { predicted, evaluation };
  });

  const fairness = await step('fairness', () => Promise.resolve(assessGroups(input, settings, { yTrue, predicted, present, binary })));

  const robustness = await step('robustness', () =>
    assessRobustness(
      {
        predict: scores,
        x: test.encoded.x,
        rows,
        yTrue,
        featureGroups: robustnessGroups(preprocessor.toJSON()),
        trainingMeans: encodedFeatureStatistics(train.encoded.x, train.encoded.rows).means,
      },
      { seed: settings.seed, threshold: settings.threshold },
    ),
  );

  const { importance, examples, saliency } = await step('explain', () => explain(input, settings, scores));

  // Membership inference (privacy.attack-assessed): balanced samples of members (training rows) and non-members (the test split, never trained on).
  const membership = await step('membership_audit', async () => {
    const sample = balancedMembershipSample(train.encoded.rows, rows, { maxPerSide: MEMBERSHIP_SAMPLE_PER_SIDE, seed: settings.seed });
    return lossThresholdAttack(
      {
        memberLosses: await perExampleLosses(model, train.encoded.x, train.encoded.y!, { rows: sample.members }),
        nonMemberLosses: await perExampleLosses(model, test.encoded.x, yTrue, { rows: sample.nonMembers }),
      },
      bootstrap,
    );
  });
  return { classes, evaluation, fairness, robustness, importance, examples, saliency, membership };
}

/** Fairness over the sensitive attributes present in the test split, with the training split's label balance beside it. */
function assessGroups(
  input: AssessmentInput,
  settings: AssessmentSettings,
  scored: { yTrue: NonNullable<TransformedTable['y']>; predicted: Parameters<typeof assessFairness>[0]['scores']; present: string[]; binary: boolean },
): FairnessOutcome {
  const { test, train } = input;
  const { yTrue, predicted, present, binary } = scored;
  const bootstrap = { resamples: settings.resamples, level: settings.level, seed: settings.seed };
  const fairness: FairnessOutcome = {
    attributes: present,
    missingAttributes: input.sensitiveAttributes.filter((name) => !present.includes(name)),
    assessment: null,
    labelBalance: null,
  };
  if (!binary) fairness.reason = 'Group fairness is assessed for binary models only';
  else if (present.length === 0) fairness.reason = 'The datasheet names no sensitive attribute present in the test split';
  else {
    const attributes = Object.fromEntries(present.map((name) => [name, column(test.table, name)]));
    fairness.assessment = assessFairness(
      { yTrue, scores: predicted, attributes },
      { ...bootstrap, threshold: settings.threshold, minGroupSize: settings.minGroupSize },
    );
    const before = assessLabelBalance(
      { yTrue: train.encoded.y!, attributes: Object.fromEntries(present.map((name) => [name, column(train.table, name)])) },
      { minGroupSize: settings.minGroupSize },
    );
    fairness.labelBalance = compareLabelBalance(before, fairness.assessment);
  }
  return fairness;
}

/** Global permutation importance by original column, and a few test rows explained individually (with saliency maps for images). */
async function explain(
  input: AssessmentInput,
  settings: AssessmentSettings,
  scores: ReturnType<typeof scorePredictor>,
): Promise<Pick<ModelAssessment, 'importance' | 'examples' | 'saliency'>> {
  const { model, preprocessor, test, train } = input;
  const classes = preprocessor.outputClasses;
  const rows = test.encoded.rows;
  const features = preprocessor.featureCount;
  const groups = featureGroupsFromPreprocessor(preprocessor.toJSON());
  const importance = await permutationImportance({
    predict: scores,
    x: test.encoded.x,
    rows,
    features,
    y: test.encoded.y!,
    groups,
    repeats: settings.permutationRepeats,
    seed: settings.seed,
  });

  const examples: PredictionExplanation[] = [];
  const saliency: SaliencyExample[] = [];
  const count = Math.min(settings.exampleExplanations, rows);
  const background = { x: train.encoded.x, rows: train.encoded.rows };
  for (let i = 0; i < count; i++) {
    const row = Math.floor((i * rows) / count);
    const x = test.encoded.x.slice(row * features, (row + 1) * features);
    examples.push(
      await explainPrediction({
        model,
        x,
        groups,
        classNames: classes,
        threshold: settings.threshold,
        seed: settings.seed + i,
        ...(input.imageModel ? { methods: ['integrated-gradients'] as const } : { background }),
      }),
    );
    if (input.imageModel) {
      const map = await saliencyMap({ model, image: x, target: { classIndex: examples.at(-1)!.prediction.classIndex } });
      saliency.push({ row, map, png: renderSaliencyPng(map, { image: x, scale: Math.max(1, Math.floor(256 / map.width)) }) });
    }
  }
  return { importance, examples, saliency };
}
