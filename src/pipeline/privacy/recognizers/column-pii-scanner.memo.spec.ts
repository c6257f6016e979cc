import { entityTypesFromColumnName } from './column-context';
import { ColumnPiiScanner, type ColumnPiiFinding } from './column-pii-scanner';
import { ENTITY_TYPES, type EntityType } from './entity-types';
import { maskValue } from './mask';
import { recognizeValue } from './recognize-value';

/**
 * The scanner remembers what repeated values contributed instead of recognising them again. This
 * checks the result against a plain reference — every value recognised afresh, counted as the
 * scanner's documentation says — on columns that repeat values in every pattern: a handful of
 * values, many, a few hundred then new ones, checksum types, clock-dependent types.
 */

const NOW = new Date('2024-06-15T00:00:00Z');
const CHANCE: Partial<Record<EntityType, number>> = { CREDIT_CARD: 0.1, IBAN_CODE: 1 / 97, CN_RESIDENT_ID: 1 / 11 };

function reference(
  column: string,
  values: Array<string | null>,
  options: { maxExamples?: number; minShare?: number; minScore?: number; now?: Date },
): ColumnPiiFinding[] {
  const context = entityTypesFromColumnName(column);
  const maxExamples = options.maxExamples ?? 3;
  const minShare = options.minShare ?? 0.05;
  const minScore = options.minScore ?? 0.15;
  const matching = new Map<EntityType, number>();
  const scoreSum = new Map<EntityType, number>();
  const examples = new Map<EntityType, string[]>();
  const tallies = new Map<EntityType, [number, number]>();
  let nonMissing = 0;
  for (const v of values) {
    if (v === null || /^[ \t\n\r\u00A0\u3000]*$/.test(v)) continue;
    nonMissing++;
    const findings = recognizeValue(v, {
      context,
      now: options.now,
      tally: (e, ok) => {
        const t = tallies.get(e) ?? [0, 0];
        t[0]++;
        if (ok) t[1]++;
        tallies.set(e, t);
      },
    });
    const counts = (f: { entity: EntityType; score: number }) => f.score >= minScore || context.has(f.entity);
    for (const entity of ENTITY_TYPES) {
      const mine = findings.filter((f) => f.entity === entity && counts(f));
      if (mine.length === 0) continue;
      // The best-scored finding, the first of equals.
      const best = mine.reduce((a, b) => (b.score > a.score ? b : a));
      matching.set(entity, (matching.get(entity) ?? 0) + 1);
      scoreSum.set(entity, (scoreSum.get(entity) ?? 0) + best.score);
      const list = examples.get(entity) ?? [];
      if (list.length < maxExamples) {
        const masked = maskValue(entity, v.slice(best.start, best.end));
        if (!list.includes(masked)) list.push(masked);
      }
      examples.set(entity, list);
    }
  }
  const out: ColumnPiiFinding[] = [];
  for (const entity of ENTITY_TYPES) {
    const m = matching.get(entity) ?? 0;
    if (m === 0) continue;
    const share = m / nonMissing;
    const nameContext = context.has(entity);
    if (share < minShare && !nameContext) continue;
    const shareFactor = Math.sqrt(Math.min(1, share / 0.5));
    const chance = CHANCE[entity];
    const t = tallies.get(entity);
    const checksum =
      chance === undefined || t === undefined || t[0] < 20 ? 1 : Math.min(1, Math.max(0, (t[1] / t[0] - chance) / (1 - chance)));
    const evidence = ((scoreSum.get(entity) ?? 0) / m) * shareFactor * checksum;
    const confidence = nameContext ? 1 - (1 - evidence) * (1 - 0.6 * shareFactor * checksum) : evidence;
    out.push({
      entityType: entity,
      matchingValues: m,
      nonMissingValues: nonMissing,
      share,
      confidence: Math.round(confidence * 1000) / 1000,
      maskedExamples: examples.get(entity) ?? [],
      nameContext,
    });
  }
  return out.sort((a, b) => b.confidence - a.confidence || b.share - a.share);
}

function scan(column: string, values: Array<string | null>, options = {}): ColumnPiiFinding[] {
  const scanner = new ColumnPiiScanner(column, options);
  for (const v of values) scanner.add(v);
  return scanner.result();
}

/** mulberry32, seeded: the same columns on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ColumnPiiScanner with repeated values', () => {
  const r = rng(99);
  const int = (n: number) => Math.floor(r() * n);
  const digits = (n: number) => Array.from({ length: n }, () => int(10)).join('');
  const pool: Record<string, () => string> = {
    card_number: () => ['4111 1111 1111 1111', '5500 0000 0000 0004', `4${digits(15)}`, `5${digits(15)}`][int(4)]!,
    iban: () => ['DE89 3704 0044 0532 0130 00', 'GB82 WEST 1234 5698 7654 32', `DE${digits(20)}`][int(3)]!,
    phone: () => [`+49 30 ${digits(7)}`, '(415) 555-0132', `${digits(3)}-${digits(3)}-${digits(4)}`, '030 1234567'][int(4)]!,
    email: () => `${['ada', 'alan', 'grace'][int(3)]}${int(40)}@example${int(3)}.org`,
    ssn: () => [`${digits(3)}-${digits(2)}-${digits(4)}`, digits(9), '536-22-8726'][int(3)]!,
    id_card_no: () => ['11010519491231002X', '110105491231002', digits(18), `${digits(17)}X`][int(4)]!,
    dob: () => [`19${50 + int(50)}-0${1 + int(9)}-1${int(9)}`, '2099-01-01', '12.03.85', 'n/a'][int(4)]!,
    full_name: () => ['Ada Lovelace', 'Alan Turing', 'R2-D2', 'n/a', 'José García'][int(5)]!,
    notes: () => ['call +44 20 7123 4567', 'mail a@b.com', 'ok', '   ', `order ${digits(9)}`][int(5)]!,
  };

  it.each(Object.keys(pool))('%s: the same result as recognising every value afresh', (column) => {
    const draw = pool[column]!;
    // Few distinct values, then many, then the first ones again; and a column of all-distinct values.
    const few = Array.from({ length: 8 }, draw);
    const values: Array<string | null> = [
      ...Array.from({ length: 3000 }, () => few[int(few.length)]!),
      ...Array.from({ length: 3000 }, draw),
      null,
      '',
      ...Array.from({ length: 3000 }, () => few[int(few.length)]!),
    ];
    for (const options of [{ now: NOW }, { now: NOW, maxExamples: 5, minShare: 0, minScore: 0 }, {}]) {
      expect(scan(column, values, options)).toEqual(reference(column, values, options));
    }
  });
});
