/**
 * The Annex IV document as one self-contained, accessible HTML page: inline CSS, no script, no
 * external reference (the only links are in-page `#anchors`), a summary of the gaps at the top,
 * one heading per point and per item, tables with header cells scoped, every gap marked by the
 * text "Gap:". Every string from the document is escaped (markup.ts).
 */
import type { AnnexIvBlock, AnnexIvCell, AnnexIvDocument, AnnexIvItem, AnnexIvPoint, AnnexIvSource } from '../annex-iv-document';
import { ANNEX_IV_STYLE } from './annex-iv.style';
import { html, Markup } from './markup';

/** The stylesheet is a constant of this module, so it is inserted as it is. */
const STYLE = new Markup(ANNEX_IV_STYLE);

function cellText(cell: AnnexIvCell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

function cell(value: AnnexIvCell): Markup {
  return typeof value === 'string' ? html`<td>${value}</td>` : html`<td class="number">${value.text}</td>`;
}

function gapNote(part: string | null, reason: string): Markup {
  return html`<p class="gap" role="note"><strong>Gap:</strong> ${part === null ? '' : html`<em>${part}</em> — `}${reason}</p>`;
}

function block(value: AnnexIvBlock): Markup {
  switch (value.type) {
    case 'paragraph':
      return html`<p>${value.text}</p>`;
    case 'facts':
      return html`<table class="facts">
        <tbody>
          ${value.rows.map(
            (row) =>
              html`<tr>
                <th scope="row">${row.label}</th>
                ${cell(row.value)}
              </tr>`,
          )}
        </tbody>
      </table>`;
    case 'table':
      return html`<table>
        <caption>
          ${value.caption}
        </caption>
        <thead>
          <tr>
            ${value.columns.map((column) => html`<th scope="col">${column}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${value.rows.map(
            (row) =>
              html`<tr>
                ${row.map((c, index) => (index === 0 ? html`<th scope="row">${cellText(c)}</th>` : cell(c)))}
              </tr>`,
          )}
        </tbody>
      </table>`;
    case 'list':
      return html`<p><strong>${value.caption}</strong></p>
        <ul>
          ${value.items.map((item) => html`<li>${item}</li>`)}
        </ul>`;
    case 'gap':
      return gapNote(value.part, value.reason);
  }
}

function sources(list: readonly AnnexIvSource[]): Markup | null {
  if (list.length === 0) return null;
  return html`<div class="sources">
    Evidence:
    <ul>
      ${list.map((source) => html`<li>${source.kind} <code>${source.digest}</code></li>`)}
    </ul>
  </div>`;
}

function item(value: AnnexIvItem): Markup {
  return html`<section class="item" id="${value.id}" aria-labelledby="${value.id}-h">
    <h3 id="${value.id}-h"><span class="ref">${value.reference}</span> ${value.title}</h3>
    ${value.content.status === 'gap' ? gapNote(null, value.content.reason) : value.content.blocks.map(block)} ${sources(value.sources)}
  </section>`;
}

function pointId(point: AnnexIvPoint): string {
  return `point-${point.number}`;
}

function point(value: AnnexIvPoint): Markup {
  return html`<section class="point" id="${pointId(value)}" aria-labelledby="${pointId(value)}-h">
    <h2 id="${pointId(value)}-h">${value.number}. ${value.title} <span class="ref">(${value.reference})</span></h2>
    ${value.items.map(item)}
  </section>`;
}

function gapSummary(document: AnnexIvDocument): Markup {
  const body =
    document.gaps.length === 0
      ? html`<p>No gaps: every item is filled from the evidence.</p>`
      : html`<table>
          <caption>
            ${document.gaps.length} gaps: what the evidence does not show
          </caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Item</th>
              <th scope="col">Missing</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            ${document.gaps.map(
              (gap) =>
                html`<tr>
                  <th scope="row">${gap.reference}</th>
                  <td><a href="#${gap.itemId}">${gap.itemTitle}</a></td>
                  <td>Gap: ${gap.part ?? 'the whole item'}</td>
                  <td>${gap.reason}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  return html`<section class="summary" id="gaps" aria-labelledby="gaps-h">
    <h2 id="gaps-h">Summary of gaps</h2>
    ${body}
  </section>`;
}

export function renderAnnexIvHtml(document: AnnexIvDocument): string {
  const { model } = document;
  const page = html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="Assay ${document.generator.version} (${document.format})" />
        <title>Annex IV technical documentation: ${model.name} v${model.version}</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <header>
          <p class="kicker">${document.regulation}</p>
          <h1>${document.title}</h1>
          <table class="facts">
            <tbody>
              <tr>
                <th scope="row">AI system (model)</th>
                <td>${model.name}</td>
              </tr>
              <tr>
                <th scope="row">Version</th>
                <td>${model.version} (model version id ${model.versionId})</td>
              </tr>
              <tr>
                <th scope="row">Risk tier</th>
                <td>${model.riskTier}</td>
              </tr>
              <tr>
                <th scope="row">Generated</th>
                <td>${document.generatedAt} by ${document.generator.name} ${document.generator.version}</td>
              </tr>
              <tr>
                <th scope="row">Evidence document</th>
                <td><code>${document.evidenceDocumentDigest}</code> (assembled ${document.evidenceAssembledAt})</td>
              </tr>
              ${
                document.checkpoint === null
                  ? null
                  : html`<tr>
                      <th scope="row">Ledger checkpoint</th>
                      <td>${document.checkpoint.origin}, tree size ${document.checkpoint.treeSize}, root hash <code>${document.checkpoint.rootHash}</code></td>
                    </tr>`
              }
            </tbody>
          </table>
          <div class="notice">${document.notice.map((text) => html`<p>${text}</p>`)}</div>
        </header>
        ${gapSummary(document)}
        <nav aria-label="Contents">
          <h2>Contents</h2>
          <ol>
            <li><a href="#gaps">Summary of gaps</a></li>
            ${document.points.map((p) => html`<li><a href="#${pointId(p)}">${p.reference}: ${p.title}</a></li>`)}
          </ol>
        </nav>
        <main>${document.points.map(point)}</main>
        <footer>
          <p>${document.title}, ${model.name} version ${model.version}. ${document.format}, generated ${document.generatedAt}.</p>
        </footer>
      </body>
    </html> `;
  return page.markup;
}
