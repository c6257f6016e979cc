import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Cell, Table } from '../../datasets/table';
import { parseNumber } from '../../datasets/transformations';
import { PreprocessingError } from './preprocessing.error';
import { parsePreprocessorState } from './preprocessor-state.parser';
import { encodedNames, type FeatureState, type PreprocessorState } from './preprocessor-state';

/** x is row-major: `rows × featureNames.length`. y is present when the table has the label column. */
export interface TransformedTable {
  x: Float32Array;
  /** Binary: Float32Array of 0/1 (1 = positive label). Multiclass: Int32Array of indices into `classes`. */
  y?: Float32Array | Int32Array;
  rows: number;
  featureNames: readonly string[];
  /** Per column, how many cells were missing and imputed (columns with none are absent). */
  imputed: Record<string, number>;
  /** Per column, how many cells held a category unseen in training (encoded all-zero). */
  unknownCategories: Record<string, number>;
}

export interface TransformedRow {
  x: Float32Array;
  /** Columns whose value was missing and imputed. */
  imputed: string[];
  /** Columns whose category was unseen in training. */
  unknownCategories: string[];
}

interface CompiledFeature {
  state: FeatureState;
  offset: number;
  /** Categorical: category → slot offset within the feature. */
  slots?: Map<string, number>;
}

/**
 * A preprocessor fitted on a training split (see fitPreprocessor). Its state is plain JSON:
 * `JSON.stringify(preprocessor)` stores it, `FittedPreprocessor.fromJSON` restores it (checked),
 * and `digest()` hashes its canonical form (RFC 8785 JSON Canonicalization Scheme), so the same
 * fit gives the same digest anywhere. Transforming never changes the state.
 */
export class FittedPreprocessor {
  private readonly compiled: CompiledFeature[];
  private readonly labelIndex: Map<string, number>;
  readonly state: Readonly<PreprocessorState>;

  /** Use fitPreprocessor or fromJSON; the state is trusted here. */
  constructor(state: PreprocessorState) {
    this.state = deepFreeze(structuredClone(state));
    let offset = 0;
    this.compiled = state.features.map((feature) => {
      const compiled: CompiledFeature = { state: feature, offset };
      if (feature.kind === 'categorical') compiled.slots = new Map(feature.categories.map((c, i) => [c, i]));
      offset += encodedNames(feature).length;
      return compiled;
    });
    const label = state.label;
    this.labelIndex =
      label.kind === 'binary'
        ? new Map(label.classes.map((c) => [c, c === label.positiveLabel ? 1 : 0]))
        : new Map(label.classes.map((c, i) => [c, i]));
  }

  /** Restores a stored state, refusing anything that is not a well-formed, self-consistent one. */
  static fromJSON(json: unknown): FittedPreprocessor {
    return new FittedPreprocessor(parsePreprocessorState(json));
  }

  toJSON(): PreprocessorState {
    return structuredClone(this.state);
  }

  /** RFC 8785 canonical JSON of the state: the bytes to hash or sign. */
  canonicalJson(): string {
    return canonicalize(this.state) as string;
  }

  /** `sha256:<hex>` of canonicalJson(). */
  digest(): string {
    return `sha256:${createHash('sha256').update(this.canonicalJson(), 'utf8').digest('hex')}`;
  }

  get featureNames(): readonly string[] {
    return this.state.featureNames;
  }

  get featureCount(): number {
    return this.state.featureNames.length;
  }

  /** Class names in encoded order: index k is y = k (binary: [negative, positive]). Pass to the trainer. */
  get outputClasses(): string[] {
    const { kind, classes, positiveLabel } = this.state.label;
    return kind === 'binary' ? [...classes.filter((c) => c !== positiveLabel), positiveLabel as string] : [...classes];
  }

  /** The class a model output index (or binary 0/1) stands for. */
  decodeLabel(encoded: number): string {
    const name = this.outputClasses[encoded];
    if (name === undefined) throw new RangeError(`no class is encoded as ${encoded}`);
    return name;
  }

