import { HOSTILE } from '../../../pipeline/assessment/report/model-report.fixture';
import { findElements, parseMarkup, readableText, type MarkupElement } from '../../../pipeline/assessment/report/markup.fixture';
import { modelDossierFixture } from '../dossier/dossier.fixture';
import type { ModelDossier } from '../dossier/model-dossier';
import { toModelCard } from './model-card.builder';
import { MODEL_CARD_SECTIONS, renderModelCardHtml } from './model-card.html';
import { renderModelCard, type RenderedModelCard } from './model-card.page';

/** One well-formed page that loads nothing: no element that fetches, no URL but in-page anchors. */
function expectSelfContained(html: string): MarkupElement {
  expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
  expect(html).not.toMatch(/@import|@font-face/i);
  const page = parseMarkup(html, 'html');
  expect(page.name).toBe('html');
  expect(page.attributes.lang).toBe('en');
  expect(
    findElements(page, (e) => ['script', 'link', 'iframe', 'object', 'embed', 'img', 'base', 'form', 'image', 'use', 'foreignObject'].includes(e.name)),
  ).toEqual([]);
  for (const element of findElements(page, () => true)) {
    for (const [name, value] of Object.entries(element.attributes)) {
      expect(name.toLowerCase().startsWith('on')).toBe(false);
      if (['href', 'src', 'xlink:href', 'action', 'srcset', 'data', 'background', 'cite'].includes(name.toLowerCase()))
        expect(value.startsWith('#')).toBe(true);
    }
  }
  for (const anchor of findElements(page, (e) => e.name === 'a')) {
    expect(findElements(page, (e) => e.attributes.id === anchor.attributes.href!.slice(1))).toHaveLength(1);
  }
  return page;
}

describe(renderModelCard.name, () => {
  let dossier: ModelDossier;
  let rendered: RenderedModelCard;
  let page: MarkupElement;

  beforeAll(async () => {
    dossier = await modelDossierFixture();
    rendered = await renderModelCard(dossier);
    page = expectSelfContained(rendered.html);
  });

  it('renders the charts once and uses them in both forms: PNG in the JSON, SVG in the page', () => {
    const graphics = rendered.json.quantitative_analysis.graphics!.collection!;
    expect(graphics.length).toBeGreaterThan(3);
    for (const graphic of graphics) expect(Buffer.from(graphic.image, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const figures = findElements(page, (e) => e.name === 'figure');
    expect(figures).toHaveLength(graphics.length);
    for (const figure of figures) expect(findElements(figure, (e) => e.name === 'svg' && e.attributes.role === 'img')).toHaveLength(1);
    // The charts' namespace declarations are dropped: the page names no URL at all.
    expect(rendered.html).not.toMatch(/https?:\/\//);
  });

  it('has the sections in order, with headings and tables whose header cells have a scope', () => {
    const headings = findElements(page, (e) => e.name === 'h2').map(readableText);
    expect(headings).toEqual(MODEL_CARD_SECTIONS.map(([, heading]) => heading));
    expect(findElements(page, (e) => e.name === 'h1').map(readableText)).toEqual(['credit-scoring version 1']);
    const headerCells = findElements(page, (e) => e.name === 'th');
    expect(headerCells.length).toBeGreaterThan(20);
    for (const cell of headerCells) expect(['col', 'row']).toContain(cell.attributes.scope);
    for (const table of findElements(page, (e) => e.name === 'table')) expect(findElements(table, (e) => e.name === 'caption')).toHaveLength(1);
  });

  it('shows every metric with the value and bounds of the card', () => {
    const [metrics] = findElements(page, (e) => e.name === 'table' && readableText(e).startsWith('Performance metrics'));
    const accuracy = dossier.document.evaluation!.metrics[0]!;
    const [row] = findElements(metrics!, (e) => e.name === 'tr' && readableText(e).startsWith('accuracy'));
    expect(readableText(row!)).toContain(`${accuracy.value} ${accuracy.ci!.lower} ${accuracy.ci!.upper}`);
  });

  it('is deterministic: the same dossier gives byte-identical JSON and HTML', async () => {
    const again = await renderModelCard(await modelDossierFixture());
    expect(JSON.stringify(again.json)).toBe(JSON.stringify(rendered.json));
    expect(again.html).toBe(rendered.html);
  });
});

describe(renderModelCardHtml.name, () => {
  it('escapes a hostile model name and dataset names everywhere', async () => {
    const dossier = await modelDossierFixture();
    dossier.document.model.name = `${HOSTILE} model`;
    dossier.document.model.intendedUse = HOSTILE;
    for (const dataset of dossier.document.datasets) dataset.name = `${HOSTILE} data`;
    const html = renderModelCardHtml(toModelCard(dossier));
    const page = expectSelfContained(html);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(findElements(page, (e) => e.name === 'h1').map(readableText)).toEqual([`${HOSTILE} model version 1`]);
  });

  it('says "not recorded" for what the card does not hold', async () => {
    const dossier = await modelDossierFixture();
    dossier.document.evaluation = null;
    dossier.document.fairness = null;
    dossier.document.energy = null;
    const page = expectSelfContained(renderModelCardHtml(toModelCard(dossier)));
    const text = readableText(page);
    expect(text).toContain('Performance metrics: not recorded.');
    expect(text).toContain('Charts: not recorded.');
    expect(text).toContain('Energy use and CO2e emissions of the training: not recorded.');
    expect(text).toContain('Owners Not recorded');
  });
});
