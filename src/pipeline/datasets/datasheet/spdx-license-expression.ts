import spdxLicenseIds from 'spdx-license-ids/index.json';
import deprecatedSpdxLicenseIds from 'spdx-license-ids/deprecated.json';

/**
 * A "simple" SPDX licence expression (SPDX 2.3 Annex D): licence ids joined by AND / OR, with
 * parentheses nested at most MAX_SPDX_NESTING deep, written canonically (single spaces, no space
 * inside parentheses). `LicenseRef-<idstring>` names bespoke terms (Annex D.2), as many data sets
 * have. Not accepted: `WITH` exceptions (no exception list is installed to check them against) and
 * the `+` suffix (SPDX deprecates it in favour of the `-or-later` ids).
 */
export const MAX_SPDX_NESTING = 3;
export const SPDX_EXPRESSION_MAX_LENGTH = 500;

const LICENSE_IDS = new Set<string>(spdxLicenseIds);
const DEPRECATED_IDS = new Set<string>(deprecatedSpdxLicenseIds);
const BY_LOWER_CASE = new Map([...LICENSE_IDS].map((id) => [id.toLowerCase(), id]));
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;
const IDSTRING = '[A-Za-z0-9.-]+';

/** Replacements for deprecated ids that are not "<id>-only / <id>-or-later" (SPDX licence list, deprecated section). */
const DEPRECATED_REPLACEMENTS: Record<string, string> = {
  'BSD-2-Clause-FreeBSD': 'BSD-2-Clause',
  'BSD-2-Clause-NetBSD': 'BSD-2-Clause',
  'StandardML-NJ': 'SMLNJ',
  'bzip2-1.0.5': 'bzip2-1.0.6',
  Nunit: 'zlib-acknowledgement',
};

function deprecatedHint(id: string): string {
  if (LICENSE_IDS.has(`${id}-only`)) return `use "${id}-only" or "${id}-or-later" to say which one you mean`;
  const replacement = DEPRECATED_REPLACEMENTS[id];
  if (replacement) return `use "${replacement}"`;
  return 'see https://spdx.org/licenses/ for its replacement';
}

export type SpdxExpressionCheck = { valid: true; licenceIds: string[] } | { valid: false; reason: string };

type Token = { kind: 'open' | 'close' | 'and' | 'or' } | { kind: 'id'; id: string };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  for (const word of text.replace(/[()]/g, ' $& ').split(/\s+/).filter(Boolean)) {
    if (word === '(') tokens.push({ kind: 'open' });
    else if (word === ')') tokens.push({ kind: 'close' });
    else if (word === 'AND') tokens.push({ kind: 'and' });
    else if (word === 'OR') tokens.push({ kind: 'or' });
    else if (/^(and|or|with)$/i.test(word)) {
      return word.toUpperCase() === 'WITH'
        ? 'licence exceptions ("WITH") are not supported here; record the combination as a LicenseRef- id with licenceTermsUrl'
        : `operators are upper case: write "${word.toUpperCase()}"`;
    } else if (word.endsWith('+')) return `"${word}": the "+" suffix is deprecated; use the "-or-later" id`;
    else if (LICENSE_IDS.has(word) || LICENSE_REF.test(word)) tokens.push({ kind: 'id', id: word });
    else if (DEPRECATED_IDS.has(word)) return `"${word}" is a deprecated SPDX licence id: ${deprecatedHint(word)}`;
    else if (BY_LOWER_CASE.has(word.toLowerCase())) return `"${word}" is not an SPDX licence id; did you mean "${BY_LOWER_CASE.get(word.toLowerCase())}"?`;
    else return `"${word}" is not an SPDX licence id (https://spdx.org/licenses/; bespoke terms are "LicenseRef-<name>")`;
  }
  return tokens;
}

function canonical(tokens: Token[]): string {
  const words = tokens.map((t) => (t.kind === 'id' ? t.id : t.kind === 'open' ? '(' : t.kind === 'close' ? ')' : t.kind.toUpperCase()));
  return words.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}

/** Recursive descent over `expr := term (op term)*`, `term := id | "(" expr ")"`. */
function checkStructure(tokens: Token[]): string | null {
  let position = 0;
  const expression = (depth: number): string | null => {
    for (;;) {
      const token = tokens[position++];
      if (!token) return 'ends where a licence id is expected';
      if (token.kind === 'open') {
        if (depth >= MAX_SPDX_NESTING) return `parentheses are nested more than ${MAX_SPDX_NESTING} deep`;
        const inner = expression(depth + 1);
        if (inner) return inner;
        if (tokens[position++]?.kind !== 'close') return 'has an unclosed "("';
      } else if (token.kind !== 'id') return `has "${canonical([token])}" where a licence id is expected`;
      const next = tokens[position];
      if (next?.kind !== 'and' && next?.kind !== 'or') return null;
      position++;
    }
  };
  const problem = expression(0);
  if (problem) return problem;
  if (position < tokens.length) return tokens[position]!.kind === 'close' ? 'has an unmatched ")"' : 'needs AND or OR between licence ids';
  return null;
}

/** Checks an SPDX licence expression and explains what is wrong in words a data steward can act on. */
export function checkSpdxExpression(text: string): SpdxExpressionCheck {
  if (text.trim() === '') return { valid: false, reason: 'is empty; give an SPDX licence id such as "CC-BY-4.0" or "MIT OR Apache-2.0"' };
  if (text.length > SPDX_EXPRESSION_MAX_LENGTH) return { valid: false, reason: `is longer than ${SPDX_EXPRESSION_MAX_LENGTH} characters` };
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { valid: false, reason: tokens };
  const problem = checkStructure(tokens);
  if (problem) return { valid: false, reason: problem };
  // One spelling per expression keeps evidence comparable (and its digest stable) across submissions.
  const written = canonical(tokens);
  if (written !== text) return { valid: false, reason: `must be written canonically: "${written}"` };
  return { valid: true, licenceIds: [...new Set(tokens.flatMap((t) => (t.kind === 'id' ? [t.id] : [])))] };
}

const escape = (id: string) => id.replace(/\./g, '\\.');

/**
 * The expression's shape with any idstring but AND / OR as a leaf, parentheses unrolled
 * MAX_SPDX_NESTING deep (a regular expression cannot count brackets).
 */
function structurePattern(): string {
  const leaf = `(?!(?:AND|OR)(?![A-Za-z0-9.-]))${IDSTRING}`;
  let term = leaf;
  for (let depth = 0; depth < MAX_SPDX_NESTING; depth++) term = `(?:${leaf}|\\(${term}(?: (?:AND|OR) ${term})*\\))`;
  return `^${term}(?: (?:AND|OR) ${term})*$`;
}

/**
 * The same check as two JSON Schema patterns (ECMA-262, `u` flag), so the ledger's schema holds
 * what the API enforces: one pattern for the shape, one that every word is a current SPDX id, a
 * LicenseRef-, AND or OR. The negative lookahead stops "MIT" from matching the start of "MIT-0x".
 */
export const SPDX_EXPRESSION_PATTERNS = {
  structure: structurePattern(),
  knownIds: `^(?:[ ()]|(?:AND|OR|LicenseRef-${IDSTRING}|${[...LICENSE_IDS].map(escape).join('|')})(?![A-Za-z0-9.-]))*$`,
} as const;

export const isSpdxLicenseRef = (id: string) => LICENSE_REF.test(id);
