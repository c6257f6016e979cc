/**
 * The model report (issue "Evaluation, fairness, robustness and explainability reports", items 5
 * and 6): charts rendered from Vega-Lite specs to SVG and PNG on the server (no browser, no canvas
 * binary), and one self-contained HTML page for a trained model. Pure library: no NestJS, no
 * database; its input is the plain-JSON `ModelReport` assembled from the measuring libraries'
 * records. See README.md.
 */
export { ReportError, REPORT_ERROR_CODES, type ReportErrorCode, type ReportErrorDetails } from './report.error';
export {
  MODEL_REPORT_FORMAT,
  MODEL_REPORT_VERSION,
  type ModelReport,
  type ReportedModel,
  type ReportedDataset,
  type ReportedTraining,
  type ReportedExplanation,
  type ReportedEnergy,
  type EvidenceReference,
} from './model-report';
export { escapeHtml } from './escape-markup';
export { formatCount, formatEstimate, formatNumber, formatPercent, formatSignificant } from './report-format';
export { chartName, type ChartDefinition, type ChartSpec } from './charts/chart-definition';
export { renderChart, DEFAULT_PNG_WIDTH, MAX_PNG_WIDTH, type ChartRenderOptions, type RenderedChart } from './charts/chart.renderer';
export { rocChart } from './charts/roc.chart';
export { calibrationChart } from './charts/calibration.chart';
export { fairnessChart, fairnessChartName } from './charts/fairness.chart';
export { importanceChart, DEFAULT_MAX_IMPORTANCE_COLUMNS } from './charts/importance.chart';
export { trainingCurvesChart } from './charts/training-curves.chart';
export { reportChartDefinitions, renderReportCharts, type ReportCharts } from './report-charts';
export { renderModelReportHtml, REPORT_SECTIONS } from './html/model-report.html';
export { renderModelReport, type RenderedModelReport } from './model-report.page';
