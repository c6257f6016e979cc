/** The HTML page and its charts in one call: what `GET …/report` (HTML) and `…/report/charts/<name>` need. */
import { type ChartRenderOptions } from './charts/chart.renderer';
import { renderModelReportHtml } from './html/model-report.html';
import type { ModelReport } from './model-report';
import { renderReportCharts, type ReportCharts } from './report-charts';

export interface RenderedModelReport {
  html: string;
  charts: ReportCharts;
}

export async function renderModelReport(report: ModelReport, options: ChartRenderOptions = {}): Promise<RenderedModelReport> {
  const charts = await renderReportCharts(report, options);
  return { html: renderModelReportHtml(report, charts), charts };
}
