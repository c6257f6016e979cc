import type { Delimiter } from './ingest-options';
import { IngestError } from './ingest.error';

/** `\n` covers LF and CRLF files (a CR right before the LF is dropped); `\r` is for classic-Mac files. */
export type LineBreak = '\n' | '\r';

export interface ReaderOptions {
  delimiter: Delimiter;
  lineBreak: LineBreak;
  /** Drop spaces and tabs around fields (always, for the whitespace delimiter). */
  trim: boolean;
  maxRecordChars: number;
  /** Fields beyond this many (+1) are counted but not kept. */
  maxFields: number;
  /** Physical line number of the first character pushed. */
  firstLine: number;
}

/** One record as text fields; `fieldCount` is exact even when `fields` was cut at maxFields + 1. */
export interface RawRecord {
  fields: string[];
  fieldCount: number;
  /** 1-based physical line where the record starts. */
  line: number;
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const WHITESPACE_RUN = /[ \t]+/;
/** The parser needs more text before it can finish the current record. */
const MORE = -1;

const isBlank = (code: number) => code === SPACE || code === TAB;

/**
 * An RFC 4180 tokenizer over decoded text, fed chunk by chunk. Quote-free lines (most of them)
 * take a fast path through `String#split`; records with quotes are scanned character by character
 * and may span lines. Quotes inside an unquoted field are kept literally, as most readers do.
 * Memory is bounded by maxRecordChars: an unfinished record longer than that fails at once.
 */
export class DelimitedReader {
  private carry = '';
  private line: number;
  private readonly whitespace: boolean;
  private readonly trim: boolean;
  private readonly separator: string;
  private readonly separatorCode: number;
  private readonly breakCode: number;
  private readonly crlf: boolean;
  /** Line of an open quote in the unfinished record, for a helpful RECORD_TOO_LARGE. */
  private openQuoteLine: number | undefined;

  constructor(private readonly options: ReaderOptions) {
    this.line = options.firstLine;
    this.whitespace = options.delimiter === 'whitespace';
    this.trim = options.trim || this.whitespace;
    this.separator = this.whitespace ? ' ' : options.delimiter;
    this.separatorCode = this.separator.charCodeAt(0);
    this.breakCode = options.lineBreak.charCodeAt(0);
    this.crlf = options.lineBreak === '\n';
  }

  /** Parses as many whole records as `text` completes; `final` marks the end of the input. */
  push(text: string, final: boolean): RawRecord[] {
    const buf = this.carry.length === 0 ? text : this.carry + text;
    this.carry = '';
    this.openQuoteLine = undefined;
    const records: RawRecord[] = [];
    const length = buf.length;
    let pos = 0;
    let quote = -2;
    while (pos < length) {
      const lineBreak = buf.indexOf(this.options.lineBreak, pos);
      if (lineBreak === -1 && !final) break;
      const lineEnd = lineBreak === -1 ? length : lineBreak;
      if (quote !== -1 && quote < pos) quote = buf.indexOf('"', pos);
      if (quote === -1 || quote >= lineEnd) {
        if (lineEnd - pos > this.options.maxRecordChars) throw this.tooLarge(this.line);
        let end = lineEnd;
        if (this.crlf && end > pos && buf.charCodeAt(end - 1) === CR) end--;
        this.simpleRecord(buf.slice(pos, end), records);
        this.line++;
        pos = lineEnd + 1;
        continue;
      }
      const next = this.quotedRecord(buf, pos, final, records);
      if (next === MORE) break;
      pos = next;
    }
    if (pos < length) {
      if (length - pos > this.options.maxRecordChars) throw this.tooLarge(this.line);
      this.carry = buf.slice(pos);
    }
    return records;
  }

  private simpleRecord(text: string, records: RawRecord[]): void {
    let fields: string[];
    let fieldCount: number;
    const limit = this.options.maxFields + 1;
    if (this.whitespace) {
      const trimmed = trimBlanks(text);
      if (trimmed.length === 0) return;
      fields = trimmed.split(WHITESPACE_RUN, limit);
      fieldCount = fields.length < limit ? fields.length : countMatches(trimmed, /[ \t]+/g) + 1;
    } else {
      if (text.length === 0 || (this.trim && trimBlanks(text).length === 0)) return;
      fields = text.split(this.separator, limit);
      fieldCount = fields.length < limit ? fields.length : countOccurrences(text, this.separator) + 1;
      if (this.trim) {
        for (let i = 0; i < fields.length; i++) fields[i] = trimBlanks(fields[i]!);
      }
    }
    records.push({ fields, fieldCount, line: this.line });
  }

