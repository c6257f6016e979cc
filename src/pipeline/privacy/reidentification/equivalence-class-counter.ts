import type { Cell, Row, Table } from '../../datasets/table';

/** Class-size buckets a reviewer reads first: uniques (size 1) are the records a linkage attack singles out. */
export const CLASS_SIZE_BUCKETS = ['1', '2', '3-4', '5-9', '10+'] as const;
export type ClassSizeBucket = (typeof CLASS_SIZE_BUCKETS)[number];

export interface ClassSizeBucketCount {
  bucket: ClassSizeBucket;
  classes: number;
  records: number;
}

export interface SensitiveAttributeDiversity {
  /** Index of the sensitive column in the row. */
  index: number;
  /** Distinct l-diversity: the fewest distinct sensitive values in any class (Machanavajjhala et al. 2007 §3.2). */
  distinctL: number;
  /** Entropy l-diversity: exp of the smallest class entropy (natural log), so it is on the same scale as distinctL. */
  entropyL: number;
  /** Classes with fewer than lThreshold distinct sensitive values. */
  classesBelowDistinctL: number;
  /** Classes whose entropy is below log(lThreshold). */
  classesBelowEntropyL: number;
}

export interface ProsecutorRisk {
  /** 1 / smallest class size (El Emam & Dankar 2008, measure "Rb"); 0 for no records. */
  maxRisk: number;
  /** Number of classes / number of records: the mean of 1/|class| over records ("Rc"); 0 for no records. */
  averageRisk: number;
  /** The threshold, 1 / kThreshold. */
  riskThreshold: number;
  /** Records whose risk 1/|class| exceeds riskThreshold ("Ra"), i.e. those in classes smaller than kThreshold. */
  recordsAtRisk: number;
  shareAtRisk: number;
}

export interface ReidentificationRisk {
  records: number;
  classes: number;
  /** k-anonymity (Sweeney 2002): the smallest equivalence class; 0 when there are no records, so "k ≥ n" fails on an empty table. */
  k: number;
  classSizeHistogram: ClassSizeBucketCount[];
  kThreshold: number;
  recordsBelowThreshold: number;
  shareBelowThreshold: number;
  prosecutor: ProsecutorRisk;
  lThreshold: number;
  sensitive: SensitiveAttributeDiversity[];
}

export interface ReidentificationOptions {
  kThreshold: number;
  /** The l for the violation counts; 2 by default (l = 1 is a class with one sensitive value: the homogeneity attack). */
  lThreshold?: number;
}

interface EquivalenceClass {
  size: number;
  /** Per sensitive attribute: value → count. Map keys keep null apart from the string "null". */
  sensitiveCounts: Map<Cell, number>[];
}

/**
 * Two entropies that are equal in exact arithmetic (a class split evenly between two values has
 * entropy ln 2) can differ in the last bit; without a tolerance such a class would "violate" l = 2.
 */
export const ENTROPY_TOLERANCE = 1e-9;

