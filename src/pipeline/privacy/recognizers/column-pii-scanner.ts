import { type Cell } from '../../datasets/table';
import { entityTypesFromColumnName } from './column-context';
import { ENTITY_TYPES, type EntityType, type Finding } from './entity-types';
import { isEmailMaskOf, maskValue } from './mask';
import { anyRecognizerApplies, readsClock, recognizeProfiled, type RecognizeOptions } from './recognize-value';
import { emptyProfile, isBlank, profileInto, type TextProfile } from './text-profile';

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

/** Per-type counters, indexed like ENTITY_TYPES. */
const TYPE_COUNT = ENTITY_TYPES.length;
const TYPE_INDEX = new Map<EntityType, number>(ENTITY_TYPES.map((t, i) => [t, i]));

function typeIndex(entity: EntityType): number {
  return TYPE_INDEX.get(entity) ?? 0;
}

/**
 * What one value contributed, for values seen again: the counted types with their scores, then
 * the checksum outcomes, as [counted, type, score, type, score, …, outcome, outcome, …] with an
 * outcome encoded as type · 2 + passed.
 */
type Contribution = readonly number[];

/**
 * Values whose recognition does work (some recogniser applies) are remembered per column while
 * that pays: columns of categories, codes, repeated numbers and addresses. Recognition is a pure
 * function of the value and the column name, so a remembered contribution is exactly what
 * recognising the value again would add — except where it reads the clock (birth dates, resident
 * ids, without a fixed `now`): those values are always recognised afresh. Masked examples need no
 * replay: the value's masks were offered when it was first seen, and examples only grow, so
 * offering them again changes nothing.
 */
const MEMO_CAPACITY = 512;
const MEMO_MAX_KEY_LENGTH = 96;
/**
 * Every WINDOW lookups the hit rate is checked; below MIN_HITS the memo is dropped for PAUSE
 * values (a column of distinct values pays for one window in every PAUSE + WINDOW values).
 */
const MEMO_WINDOW = 2048;
const MEMO_MIN_HITS = MEMO_WINDOW / 4;
const MEMO_PAUSE = 1 << 16;

/**
 * Entries held by all scanners' memos together (a 2,000-column upload has 2,000 scanners): a memo
 * stops growing once the budget is spent, and gives its share back when dropped or collected.
 */
const MEMO_BUDGET = 200_000;
let memoEntries = 0;
const memoReleased = new FinalizationRegistry<{ entries: number }>((charge) => {
  memoEntries -= charge.entries;
});

