/**
 * The personal-data entity types the privacy scan recognises, and the shape of one finding.
 * Names follow Microsoft Presidio's where Presidio has the type, so evidence stays comparable.
 */
export const ENTITY_TYPES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'IP_ADDRESS',
  'US_SSN',
  'CN_RESIDENT_ID',
  'MAC_ADDRESS',
  'DATE_OF_BIRTH',
  'PERSON',
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * Types with no self-identifying syntax: a date or a name is personal data only because of what
 * the column says it is, so they are recognised only with column-name context.
 */
export const CONTEXT_ONLY_ENTITY_TYPES: readonly EntityType[] = ['DATE_OF_BIRTH', 'PERSON'];

export function isEntityType(value: string): value is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(value);
}

/** One recognised span in a value: `[start, end)` in UTF-16 code units, like `String.slice`. */
export interface Finding {
  entity: EntityType;
  start: number;
  end: number;
  /** 0..1: how likely the span is this entity (validator strength, format cues, nearby words). */
  score: number;
}

/**
 * Receives, for checksum-validated types, every candidate that passed the structural checks and
 * whether its check digits then held. The column scanner compares the pass rate with the chance
 * rate (1/10 for Luhn, 1/97 for IBAN mod-97, 1/11 for MOD 11-2) to tell a column of real card
 * numbers from a column of random ids that sometimes pass Luhn by accident.
 */
export type ChecksumTally = (entity: EntityType, passed: boolean) => void;
