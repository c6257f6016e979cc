import * as tf from '@tensorflow/tfjs';
import { classCount } from '../model/layer-plan';
import { buildModel } from '../model/model.builder';
import { TRAINING_DEFAULTS } from '../model/model-spec';
import { validateModelSpec } from '../model/model-spec.validator';
import { evaluate, type BatchReport, type EpochReport, type TrainOptions, type TrainResult } from '../model/model.trainer';
import { createOptimizer, restoreOptimizerState } from '../model/optimizer.factory';
import { deriveSeed } from '../model/seeds';
import { TrainingError } from '../model/training.error';
import { modelSpecDigest, serializeWeights, setNamedWeights, type EpochMetrics, type TrainingProgress } from '../model/weights-checkpoint';
import { cloneWeights, serializeAs, tensorsFor } from './best-weights';
import { assertDpTrainable, denseNetworkOf, variablesOf } from './dense-network';
import { assertSameConfiguration, parseDpCheckpoint, type DpAccountingState, type DpWeightsCheckpoint } from './dp-checkpoint';
import { dpSgdSchedule } from './dp-sgd.schedule';
import { dpSgdStep, penaltyValue } from './dp-sgd.step';
import { checkDpOptions, type DpTrainingOptions, type DpTrainingPrivacy } from './dp-training.options';
import { captureOptimizerState, disposeOptimizer } from '../model/optimizer.factory';
import { poissonSample } from './poisson.sampler';
import { computePrivacySpent } from './privacy-spent';
import { secureStream, seededStream, type RandomStream } from './random-source';
import { checkTrainingData, classSampleWeights, toTensors } from '../model/training-data';

export interface PrivateEpochReport extends Omit<EpochReport, 'checkpoint'> {
  /** Privacy spent by the steps so far. */
  privacy: DpTrainingPrivacy;
  /** The run's state after this epoch, accountant included; pass back as `initialWeights` to resume. */
  checkpoint: () => Promise<DpWeightsCheckpoint>;
}

export interface PrivateTrainOptions extends Omit<TrainOptions, 'onEpoch'> {
  dp: DpTrainingOptions;
  onEpoch?: (epoch: number, report: PrivateEpochReport) => void | Promise<void>;
}

export interface PrivateTrainResult extends TrainResult {
  privacy: DpTrainingPrivacy;
}

/**
 * DP-SGD training of a `logistic_regression` or `mlp` spec: train()'s options, loop and result,
 * with each step a DP-SGD step (dp-sgd.step.ts) on a Poisson-sampled batch (poisson.sampler.ts)
 * and the RDP accountant counting the steps. An epoch is ⌈rows / B⌉ steps (dp-sgd.schedule.ts).
 * Seeded runs are reproducible and resume bit-identical: the sample and the noise of step b of
 * epoch e derive from (seed, e, b).
 *
 * What the guarantee covers: the weights (and anything computed from them alone) with respect to
 * the training rows. The training loss and accuracy in the history are computed on the private
 * rows without noise — useful for monitoring, not differentially private; validation data is not
 * protected (early stopping on it is post-processing of the private weights plus that data).
 */
