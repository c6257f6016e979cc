import {
  findCnResidentIds,
  findLegacyCnResidentIds,
  cnLegacyResidentIdApplies,
  cnResidentIdApplies,
} from './cn-resident-id.recognizer';
import { dateOfBirthApplies, isBirthDateLike } from './date-of-birth';
import { emailApplies, findEmails } from './email.recognizer';
import { type ChecksumTally, type EntityType, type Finding } from './entity-types';
import { findIbans, ibanApplies } from './iban.recognizer';
import { findIpAddresses, ipAddressApplies } from './ip-address.recognizer';
import { findMacAddresses, macAddressApplies } from './mac-address.recognizer';
import { findPaymentCards, paymentCardApplies } from './payment-card.recognizer';
import { isPersonNameLike, personNameApplies } from './person-name';
import { findPhoneNumbers, phoneNumberApplies } from './phone-number.recognizer';
import { emptyProfile, profileInto, type TextProfile } from './text-profile';
import { findUsSsns, usSsnApplies } from './us-ssn.recognizer';

export interface RecognizeOptions {
  /**
   * Entity types the value's column name points to. Enables the context-only recognisers
   * (DATE_OF_BIRTH, PERSON, legacy 15-digit CN ids); scores are not changed here, the column
   * scanner weighs context itself.
   */
  context?: ReadonlySet<EntityType>;
  /** Receives checksum outcomes of structurally valid candidates (see ChecksumTally). */
  tally?: ChecksumTally;
  /** "Today", for birth-date plausibility; defaults to the clock. */
  now?: Date;
}

export const CONTEXT_ONLY_SCORES = { DATE_OF_BIRTH: 0.7, PERSON: 0.6 } as const;

/**
 * Words that, shortly before a weakly evidenced match, make it much more likely (Presidio's
 * context enhancement does the same with +0.35). Only the types whose validators are weak get a
 * boost: a checksum-validated IBAN does not need the word "IBAN" in front of it.
 */
