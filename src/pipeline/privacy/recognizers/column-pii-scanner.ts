import { type Cell } from '../../datasets/table';
import { entityTypesFromColumnName } from './column-context';
import { ENTITY_TYPES, type EntityType, type Finding } from './entity-types';
import { maskValue } from './mask';
import { recognizeValue, type RecognizeOptions } from './recognize-value';
import { isBlank } from './text-profile';

export interface ColumnPiiScannerOptions {
  /** Masked examples kept per entity type (distinct masks, first seen). Default 3. */
  maxExamples?: number;
  /**
   * Types whose share of non-missing values is below this are not reported, unless the column
   * name points to them. Default 0.05.
   */
  minShare?: number;
  /**
   * Findings scored below this do not count as matches, unless the column name points to the
   * type: a bare nine-digit number (0.05) is an SSN in a column called "ssn", not in "order_id".
   * Default 0.15.
   */
  minScore?: number;
  /** "Today" for birth-date and resident-id plausibility. */
  now?: Date;
}

export interface ColumnPiiFinding {
  entityType: EntityType;
  /** Non-missing values holding at least one counted finding of this type. */
  matchingValues: number;
  nonMissingValues: number;
  /** matchingValues / nonMissingValues. */
  share: number;
  /** 0..1, see ColumnPiiScanner. */
  confidence: number;
  /** At most `maxExamples` masked spans; never a raw value. */
  maskedExamples: string[];
  /** Whether the column's name points to this type. */
  nameContext: boolean;
}

interface TypeStats {
  matching: number;
  scoreSum: number;
  examples: string[];
}

/** The share from which a column reads as "a column of X" rather than "a column with some X in it". */
const FULL_SHARE = 0.5;
/** How much a column name pointing to the type adds, at full share. */
const NAME_CONTEXT_WEIGHT = 0.6;
/** Checksums pass random input at these rates: Luhn 1/10, MOD 97-10 1/97, MOD 11-2 1/11. */
const CHECKSUM_CHANCE: Partial<Record<EntityType, number>> = {
  CREDIT_CARD: 0.1,
  IBAN_CODE: 1 / 97,
  CN_RESIDENT_ID: 1 / 11,
};
/** Below this many structurally valid candidates a pass rate says too little to discount anything. */
const MIN_CHECKSUM_SAMPLE = 20;

/**
 * Streaming per-column PII scan: `add` each cell once, then `result`. Memory is constant (counters
 * and a few masked examples per type) whatever the number of rows.
 *
 * A value matches a type when `recognizeValue` finds that type anywhere in it — a whole-cell
 * e-mail address or one embedded in free text ("contact me at a@b.com") alike.
 *
 * Confidence combines three things:
 * - validator strength: the mean score of the matching values' findings (an e-mail address's
 *   syntax 0.9, a formatted US phone number 0.65, ten bare digits 0.3…);
 * - share: √(min(1, share / 0.5)) — a column where half the values or more are e-mail addresses
 *   is an e-mail column; a free-text column with an address in 2% of the rows holds some;
 * - for checksum types, the pass rate among structurally valid candidates compared with chance,
 *   (rate − chance) / (1 − chance): a column of real card numbers passes Luhn ~100% of the time,
 *   a column of random 16-digit ids ~10% — which scores 0 whatever the share;
 * c = strength · share factor · checksum factor. When the column name points to the type, the
 * name pushes c towards 1 in proportion to the same evidence that the values are of that type:
 * 1 − (1 − c)(1 − 0.6 · share factor · checksum factor) — a column named "card_number" full of
 * numbers that pass Luhn at chance level gains nothing from its name.
 */
export class ColumnPiiScanner {
  readonly columnName: string;
  private readonly context: ReadonlySet<EntityType>;
  private readonly maxExamples: number;
  private readonly minShare: number;
  private readonly minScore: number;
  private readonly recognizeOptions: RecognizeOptions;
  private nonMissing = 0;
  private readonly stats = new Map<EntityType, TypeStats>();
  private readonly checksum = new Map<EntityType, { candidates: number; passed: number }>();
  private readonly tally = (entity: EntityType, passed: boolean): void => {
    let c = this.checksum.get(entity);
    if (c === undefined) {
      c = { candidates: 0, passed: 0 };
      this.checksum.set(entity, c);
    }
    c.candidates++;
    if (passed) c.passed++;
  };

  constructor(columnName: string, options: ColumnPiiScannerOptions = {}) {
    this.columnName = columnName;
    this.context = entityTypesFromColumnName(columnName);
    this.maxExamples = Math.max(0, Math.floor(options.maxExamples ?? 3));
    this.minShare = options.minShare ?? 0.05;
    this.minScore = options.minScore ?? 0.15;
    this.recognizeOptions = { context: this.context, tally: this.tally, now: options.now };
  }

  add(cell: Cell): void {
    if (cell === null || isBlank(cell)) return;
    this.nonMissing++;
    const findings = recognizeValue(cell, this.recognizeOptions);
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i] as Finding;
      if (f.score < this.minScore && !this.context.has(f.entity)) continue;
      // Count each type once per value, with its best finding.
      let better = false;
      for (let j = 0; j < findings.length; j++) {
        const g = findings[j] as Finding;
        if (j !== i && g.entity === f.entity && (g.score > f.score || (g.score === f.score && j < i))) {
          better = g.score >= this.minScore || this.context.has(g.entity);
          if (better) break;
        }
      }
      if (!better) this.count(f, cell);
    }
  }

  private count(f: Finding, cell: string): void {
    let s = this.stats.get(f.entity);
    if (s === undefined) {
      s = { matching: 0, scoreSum: 0, examples: [] };
      this.stats.set(f.entity, s);
    }
    s.matching++;
    s.scoreSum += f.score;
    if (s.examples.length < this.maxExamples) {
      const masked = maskValue(f.entity, cell.slice(f.start, f.end));
      if (!s.examples.includes(masked)) s.examples.push(masked);
    }
  }

  result(): ColumnPiiFinding[] {
    const out: ColumnPiiFinding[] = [];
    for (const entity of ENTITY_TYPES) {
      const s = this.stats.get(entity);
      if (s === undefined || s.matching === 0) continue;
      const share = s.matching / this.nonMissing;
      const nameContext = this.context.has(entity);
      if (share < this.minShare && !nameContext) continue;
      out.push({
        entityType: entity,
        matchingValues: s.matching,
        nonMissingValues: this.nonMissing,
        share,
        confidence: round3(this.confidence(entity, s, share, nameContext)),
        maskedExamples: [...s.examples],
        nameContext,
      });
    }
    return out.sort((a, b) => b.confidence - a.confidence || b.share - a.share);
  }

  private confidence(entity: EntityType, s: TypeStats, share: number, nameContext: boolean): number {
    const strength = s.scoreSum / s.matching;
    const shareFactor = Math.sqrt(Math.min(1, share / FULL_SHARE));
    const checksumFactor = this.checksumFactor(entity);
    const evidence = strength * shareFactor * checksumFactor;
    if (!nameContext) return evidence;
    return 1 - (1 - evidence) * (1 - NAME_CONTEXT_WEIGHT * shareFactor * checksumFactor);
  }

  private checksumFactor(entity: EntityType): number {
    const chance = CHECKSUM_CHANCE[entity];
    const c = this.checksum.get(entity);
    if (chance === undefined || c === undefined || c.candidates < MIN_CHECKSUM_SAMPLE) return 1;
    const rate = c.passed / c.candidates;
    return Math.min(1, Math.max(0, (rate - chance) / (1 - chance)));
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
