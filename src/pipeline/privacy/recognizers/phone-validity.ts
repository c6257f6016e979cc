import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import { Decision, DigitPattern, UnsupportedPatternError } from './digit-pattern';

/**
 * Whether "+" followed by `digits` is a valid number according to libphonenumber-js (max
 * metadata) — the library's answer, exactly, at a fraction of its cost on columns of numbers.
 *
 * A library parse costs 8-25 µs; a 200 MB upload can hold millions of phone numbers, nearly all
 * distinct, so memoising whole numbers does not help. But validity is decided by a number's
 * leading digits and its length: "+49 30" followed by seven more digits is a valid Berlin number
 * whatever those seven digits are. The library's verdict for one number is therefore reused for
 * every number of the same length that shares a prefix *proven* to decide it:
 *
 * - The library reads the digits only through the calling code (1-3 leading digits), the number's
 *   length, and regular expressions from its metadata: the national-number and per-type patterns
 *   and leading-digit patterns of every region sharing the calling code, and the national prefix
 *   for parsing of the calling code's main region (which can strip or rewrite a prefix, giving a
 *   second candidate national number).
 * - Each of those patterns is compiled to a position automaton over digits (digit-pattern.ts),
 *   which tells when the pattern's answer on the candidate national numbers is the same for every
 *   continuation of a known prefix by a given number of digits.
 * - When all of them are settled for a prefix, the library is asked once, about the number at
 *   hand, and its answer is stored in a trie of prefixes (one per number length). A later number
 *   with that prefix and length gets the stored answer; its own digits could not change what any
 *   of those patterns say, so they could not change the library's answer either.
 * - A prefix that does not settle everything yet is remembered as such, and the next number
 *   through it examines one digit more. Anything the analysis does not cover (a pattern with
 *   syntax outside the metadata's usual subset, a national prefix rule that consumes the whole
 *   number) is never cached: those numbers are always asked of the library.
 *
 * The phone spec compares this with the library on tens of thousands of numbers across all
 * calling codes and lengths; a difference there means the list of patterns above is incomplete.
 */

/** Position automata of one region's patterns. */
interface RegionPatterns {
  full: DigitPattern[];
  leading: DigitPattern | undefined;
}

/** The national prefix for parsing of a calling code's main region, taken apart. */
interface PrefixRule {
  /** `(X)$` in front of the rule: a national number matching X as a whole is rewritten. */
  wholeNumber: DigitPattern | undefined;
  /** The rest of the rule, a plain prefix pattern. */
  prefix: DigitPattern | undefined;
  /** The rule as the library applies it, with `(X)$` made unmatchable (used when X cannot match). */
  regex: RegExp;
  transform: string | undefined;
}

interface CallingCodePlan {
  regions: RegionPatterns[];
  prefixRule: PrefixRule | undefined;
}

type MinifiedPlan = readonly unknown[];

const json = metadataJson as unknown as {
  version: unknown;
  country_calling_codes: Record<string, readonly string[]>;
  countries: Record<string, MinifiedPlan | undefined>;
  nonGeographic?: Record<string, MinifiedPlan | undefined>;
};

/** Metadata layout version 4 (libphonenumber-js ≥ 1.7.x), see libphonenumber-js/source/metadata.js. */
const LAYOUT_VERSION = 4;
const AT = { nationalNumberPattern: 2, nationalPrefix: 5, prefixForParsing: 7, transformRule: 8, leadingDigits: 10, types: 11 };

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function regionsOf(callingCode: string): MinifiedPlan[] {
  const countries = json.country_calling_codes[callingCode] ?? [];
  const plans = countries.map((c) => json.countries[c]).filter((p): p is MinifiedPlan => Array.isArray(p));
  const nonGeographic = json.nonGeographic?.[callingCode];
  if (Array.isArray(nonGeographic)) plans.push(nonGeographic);
  return plans;
}

function regionPatterns(plan: MinifiedPlan): RegionPatterns {
  const full: DigitPattern[] = [];
  const national = str(plan[AT.nationalNumberPattern]);
  if (national !== undefined) full.push(DigitPattern.compile(national));
  const types = plan[AT.types];
  if (Array.isArray(types)) {
    for (const type of types as unknown[]) {
      const pattern = Array.isArray(type) ? str((type as unknown[])[0]) : undefined;
      if (pattern !== undefined) full.push(DigitPattern.compile(pattern));
    }
  }
  const leading = str(plan[AT.leadingDigits]);
  return { full, leading: leading === undefined ? undefined : DigitPattern.compile(leading) };
}

