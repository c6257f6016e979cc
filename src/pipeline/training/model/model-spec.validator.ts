import type { SpecProblem } from '../../datasets/transformations';
import { pair, windowOutputSize } from './layer-shapes';
import {
  ACTIVATIONS,
  MODEL_SPEC_LIMITS as LIMITS,
  MODEL_TYPES,
  OPTIMIZER_TYPES,
  PADDINGS,
  type ArchitectureSpec,
  type ConvLayerSpec,
  type DenseLayerSpec,
  type EarlyStoppingSpec,
  type ModelSpec,
  type OptimizerSpec,
  type OptimizerType,
  type TrainingSpec,
} from './model-spec';
import { describeValue, isPlainObject, jsonPointer } from '../../datasets/json-checks';

export type ModelSpecValidation = { ok: true; spec: ModelSpec } | { ok: false; problems: SpecProblem[] };

const MAX_PROBLEMS = 100;
type Path = readonly (string | number)[];

/**
 * Checks untrusted input (a request body, a stored record) and returns a fresh, typed spec with
 * only the known fields, or every problem found, each at a JSON Pointer. Unknown fields are
 * refused rather than ignored: a misspelt `erlyStopping` must not silently train without it.
 */
export function validateModelSpec(input: unknown): ModelSpecValidation {
  const v = new Validator();
  const spec = v.spec(input);
  return spec !== undefined && v.problems.length === 0 ? { ok: true, spec } : { ok: false, problems: v.problems };
}

class Validator {
  readonly problems: SpecProblem[] = [];

  spec(input: unknown): ModelSpec | undefined {
    if (!isPlainObject(input)) return this.fail([], 'must be an object');
    const type = input.type;
    if (typeof type !== 'string' || !MODEL_TYPES.includes(type as ModelSpec['type'])) {
      return this.fail(['type'], `must be one of ${MODEL_TYPES.join(', ')} (got ${describeValue(type)})`);
    }
    let architecture: ArchitectureSpec | undefined;
    switch (type as ModelSpec['type']) {
      case 'logistic_regression':
        this.onlyKeys(input, [], ['type', 'training']);
        architecture = { type: 'logistic_regression' };
        break;
      case 'mlp': {
        this.onlyKeys(input, [], ['type', 'hiddenLayers', 'training']);
        const hiddenLayers = this.denseLayers(input.hiddenLayers, ['hiddenLayers']);
        if (hiddenLayers) architecture = { type: 'mlp', hiddenLayers };
        break;
      }
      case 'cnn':
        architecture = this.cnn(input);
        break;
    }
    const training = this.training(input.training, ['training']);
    return architecture && training ? { ...architecture, training } : undefined;
  }

  private cnn(input: Record<string, unknown>): ArchitectureSpec | undefined {
    this.onlyKeys(input, [], ['type', 'inputShape', 'convLayers', 'denseLayers', 'training']);
    const shape = input.inputShape;
    let inputShape: [number, number, number] | undefined;
    if (!Array.isArray(shape) || shape.length !== 3) this.fail(['inputShape'], 'must be [height, width, channels]');
    else {
      const h = this.integer(shape[0], ['inputShape', 0], 1, LIMITS.inputSide);
      const w = this.integer(shape[1], ['inputShape', 1], 1, LIMITS.inputSide);
      const c = this.integer(shape[2], ['inputShape', 2], 1, LIMITS.inputChannels);
      if (h !== undefined && w !== undefined && c !== undefined) inputShape = [h, w, c];
    }
    const convLayers = this.convLayers(input.convLayers, ['convLayers']);
    const denseLayers = input.denseLayers === undefined ? [] : this.denseLayers(input.denseLayers, ['denseLayers'], 0);
    if (!inputShape || !convLayers || !denseLayers) return undefined;
    // Every layer must still see at least one pixel.
    let [h, w] = inputShape;
    for (const [i, layer] of convLayers.entries()) {
      const [kh, kw] = pair(layer.kernelSize);
      const [sh, sw] = pair(layer.strides ?? 1);
      h = windowOutputSize(h, kh, sh, layer.padding ?? 'valid');
      w = windowOutputSize(w, kw, sw, layer.padding ?? 'valid');
      if (layer.pool && h > 0 && w > 0) {
        const [ph, pw] = pair(layer.pool.size);
        const [qh, qw] = pair(layer.pool.strides ?? layer.pool.size);
        h = windowOutputSize(h, ph, qh, 'valid');
        w = windowOutputSize(w, pw, qw, 'valid');
      }
      if (h < 1 || w < 1) return this.fail(['convLayers', i], 'shrinks the image to nothing; use smaller kernels, strides or pools, or padding "same"');
    }
    return { type: 'cnn', inputShape, convLayers, denseLayers };
  }

