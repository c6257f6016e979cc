import { evaluateMulticlass, type BinaryEvaluation } from '../../../evaluation';
import { findElements, parseMarkup, readableText, textOf, type MarkupElement } from '../markup.fixture';
import { emptyModelReport, HOSTILE, hostileModelReport, modelReportFixture } from '../model-report.fixture';
import type { ModelReport } from '../model-report';
import { renderModelReport, type RenderedModelReport } from '../model-report.page';
import { reportChartDefinitions } from '../report-charts';
import { REPORT_SECTIONS, renderModelReportHtml } from './model-report.html';

const URL_ATTRIBUTES = ['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'srcset', 'data', 'background', 'cite'];

function sectionText(page: MarkupElement, id: string): string {
  const [section] = findElements(page, (e) => e.name === 'section' && e.attributes.id === id);
  if (!section) throw new Error(`no section #${id}`);
  return readableText(section);
}

/** One HTML document that neither loads nor runs anything. */
function expectSelfContained(html: string): MarkupElement {
  const page = parseMarkup(html, 'html');
  expect(page.name).toBe('html');
  expect(page.attributes.lang).toBe('en');
  expect(findElements(page, (e) => e.name === 'html')).toHaveLength(1);
  expect(
    findElements(page, (e) => ['script', 'link', 'iframe', 'object', 'embed', 'img', 'base', 'form', 'image', 'use', 'foreignObject'].includes(e.name)),
  ).toEqual([]);
  for (const element of findElements(page, () => true)) {
    for (const [name, value] of Object.entries(element.attributes)) {
      expect(name.toLowerCase().startsWith('on')).toBe(false);
      if (URL_ATTRIBUTES.includes(name.toLowerCase())) expect(value.startsWith('#') || value.startsWith('data:')).toBe(true);
      if (name === 'style') expect(value).not.toMatch(/url\(|@import/i);
    }
  }
  const [style] = findElements(page, (e) => e.name === 'style');
  expect(textOf(style!)).not.toMatch(/url\(|@import/i);
  // Every in-page link has its target.
  for (const anchor of findElements(page, (e) => e.attributes.href !== undefined)) {
    const target = anchor.attributes.href!.slice(1);
    expect(findElements(page, (e) => e.attributes.id === target)).toHaveLength(1);
  }
  return page;
}

describe(renderModelReportHtml.name, () => {
  let report: ModelReport;
  let rendered: RenderedModelReport;
  let page: MarkupElement;

  beforeAll(async () => {
    report = await modelReportFixture();
    rendered = await renderModelReport(report, { pngWidth: 320 });
    page = expectSelfContained(rendered.html);
  });

  it('renders every chart of a full report once, by file-safe name', () => {
    expect(Object.keys(rendered.charts)).toEqual([
      'training-curves',
      'roc',
      'calibration',
      'fairness-1-sex',
      'fairness-2-age-band',
      'fairness-3-sex-age-band',
      'importance',
    ]);
    for (const [name, chart] of Object.entries(rendered.charts)) {
      expect(chart.name).toBe(name);
      expect(name).toMatch(/^[a-z0-9-]+$/);
      expect(chart.svg.startsWith('<svg')).toBe(true);
      expect(chart.png.readUInt32BE(16)).toBe(320);
    }
  });

  it('keeps its stylesheet as written (quoted font names are not escaped into &quot;)', () => {
    expect(rendered.html).toContain('font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif;');
    expect(rendered.html).not.toMatch(/<style>[^<]*&quot;/);
  });

  it('has every section, in order, with the charts inline as SVG figures', () => {
    const sections = findElements(page, (e) => e.name === 'section' && e.attributes.id !== undefined && !e.attributes.class);
    expect(sections.map((s) => s.attributes.id)).toEqual(REPORT_SECTIONS.map(([id]) => id));
    for (const [id, heading] of REPORT_SECTIONS) {
      const [h2] = findElements(page, (e) => e.name === 'h2' && e.attributes.id === `${id}-heading`);
      expect(readableText(h2!)).toBe(heading);
      expect(sectionText(page, id)).not.toContain('Not available');
    }
    expect(findElements(page, (e) => e.name === 'h1').map(readableText)).toEqual(['credit-default version 3']);
    const figures = findElements(page, (e) => e.name === 'figure');
    expect(figures).toHaveLength(Object.keys(rendered.charts).length);
    for (const figure of figures) {
      expect(findElements(figure, (e) => e.name === 'svg')).toHaveLength(1);
      expect(findElements(figure, (e) => e.name === 'figcaption')).toHaveLength(1);
    }
    // Header cells say what they head.
    const headers = findElements(page, (e) => e.name === 'th');
    expect(headers.length).toBeGreaterThan(50);
    for (const th of headers) expect(['col', 'row']).toContain(th.attributes.scope);
  });

  it('states the header facts: ids, digests, datasets, backend and seed', () => {
    const header = readableText(findElements(page, (e) => e.name === 'header')[0]!);
    for (const fact of [report.model.runId, report.model.modelId!, report.model.modelDigest!, 'cpu', 'logistic_regression', '42'])
      expect(header).toContain(fact);
    const datasets = sectionText(page, 'datasets');
    for (const dataset of report.datasets) expect(datasets).toContain(dataset.digest);
  });

  it('writes metrics with their intervals, and an undefined metric as "—" with the reason', () => {
    const evaluation = sectionText(page, 'evaluation');
    const binary = report.evaluation as BinaryEvaluation;
    const accuracy = binary.metrics.accuracy;
    if (accuracy.ci === null) throw new Error('fixture has no interval');
    expect(evaluation).toContain(`Accuracy ${accuracy.value.toFixed(3)} [${accuracy.ci.lower.toFixed(3)}, ${accuracy.ci.upper.toFixed(3)}]`);
    expect(evaluation).toContain(`Actual 1 (approved) ${binary.confusionMatrix.fn} ${binary.confusionMatrix.tp}`);

    const undefinedPrecision = structuredClone(report);
    (undefinedPrecision.evaluation as BinaryEvaluation).metrics.precision = { value: null, reason: 'no-predicted-positives', ci: null };
    const html = renderModelReportHtml(undefinedPrecision, rendered.charts);
    expect(sectionText(parseMarkup(html, 'html'), 'evaluation')).toContain('Precision — (nothing was predicted positive (TP + FP = 0))');
  });

  it('says the four-fifths outcome in words and flags small groups without hiding them', () => {
    const fairness = sectionText(page, 'fairness');
    expect(fairness).toContain('Four-fifths rule: fails.');
    expect(fairness).toContain('Four-fifths rule: passes.');
    expect(fairness).toMatch(/Selected at less than 0\.80 × the highest rate: female \(selection rate 0\.\d{3}\)/);
    const flags = findElements(page, (e) => e.attributes.class === 'flag').map(readableText);
    expect(flags).toHaveLength(report.fairness!.summary.smallGroups.length);
    expect(new Set(flags)).toEqual(new Set(['too small to judge']));
    expect(fairness).toContain('65+ (n=13): too small to judge; left out of the demographic parity difference');
    expect(sectionText(page, 'label-balance')).toContain('13 (too small to judge)');
  });

  it('reports robustness, importance, explanation checks, energy with bounds and the evidence list', () => {
    expect(sectionText(page, 'robustness')).toMatch(/Masked column .* income 1 \d\.\d{3} -\d\.\d{3}/);
    expect(sectionText(page, 'importance')).toMatch(/income 1 0\.\d{3} 0\.\d{3}/);
    const explanations = sectionText(page, 'explanations');
    expect(explanations).toContain('Completeness check: passed.');
    expect(explanations).toContain('Efficiency check: passed.');
    const energy = sectionText(page, 'energy');
    expect(energy).toContain('0.000211 kWh [0.0000707, 0.000422]');
    expect(energy).toContain('0.0452 g [0.0136, 0.0993]');
    expect(energy).toContain('estimated: TDP per core');
    expect(energy).toContain('European Environment Agency');
    const evidence = sectionText(page, 'evidence');
    for (const record of report.evidence) expect(evidence).toContain(`${record.kind} ${record.digest} ${record.id}`);
  });

  it('says "not available" for every section of a report with nothing measured', () => {
    const empty = emptyModelReport();
    expect(reportChartDefinitions(empty)).toEqual([]);
    const emptyPage = expectSelfContained(renderModelReportHtml(empty));
    for (const [id] of REPORT_SECTIONS) expect(sectionText(emptyPage, id)).toContain('Not available');
    expect(findElements(emptyPage, (e) => e.name === 'svg')).toEqual([]);
  });

  it('keeps its tables when charts were not rendered', () => {
    const withoutCharts = parseMarkup(renderModelReportHtml(report), 'html');
    expect(findElements(withoutCharts, (e) => e.name === 'svg')).toEqual([]);
    expect(readableText(withoutCharts)).toContain('Chart not rendered');
    expect(sectionText(withoutCharts, 'fairness')).toContain('Four-fifths rule: fails.');
  });

  it('renders a multiclass evaluation with per-class metrics and no binary-only charts', () => {
    const multiclass = structuredClone(report);
    const yTrue = [0, 1, 2, 0, 1, 2, 0, 1, 2, 2];
    const scores = yTrue.flatMap((y, i) => (i === 9 ? [0.2, 0.5, 0.3] : [0, 1, 2].map((c) => (c === y ? 0.8 : 0.1))));
    multiclass.evaluation = evaluateMulticlass({ yTrue, scores }, { resamples: 50 });
    multiclass.model.classes = ['low', 'medium', 'high'];
    expect(reportChartDefinitions(multiclass).map((c) => c.name)).not.toEqual(expect.arrayContaining(['roc']));
    expect(reportChartDefinitions(multiclass).map((c) => c.name)).not.toContain('calibration');
    const evaluation = sectionText(expectSelfContained(renderModelReportHtml(multiclass, rendered.charts)), 'evaluation');
    expect(evaluation).toContain('Classification into 3 classes');
    expect(evaluation).toContain('Per-class metrics');
    expect(evaluation).toContain('Actual 2 (high)');
    expect(evaluation).toContain('drawn for binary models only');
  });

  it('escapes hostile names everywhere: no markup from the data survives, the text still reads', async () => {
    const hostile = await renderModelReport(await hostileModelReport(), { pngWidth: 200 });
    const hostilePage = expectSelfContained(hostile.html);
    expect(hostile.html).not.toMatch(/<script|<img/i);
    const text = readableText(hostilePage);
    expect(text).toContain(`${HOSTILE} model`);
    expect(text).toContain(`${HOSTILE} income`);
    expect(text).toContain(`${HOSTILE} female`);
    expect(findElements(hostilePage, (e) => e.name === 'title').map(readableText)).toContain(`Model report: ${HOSTILE} model v3`);
    // Chart names stay file-safe.
    for (const name of Object.keys(hostile.charts)) expect(name).toMatch(/^[a-z0-9-]+$/);
  });

  it('is the same page for the same report and charts', () => {
    expect(renderModelReportHtml(report, rendered.charts)).toBe(rendered.html);
  });
});
