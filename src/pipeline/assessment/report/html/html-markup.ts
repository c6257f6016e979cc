/**
 * Markup that cannot forget to escape: `html\`…\`` escapes every interpolated string and number
 * (escapeHtml) and passes through only values already built as `Html`. Data reaches the page as
 * strings, so data is escaped by default; the only unescaped input is `trustedMarkup`, used for
 * the SVG the chart renderer produced (Vega escapes the text it writes) and nothing else.
 */
import { escapeHtml } from '../escape-markup';

export class Html {
  constructor(readonly markup: string) {}
}

export type Interpolation = Html | string | number | null | readonly Html[];

function piece(value: Interpolation): string {
  if (value === null) return '';
  if (value instanceof Html) return value.markup;
  if (typeof value === 'string' || typeof value === 'number') return escapeHtml(String(value));
  return value.map((part) => part.markup).join('');
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let markup = strings[0] as string;
  values.forEach((value, i) => {
    markup += piece(value) + (strings[i + 1] as string);
  });
  return new Html(markup);
}

/** Markup produced by this library's chart renderer. Never pass data through it. */
export function trustedMarkup(markup: string): Html {
  return new Html(markup);
}