  /** Scans one record that contains a quote; returns the position after it, or MORE. */
  private quotedRecord(buf: string, start: number, final: boolean, records: RawRecord[]): number {
    const length = buf.length;
    const limit = this.options.maxFields + 1;
    const fields: string[] = [];
    let fieldCount = 0;
    let breaks = 0;
    let i = start;
    for (;;) {
      if (this.trim) while (i < length && isBlank(buf.charCodeAt(i))) i++;
      let value: string;
      if (buf.charCodeAt(i) === QUOTE) {
        const quoteLine = this.line + breaks;
        value = '';
        let segment = i + 1;
        for (;;) {
          const close = buf.indexOf('"', segment);
          if (close === -1 || (close + 1 === length && !final)) {
            if (close === -1 && final) {
              throw new IngestError('DATASET_UNTERMINATED_QUOTE', `A quote opened on line ${quoteLine} never closes.`, { line: quoteLine });
            }
            this.openQuoteLine = quoteLine;
            return MORE;
          }
          if (buf.charCodeAt(close + 1) === QUOTE) {
            value += buf.slice(segment, close + 1);
            segment = close + 2;
            continue;
          }
          value += buf.slice(segment, close);
          i = close + 1;
          break;
        }
        breaks += countOccurrences(value, this.options.lineBreak);
        const afterQuote = i;
        if (this.trim) while (i < length && isBlank(buf.charCodeAt(i))) i++;
        if (i === length && !final) return MORE;
        const code = buf.charCodeAt(i);
        const separated = this.whitespace ? i > afterQuote : code === this.separatorCode;
        if (i < length && !separated && this.terminator(buf, i, final) === 0) {
          throw new IngestError('DATASET_MALFORMED', `Unexpected text after a closing quote on line ${this.line + breaks}.`, {
            line: this.line + breaks,
            reason: 'text-after-quote',
          });
        }
      } else {
        let j = i;
        for (; j < length; j++) {
          const code = buf.charCodeAt(j);
          if (code === this.breakCode || (this.crlf && code === CR && this.terminator(buf, j, final) !== 0)) break;
          if (this.whitespace ? isBlank(code) : code === this.separatorCode) break;
        }
        if (j === length && !final) return MORE;
        value = buf.slice(i, j);
        if (this.trim) value = trimBlanks(value);
        i = j;
      }
      if (fieldCount < limit) fields.push(value);
      fieldCount++;
      if (this.whitespace) while (i < length && isBlank(buf.charCodeAt(i))) i++;
      if (i >= length) {
        if (!final) return MORE;
        break;
      }
      const terminator = this.terminator(buf, i, final);
      if (terminator === MORE) return MORE;
      if (terminator > 0) {
        i += terminator;
        break;
      }
      if (!this.whitespace) i++; // past the separator
      if (i === length && !final) return MORE;
    }
    if (i - start > this.options.maxRecordChars) throw this.tooLarge(this.line);
    records.push({ fields, fieldCount, line: this.line });
    this.line += 1 + breaks;
    return i;
  }

  /** Length of the record terminator at i (1 or 2), 0 if none, MORE if a CR ends the text. */
  private terminator(buf: string, i: number, final: boolean): number {
    const code = buf.charCodeAt(i);
    if (code === this.breakCode) return 1;
    if (!this.crlf || code !== CR) return 0;
    if (i + 1 === buf.length) return final ? 1 : MORE;
    return buf.charCodeAt(i + 1) === LF ? 2 : 0;
  }

  private tooLarge(line: number): IngestError {
    const limit = this.options.maxRecordChars;
    const quoteLine = this.openQuoteLine;
    const hint = quoteLine === undefined ? '' : ` (a quote opened on line ${quoteLine} is still open)`;
    return new IngestError('DATASET_RECORD_TOO_LARGE', `The record starting on line ${line} exceeds ${limit} characters${hint}.`, {
      line,
      limit,
      ...(quoteLine === undefined ? {} : { quoteLine }),
    });
  }
}

/** Trims spaces and tabs only: other whitespace (NBSP, form feed) is data. */
export function trimBlanks(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isBlank(value.charCodeAt(start))) start++;
  while (end > start && isBlank(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) count++;
  return count;
}

function countMatches(text: string, pattern: RegExp): number {
  let count = 0;
  pattern.lastIndex = 0;
  while (pattern.exec(text) !== null) count++;
  return count;
}

export type LineBreakStyle = 'lf' | 'crlf' | 'cr';

/**
 * The file's line break: the first one outside quotes (as csv-parse decides); undefined while
 * more text is needed to tell. Files without any count as LF.
 */
export function detectLineBreak(text: string, final: boolean): { lineBreak: LineBreak; style: LineBreakStyle } | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE && opensField(text, i)) {
      i = closingQuote(text, i);
      if (i === -1) return final ? { lineBreak: '\n', style: 'lf' } : undefined;
    } else if (code === LF) return { lineBreak: '\n', style: 'lf' };
    else if (code === CR) {
      if (i + 1 === text.length && !final) return undefined;
      return text.charCodeAt(i + 1) === LF ? { lineBreak: '\n', style: 'crlf' } : { lineBreak: '\r', style: 'cr' };
    }
  }
  return final ? { lineBreak: '\n', style: 'lf' } : undefined;
}

/**
 * Whether the quote at `i` opens a quoted field whatever the delimiter: it starts the text or a
 * line, or follows a candidate delimiter or blanks. A quote inside a value (`5'10"`) does not,
 * matching how DelimitedReader reads it.
 */
export function opensField(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && isBlank(text.charCodeAt(j))) j--;
  if (j < 0 || j < i - 1) return true;
  const code = text.charCodeAt(j);
  return code === LF || code === CR || code === 44 || code === 59 || code === TAB || code === 124; // , ; \t |
}

/** Index of the quote closing the field opened at `open` (doubled quotes skipped), or -1. */
export function closingQuote(text: string, open: number): number {
  for (let i = text.indexOf('"', open + 1); i !== -1; i = text.indexOf('"', i + 2)) {
    if (text.charCodeAt(i + 1) !== QUOTE) return i;
  }
  return -1;
}
