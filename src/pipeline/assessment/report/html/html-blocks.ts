/** The page's recurring blocks: data tables with header cells, chart figures, "not available" notes. */
import type { RenderedChart } from '../charts/chart.renderer';
import { html, trustedMarkup, type Html, type Interpolation } from './html-markup';

export type Cell = Interpolation;

export interface TableOptions {
  caption: Interpolation;
  /** Column headers (`<th scope="col">`). */
  head: readonly Cell[];
  /** Each row starts with its header cell (`<th scope="row">`). */
  rows: readonly (readonly [Cell, ...Cell[]])[];
  /** Right-align every column after the first (numbers). */
  numeric?: boolean;
}

export function table({ caption, head, rows, numeric = true }: TableOptions): Html {
  return html`<table${numeric ? html` class="numeric"` : null}><caption>${caption}</caption><thead><tr>${head.map(
    (cell) => html`<th scope="col">${cell}</th>`,
  )}</tr></thead><tbody>${rows.map(
    ([first, ...rest]) =>
      html`<tr>
        <th scope="row">${first}</th>
        ${rest.map((cell) => html`<td>${cell}</td>`)}
      </tr>`,
  )}</tbody></table>`;
}

/** Terms and their values (`<dl>`). */
export function definitionList(entries: readonly (readonly [string, Cell])[]): Html {
  return html`<dl class="facts">
    ${entries.map(
      ([term, value]) =>
        html`<div>
          <dt>${term}</dt>
          <dd>${value}</dd>
        </div>`,
    )}
  </dl>`;
}

export function notAvailable(what: string): Html {
  return html`<p class="not-available"><strong>Not available:</strong> ${what}</p>`;
}

/** A chart as inline SVG with its caption; the caption repeats the chart's text description. */
export function chartFigure(chart: Pick<RenderedChart, 'svg' | 'title' | 'description'> | undefined, fallbackCaption: string): Html {
  if (chart === undefined)
    return html`<figure class="chart">
      <p class="not-available"><strong>Chart not rendered:</strong> ${fallbackCaption}</p>
    </figure>`;
  return html`<figure class="chart">
    ${trustedMarkup(chart.svg)}
    <figcaption><strong>${chart.title}.</strong> ${chart.description}</figcaption>
  </figure>`;
}

export function section(id: string, heading: string, body: Interpolation): Html {
  return html`<section id="${id}" aria-labelledby="${id}-heading">
    <h2 id="${id}-heading">${heading}</h2>
    ${body}
  </section>`;
}