export function classSizeBucket(size: number): ClassSizeBucket {
  if (size <= 1) return '1';
  if (size === 2) return '2';
  if (size <= 4) return '3-4';
  if (size <= 9) return '5-9';
  return '10+';
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function cellAt(row: Row, index: number): Cell {
  const cell = row[index];
  if (cell === undefined) throw new RangeError(`Row has ${row.length} cells; column ${index} is missing`);
  return cell;
}

/** Shannon entropy (natural log) of a count distribution: ln n − (1/n) Σ c ln c. */
function entropy(counts: Iterable<number>, total: number): number {
  let sum = 0;
  for (const count of counts) sum += count * Math.log(count);
  return Math.log(total) - sum / total;
}

/**
 * Streams rows into equivalence classes over the quasi-identifiers and reports k-anonymity,
 * prosecutor re-identification risk and l-diversity.
 *
 * A missing quasi-identifier (null) is a value of its own: rows missing the same QIs and agreeing
 * on the rest form one class. The release shows the gap, so an attacker can link on it; treating
 * null as a wildcard that matches anything would be right only for deliberate suppression, and
 * would overstate anonymity for data that is merely incomplete. Missing sensitive values are
 * likewise one value, null, in the l-diversity counts.
 *
 * Memory is one entry per distinct QI tuple, plus one counter per distinct sensitive value within
 * each class (needed for entropy l-diversity); never the rows.
 */
export class EquivalenceClassCounter {
  private readonly classes = new Map<string, EquivalenceClass>();
  private records = 0;
  private readonly sensitiveScratch: Cell[];

  constructor(
    private readonly quasiIdentifierIndexes: number[],
    private readonly sensitiveIndexes: number[],
  ) {
    for (const index of [...quasiIdentifierIndexes, ...sensitiveIndexes]) {
      if (!Number.isInteger(index) || index < 0) throw new RangeError(`Column index must be a non-negative integer, got ${index}`);
    }
    this.sensitiveScratch = sensitiveIndexes.map(() => null);
  }

  add(row: Row): void {
    // Read every cell before counting anything, so a short row leaves the counts untouched.
    // The key is injective: each cell is length-prefixed, and a missing cell has its own marker,
    // so [null] and ["null"] (or ["a|b"] and ["a", "b"]) never collide. Cheaper than JSON per row.
    let key = '';
    for (const index of this.quasiIdentifierIndexes) {
      const cell = cellAt(row, index);
      key += cell === null ? '~|' : `${cell.length}:${cell}|`;
    }
    const sensitive = this.sensitiveScratch;
    for (let i = 0; i < this.sensitiveIndexes.length; i++) sensitive[i] = cellAt(row, this.sensitiveIndexes[i]!);
    const equivalenceClass = this.classes.get(key) ?? this.openClass(key);
    equivalenceClass.size += 1;
    for (let i = 0; i < sensitive.length; i++) {
      const counts = equivalenceClass.sensitiveCounts[i]!;
      const value = sensitive[i]!;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    this.records += 1;
  }

  private openClass(key: string): EquivalenceClass {
    const opened: EquivalenceClass = { size: 0, sensitiveCounts: this.sensitiveIndexes.map(() => new Map<Cell, number>()) };
    this.classes.set(key, opened);
    return opened;
  }

  result(options: ReidentificationOptions): ReidentificationRisk {
    const { kThreshold, lThreshold = 2 } = options;
    assertPositiveInteger('kThreshold', kThreshold);
    assertPositiveInteger('lThreshold', lThreshold);

    const histogram = new Map<ClassSizeBucket, ClassSizeBucketCount>(
      CLASS_SIZE_BUCKETS.map((bucket) => [bucket, { bucket, classes: 0, records: 0 }]),
    );
    let k = Infinity;
    let recordsBelowThreshold = 0;
    const diversity = this.sensitiveIndexes.map((index) => ({
      index,
      distinctL: Infinity,
      minEntropy: Infinity,
      classesBelowDistinctL: 0,
      classesBelowEntropyL: 0,
    }));
    const entropyThreshold = Math.log(lThreshold) - ENTROPY_TOLERANCE;

    for (const { size, sensitiveCounts } of this.classes.values()) {
      k = Math.min(k, size);
      const bucket = histogram.get(classSizeBucket(size))!;
      bucket.classes += 1;
      bucket.records += size;
      // Risk 1/size > 1/kThreshold exactly when size < kThreshold; compared as integers to avoid rounding.
      if (size < kThreshold) recordsBelowThreshold += size;
      sensitiveCounts.forEach((counts, i) => {
        const attribute = diversity[i]!;
        const classEntropy = entropy(counts.values(), size);
        attribute.distinctL = Math.min(attribute.distinctL, counts.size);
        attribute.minEntropy = Math.min(attribute.minEntropy, classEntropy);
        if (counts.size < lThreshold) attribute.classesBelowDistinctL += 1;
        if (classEntropy < entropyThreshold) attribute.classesBelowEntropyL += 1;
      });
    }

    const records = this.records;
    const classes = this.classes.size;
    const share = (count: number) => (records === 0 ? 0 : count / records);
    const empty = records === 0;
    return {
      records,
      classes,
      k: empty ? 0 : k,
      classSizeHistogram: [...histogram.values()],
      kThreshold,
      recordsBelowThreshold,
      shareBelowThreshold: share(recordsBelowThreshold),
      prosecutor: {
        maxRisk: empty ? 0 : 1 / k,
        averageRisk: share(classes),
        riskThreshold: 1 / kThreshold,
        recordsAtRisk: recordsBelowThreshold,
        shareAtRisk: share(recordsBelowThreshold),
      },
      lThreshold,
      sensitive: diversity.map(({ index, distinctL, minEntropy, classesBelowDistinctL, classesBelowEntropyL }) => ({
        index,
        distinctL: empty ? 0 : distinctL,
        entropyL: empty ? 0 : Math.exp(minEntropy),
        classesBelowDistinctL,
        classesBelowEntropyL,
      })),
    };
  }
}

export interface TableReidentificationOptions extends ReidentificationOptions {
  quasiIdentifiers: string[];
  sensitiveAttributes: string[];
}

/** The index of a named column; a missing name is a caller error, not an empty result. */
export function columnIndex(columns: string[], name: string): number {
  const index = columns.indexOf(name);
  if (index < 0) throw new RangeError(`Column "${name}" is not in the table`);
  return index;
}

/** The counter over a whole in-memory table, with columns named rather than indexed. */
export function reidentificationRisk(table: Table, options: TableReidentificationOptions): ReidentificationRisk {
  const counter = new EquivalenceClassCounter(
    options.quasiIdentifiers.map((name) => columnIndex(table.columns, name)),
    options.sensitiveAttributes.map((name) => columnIndex(table.columns, name)),
  );
  for (const row of table.rows) counter.add(row);
  return counter.result(options);
}
