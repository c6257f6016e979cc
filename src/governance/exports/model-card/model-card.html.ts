/**
 * The model card as one self-contained, accessible HTML page: `lang`, a heading outline, tables
 * with captions and `<th scope>`, charts inlined as SVG with their text alternatives, inline CSS,
 * no script, and no external reference at all (links are in-page `#anchors`), so it can be
 * archived in an evidence bundle and read offline. Every string from the card is escaped
 * (html-markup.ts); a part the card does not hold says "Not recorded".
 */
import type { ReportCharts } from '../../../pipeline/assessment/report';
import { Markup, chartSvg, html } from './html-markup';
import type { Described, KeyValue, ModelCard, ModelCardRisk, PerformanceMetric } from './model-card';
import { MODEL_CARD_STYLE } from './model-card.style';

/** Section anchors and headings, in page order. */
export const MODEL_CARD_SECTIONS = [
  ['model-details', 'Model details'],
  ['model-parameters', 'Model parameters'],
  ['quantitative-analysis', 'Quantitative analysis'],
  ['considerations', 'Considerations'],
] as const;

type SectionId = (typeof MODEL_CARD_SECTIONS)[number][0];

/** A constant of this module, not data: inserted as it is (`<style>` is raw text, entities would not be decoded). */
const STYLE_SHEET = new Markup(MODEL_CARD_STYLE);

const notRecorded = (what: string): Markup => html`<p class="not-recorded">${what}: not recorded.</p>`;

function section(id: SectionId, body: Markup): Markup {
  const heading = MODEL_CARD_SECTIONS.find(([anchor]) => anchor === id)?.[1] ?? id;
  return html`<section id="${id}" aria-labelledby="${id}-heading">
    <h2 id="${id}-heading">${heading}</h2>
    ${body}
  </section>`;
}

function fact(term: string, value: string | undefined): Markup {
  return html`<div>
    <dt>${term}</dt>
    <dd>${value ?? 'Not recorded'}</dd>
  </div>`;
}

function list(heading: string, items: readonly Described[] | undefined): Markup {
  return html`<h3>${heading}</h3>
    ${
      items === undefined || items.length === 0
        ? notRecorded(heading)
        : html`<ul>
            ${items.map((item) => html`<li>${item.description}</li>`)}
          </ul>`
    }`;
}