/** One profile reused for every cell (scanning is synchronous). */
const profile = emptyProfile();

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
 * Streaming per-column PII scan: `add` each cell once, then `result`. Memory is constant (counters,
 * a few masked examples per type, and at most MEMO_CAPACITY remembered values) whatever the number
 * of rows. Every cell is examined — a value seen before gets its remembered contribution, which is
 * what recognising it again would give; nothing is sampled or extrapolated, counts are exact.
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
  /** Bit i: the column name points to ENTITY_TYPES[i]. */
  private readonly contextBits: number;
  private readonly maxExamples: number;
  private readonly minShare: number;
  private readonly minScore: number;
  private readonly now: Date | undefined;
  private readonly recognizeOptions: RecognizeOptions;
  private nonMissing = 0;
  private readonly matching = new Float64Array(TYPE_COUNT);
  private readonly scoreSum = new Float64Array(TYPE_COUNT);
  private readonly examples: string[][] = ENTITY_TYPES.map(() => []);
  private readonly candidates = new Float64Array(TYPE_COUNT);
  private readonly passed = new Float64Array(TYPE_COUNT);
  /** Checksum outcomes of the value being recognised (type · 2 + passed), `outcomeCount` of them. */
  private readonly outcomes: number[] = [];
  private outcomeCount = 0;
  private readonly tally = (entity: EntityType, passed: boolean): void => {
    this.outcomes[this.outcomeCount++] = typeIndex(entity) * 2 + (passed ? 1 : 0);
  };
  private memo: Map<string, Contribution> | undefined = new Map();
  /** This scanner's share of MEMO_BUDGET. */
  private readonly memoCharge = { entries: 0 };
  private memoLookups = 0;
  private memoHits = 0;
  private memoResumeAt = 0;

  constructor(columnName: string, options: ColumnPiiScannerOptions = {}) {
    this.columnName = columnName;
    this.context = entityTypesFromColumnName(columnName);
    let bits = 0;
    for (const entity of this.context) bits |= 1 << typeIndex(entity);
    this.contextBits = bits;
    this.maxExamples = Math.max(0, Math.floor(options.maxExamples ?? 3));
    this.minShare = options.minShare ?? 0.05;
    this.minScore = options.minScore ?? 0.15;
    this.now = options.now;
    this.recognizeOptions = { context: this.context, tally: this.tally, now: options.now };
    memoReleased.register(this, this.memoCharge);
  }

  add(cell: Cell): void {
    if (cell === null || isBlank(cell)) return;
    this.nonMissing++;
    const memo = this.memo ?? this.resumeMemo();
    if (memo === undefined || cell.length > MEMO_MAX_KEY_LENGTH) {
      const p = profileInto(cell, profile);
      if (anyRecognizerApplies(p, this.context)) this.addApplicable(cell, p, undefined);
      return;
    }
    // Only values some recogniser applies to are remembered, so a hit needs no profile either.
    const seen = memo.get(cell);
    this.memoLookups++;
    if (seen !== undefined) {
      this.memoHits++;
      this.replay(seen);
    } else {
      const p = profileInto(cell, profile);
      if (anyRecognizerApplies(p, this.context)) this.addApplicable(cell, p, memo);
    }
    if (this.memoLookups === MEMO_WINDOW) this.reviewMemo();
  }

  /** `add` for a value some recogniser applies to; remembers its contribution in `memo` if given. */
  private addApplicable(cell: string, p: TextProfile, memo: Map<string, Contribution> | undefined): void {
    const remember =
      memo !== undefined &&
      memo.size < MEMO_CAPACITY &&
      memoEntries < MEMO_BUDGET &&
      !(this.now === undefined && readsClock(p, cell, this.context));
    const contribution = this.recognize(cell, p, remember);
    if (contribution !== undefined && memo !== undefined) {
      memo.set(cell, contribution);
      memoEntries++;
      this.memoCharge.entries++;
    }
  }

  /** A new memo once the pause after a poor window is over. */
  private resumeMemo(): Map<string, Contribution> | undefined {
    if (this.nonMissing < this.memoResumeAt) return undefined;
    this.memo = new Map();
    return this.memo;
  }

  /** Drops the memo for a while when too few lookups of the last window were hits. */
  private reviewMemo(): void {
    if (this.memoHits < MEMO_MIN_HITS) {
      this.memo = undefined;
      this.memoResumeAt = this.nonMissing + MEMO_PAUSE;
      memoEntries -= this.memoCharge.entries;
      this.memoCharge.entries = 0;
    }
    this.memoLookups = 0;
    this.memoHits = 0;
  }

  /** Recognises one value and counts it; returns its contribution when asked to (for the memo). */
  private recognize(cell: string, p: TextProfile, remember: boolean): Contribution | undefined {
    this.outcomeCount = 0;
    const findings = recognizeProfiled(cell, p, this.recognizeOptions);
    const contribution: number[] | undefined = remember ? [0] : undefined;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i] as Finding;
      const type = typeIndex(f.entity);
      const named = (this.contextBits & (1 << type)) !== 0;
      if (f.score < this.minScore && !named) continue;
      // Count each type once per value, with its best finding.
      let better = false;
      for (let j = 0; j < findings.length; j++) {
        const g = findings[j] as Finding;
        if (j !== i && g.entity === f.entity && (g.score > f.score || (g.score === f.score && j < i))) {
          better = g.score >= this.minScore || named;
          if (better) break;
        }
      }
      if (better) continue;
      this.count(type, f.score);
      this.offerExample(type, f.entity, cell.slice(f.start, f.end));
      if (contribution !== undefined) {
        contribution[0] = (contribution[0] as number) + 1;
        contribution.push(type, f.score);
      }
    }
    for (let k = 0; k < this.outcomeCount; k++) {
      const outcome = this.outcomes[k] as number;
      this.checksumOutcome(outcome);
      contribution?.push(outcome);
    }
    return contribution;
  }

  private replay(c: Contribution): void {
    const counted = c[0] as number;
    let i = 1;
    for (let k = 0; k < counted; k++, i += 2) this.count(c[i] as number, c[i + 1] as number);
    for (; i < c.length; i++) this.checksumOutcome(c[i] as number);
  }

  private count(type: number, score: number): void {
    this.matching[type] = (this.matching[type] as number) + 1;
    this.scoreSum[type] = (this.scoreSum[type] as number) + score;
  }

  private checksumOutcome(outcome: number): void {
    const type = outcome >> 1;
    this.candidates[type] = (this.candidates[type] as number) + 1;
    if ((outcome & 1) === 1) this.passed[type] = (this.passed[type] as number) + 1;
  }

  private offerExample(type: number, entity: EntityType, span: string): void {
    const examples = this.examples[type] as string[];
    if (examples.length >= this.maxExamples) return;
    if (entity === 'EMAIL_ADDRESS' && examples.some((e) => isEmailMaskOf(e, span))) return;
    const masked = maskValue(entity, span);
    if (!examples.includes(masked)) examples.push(masked);
  }

  result(): ColumnPiiFinding[] {
    const out: ColumnPiiFinding[] = [];
    for (let type = 0; type < TYPE_COUNT; type++) {
      const entity = ENTITY_TYPES[type] as EntityType;
      const matching = this.matching[type] as number;
      if (matching === 0) continue;
      const share = matching / this.nonMissing;
      const nameContext = this.context.has(entity);
      if (share < this.minShare && !nameContext) continue;
      out.push({
        entityType: entity,
        matchingValues: matching,
        nonMissingValues: this.nonMissing,
        share,
        confidence: round3(this.confidence(type, entity, share, nameContext)),
        maskedExamples: [...(this.examples[type] as string[])],
        nameContext,
      });
    }
    return out.sort((a, b) => b.confidence - a.confidence || b.share - a.share);
  }

  private confidence(type: number, entity: EntityType, share: number, nameContext: boolean): number {
    const strength = (this.scoreSum[type] as number) / (this.matching[type] as number);
    const shareFactor = Math.sqrt(Math.min(1, share / FULL_SHARE));
    const checksumFactor = this.checksumFactor(type, entity);
    const evidence = strength * shareFactor * checksumFactor;
    if (!nameContext) return evidence;
    return 1 - (1 - evidence) * (1 - NAME_CONTEXT_WEIGHT * shareFactor * checksumFactor);
  }

  private checksumFactor(type: number, entity: EntityType): number {
    const chance = CHECKSUM_CHANCE[entity];
    const candidates = this.candidates[type] as number;
    if (chance === undefined || candidates < MIN_CHECKSUM_SAMPLE) return 1;
    const rate = (this.passed[type] as number) / candidates;
    return Math.min(1, Math.max(0, (rate - chance) / (1 - chance)));
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