  transform(table: Table): TransformedTable {
    const indexOf = new Map(table.columns.map((name, i) => [name, i]));
    const columnIndexes = this.compiled.map(({ state }) => {
      const index = indexOf.get(state.column);
      if (index === undefined) {
        throw new PreprocessingError('PREPROCESSING_COLUMN_MISSING', `the table has no column ${JSON.stringify(state.column)}`, { column: state.column });
      }
      return index;
    });
    const width = this.featureCount;
    const rows = table.rows.length;
    const x = new Float32Array(rows * width);
    const imputed: Record<string, number> = {};
    const unknown: Record<string, number> = {};
    for (let r = 0; r < rows; r++) {
      const row = table.rows[r] ?? [];
      this.encodeInto(
        x,
        r * width,
        (f) => row[columnIndexes[f] as number] ?? null,
        r,
        (column) => (imputed[column] = (imputed[column] ?? 0) + 1),
        (column) => (unknown[column] = (unknown[column] ?? 0) + 1),
      );
    }
    const result: TransformedTable = { x, rows, featureNames: this.featureNames, imputed, unknownCategories: unknown };
    const labelIndex = indexOf.get(this.state.label.column);
    if (labelIndex !== undefined) result.y = this.encodeLabels(table.rows, labelIndex);
    return result;
  }

  /** One record for inference: every feature column must be a key (null for a missing value); others are ignored. */
  transformRow(record: Readonly<Record<string, string | null>>): TransformedRow {
    const values = this.compiled.map(({ state }) => {
      if (!Object.hasOwn(record, state.column)) {
        throw new PreprocessingError('PREPROCESSING_COLUMN_MISSING', `the record has no field ${JSON.stringify(state.column)}`, { column: state.column });
      }
      const value = record[state.column];
      if (value !== null && typeof value !== 'string') {
        throw new PreprocessingError('PREPROCESSING_VALUE_INVALID', `field ${JSON.stringify(state.column)} must be a string or null`, { column: state.column });
      }
      return value ?? null;
    });
    const x = new Float32Array(this.featureCount);
    const imputed: string[] = [];
    const unknownCategories: string[] = [];
    this.encodeInto(x, 0, (f) => values[f] ?? null, 0, (c) => imputed.push(c), (c) => unknownCategories.push(c));
    return { x, imputed, unknownCategories };
  }

  private encodeInto(
    x: Float32Array,
    base: number,
    cell: (feature: number) => Cell,
    row: number,
    onImputed: (column: string) => void,
    onUnknown: (column: string) => void,
  ): void {
    for (let f = 0; f < this.compiled.length; f++) {
      const { state, offset, slots } = this.compiled[f] as CompiledFeature;
      const value = cell(f);
      if (state.kind === 'numeric') {
        let number: number;
        if (value === null) {
          number = state.fill;
          onImputed(state.column);
        } else {
          const parsed = parseNumber(value);
          if (parsed === undefined) {
            throw new PreprocessingError('PREPROCESSING_NOT_NUMERIC', `column ${JSON.stringify(state.column)} is numeric; row ${row} is not a number`, {
              column: state.column,
              row,
            });
          }
          number = parsed;
        }
        x[base + offset] = (number - state.center) / state.scale;
        continue;
      }
      let slot: number | undefined;
      if (value === null) {
        onImputed(state.column);
        if (state.missingSlot) slot = state.categories.length;
        else if (state.fill !== null) slot = slots?.get(state.fill);
      } else {
        slot = slots?.get(value);
        if (slot === undefined) onUnknown(state.column);
      }
      if (slot !== undefined) x[base + offset + slot] = 1;
    }
  }

  private encodeLabels(rows: readonly (readonly Cell[])[], index: number): Float32Array | Int32Array {
    const y = this.state.label.kind === 'binary' ? new Float32Array(rows.length) : new Int32Array(rows.length);
    const column = this.state.label.column;
    rows.forEach((row, r) => {
      const value = row[index] ?? null;
      if (value === null) throw new PreprocessingError('PREPROCESSING_LABEL_MISSING', `row ${r} has no label`, { column, row: r });
      const encoded = this.labelIndex.get(value);
      if (encoded === undefined) {
        throw new PreprocessingError('PREPROCESSING_LABEL_UNKNOWN', `row ${r} has a label class unseen in training`, { column, row: r });
      }
      y[r] = encoded;
    });
    return y;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
