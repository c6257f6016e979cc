import { type TextProfile } from './text-profile';

/**
 * Name-like values for PERSON. Whether "Ada Lovelace" is a person or a ship cannot be told from
 * the letters, so this validator is used only with column-name context (see column-context.ts).
 *
 * A name-like value: 1-6 words of letters (any script, with combining marks), joined by spaces,
 * hyphens, apostrophes or periods ("O'Brien", "J. R. R. Tolkien", "Lovelace, Ada", "张伟"), no
 * digits, at most 100 characters, and not a missing-value placeholder ("n/a", "unknown", "null").
 */

const NAME = /^\p{L}[\p{L}\p{M}'’.-]*(?:,?[ \u00A0\u3000]+\p{L}[\p{L}\p{M}'’.-]*){0,5}$/u;
const PLACEHOLDERS = new Set([
  'n/a',
  'na',
  'none',
  'null',
  'nil',
  'unknown',
  'unk',
  'anonymous',
  'anon',
  'test',
  'tbd',
  'redacted',
  'xxx',
  'undefined',
]);

/** NAME admits letters, marks, blanks and ' ’ . - , only: no digit, '@' or ':', and some letter. */
export function personNameApplies(p: TextProfile): boolean {
  return p.digits === 0 && p.at === 0 && p.colons === 0 && (p.letters > 0 || p.nonAscii);
}

export function isPersonNameLike(value: string): boolean {
  const v = value.trim();
  if (v.length === 0 || v.length > 100) return false;
  if (PLACEHOLDERS.has(v.toLowerCase())) return false;
  return NAME.test(v);
}