  private denseLayers(value: unknown, path: Path, min = 1): DenseLayerSpec[] | undefined {
    if (!Array.isArray(value) || value.length < min || value.length > LIMITS.denseLayers) {
      return this.fail(path, `must be an array of ${min} to ${LIMITS.denseLayers} layers {units, activation, dropout?}`);
    }
    const layers: DenseLayerSpec[] = [];
    value.forEach((item: unknown, i) => {
      const here = [...path, i];
      if (!isPlainObject(item)) return this.fail(here, 'must be an object {units, activation, dropout?}');
      this.onlyKeys(item, here, ['units', 'activation', 'dropout']);
      const units = this.integer(item.units, [...here, 'units'], 1, LIMITS.units);
      const activation = this.oneOf(item.activation, [...here, 'activation'], ACTIVATIONS);
      const dropout = item.dropout === undefined ? undefined : this.number(item.dropout, [...here, 'dropout'], 0, 1, false);
      if (units === undefined || activation === undefined) return;
      const layer: DenseLayerSpec = { units, activation };
      if (dropout !== undefined) layer.dropout = dropout;
      layers.push(layer);
    });
    return layers.length === value.length ? layers : undefined;
  }

  private convLayers(value: unknown, path: Path): ConvLayerSpec[] | undefined {
    if (!Array.isArray(value) || value.length < 1 || value.length > LIMITS.convLayers) {
      return this.fail(path, `must be an array of 1 to ${LIMITS.convLayers} layers {filters, kernelSize, strides?, padding?, activation, pool?}`);
    }
    const layers: ConvLayerSpec[] = [];
    value.forEach((item: unknown, i) => {
      const here = [...path, i];
      if (!isPlainObject(item)) return this.fail(here, 'must be an object {filters, kernelSize, strides?, padding?, activation, pool?}');
      this.onlyKeys(item, here, ['filters', 'kernelSize', 'strides', 'padding', 'activation', 'pool']);
      const filters = this.integer(item.filters, [...here, 'filters'], 1, LIMITS.filters);
      const kernelSize = this.size(item.kernelSize, [...here, 'kernelSize'], LIMITS.kernelSize);
      const strides = item.strides === undefined ? undefined : this.size(item.strides, [...here, 'strides'], LIMITS.strides);
      const padding = item.padding === undefined ? undefined : this.oneOf(item.padding, [...here, 'padding'], PADDINGS);
      const activation = this.oneOf(item.activation, [...here, 'activation'], ACTIVATIONS);
      let pool: ConvLayerSpec['pool'];
      let poolOk = true;
      if (item.pool !== undefined) {
        const p = item.pool;
        if (!isPlainObject(p)) poolOk = !!this.fail([...here, 'pool'], 'must be an object {size, strides?}');
        else {
          this.onlyKeys(p, [...here, 'pool'], ['size', 'strides']);
          const size = this.size(p.size, [...here, 'pool', 'size'], LIMITS.poolSize);
          const poolStrides = p.strides === undefined ? undefined : this.size(p.strides, [...here, 'pool', 'strides'], LIMITS.poolSize);
          poolOk = size !== undefined && (p.strides === undefined || poolStrides !== undefined);
          if (size !== undefined) pool = poolStrides === undefined ? { size } : { size, strides: poolStrides };
        }
      }
      if (filters === undefined || kernelSize === undefined || activation === undefined || !poolOk) return;
      if ((item.strides !== undefined && strides === undefined) || (item.padding !== undefined && padding === undefined)) return;
      const layer: ConvLayerSpec = { filters, kernelSize, activation };
      if (strides !== undefined) layer.strides = strides;
      if (padding !== undefined) layer.padding = padding;
      if (pool) layer.pool = pool;
      layers.push(layer);
    });
    return layers.length === value.length ? layers : undefined;
  }