/** Index of the ')' closing the '(' at `open`, or -1. */
function closingParen(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function prefixRule(main: MinifiedPlan): PrefixRule | undefined {
  const source = str(main[AT.prefixForParsing]) ?? str(main[AT.nationalPrefix]);
  if (source === undefined) return undefined;
  const transform = str(main[AT.transformRule]);
  if (!source.includes('$')) {
    return { wholeNumber: undefined, prefix: DigitPattern.compile(source), regex: new RegExp(`^(?:${source})`), transform };
  }
  // The only anchored form in the metadata: "(X)$" or "(X)$|Y", X applying to the whole number.
  const close = source.startsWith('(') ? closingParen(source, 0) : -1;
  const rest = close === -1 ? '' : source.slice(close + 1);
  if (close === -1 || !(rest === '$' || rest.startsWith('$|')) || rest.slice(1).includes('$')) {
    throw new UnsupportedPatternError(`unsupported national prefix rule: ${source}`);
  }
  const whole = source.slice(1, close);
  const y = rest.slice(2);
  return {
    wholeNumber: DigitPattern.compile(whole),
    prefix: y === '' ? undefined : DigitPattern.compile(y),
    regex: new RegExp(`^(?:(${whole})(?!)${y === '' ? '' : `|${y}`})`),
    transform,
  };
}

const plans = new Map<string, CallingCodePlan | null>();

/** The patterns for a calling code, or null when the analysis cannot cover it. */
function planFor(callingCode: string): CallingCodePlan | null {
  let plan = plans.get(callingCode);
  if (plan === undefined) {
    try {
      const regions = regionsOf(callingCode);
      const main = regions[0];
      plan =
        main === undefined || json.version !== LAYOUT_VERSION
          ? null
          : { regions: regions.map(regionPatterns), prefixRule: prefixRule(main) };
    } catch (error) {
      if (!(error instanceof UnsupportedPatternError)) throw error;
      plan = null;
    }
    plans.set(callingCode, plan);
  }
  return plan;
}

function hasCallingCode(code: string): boolean {
  return json.country_calling_codes[code] !== undefined || json.nonGeographic?.[code] !== undefined;
}

const Verdict = {
  /** Every number with this prefix and length gets the same answer from the library. */
  Settled: 0,
  /** Might still depend on the next digits. */
  Deeper: 1,
  /** Not covered by the analysis: ask the library for every number. */
  Never: 2,
} as const;
type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** Whether `digits.slice(0, known)` settles the library's answer for numbers of this length. */
function examine(digits: string, known: number): Verdict {
  if (known === 0) return Verdict.Deeper;
  // extractCountryCallingCode: "+0…" has none; otherwise the shortest 1-3 digit calling code.
  if (digits.charCodeAt(0) === 48) return Verdict.Settled;
  let callingCode: string | undefined;
  for (let i = 1; i <= 3 && callingCode === undefined; i++) {
    if (i > known) return Verdict.Deeper;
    if (hasCallingCode(digits.slice(0, i))) callingCode = digits.slice(0, i);
  }
  if (callingCode === undefined) return Verdict.Settled;
  const plan = planFor(callingCode);
  if (plan === null) return Verdict.Never;

  const unknown = digits.length - known;
  const national = digits.slice(callingCode.length, known);
  const candidates = [national];
  const rule = plan.prefixRule;
  if (rule !== undefined) {
    if (rule.wholeNumber !== undefined) {
      const whole = rule.wholeNumber.decideFull(national, unknown);
      if (whole === Decision.True) return Verdict.Never;
      if (whole === Decision.Open) return Verdict.Deeper;
    }
    if (rule.prefix !== undefined) {
      if (!rule.prefix.settledWithin(national)) return Verdict.Deeper;
      const m = rule.regex.exec(national);
      if (m !== null) {
        candidates.push(national.slice(m[0].length));
        if (rule.transform !== undefined) candidates.push(national.replace(rule.regex, rule.transform));
      }
    }
  }
  for (const candidate of candidates) {
    if (/\D/.test(candidate)) return Verdict.Never;
    for (const region of plan.regions) {
      for (const p of region.full) if (p.decideFull(candidate, unknown) === Decision.Open) return Verdict.Deeper;
      if (region.leading?.decidePrefix(candidate, unknown) === Decision.Open) return Verdict.Deeper;
    }
  }
  return Verdict.Settled;
}

const UNEXAMINED = 0;
const OPEN = 1;
const VALID = 2;
const INVALID = 3;
const UNCOVERED = 4;

interface TrieNode {
  state: number;
  children: Array<TrieNode | undefined> | undefined;
}

/** Bound on remembered prefixes (a few MB); the trie is dropped and regrown when it is reached. */
const MAX_NODES = 20_000;
let roots: Array<TrieNode | undefined> = [];
let nodes = 0;

function newNode(): TrieNode {
  nodes++;
  return { state: UNEXAMINED, children: undefined };
}

/** Exact memo of the library's answers for numbers asked directly (repeated numbers in a column). */
const asked = new Map<string, boolean>();
const ASKED_LIMIT = 4096;

let libraryCalls = 0;

function askLibrary(digits: string): boolean {
  let valid = asked.get(digits);
  if (valid === undefined) {
    libraryCalls++;
    valid = parsePhoneNumberFromString(`+${digits}`)?.isValid() === true;
    if (asked.size >= ASKED_LIMIT) asked.clear();
    asked.set(digits, valid);
  }
  return valid;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The ASCII digits of `text` after its first `skip` digits. */
function digitsOf(text: string, skip: number): string {
  const all = /^\d*$/.test(text) ? text : text.replace(/\D/g, '');
  return skip === 0 ? all : all.slice(skip);
}

/**
 * libphonenumber-js's `parsePhoneNumberFromString("+" + digits)?.isValid() === true`, where
 * `digits` are the ASCII digits of `text` after its first `skip` (separators are ignored, so a
 * formatted candidate needs no stripping when its prefix is already known).
 */
export function isValidInternationalNumber(text: string, skip = 0): boolean {
  let length = -skip;
  for (let k = 0; k < text.length; k++) if (isDigit(text.charCodeAt(k))) length++;
  if (length <= 0) return askLibrary(digitsOf(text, skip));
  if (nodes >= MAX_NODES) {
    roots = [];
    nodes = 0;
  }
  let node: TrieNode | undefined = roots[length];
  if (node === undefined) {
    node = newNode();
    roots[length] = node;
  }
  let pos = 0;
  for (let toSkip = skip; toSkip > 0; pos++) if (isDigit(text.charCodeAt(pos))) toSkip--;
  for (let i = 0; ; i++) {
    switch (node.state) {
      case VALID:
        return true;
      case INVALID:
        return false;
      case UNCOVERED:
        return askLibrary(digitsOf(text, skip));
      case UNEXAMINED: {
        const digits = digitsOf(text, skip);
        const verdict = examine(digits, i);
        const valid = askLibrary(digits);
        node.state = verdict === Verdict.Settled ? (valid ? VALID : INVALID) : verdict === Verdict.Never ? UNCOVERED : OPEN;
        return valid;
      }
      default: {
        if (i >= length) return askLibrary(digitsOf(text, skip));
        let c = text.charCodeAt(pos++);
        while (!isDigit(c)) c = text.charCodeAt(pos++);
        const children: Array<TrieNode | undefined> = (node.children ??= new Array<TrieNode | undefined>(10));
        let child: TrieNode | undefined = children[c - 48];
        if (child === undefined) {
          child = newNode();
          children[c - 48] = child;
        }
        node = child;
      }
    }
  }
}

/** For tests and benchmarks: how often the library itself was asked, how many prefixes are kept. */
export function phoneValidityStats(): { libraryCalls: number; prefixes: number } {
  return { libraryCalls, prefixes: nodes };
}

/** For tests: forget every remembered prefix and answer. */
export function resetPhoneValidityCache(): void {
  roots = [];
  nodes = 0;
  asked.clear();
  libraryCalls = 0;
}