export async function trainPrivately(options: PrivateTrainOptions): Promise<PrivateTrainResult> {
  const seed = options.seed ?? options.spec.training.seed;
  const checked = validateModelSpec({ ...options.spec, training: { ...options.spec.training, seed } });
  if (!checked.ok) throw new TrainingError('MODEL_SPEC_INVALID', 'invalid model spec', { problems: checked.problems });
  const spec = checked.spec;
  const { training } = spec;
  assertDpTrainable(spec);
  const classes = classCount(options.classes);
  const classNames = typeof options.classes === 'number' ? Array.from({ length: classes }, (_, i) => String(i)) : [...options.classes];
  const features = checkTrainingData(options.x, options.y, classes, 'training');
  if ((options.xVal === undefined) !== (options.yVal === undefined)) throw new TrainingError('TRAINING_DATA_INVALID', 'xVal and yVal go together');
  if (options.xVal && options.yVal && checkTrainingData(options.xVal, options.yVal, classes, 'validation') !== features) {
    throw new TrainingError('TRAINING_DATA_INVALID', 'validation rows have a different number of features');
  }
  if (training.earlyStopping && !options.xVal) throw new TrainingError('TRAINING_DATA_INVALID', 'early stopping watches the validation loss: pass xVal and yVal');

  const dp = checkDpOptions(options.dp, training.batchSize);
  const rows = options.y.length;
  const schedule = dpSgdSchedule({ rows, expectedBatchSize: dp.expectedBatchSize, epochs: training.epochs });
  const configuration = { sampleRate: schedule.sampleRate, noiseMultiplier: dp.noiseMultiplier, l2NormClip: dp.l2NormClip, expectedBatchSize: schedule.expectedBatchSize };
  const privacyAfter = (steps: number): DpTrainingPrivacy => ({
    ...computePrivacySpent({ sampleRate: schedule.sampleRate, noiseMultiplier: dp.noiseMultiplier, steps, delta: dp.delta, orders: dp.orders, conversion: dp.conversion }),
    l2NormClip: dp.l2NormClip,
    expectedBatchSize: schedule.expectedBatchSize,
    randomness: dp.randomness,
  });

  const sampleWeights = classSampleWeights(training.classWeights, options.y, classes, classNames);
  const specDigest = modelSpecDigest(spec);
  const resume = options.initialWeights === undefined ? undefined : parseDpCheckpoint(options.initialWeights);
  if (resume?.checkpoint.specDigest !== undefined && resume.checkpoint.specDigest !== specDigest) {
    throw new TrainingError('CHECKPOINT_MISMATCH', 'the checkpoint was made with another model spec or seed', { reason: 'spec-digest' });
  }
  if (resume) assertSameConfiguration(resume.privacy, configuration);
  const startEpoch = options.startEpoch ?? resume?.checkpoint.progress?.epochsCompleted ?? 0;
  if (!Number.isSafeInteger(startEpoch) || startEpoch < 0 || startEpoch > training.epochs) {
    throw new TrainingError('TRAINING_DATA_INVALID', `startEpoch must be an integer from 0 to ${training.epochs}`);
  }

  const model = buildModel(spec, features, classes, seed);
  const network = denseNetworkOf(model, spec, features, classes);
  const weightNames = network.layers.flatMap((layer) => [`${layer.name}/kernel`, `${layer.name}/bias`]);
  const optimizer = createOptimizer(training.optimizer);
  const tensors = toTensors(options.x, options.y, features, classes);
  const data = { ...tensors, sampleWeights: tf.tensor1d(sampleWeights) };
  const penalty = { l1: training.l1 ?? 0, l2: training.l2 ?? 0 };
  const step = { ...penalty, l2NormClip: dp.l2NormClip, noiseMultiplier: dp.noiseMultiplier, expectedBatchSize: schedule.expectedBatchSize };
  const stream = (purpose: string, epoch: number, batch: number): RandomStream =>
    dp.randomness === 'secure' ? secureStream() : seededStream(deriveSeed(seed, purpose, epoch, batch));
  const early = training.earlyStopping;
  const restoreBest = early ? (early.restoreBestWeights ?? TRAINING_DEFAULTS.restoreBestWeights) : false;
  let bestWeights: tf.Tensor[] | undefined;
  let succeeded = false;

  try {
    const progress: TrainingProgress = { epochsCompleted: startEpoch, history: [], bestEpoch: null, bestValLoss: null, epochsWithoutImprovement: 0 };
    let steps = resume?.privacy.steps ?? 0;
    if (resume) {
      const { checkpoint } = resume;
      setNamedWeights(model, checkpoint.weights);
      if (checkpoint.optimizer) {
        const shapes = variablesOf(network).map((variable, k) => ({ name: weightNames[k] as string, shape: variable.shape }));
        await restoreOptimizerState(optimizer, training.optimizer.type, checkpoint.optimizer, shapes);
      }
      if (checkpoint.progress) {
        const { bestWeights: savedBest, ...saved } = checkpoint.progress;
        Object.assign(progress, saved, { epochsCompleted: startEpoch, history: saved.history.filter((h) => h.epoch < startEpoch) });
        if (restoreBest && progress.bestEpoch !== null) {
          bestWeights = savedBest ? tensorsFor(model, savedBest) : progress.bestEpoch === startEpoch - 1 ? cloneWeights(model) : undefined;
        }
      }
    }
    let stoppedEarly = false;
    let cancelled = false;

    for (let epoch = startEpoch; epoch < training.epochs && !stoppedEarly && !cancelled; epoch++) {
      let lossSum = 0;
      let seen = 0;
      let correct = 0;
      for (let b = 0; b < schedule.stepsPerEpoch; b++) {
        if (options.shouldStop?.()) {
          cancelled = true;
          break;
        }
        const indices = poissonSample(rows, schedule.sampleRate, stream('dp-sample', epoch, b));
        const outcome = dpSgdStep(network, optimizer, data, indices, step, stream('dp-noise', epoch, b));
        steps++;
        const loss = (indices.length > 0 ? outcome.lossSum / indices.length : 0) + outcome.penalty;
        if (!Number.isFinite(loss)) {
          throw new TrainingError('TRAINING_DIVERGED', `the training loss became ${loss} at epoch ${epoch}, batch ${b}; lower the learning rate`, {
            epoch,
            batch: b,
            loss: String(loss),
          });
        }
        lossSum += loss * indices.length;
        seen += indices.length;
        correct += outcome.hits;
        const report: BatchReport = { epoch, batch: b, batches: schedule.stepsPerEpoch, size: indices.length, loss };
        await options.onBatch?.(report);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (cancelled) break;

      const metrics: EpochMetrics = { epoch, loss: seen > 0 ? lossSum / seen : penaltyValue(network, penalty), accuracy: seen > 0 ? correct / seen : 0 };
      if (options.xVal && options.yVal) {
        const evaluation = evaluate(model, { x: options.xVal, y: options.yVal, classes });
        const valLoss = evaluation.loss + penaltyValue(network, penalty);
        if (!Number.isFinite(valLoss)) {
          throw new TrainingError('TRAINING_DIVERGED', `the validation loss became ${valLoss} at epoch ${epoch}`, { epoch, loss: String(valLoss) });
        }
        metrics.valLoss = valLoss;
        metrics.valAccuracy = evaluation.accuracy;
        if (progress.bestValLoss === null || valLoss < progress.bestValLoss - (early?.minDelta ?? TRAINING_DEFAULTS.minDelta)) {
          progress.bestValLoss = valLoss;
          progress.bestEpoch = epoch;
          progress.epochsWithoutImprovement = 0;
          if (restoreBest) {
            tf.dispose(bestWeights);
            bestWeights = cloneWeights(model);
          }
        } else {
          progress.epochsWithoutImprovement++;
        }
        if (early && progress.epochsWithoutImprovement >= early.patience) stoppedEarly = true;
      }
      progress.history.push(metrics);
      progress.epochsCompleted = epoch + 1;
      if (options.onEpoch) {
        const accounting: DpAccountingState = { steps, ...configuration };
        const snapshot = async (): Promise<DpWeightsCheckpoint> => {
          const saved = serializeWeights(model, { specDigest });
          saved.optimizer = await captureOptimizerState(optimizer, training.optimizer.type, weightNames);
          saved.progress = { ...progress, history: progress.history.map((h) => ({ ...h })) };
          if (bestWeights && progress.bestEpoch !== epoch) saved.progress.bestWeights = serializeAs(model, bestWeights);
          return { ...saved, privacy: { ...accounting } };
        };
        await options.onEpoch(epoch, {
          loss: metrics.loss,
          ...(metrics.valLoss !== undefined ? { valLoss: metrics.valLoss } : {}),
          metrics: { accuracy: metrics.accuracy, ...(metrics.valAccuracy !== undefined ? { valAccuracy: metrics.valAccuracy } : {}) },
          privacy: privacyAfter(steps),
          checkpoint: snapshot,
        });
      }
    }

    let weightsEpoch: number | null = progress.epochsCompleted > 0 ? progress.epochsCompleted - 1 : null;
    if (!cancelled && bestWeights && progress.bestEpoch !== null && progress.bestEpoch !== weightsEpoch) {
      model.setWeights(bestWeights);
      weightsEpoch = progress.bestEpoch;
    }
    const privacy = privacyAfter(steps);
    succeeded = true;
    return {
      model,
      history: progress.history,
      stoppedEarly,
      cancelled,
      bestEpoch: progress.bestEpoch,
      weightsEpoch,
      epochsCompleted: progress.epochsCompleted,
      seed,
      specDigest,
      privacy,
    };
  } finally {
    tf.dispose([data.x, data.y, data.sampleWeights]);
    tf.dispose(bestWeights);
    disposeOptimizer(optimizer);
    if (!succeeded) model.dispose();
  }
}
