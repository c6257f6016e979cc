import { PNG } from 'pngjs';
import type { AttributeSetFairness, BinaryEvaluation, MetricEstimate } from '../../../evaluation';
import { findElements, markItems, parseMarkup, textOf, type MarkupElement } from '../markup.fixture';
import { HOSTILE, modelReportFixture } from '../model-report.fixture';
import type { ModelReport } from '../model-report';
import { ReportError } from '../report.error';
import { calibrationChart } from './calibration.chart';
import { chartName, type ChartDefinition } from './chart-definition';
import { DEFAULT_PNG_WIDTH, renderChart, type RenderedChart } from './chart.renderer';
import { fairnessChart } from './fairness.chart';
import { importanceChart } from './importance.chart';
import { rocChart } from './roc.chart';
import { trainingCurvesChart } from './training-curves.chart';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Parses the SVG as XML and checks its text alternative; returns the root element. */
function expectAccessibleSvg(chart: RenderedChart): MarkupElement {
  expect(chart.svg.startsWith('<svg')).toBe(true);
  const svg = parseMarkup(chart.svg, 'xml');
  expect(svg.name).toBe('svg');
  expect(svg.attributes.role).toBe('img');
  const [title, desc] = svg.children as MarkupElement[];
  expect(title?.name).toBe('title');
  expect(textOf(title!)).toBe(chart.title);
  expect(desc?.name).toBe('desc');
  expect(textOf(desc!)).toBe(chart.description);
  expect(svg.attributes['aria-labelledby']).toBe(`${title!.attributes.id} ${desc!.attributes.id}`);
  // Vega draws the title as text too.
  expect(findElements(svg, (e) => e.name === 'text').some((e) => textOf(e) === chart.title)).toBe(true);
  // Every id is the chart's own, so charts inlined side by side cannot collide.
  for (const element of findElements(svg, (e) => e.attributes.id !== undefined)) expect(element.attributes.id!.startsWith(`${chart.name}-`)).toBe(true);
  expect(chart.warnings).toEqual([]);
  return svg;
}

/** Checks the PNG signature, its IHDR size against the request, and that it is not blank. */
function expectPng(chart: RenderedChart, width: number): void {
  const { png } = chart;
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  expect(png.readUInt32BE(16)).toBe(width);
  const expectedHeight = (chart.height * width) / chart.width;
  expect(Math.abs(png.readUInt32BE(20) - expectedHeight)).toBeLessThanOrEqual(1);
  expect(png.readUInt32BE(20)).toBe(chart.pngHeight);
  const decoded = PNG.sync.read(png);
  expect([decoded.width, decoded.height]).toEqual([width, chart.pngHeight]);
  const pixels = new Uint32Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length / 4);
  const colours = new Set<number>();
  for (let i = 0; i < pixels.length && colours.size < 8; i += 7) colours.add(pixels[i]!);
  expect(colours.size).toBeGreaterThan(2);
  // The background is opaque white.
  expect(pixels[0]).toBe(0xffffffff);
}

function texts(svg: MarkupElement): string[] {
  return findElements(svg, (e) => e.name === 'text').map(textOf);
}