function keyValueTable(caption: string, [keyHeading, valueHeading]: [string, string], rows: readonly KeyValue[] | undefined): Markup {
  if (rows === undefined || rows.length === 0) return notRecorded(caption);
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">${keyHeading}</th>
        <th scope="col">${valueHeading}</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            <th scope="row">${row.key}</th>
            <td>${row.value}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function details(card: ModelCard): Markup {
  const { model_details: d } = card;
  const owners = d.owners?.map((owner) => (owner.contact === undefined ? owner.name : `${owner.name} (${owner.contact})`)).join('; ');
  const licences = d.licenses?.map((licence) => ('identifier' in licence ? licence.identifier : licence.custom_text)).join('; ');
  const references = d.references?.map((reference) => reference.reference).join(' ');
  const citations = d.citations?.map((citation) => citation.citation).join(' ');
  return section(
    'model-details',
    html`<dl class="facts">
        ${fact('Version', d.version?.name)} ${fact('Version date', d.version?.date)} ${fact('Owners', owners)} ${fact('Licences', licences)}
        ${fact('References', references)} ${fact('Citations', citations)}
      </dl>
      <h3>Documentation</h3>
      ${d.documentation === undefined ? notRecorded('Documentation') : d.documentation.split('\n').map((line) => html`<p>${line}</p>`)}`,
  );
}

function parameters(card: ModelCard): Markup {
  const p = card.model_parameters;
  const data =
    p.data === undefined || p.data.length === 0
      ? notRecorded('Data')
      : html`<table>
          <caption>
            Datasets the model was trained, validated and tested on
          </caption>
          <thead>
            <tr>
              <th scope="col">Dataset</th>
              <th scope="col">Description</th>
              <th scope="col">Sensitive data</th>
            </tr>
          </thead>
          <tbody>
            ${p.data.map(
              (d) =>
                html`<tr>
                  <th scope="row">${d.name}</th>
                  <td>${d.description ?? 'Not recorded'}</td>
                  <td>${d.sensitive?.sensitive_data.join('; ') ?? 'None recorded'}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  return section(
    'model-parameters',
    html`<dl class="facts">
        ${fact('Model architecture', p.model_architecture)} ${fact('Input format', p.input_format)} ${fact('Output format', p.output_format)}
      </dl>
      <h3>Data</h3>
      ${data}
      <h3>Inputs and outputs</h3>
      ${keyValueTable('Input features', ['Feature', 'Type'], p.input_format_map)} ${keyValueTable('Output', ['Field', 'Value'], p.output_format_map)}`,
  );
}

function metricRow(metric: PerformanceMetric): Markup {
  const interval = metric.confidence_interval;
  return html`<tr>
    <th scope="row">${metric.type}</th>
    <td>${metric.slice ?? 'whole test split'}</td>
    <td class="number">${metric.value ?? 'not defined'}</td>
    <td class="number">${interval?.lower_bound ?? 'not recorded'}</td>
    <td class="number">${interval?.upper_bound ?? 'not recorded'}</td>
  </tr>`;
}

function figure(chart: ReportCharts[string]): Markup {
  return html`<figure class="chart">
    ${chartSvg(chart.svg)}
    <figcaption><strong>${chart.title}.</strong> ${chart.description}</figcaption>
  </figure>`;
}

function quantitative(card: ModelCard, charts: Readonly<ReportCharts>): Markup {
  const metrics = card.quantitative_analysis.performance_metrics;
  const table =
    metrics === undefined || metrics.length === 0
      ? notRecorded('Performance metrics')
      : html`<table>
          <caption>
            Performance metrics, with their confidence intervals where recorded
          </caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Slice</th>
              <th scope="col">Value</th>
              <th scope="col">Lower bound</th>
              <th scope="col">Upper bound</th>
            </tr>
          </thead>
          <tbody>
            ${metrics.map(metricRow)}
          </tbody>
        </table>`;
  const figures = Object.values(charts);
  return section('quantitative-analysis', html`${table}${figures.length === 0 ? notRecorded('Charts') : figures.map(figure)}`);
}

function risks(items: readonly ModelCardRisk[] | undefined): Markup {
  if (items === undefined || items.length === 0) return notRecorded('Ethical considerations');
  return html`<table>
    <caption>
      Risks and their mitigation
    </caption>
    <thead>
      <tr>
        <th scope="col">Risk</th>
        <th scope="col">Mitigation strategy</th>
      </tr>
    </thead>
    <tbody>
      ${items.map(
        (item) =>
          html`<tr>
            <td>${item.name}</td>
            <td>${item.mitigation_strategy ?? 'Not recorded'}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function considerations(card: ModelCard): Markup {
  const c = card.considerations;
  return section(
    'considerations',
    html`${list('Users', c.users)} ${list('Use cases', c.use_cases)} ${list('Limitations', c.limitations)} ${list('Tradeoffs', c.tradeoffs)}
      <h3>Ethical considerations</h3>
      ${risks(c.ethical_considerations)}`,
  );
}

/** The page for `card`; `charts` (from renderReportCharts) are inlined as SVG figures. */
export function renderModelCardHtml(card: ModelCard, charts: Readonly<ReportCharts> = {}): string {
  const { model_details: d } = card;
  const version = d.version === undefined ? '' : ` version ${d.version.name}`;
  const page = html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="Assay model card (Model Card Toolkit schema ${card.schema_version})" />
        <title>Model card: ${d.name}${version}</title>
        <style>
          ${STYLE_SHEET}
        </style>
      </head>
      <body>
        <header>
          <p class="kicker">Model card</p>
          <h1>${d.name}${d.version === undefined ? null : html` <span class="version">version ${d.version.name}</span>`}</h1>
          ${d.overview === undefined ? null : html`<p>${d.overview}</p>`}
        </header>
        <nav aria-label="Sections">
          <ol>
            ${MODEL_CARD_SECTIONS.map(([id, heading]) => html`<li><a href="#${id}">${heading}</a></li>`)}
          </ol>
        </nav>
        <main>${details(card)} ${parameters(card)} ${quantitative(card, charts)} ${considerations(card)}</main>
        <footer>
          <p>Google Model Card Toolkit schema ${card.schema_version}. Every statement on this page is taken from the evidence records of the model version.</p>
        </footer>
      </body>
    </html> `;
  return page.text;
}
