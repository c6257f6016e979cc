/**
 * The charts of a model report, by name: the definitions (sync, no rendering) and their rendered
 * SVG and PNG. A chart is listed only when its section holds the data to draw it (a single-class
 * test set has no ROC curve; a multiclass evaluation has no reliability diagram), so every name
 * returned can be served as `…/report/charts/<name>.svg` and `.png`. The order is fixed: training,
 * evaluation, fairness (in the assessment's order), importance.
 */
import type { ChartDefinition } from './charts/chart-definition';
import { renderChart, type ChartRenderOptions, type RenderedChart } from './charts/chart.renderer';
import { calibrationChart } from './charts/calibration.chart';
import { fairnessChart } from './charts/fairness.chart';
import { importanceChart } from './charts/importance.chart';
import { rocChart } from './charts/roc.chart';
import { trainingCurvesChart } from './charts/training-curves.chart';
import type { ModelReport } from './model-report';

export type ReportCharts = Record<string, RenderedChart>;

export function reportChartDefinitions(report: ModelReport): ChartDefinition[] {
  const charts: ChartDefinition[] = [];
  if (report.training !== null && report.training.history.length > 0) charts.push(trainingCurvesChart(report.training.history, report.training.bestEpoch));
  const evaluation = report.evaluation;
  if (evaluation?.task === 'binary') {
    if (evaluation.rocCurve.fpr !== null) charts.push(rocChart(evaluation.rocCurve, evaluation.metrics.rocAuc));
    if (evaluation.calibration.curve.some((bin) => bin.count > 0))
      charts.push(calibrationChart(evaluation.calibration, evaluation.metrics.expectedCalibrationError));
  }
  report.fairness?.attributeSets.forEach((set, index) => {
    if (set.groups.length > 0) charts.push(fairnessChart(set, index));
  });
  if (report.importance !== null && report.importance.metrics.some((metric) => metric.columns.length > 0)) charts.push(importanceChart(report.importance));
  return charts;
}

/** Renders every chart of the report, one after the other (CPU-bound; the order is the definitions'). */
export async function renderReportCharts(report: ModelReport, options: ChartRenderOptions = {}): Promise<ReportCharts> {
  const rendered: ReportCharts = {};
  for (const chart of reportChartDefinitions(report)) rendered[chart.name] = await renderChart(chart, options);
  return rendered;
}