describe(renderChart.name, () => {
  let report: ModelReport;
  let evaluation: BinaryEvaluation;

  beforeAll(async () => {
    report = await modelReportFixture();
    evaluation = report.evaluation as BinaryEvaluation;
  });

  it('draws the ROC curve and the chance diagonal as two lines, with the AUC and its interval', async () => {
    const chart = await renderChart(rocChart(evaluation.rocCurve, evaluation.metrics.rocAuc));
    const svg = expectAccessibleSvg(chart);
    expect(chart.name).toBe('roc');
    expect(markItems(svg, 'roc_lines')).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['False positive rate', 'True positive rate', 'Chance (diagonal)']));
    expect(chart.description).toMatch(/AUC 0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]/);
    expectPng(chart, DEFAULT_PNG_WIDTH);
  });

  it('refuses an ROC chart for a test set with one class', () => {
    expect(() => rocChart({ fpr: null, tpr: null, thresholds: null, reason: 'single-class' })).toThrow(
      expect.objectContaining({ name: 'ReportError', code: 'REPORT_CHART_DATA_MISSING' }),
    );
  });

  it('draws one point per non-empty calibration bin and one count bar per bin', async () => {
    const calibration = structuredClone(evaluation.calibration);
    // Empty the last bin: it loses its point but keeps a (zero) bar.
    calibration.curve[9] = { ...calibration.curve[9]!, count: 0, meanPredicted: null, observedRate: null };
    const chart = await renderChart(calibrationChart(calibration, evaluation.metrics.expectedCalibrationError), { pngWidth: 480 });
    const svg = expectAccessibleSvg(chart);
    expect(markItems(svg, 'calibration_points')).toBe(9);
    expect(markItems(svg, 'calibration_counts')).toBe(10);
    expect(markItems(svg, 'calibration_lines')).toBe(2);
    expect(chart.description).toContain('9 of which hold rows');
    expectPng(chart, 480);
  });

  it('draws one bar and one interval per group, the four-fifths line, and flags small groups in words', async () => {
    const set = report.fairness!.attributeSets.find((s) => s.attributes.join() === 'age_band')!;
    const chart = await renderChart(fairnessChart(set, 1), { pngWidth: 640 });
    const svg = expectAccessibleSvg(chart);
    expect(chart.name).toBe('fairness-2-age-band');
    expect(markItems(svg, 'selectionRate_bars')).toBe(set.groups.length);
    expect(markItems(svg, 'truePositiveRate_bars')).toBe(set.groups.length);
    expect(markItems(svg, 'selectionRate_intervals_layer_2')).toBe(set.groups.length);
    expect(markItems(svg, 'four_fifths_line')).toBe(1);
    const small = set.groups.filter((g) => g.tooSmallToJudge);
    expect(small.length).toBeGreaterThan(0);
    for (const group of small) expect(texts(svg)).toContain(`${group.values.join(' × ')} (n=${group.size}, too small)`);
    expect(chart.description).toContain('too small to judge');
    expect(chart.description).toContain('four-fifths rule passes');
    expectPng(chart, 640);
  });

  it('writes out a rate that is undefined for a group instead of drawing a bar', async () => {
    const set: AttributeSetFairness = structuredClone(report.fairness!.attributeSets[0]!);
    const undefinedTpr: MetricEstimate = { value: null, reason: 'no-actual-positives', ci: null };
    set.groups[0]!.truePositiveRate = undefinedTpr;
    const chart = await renderChart(fairnessChart(set, 0), { pngWidth: 320 });
    const svg = expectAccessibleSvg(chart);
    expect(markItems(svg, 'truePositiveRate_bars')).toBe(set.groups.length - 1);
    expect(markItems(svg, 'truePositiveRate_notes')).toBe(1);
    expect(texts(svg)).toContain('undefined: there are no actual positives (TP + FN = 0)');
    expect(markItems(svg, 'selectionRate_notes')).toBe(0);
  });

  it('draws one importance bar per column and metric, and escapes hostile column names', async () => {
    const importance = structuredClone(report.importance!);
    importance.metrics[0]!.columns[0]!.column = HOSTILE;
    const chart = await renderChart(importanceChart(importance), { pngWidth: 800 });
    const svg = expectAccessibleSvg(chart);
    importance.metrics.forEach((metric, i) => expect(markItems(svg, `importance_${i}_bars`)).toBe(metric.columns.length));
    expect(findElements(svg, (e) => ['script', 'img'].includes(e.name))).toEqual([]);
    expect(texts(svg).some((text) => text.includes('<script>'))).toBe(true);
    expect(chart.svg).not.toContain('<script');
    expectPng(chart, 800);
  });

  it('draws training and validation loss per epoch and marks the best epoch', async () => {
    const { history, bestEpoch } = report.training!;
    const chart = await renderChart(trainingCurvesChart(history, bestEpoch), { pngWidth: 500 });
    const svg = expectAccessibleSvg(chart);
    expect(markItems(svg, 'loss_lines')).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Training loss', 'Validation loss', `best epoch ${bestEpoch! + 1}`]));
    expectPng(chart, 500);
    expect(() => trainingCurvesChart([])).toThrow(ReportError);
  });

  it('gives byte-identical output for the same input, also when charts render concurrently', async () => {
    const roc = rocChart(evaluation.rocCurve, evaluation.metrics.rocAuc);
    const calibration = calibrationChart(evaluation.calibration);
    const first = await renderChart(roc, { pngWidth: 300 });
    const [again, other] = await Promise.all([renderChart(roc, { pngWidth: 300 }), renderChart(calibration, { pngWidth: 300 })]);
    expect(again.svg).toBe(first.svg);
    expect(again.png.equals(first.png)).toBe(true);
    expect(other.svg).toBe((await renderChart(calibration, { pngWidth: 300 })).svg);
  });

  it("numbers clip paths per chart: Vega's process-wide counter does not leak into the output", async () => {
    const clipped: ChartDefinition = {
      name: 'clipped',
      title: 'Clipped',
      description: 'A line clipped to its plot.',
      vegaLite: {
        data: {
          values: [
            { a: 0, b: 0 },
            { a: 1, b: 2 },
          ],
        },
        mark: { type: 'line', clip: true },
        encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative', scale: { domain: [0, 1] } } },
      },
    };
    const [first, second] = [await renderChart(clipped), await renderChart(clipped)];
    expect(second.svg).toBe(first.svg);
    expect(first.svg).toContain('<clipPath id="clipped-d1">');
    expect(first.svg).toContain('clip-path="url(#clipped-d1)"');
  });

  it('refuses a spec that would load data from outside, and out-of-range PNG widths', async () => {
    const external: ChartDefinition = {
      name: 'external',
      title: 'External',
      description: 'Loads a URL.',
      vegaLite: { data: { url: 'https://example.invalid/data.json' }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } },
    };
    await expect(renderChart(external)).rejects.toMatchObject({ code: 'REPORT_CHART_RENDER_FAILED', details: { chart: 'external' } });
    const roc = rocChart(evaluation.rocCurve);
    for (const pngWidth of [0, 15.5, 100_000]) await expect(renderChart(roc, { pngWidth })).rejects.toMatchObject({ code: 'REPORT_OPTION_INVALID' });
  });
});

describe(chartName.name, () => {
  it('keeps names file- and URL-safe whatever the attribute names are', () => {
    expect(chartName('fairness-1', 'sex-age_band')).toBe('fairness-1-sex-age-band');
    expect(chartName('fairness-2', `../../${HOSTILE}`)).toMatch(/^fairness-2(-[a-z0-9]+)*$/);
    expect(chartName('fairness-3', '性别')).toBe('fairness-3');
    expect(chartName('x', 'a'.repeat(200)).length).toBeLessThanOrEqual(62);
  });
});
