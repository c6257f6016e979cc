/**
 * Safe-by-construction HTML: the `html` tag escapes every interpolated string or number with the
 * report library's `escapeHtml`, and inserts only `Markup` (built by this tag) unescaped. Arrays
 * are joined; null, undefined and false render nothing.
 */
import { escapeHtml } from '../../../../pipeline/assessment/report';

export class Markup {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

export type Interpolation = Markup | string | number | null | undefined | false | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.markup;
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Markup(out);
}
