import { currentYear, dateKey, isRealDate, latestDateKey } from './calendar';
import { type TextProfile } from './text-profile';

/**
 * Date-like values for DATE_OF_BIRTH. A date is personal data as a birth date only because the
 * column says so, so this validator is used only with column-name context (see column-context.ts).
 *
 * Accepted, as the whole value: ISO 8601 calendar dates (1985-03-12, 19850312, optionally with a
 * time, as database exports write them), year-first with "/" or ".", day-first and month-first
 * numeric dates (12.03.1985, 03/12/1985, 12-03-85: either reading may be the valid one), CJK
 * dates (1985年3月12日) and English month names (12 March 1985, Mar 12, 1985, 12-Mar-1985).
 * The date must be a real calendar day, not in the future, and not before 1880 (no one alive
 * today, nor plausibly in a dataset, was born earlier).
 */

const MIN_BIRTH_YEAR = 1880;

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
};

const TIME_SUFFIX = '(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?';
const YEAR_FIRST = new RegExp(`^(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})${TIME_SUFFIX}$`);
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const DAY_OR_MONTH_FIRST = new RegExp(`^(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4}|\\d{2})${TIME_SUFFIX}$`);
const CJK = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/;
const DAY_MONTH_NAME = /^(\d{1,2})(?:st|nd|rd|th)?[\s\-./]+([A-Za-z]{3,9})\.?[\s\-./,]+(\d{4})$/;
const MONTH_NAME_DAY = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/;

/** Every accepted form has at least four ASCII digits (day, month and a two-digit year). */
export function dateOfBirthApplies(p: TextProfile): boolean {
  return p.digits >= 4 && p.length >= 6;
}

/** Two-digit years: the most recent year with those digits that is not in the future. */
function fullYear(text: string, now?: Date): number {
  if (text.length === 4) return Number(text);
  const yy = Number(text);
  const current = currentYear(now);
  const century = Math.floor(current / 100) * 100;
  return century + yy > current ? century - 100 + yy : century + yy;
}

function plausible(year: number, month: number, day: number, now?: Date): boolean {
  return year >= MIN_BIRTH_YEAR && isRealDate(year, month, day) && dateKey(year, month, day) <= latestDateKey(now);
}

function digitAt(v: string, i: number): number {
  const d = v.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/**
 * The commonest form, yyyy-mm-dd (or with "/" or "."; one-digit month or day), read by hand:
 * what YEAR_FIRST would capture from it as yyyy·10⁴ + m·10² + d, or -1 when `v` is not exactly
 * that.
 */
function readYearFirst(v: string): number {
  const n = v.length;
  if (n < 8 || n > 10) return -1;
  const y0 = digitAt(v, 0);
  const y1 = digitAt(v, 1);
  const y2 = digitAt(v, 2);
  const y3 = digitAt(v, 3);
  const sep = v.charCodeAt(4);
  if (y0 < 0 || y1 < 0 || y2 < 0 || y3 < 0 || (sep !== 45 && sep !== 47 && sep !== 46)) return -1;
  let i = 5;
  let month = digitAt(v, i++);
  if (month < 0) return -1;
  if (digitAt(v, i) >= 0) month = month * 10 + digitAt(v, i++);
  if (v.charCodeAt(i++) !== sep) return -1;
  let day = digitAt(v, i++);
  if (day < 0) return -1;
  if (i < n && digitAt(v, i) >= 0) day = day * 10 + digitAt(v, i++);
  if (i !== n) return -1;
  return (y0 * 1000 + y1 * 100 + y2 * 10 + y3) * 10000 + month * 100 + day;
}

/** True when the whole (trimmed) value reads as a plausible birth date. */
export function isBirthDateLike(value: string, now?: Date): boolean {
  const v = value.trim();
  if (v.length < 6 || v.length > 40) return false;
  const ymd = readYearFirst(v);
  if (ymd >= 0) return plausible(Math.floor(ymd / 10000), Math.floor(ymd / 100) % 100, ymd % 100, now);
  let m = YEAR_FIRST.exec(v) ?? COMPACT.exec(v);
  if (m !== null) {
    const [year, month, day] = m.length === 4 ? [m[1], m[2], m[3]] : [m[1], m[3], m[4]];
    return plausible(Number(year), Number(month), Number(day), now);
  }
  m = DAY_OR_MONTH_FIRST.exec(v);
  if (m !== null) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const year = fullYear(m[4] ?? '', now);
    return plausible(year, b, a, now) || plausible(year, a, b, now);
  }
  m = CJK.exec(v);
  if (m !== null) return plausible(Number(m[1]), Number(m[2]), Number(m[3]), now);
  m = DAY_MONTH_NAME.exec(v);
  if (m !== null) {
    const month = MONTHS[(m[2] ?? '').toLowerCase()];
    return month !== undefined && plausible(Number(m[3]), month, Number(m[1]), now);
  }
  m = MONTH_NAME_DAY.exec(v);
  if (m !== null) {
    const month = MONTHS[(m[1] ?? '').toLowerCase()];
    return month !== undefined && plausible(Number(m[3]), month, Number(m[2]), now);
  }
  return false;
}
