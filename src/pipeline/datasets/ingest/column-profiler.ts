import { createHash } from 'node:crypto';
import type { Cell, ColumnType, Row } from '../table';

export interface ValueCount {
  value: string;
  count: number;
}

interface ProfileBase {
  name: string;
  type: ColumnType;
  /** Present (non-missing) values. */
  count: number;
  missing: number;
  /** Distinct present values, compared as text; a lower bound when `distinctCapped`. */
  distinct: number;
  /** More than `TableProfile.distinctCap` distinct values: `distinct` reads "≥ cap". */
  distinctCapped: boolean;
}

export interface NumericProfile extends ProfileBase {
  type: 'numeric';
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n − 1); null below two values. */
  std: number | null;
}

export interface CategoricalProfile extends ProfileBase {
  type: 'categorical' | 'boolean';
  /**
   * Most frequent values, count descending then value ascending. Counts are exact; when the
   * distinct count is capped, values first seen after the cap are not ranked.
   */
  topValues: ValueCount[];
}

export interface DateProfile extends ProfileBase {
  type: 'date';
  /** Earliest and latest values as written. */
  min: string;
  max: string;
}

export type ColumnProfile = NumericProfile | CategoricalProfile | DateProfile;

export interface TableProfile {
  rowCount: number;
  skippedRowCount: number;
  /** Per-column distinct cap actually applied (lowered for very wide tables to bound memory). */
  distinctCap: number;
  columns: ColumnProfile[];
}

interface Tracked {
  count: number;
  /** The value as a number, NaN if it is not one (or was not parsed: the column was no longer numeric). */
  number: number;
}

export const TOP_VALUES = 10;
/** Distinct values tracked across all columns; wide tables get a lower per-column cap. */
const DISTINCT_BUDGET = 1_000_000;
const MIN_DISTINCT_CAP = 100;
/** Longer values are tracked by digest, so a few huge fields cannot exhaust memory. */
const MAX_TRACKED_CHARS = 256;

// ISO 8601 calendar date, optionally with a time and offset (RFC 3339 with a space allowed).
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['true', 'false'],
  ['yes', 'no'],
  ['1', '0'],
];

/**
 * Profiles one column in one pass and constant memory: exact counts, distinct values up to a
 * cap, Welford's running mean and variance while every value still parses as a number, and the
 * date range while every value is still an ISO date. The type is decided at the end.
 */
export class ColumnProfiler {
  private count = 0;
  private missing = 0;
  /**
   * Distinct values with their count and parsed number. A repeated value costs one lookup: its
   * number is reused and, being already seen, it cannot move the date range or break a type.
   */
  private readonly values = new Map<string, Tracked>();
  private capped = false;
  private numeric = true;
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private date = true;
  private minDate: [number, string] | undefined;
  private maxDate: [number, string] | undefined;

  constructor(
    private readonly name: string,
    private readonly distinctCap: number,
  ) {}

  add(cell: Cell): void {
    if (cell === null) {
      this.missing++;
      return;
    }
    this.count++;
    const key = cell.length > MAX_TRACKED_CHARS ? longValueKey(cell) : cell;
    const seen = this.values.get(key);
    if (seen !== undefined) {
      seen.count++;
      if (this.numeric) this.addNumber(seen.number);
      return;
    }
    const number = this.numeric ? parseDecimal(cell) : NaN;
    if (this.values.size < this.distinctCap) this.values.set(key, { count: 1, number });
    else this.capped = true;
    if (this.numeric) {
      if (Number.isNaN(number)) this.numeric = false;
      else this.addNumber(number);
    }
    if (this.date) this.addDate(cell);
  }

  result(): ColumnProfile {
    const base = { name: this.name, count: this.count, missing: this.missing, distinct: this.values.size, distinctCapped: this.capped };
    if (this.count === 0) return { ...base, type: 'categorical', topValues: [] };
    if (this.isBoolean()) return { ...base, type: 'boolean', topValues: this.topValues() };
    if (this.numeric) {
      const std = this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : null;
      return { ...base, type: 'numeric', min: this.min, max: this.max, mean: this.mean, std };
    }
    if (this.date) return { ...base, type: 'date', min: this.minDate![1], max: this.maxDate![1] };
    return { ...base, type: 'categorical', topValues: this.topValues() };
  }

