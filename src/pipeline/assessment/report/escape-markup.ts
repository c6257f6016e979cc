/**
 * The one escaping helper for text from report data (column names, group values, dataset names
 * and digests may be hostile) placed into HTML or SVG, in element content or in a double- or
 * single-quoted attribute value. HTML Living Standard §13.1 and XML 1.0 §2.4: escaping `&`, `<`,
 * `>`, `"` and `'` leaves no way out of either context. Control characters other than tab, line
 * feed and carriage return are not allowed in XML and are dropped, so an SVG stays well-formed.
 */
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// eslint-disable-next-line no-control-regex -- the point is to remove control characters.
const DISALLOWED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;

export function escapeHtml(text: string): string {
  return String(text)
    .replace(DISALLOWED, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