const CONTEXT_WORDS: Partial<Record<EntityType, RegExp>> = {
  US_SSN: /\b(?:ssns?|social\s+security|soc\.?\s*sec|ss#)/i,
  PHONE_NUMBER: /\b(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|contact)\b|电话|手机|電話/i,
  CREDIT_CARD: /\b(?:card|credit|debit|visa|mastercard|amex|cc|pan)\b|信用卡|卡号/i,
};
const CONTEXT_BOOST = 0.35;
const CONTEXT_WINDOW = 48;

/**
 * Finds personal data in one value (a cell, or any free text), in text order. Findings of one type
 * never overlap, and a span inside a better span of another type is dropped (an IBAN's digit
 * groups are not also a card number); see resolveOverlaps.
 */
export function recognizeValue(value: string, options: RecognizeOptions = {}): Finding[] {
  if (value.length === 0) return [];
  return recognizeProfiled(value, profileInto(value, scratch), options);
}

/** Reused by recognizeValue: profiling allocates nothing (recognition is synchronous). */
const scratch = emptyProfile();

/**
 * Whether any recogniser could find something in a value with profile `p` under `context`. When
 * it is false, recognizeProfiled returns no findings and reports no checksum outcomes.
 */
export function anyRecognizerApplies(p: TextProfile, context: ReadonlySet<EntityType> | undefined): boolean {
  if (p.length === 0) return false;
  if (emailApplies(p) || ibanApplies(p) || ipAddressApplies(p) || macAddressApplies(p)) return true;
  if (p.digits > 0 && !p.plainNumber && p.maxDigitRun >= 7) return true;
  if (context === undefined || context.size === 0) return false;
  return (context.has('DATE_OF_BIRTH') && dateOfBirthApplies(p)) || (context.has('PERSON') && personNameApplies(p));
}

/**
 * Whether recognising the value may read the clock ("today" for birth dates and resident ids), so
 * that its findings may change from one day to the next when no fixed `now` is given.
 */
export function readsClock(p: TextProfile, value: string, context: ReadonlySet<EntityType> | undefined): boolean {
  if (context?.has('DATE_OF_BIRTH') === true && dateOfBirthApplies(p)) return true;
  if (p.digits === 0 || p.plainNumber) return false;
  return cnResidentIdApplies(p, value) || (context?.has('CN_RESIDENT_ID') === true && cnLegacyResidentIdApplies(p));
}

/** recognizeValue for a value already profiled (`p` must be its profile). */
export function recognizeProfiled(value: string, p: TextProfile, options: RecognizeOptions = {}): Finding[] {
  if (value.length === 0) return [];
  const found: Finding[] = [];
  const { tally, now, context } = options;

  if (emailApplies(p)) findEmails(value, found, p);
  if (ibanApplies(p)) findIbans(value, found, tally);
  if (p.digits > 0 && !p.plainNumber) {
    if (cnResidentIdApplies(p, value)) findCnResidentIds(value, found, { tally, now });
    if (paymentCardApplies(p)) findPaymentCards(value, found, tally);
    if (usSsnApplies(p, value)) findUsSsns(value, found);
    if (phoneNumberApplies(p)) findPhoneNumbers(value, found, p);
    if (context?.has('CN_RESIDENT_ID') === true && cnLegacyResidentIdApplies(p))
      findLegacyCnResidentIds(value, found, now);
  }
  if (ipAddressApplies(p)) findIpAddresses(value, found);
  if (macAddressApplies(p)) findMacAddresses(value, found);

  if (context !== undefined && context.size > 0) addContextOnly(value, p, context, found, now);
  if (found.length === 0) return found;
  if (p.letters > 0 || p.nonAscii) boostByNearbyWords(value, found);
  return resolveOverlaps(found);
}

function addContextOnly(
  value: string,
  p: TextProfile,
  context: ReadonlySet<EntityType>,
  found: Finding[],
  now?: Date,
): void {
  const dob = context.has('DATE_OF_BIRTH') && dateOfBirthApplies(p);
  const person = context.has('PERSON') && personNameApplies(p);
  if (!dob && !person) return;
  const start = value.length - value.trimStart().length;
  const end = value.trimEnd().length;
  if (end <= start) return;
  const trimmed = start === 0 && end === value.length ? value : value.slice(start, end);
  if (dob && isBirthDateLike(trimmed, now)) {
    found.push({ entity: 'DATE_OF_BIRTH', start, end, score: CONTEXT_ONLY_SCORES.DATE_OF_BIRTH });
  }
  if (person && isPersonNameLike(trimmed)) {
    found.push({ entity: 'PERSON', start, end, score: CONTEXT_ONLY_SCORES.PERSON });
  }
}

function boostByNearbyWords(value: string, found: Finding[]): void {
  for (const f of found) {
    if (f.start === 0) continue;
    const words = CONTEXT_WORDS[f.entity];
    if (words === undefined) continue;
    if (words.test(value.slice(Math.max(0, f.start - CONTEXT_WINDOW), f.start))) {
      f.score = Math.min(0.99, Math.round((f.score + CONTEXT_BOOST) * 100) / 100);
    }
  }
}

/**
 * Same type, overlapping spans: one thing found twice (an IPv4 inside an IPv4-mapped IPv6
 * address) — keep the better. Different types: a span strictly inside a better-scored span of
 * another type is an artefact of it (card-like digit groups inside an IBAN, a phone-like run in an
 * e-mail's local part) and goes; equal or crossing spans of different types are genuinely
 * ambiguous ("078-051121" is a weakly evidenced SSN and a valid German number) and both stay,
 * each with its own score, as Presidio's analyzer also returns them.
 */
function resolveOverlaps(found: Finding[]): Finding[] {
  if (found.length === 1) return found;
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  // Overlaps only matter within clusters of mutually overlapping spans, which are small: resolve
  // each cluster on its own so that a long text with thousands of findings stays linear.
  const out: Finding[] = [];
  let cluster: Finding[] = [];
  let clusterEnd = -1;
  for (const f of found) {
    if (f.start >= clusterEnd && cluster.length > 0) {
      resolveCluster(cluster, out);
      cluster = [];
    }
    cluster.push(f);
    clusterEnd = Math.max(clusterEnd, f.end);
  }
  resolveCluster(cluster, out);
  return out;
}

function resolveCluster(cluster: Finding[], out: Finding[]): void {
  if (cluster.length === 1) {
    out.push(cluster[0] as Finding);
    return;
  }
  const ranked = [...cluster].sort(
    (a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Finding[] = [];
  for (const f of ranked) {
    const beaten = kept.some((k) => {
      if (f.end <= k.start || k.end <= f.start) return false;
      if (k.entity === f.entity) return true;
      return k.start <= f.start && f.end <= k.end && k.end - k.start > f.end - f.start;
    });
    if (!beaten) kept.push(f);
  }
  kept.sort((a, b) => a.start - b.start || a.end - b.end);
  for (const f of kept) out.push(f);
}
