/** Proleptic Gregorian calendar checks shared by the CN resident-ID and date-of-birth validators. */

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when year-month-day names a real calendar day (no 30 February, no 31 April). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= max;
}

/** `yyyymmdd` as a number, comparable with `<`. */
export function dateKey(year: number, month: number, day: number): number {
  return year * 10000 + month * 100 + day;
}

const ONE_DAY_MS = 86_400_000;
const CACHE_MS = 60_000;
let cached = { key: 0, year: 0, until: 0 };

function keyFor(now: Date): number {
  const t = new Date(now.getTime() + ONE_DAY_MS);
  return dateKey(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The clock's values, recomputed at most once a minute: this runs for every date-like cell. */
function fromClock(): { key: number; year: number } {
  const ms = Date.now();
  if (ms >= cached.until) {
    const now = new Date(ms);
    cached = { key: keyFor(now), year: now.getUTCFullYear(), until: ms + CACHE_MS };
  }
  return cached;
}

/**
 * The latest `yyyymmdd` that is not in the future anywhere on Earth: today in UTC plus one day,
 * because UTC+14 is already a day ahead (a child born there "tomorrow" UTC is not a typo).
 */
export function latestDateKey(now?: Date): number {
  return now === undefined ? fromClock().key : keyFor(now);
}

/** The current year in UTC. */
export function currentYear(now?: Date): number {
  return now === undefined ? fromClock().year : now.getUTCFullYear();
}
