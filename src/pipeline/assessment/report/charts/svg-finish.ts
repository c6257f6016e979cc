/**
 * Finishes Vega's SVG for embedding and for screen readers:
 * - `role="img"` with a `<title>` and `<desc>` referenced by `aria-labelledby` (the SVG-AAM 1.0
 *   text alternative; WCAG 2.2 technique ARIA10);
 * - every `id` renamed `<chart>-d<n>` in order of appearance. Vega numbers clip paths and
 *   gradients from process-wide counters, so the same chart would otherwise differ between
 *   renders, and two charts inlined in one HTML page could point at each other's clip paths.
 */
import { escapeHtml } from '../escape-markup';
import { ReportError } from '../report.error';

export function finishSvg(svg: string, name: string, title: string, description: string): string {
  const ids = new Map<string, string>();
  for (const match of svg.matchAll(/\sid="([^"]*)"/g)) {
    const id = match[1] as string;
    if (!ids.has(id)) ids.set(id, `${name}-d${ids.size + 1}`);
  }
  const renamed = svg
    .replace(/(\sid=")([^"]*)(")/g, (_, open: string, id: string, close: string) => `${open}${ids.get(id) ?? id}${close}`)
    .replace(/url\(#([^)]*)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : whole))
    .replace(/(href=")#([^"]*)(")/g, (whole, open: string, id: string, close: string) => (ids.has(id) ? `${open}#${ids.get(id)}${close}` : whole));
  const rootEnd = renamed.indexOf('>');
  if (!renamed.startsWith('<svg') || rootEnd < 0 || renamed[rootEnd - 1] === '/')
    throw new ReportError('REPORT_CHART_RENDER_FAILED', 'Vega did not return an SVG document', { chart: name });
  const titleId = `${name}-title`;
  const descId = `${name}-desc`;
  const root = renamed.slice(0, rootEnd);
  return (
    `${root} role="img" aria-labelledby="${titleId} ${descId}">` +
    `<title id="${titleId}">${escapeHtml(title)}</title><desc id="${descId}">${escapeHtml(description)}</desc>` +
    renamed.slice(rootEnd + 1)
  );
}