  private training(value: unknown, path: Path): TrainingSpec | undefined {
    if (!isPlainObject(value)) return this.fail(path, 'must be an object {optimizer, batchSize, epochs, l1?, l2?, earlyStopping?, classWeights?, seed}');
    this.onlyKeys(value, path, ['optimizer', 'batchSize', 'epochs', 'l1', 'l2', 'earlyStopping', 'classWeights', 'seed']);
    const optimizer = this.optimizer(value.optimizer, [...path, 'optimizer']);
    const batchSize = this.integer(value.batchSize, [...path, 'batchSize'], 1, LIMITS.batchSize);
    const epochs = this.integer(value.epochs, [...path, 'epochs'], 1, LIMITS.epochs);
    const seed = this.integer(value.seed, [...path, 'seed'], 0, LIMITS.seed);
    const l1 = value.l1 === undefined ? undefined : this.number(value.l1, [...path, 'l1'], 0, 1e6, true);
    const l2 = value.l2 === undefined ? undefined : this.number(value.l2, [...path, 'l2'], 0, 1e6, true);
    const earlyStopping = value.earlyStopping === undefined ? undefined : this.earlyStopping(value.earlyStopping, [...path, 'earlyStopping']);
    const classWeights = value.classWeights === undefined ? undefined : this.classWeights(value.classWeights, [...path, 'classWeights']);
    if (!optimizer || batchSize === undefined || epochs === undefined || seed === undefined) return undefined;
    if ((value.l1 !== undefined && l1 === undefined) || (value.l2 !== undefined && l2 === undefined)) return undefined;
    if ((value.earlyStopping !== undefined && !earlyStopping) || (value.classWeights !== undefined && !classWeights)) return undefined;
    const training: TrainingSpec = { optimizer, batchSize, epochs, seed };
    if (l1 !== undefined) training.l1 = l1;
    if (l2 !== undefined) training.l2 = l2;
    if (earlyStopping) training.earlyStopping = earlyStopping;
    if (classWeights) training.classWeights = classWeights;
    return training;
  }

  private optimizer(value: unknown, path: Path): OptimizerSpec | undefined {
    if (!isPlainObject(value)) return this.fail(path, 'must be an object {type, learningRate, momentum?, beta1?, beta2?}');
    const type: OptimizerType | undefined = this.oneOf(value.type, [...path, 'type'], OPTIMIZER_TYPES);
    const allowed = ['type', 'learningRate', ...(type === 'momentum' ? ['momentum'] : type === 'adam' ? ['beta1', 'beta2'] : [])];
    this.onlyKeys(value, path, allowed);
    // No upper bound: a huge rate is a bad idea, not an attack, and training reports the divergence.
    const learningRate = this.number(value.learningRate, [...path, 'learningRate'], 0, Number.MAX_VALUE, false, true);
    if (type === undefined || learningRate === undefined) return undefined;
    const optimizer: OptimizerSpec = { type, learningRate };
    for (const key of ['momentum', 'beta1', 'beta2'] as const) {
      if (value[key] === undefined || !allowed.includes(key)) continue;
      const n = this.number(value[key], [...path, key], 0, 1, false);
      if (n === undefined) return undefined;
      optimizer[key] = n;
    }
    return optimizer;
  }

