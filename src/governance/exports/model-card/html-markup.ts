/**
 * Markup that cannot forget to escape, for the model card page: `html\`…\`` escapes every
 * interpolated string and number with the report library's `escapeHtml` and passes through only
 * values already built as `Markup`. The one way in for unescaped text is `chartSvg`, for the SVG
 * the report's chart renderer produced (Vega escapes the text it writes), and nothing else.
 */
import { escapeHtml } from '../../../pipeline/assessment/report';

export class Markup {
  constructor(readonly text: string) {}
}

export type Interpolation = Markup | string | number | null | readonly Markup[];

function piece(value: Interpolation): string {
  if (value === null) return '';
  if (value instanceof Markup) return value.text;
  if (typeof value === 'string' || typeof value === 'number') return escapeHtml(String(value));
  return value.map((part) => part.text).join('');
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let text = strings[0] as string;
  values.forEach((value, i) => {
    text += piece(value) + (strings[i + 1] as string);
  });
  return new Markup(text);
}

/**
 * A chart's SVG from `renderChart`, for inlining in HTML. The root's `xmlns` declarations are
 * dropped (the HTML parser puts `<svg>` in the SVG namespace itself), so the page names no URL.
 */
export function chartSvg(svg: string): Markup {
  const rootEnd = svg.indexOf('>');
  const root = svg.slice(0, rootEnd).replace(/\sxmlns(?::\w+)?="[^"]*"/g, '');
  return new Markup(root + svg.slice(rootEnd));
}
