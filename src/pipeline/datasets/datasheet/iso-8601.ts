/**
 * ISO 8601 durations in the RFC 3339 Appendix A profile (the grammar JSON Schema's "duration"
 * format names; this is ajv-formats' own expression): P5Y, P18M, P1Y6M, P30D, PT12H, P2W.
 * Weeks stand alone and there are no fractions, so every accepted value means one thing.
 */
export const ISO_DURATION_PATTERN = '^P(?!$)((\\d+Y)?(\\d+M)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?|(\\d+W)?)$';
const ISO_DURATION = new RegExp(ISO_DURATION_PATTERN, 'u');

export const isIsoDuration = (text: string): boolean => ISO_DURATION.test(text);

/** ISO 8601 calendar date, extended format (RFC 3339 full-date): YYYY-MM-DD, and a day that exists. */
export const ISO_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isIsoCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/** Calendar dates in this format order the same as strings. */
export const isOnOrAfter = (later: string, earlier: string): boolean => later >= earlier;