  private addNumber(x: number): void {
    // Welford (1962): numerically stable running mean and sum of squared deviations.
    this.n++;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  private addDate(cell: string): void {
    const time = isoDateTime(cell);
    if (time === undefined) {
      this.date = false;
      return;
    }
    if (this.minDate === undefined || time < this.minDate[0]) this.minDate = [time, cell];
    if (this.maxDate === undefined || time > this.maxDate[0]) this.maxDate = [time, cell];
  }

  /** Only when every value (case aside) belongs to one pair: a column of 0s and 1s, of yes and no. */
  private isBoolean(): boolean {
    if (this.capped) return false;
    const seen = new Set([...this.values.keys()].map((value) => value.toLowerCase()));
    return seen.size <= 2 && BOOLEAN_PAIRS.some((pair) => [...seen].every((value) => pair.includes(value)));
  }

  private topValues(): ValueCount[] {
    return [...this.values]
      .map(([value, { count }]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, TOP_VALUES);
  }
}

/** Profiles every column of a streamed table. */
export class TableProfiler {
  readonly distinctCap: number;
  private readonly columns: ColumnProfiler[];

  constructor(names: readonly string[], distinctCap: number) {
    this.distinctCap = Math.min(distinctCap, Math.max(MIN_DISTINCT_CAP, Math.floor(DISTINCT_BUDGET / Math.max(1, names.length))));
    this.columns = names.map((name) => new ColumnProfiler(name, this.distinctCap));
  }

  add(row: Row): void {
    for (let i = 0; i < this.columns.length; i++) this.columns[i]!.add(row[i]!);
  }

  result(rowCount: number, skippedRowCount: number): TableProfile {
    return { rowCount, skippedRowCount, distinctCap: this.distinctCap, columns: this.columns.map((column) => column.result()) };
  }
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * A plain decimal (optional sign, digits with an optional point, optional exponent) as a finite
 * number, else NaN. Stricter than Number(): no hex, no Infinity, no blanks, no empty string.
 */
export function parseDecimal(text: string): number {
  const length = text.length;
  let i = 0;
  let code = text.charCodeAt(0);
  if (code === 43 || code === 45) code = text.charCodeAt(++i); // + -
  let digits = 0;
  while (code >= DIGIT_0 && code <= DIGIT_9) {
    digits++;
    code = text.charCodeAt(++i);
  }
  if (code === 46) {
    // .
    code = text.charCodeAt(++i);
    while (code >= DIGIT_0 && code <= DIGIT_9) {
      digits++;
      code = text.charCodeAt(++i);
    }
  }
  if (digits === 0) return NaN;
  if (code === 101 || code === 69) {
    // e E
    code = text.charCodeAt(++i);
    if (code === 43 || code === 45) code = text.charCodeAt(++i);
    let exponentDigits = 0;
    while (code >= DIGIT_0 && code <= DIGIT_9) {
      exponentDigits++;
      code = text.charCodeAt(++i);
    }
    if (exponentDigits === 0) return NaN;
  }
  if (i !== length) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/** Milliseconds since the epoch for a valid ISO date or date-time, else undefined. */
export function isoDateTime(value: string): number | undefined {
  // Cheap shape test first: most cells that reach here are not dates.
  if (value.length < 10 || value.length > 35 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return undefined;
  const match = DATE.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const zoneHours = Number(digits.slice(1, 3));
    const zoneMinutes = Number(digits.slice(3, 5));
    if (zoneHours > 23 || zoneMinutes > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const milliseconds = fraction === undefined ? 0 : Number(fraction) * 1000;
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + milliseconds;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant, "chrono-compatible low-level date algorithms"). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function longValueKey(value: string): string {
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 16);
  return `${value.slice(0, 64)}… [${value.length} chars, sha256 ${digest}]`;
}
