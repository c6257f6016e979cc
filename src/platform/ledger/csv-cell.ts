import { stringify } from 'csv-stringify/sync';

/**
 * OWASP "CSV Injection": a spreadsheet evaluates a cell that begins with = + - @, a tab or a
 * carriage return as a formula (DDE payloads such as `=cmd|' /C calc'!A0`). Apple Numbers also
 * treats the full-width forms ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20) that way.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/**
 * The cell as text a spreadsheet shows instead of evaluating: a single quote before a formula
 * trigger. A value that already begins with a quote gets one more, so that removing exactly one
 * leading quote (unescapeCsvFormula) restores every value, whatever it was. RFC 4180 quoting is
 * applied afterwards, by the CSV writer.
 */
export function escapeCsvFormula(value: string): string {
  const first = value.charAt(0);
  return FORMULA_TRIGGERS.has(first) || first === "'" ? `'${value}` : value;
}

/** The inverse of escapeCsvFormula. */
export function unescapeCsvFormula(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/**
 * RFC 4180 records: CRLF after each record; a field is quoted when it holds a comma, a double
 * quote (doubled inside), CR or LF. Every cell goes through escapeCsvFormula first.
 */
export function csvRecords(rows: readonly (readonly string[])[]): string {
  return stringify(
    rows.map((row) => row.map(escapeCsvFormula)),
    // csv-stringify stops quoting lone CR and LF once a record delimiter is given, unless told to.
    { record_delimiter: '\r\n', quote_record_delimiter: true },
  );
}