  private earlyStopping(value: unknown, path: Path): EarlyStoppingSpec | undefined {
    if (!isPlainObject(value)) return this.fail(path, 'must be an object {patience, minDelta?, restoreBestWeights?}');
    this.onlyKeys(value, path, ['patience', 'minDelta', 'restoreBestWeights']);
    const patience = this.integer(value.patience, [...path, 'patience'], 1, LIMITS.patience);
    const minDelta = value.minDelta === undefined ? undefined : this.number(value.minDelta, [...path, 'minDelta'], 0, Number.MAX_VALUE, true);
    const restore = value.restoreBestWeights;
    if (restore !== undefined && typeof restore !== 'boolean') this.fail([...path, 'restoreBestWeights'], 'must be a boolean');
    if (patience === undefined || (value.minDelta !== undefined && minDelta === undefined) || (restore !== undefined && typeof restore !== 'boolean')) {
      return undefined;
    }
    const spec: EarlyStoppingSpec = { patience };
    if (minDelta !== undefined) spec.minDelta = minDelta;
    if (typeof restore === 'boolean') spec.restoreBestWeights = restore;
    return spec;
  }

  private classWeights(value: unknown, path: Path): TrainingSpec['classWeights'] {
    if (value === 'balanced') return 'balanced';
    if (!isPlainObject(value)) return this.fail(path, 'must be "balanced" or an object of class name → positive weight');
    const names = Object.keys(value);
    if (names.length === 0 || names.length > LIMITS.classWeights) return this.fail(path, `must weigh 1 to ${LIMITS.classWeights} classes`);
    const weights: Record<string, number> = {};
    let ok = true;
    for (const name of names) {
      const w = this.number(value[name], [...path, name], 0, 1e6, false, true);
      if (w === undefined) ok = false;
      else Object.defineProperty(weights, name, { value: w, enumerable: true, writable: true, configurable: true });
    }
    return ok ? weights : undefined;
  }

  private size(value: unknown, path: Path, max: number): number | [number, number] | undefined {
    if (Array.isArray(value)) {
      if (value.length !== 2) return this.fail(path, `must be an integer 1–${max} or [height, width]`);
      const a = this.integer(value[0], [...path, 0], 1, max);
      const b = this.integer(value[1], [...path, 1], 1, max);
      return a !== undefined && b !== undefined ? [a, b] : undefined;
    }
    return this.integer(value, path, 1, max);
  }

  private integer(value: unknown, path: Path, min: number, max: number): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.fail(path, `must be an integer from ${min} to ${max} (got ${describeValue(value)})`);
    }
    return value;
  }

  /** A finite number in [min, max] (or [min, max), or (min, max] with exclusiveMin). */
  private number(value: unknown, path: Path, min: number, max: number, maxInclusive: boolean, exclusiveMin = false): number | undefined {
    const ok =
      typeof value === 'number' && Number.isFinite(value) && (exclusiveMin ? value > min : value >= min) && (maxInclusive ? value <= max : value < max);
    if (!ok) {
      const range = `${exclusiveMin ? '(' : '['}${min}, ${max === Number.MAX_VALUE ? '∞' : max}${maxInclusive ? ']' : ')'}`;
      return this.fail(path, `must be a finite number in ${range} (got ${describeValue(value)})`);
    }
    return value;
  }

  private oneOf<T extends string>(value: unknown, path: Path, allowed: readonly T[]): T | undefined {
    if (typeof value !== 'string' || !allowed.includes(value as T)) return this.fail(path, `must be one of ${allowed.join(', ')} (got ${describeValue(value)})`);
    return value as T;
  }

  private onlyKeys(value: Record<string, unknown>, path: Path, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail([...path, key], `is not allowed here (allowed: ${allowed.join(', ')})`);
    }
  }

  private fail(path: Path, message: string): undefined {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ path: jsonPointer(path), message });
    else if (this.problems.length === MAX_PROBLEMS) this.problems.push({ path: '', message: 'too many problems; stopped listing' });
    return undefined;
  }
}
