import * as tf from '@tensorflow/tfjs';
import { TRAINING_DEFAULTS, type OptimizerSpec } from './model-spec';
import { TrainingError } from './training.error';
import { deserializeTensor, serializeTensor, type OptimizerCheckpoint } from './weights-checkpoint';

export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.type) {
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
    case 'momentum':
      return tf.train.momentum(spec.learningRate, spec.momentum ?? TRAINING_DEFAULTS.momentum);
    case 'adam':
      return tf.train.adam(spec.learningRate, spec.beta1 ?? TRAINING_DEFAULTS.beta1, spec.beta2 ?? TRAINING_DEFAULTS.beta2, TRAINING_DEFAULTS.epsilon);
  }
}

/** Slots per trainable weight, in the order tfjs's getWeights lists them (all of one kind, then the next). */
const SLOT_SUFFIXES: Record<OptimizerSpec['type'], string[]> = { sgd: [], momentum: ['momentum'], adam: ['m', 'v'] };

/**
 * The optimizer's state with slots renamed after the weights' stable names (tfjs names them after
 * variables, which carry per-process suffixes such as `dense_0/kernel_3`).
 */
export async function captureOptimizerState(optimizer: tf.Optimizer, type: OptimizerSpec['type'], weightNames: readonly string[]): Promise<OptimizerCheckpoint> {
  const [iterations, ...slots] = await optimizer.getWeights();
  const count = ((await iterations?.tensor.data()) ?? [0])[0] ?? 0;
  iterations?.tensor.dispose(); // getWeights makes this scalar afresh; the slots are the optimizer's own
  const suffixes = SLOT_SUFFIXES[type];
  if (slots.length !== 0 && slots.length !== suffixes.length * weightNames.length) {
    throw new TrainingError('CHECKPOINT_MISMATCH', `the ${type} optimizer holds ${slots.length} slots for ${weightNames.length} weights`);
  }
  const state: OptimizerCheckpoint = {
    type,
    iterations: count,
    slots: slots.map(({ tensor }, i) => serializeTensor(`${weightNames[i % weightNames.length]}/${suffixes[Math.floor(i / weightNames.length)]}`, tensor)),
  };
  const powers = adamPowers(optimizer);
  if (powers) state.betaPowers = [powers[0].dataSync()[0] as number, powers[1].dataSync()[0] as number];
  return state;
}

/**
 * Adam's running β1^t and β2^t. tfjs keeps them as a running product but its setWeights
 * recomputes them with pow(), which differs in the last float32 bits after some dozens of steps;
 * restoring the product itself keeps a resumed run bit-identical. They are private fields of
 * tfjs's AdamOptimizer, so this is guarded: without them resume is still correct, only not
 * bit-exact (the resume spec would say so).
 */
function adamPowers(optimizer: tf.Optimizer): [tf.Variable, tf.Variable] | undefined {
  const internals = optimizer as unknown as { accBeta1?: unknown; accBeta2?: unknown };
  const { accBeta1, accBeta2 } = internals;
  return accBeta1 instanceof tf.Variable && accBeta2 instanceof tf.Variable ? [accBeta1, accBeta2] : undefined;
}

/** Puts saved slots back, checked against the weights they belong to; a checkpoint of another optimizer type is refused. */
export async function restoreOptimizerState(
  optimizer: tf.Optimizer,
  type: OptimizerSpec['type'],
  state: OptimizerCheckpoint,
  weights: readonly { name: string; shape: readonly number[] }[],
): Promise<void> {
  if (state.type !== type) {
    throw new TrainingError('CHECKPOINT_MISMATCH', `the checkpoint holds ${state.type} optimizer state; the spec trains with ${type}`, { reason: 'optimizer-type' });
  }
  const suffixes = SLOT_SUFFIXES[type];
  if (state.slots.length !== 0 && state.slots.length !== suffixes.length * weights.length) {
    throw new TrainingError('CHECKPOINT_MISMATCH', 'the optimizer state does not match the model weights', { reason: 'optimizer-slots' });
  }
  const named = state.slots.map((slot, i) => {
    const weight = weights[i % weights.length] as { name: string; shape: readonly number[] };
    const name = `${weight.name}/${suffixes[Math.floor(i / weights.length)]}`;
    if (slot.name !== name) throw new TrainingError('CHECKPOINT_MISMATCH', `optimizer slot ${i} is ${slot.name}; expected ${name}`, { reason: 'optimizer-slots' });
    return { name, tensor: deserializeTensor(slot, { shape: weight.shape, dtype: 'float32' }) };
  });
  const iterations = { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') };
  try {
    await optimizer.setWeights([iterations, ...named]);
    const powers = adamPowers(optimizer);
    if (powers && state.betaPowers) {
      powers[0].assign(tf.scalar(state.betaPowers[0]));
      powers[1].assign(tf.scalar(state.betaPowers[1]));
    }
  } finally {
    tf.dispose([iterations.tensor, ...named.map((n) => n.tensor)]);
  }
}

/** Disposes an optimizer and what tfjs 4.22's own dispose forgets (MomentumOptimizer keeps its momentum scalar `c`). */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const { c } = optimizer as unknown as { c?: unknown };
  if (c instanceof tf.Tensor && !c.isDisposed) c.dispose();
}
