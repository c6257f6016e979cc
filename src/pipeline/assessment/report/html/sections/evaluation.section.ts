/**
 * Evaluation on the held-out test split: every metric with its bootstrap interval (or "—" and why
 * it is undefined), the confusion matrix, the ROC and calibration charts for a binary model, and
 * the same metrics per slice.
 */
import type { BinaryEvaluation, BootstrapSettings, MetricEstimate, MulticlassEvaluation } from '../../../../evaluation';
// The report order of the metrics, from the leaf modules that define it (no barrel: nothing else is loaded).
import { BINARY_METRICS } from '../../../../evaluation/classification/binary-metrics';
import { MULTICLASS_METRICS } from '../../../../evaluation/classification/multiclass-metrics';
import type { ModelReport } from '../../model-report';
import type { ReportCharts } from '../../report-charts';
import { formatCount, formatEstimate, formatNumber, formatPercent, metricLabel, undefinedReasonText } from '../../report-format';
import { chartFigure, notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

function className(index: number, classes: readonly string[] | null): string {
  const name = classes?.[index];
  return name === undefined ? String(index) : `${index} (${name})`;
}

function bootstrapSentence(bootstrap: BootstrapSettings): string {
  return bootstrap.resamples === 0
    ? 'Bootstrap intervals were turned off.'
    : `Intervals: ${formatPercent(bootstrap.level)} ${bootstrap.method} bootstrap over ${formatCount(bootstrap.resamples)} resamples (seed ${String(bootstrap.seed)}), written as value [lower, upper].`;
}

function metricsTable(caption: string, names: readonly string[], metrics: Readonly<Record<string, MetricEstimate>>, level: number): Html {
  return table({
    caption,
    head: ['Metric', `Estimate [${formatPercent(level)} interval]`],
    rows: names.map((name) => [metricLabel(name), formatEstimate(metrics[name] as MetricEstimate)]),
  });
}

function confusionTable(caption: string, labels: readonly number[], matrix: readonly (readonly number[])[], classes: readonly string[] | null): Html {
  return table({
    caption,
    head: ['Actual \\ predicted', ...labels.map((label) => `Predicted ${className(label, classes)}`)],
    rows: labels.map((label, i) => [`Actual ${className(label, classes)}`, ...(matrix[i] ?? []).map(formatCount)]),
  });
}

function binaryEvaluation(evaluation: BinaryEvaluation, classes: readonly string[] | null, charts: ReportCharts): Html {
  const level = evaluation.bootstrap.level;
  const cm = evaluation.confusionMatrix;
  const roc = evaluation.rocCurve;
  return html`<p>
      Binary classification on ${formatCount(evaluation.rows)} test rows (${formatCount(evaluation.positives)} positive, ${formatCount(evaluation.negatives)}
      negative); a row is predicted positive when its score is at least ${formatNumber(evaluation.threshold, 2)}. ${bootstrapSentence(evaluation.bootstrap)}
    </p>
    ${metricsTable('Test-set metrics', BINARY_METRICS, evaluation.metrics, level)}
    ${confusionTable(`Confusion matrix at threshold ${formatNumber(cm.threshold, 2)} (rows: actual class; columns: predicted class)`, cm.labels, cm.matrix, classes)}
    <h3>ROC curve</h3>
    ${roc.fpr === null ? notAvailable(`the ROC curve is undefined: ${undefinedReasonText(roc.reason)}.`) : chartFigure(charts.roc, 'ROC curve')}
    <h3>Calibration</h3>
    ${chartFigure(charts.calibration, 'reliability diagram')}
    <details>
      <summary>Reliability bins</summary>
      ${table({
        caption: 'Rows, mean predicted probability and observed positive rate per score bin',
        head: ['Score bin', 'Rows', 'Mean predicted', 'Observed rate'],
        rows: evaluation.calibration.curve.map((bin) => [
          `[${formatNumber(bin.lower, 2)}, ${formatNumber(bin.upper, 2)}${bin.upper === 1 ? ']' : ')'}`,
          formatCount(bin.count),
          bin.meanPredicted === null ? `— (${undefinedReasonText('empty-bin')})` : formatNumber(bin.meanPredicted),
          bin.observedRate === null ? `— (${undefinedReasonText('empty-bin')})` : formatNumber(bin.observedRate),
        ]),
      })}
    </details>
    ${slices(evaluation.slices, ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'])}`;
}

function multiclassEvaluation(evaluation: MulticlassEvaluation, classes: readonly string[] | null): Html {
  const level = evaluation.bootstrap.level;
  const excluded = evaluation.macroExcludedClasses;
  const exclusions = (['precision', 'recall', 'f1'] as const)
    .filter((metric) => excluded[metric].length > 0)
    .map(
      (metric) =>
        `${metricLabel(metric)} is undefined for class${excluded[metric].length === 1 ? '' : 'es'} ${excluded[metric].map((c) => className(c, classes)).join(', ')} and left out of its macro average.`,
    );
  return html`<p>
      Classification into ${evaluation.classes} classes on ${formatCount(evaluation.rows)} test rows; the predicted class is the most probable one.
      ${bootstrapSentence(evaluation.bootstrap)}
    </p>
    ${metricsTable('Test-set metrics', MULTICLASS_METRICS, evaluation.metrics, level)} ${exclusions.length === 0 ? null : html`<p>${exclusions.join(' ')}</p>`}
    ${table({
      caption: 'Per-class metrics',
      head: ['Class', 'Support', 'Precision', 'Recall', 'F1'],
      rows: evaluation.perClass.map((c) => [
        className(c.class, classes),
        formatCount(c.support),
        formatEstimate(c.precision),
        formatEstimate(c.recall),
        formatEstimate(c.f1),
      ]),
    })}
    ${confusionTable('Confusion matrix (rows: actual class; columns: predicted class)', evaluation.confusionMatrix.labels, evaluation.confusionMatrix.matrix, classes)}
    ${notAvailable('ROC and calibration charts are drawn for binary models only.')} ${slices(evaluation.slices, ['accuracy', 'macroF1'])}`;
}

function slices(reports: BinaryEvaluation['slices'] | MulticlassEvaluation['slices'], names: readonly string[]): Html {
  if (reports.length === 0) return html``;
  return html`<h3>Per slice</h3>
    ${reports.map((slice) =>
      table({
        caption: html`Metrics per value of <code>${slice.column}</code>, each slice resampled on its own`,
        head: ['Value', 'Rows', ...names.map(metricLabel)],
        rows: slice.groups.map((group) => [
          group.value,
          formatCount(group.rows),
          ...names.map((name) => formatEstimate((group.evaluation.metrics as Record<string, MetricEstimate>)[name] as MetricEstimate)),
        ]),
      }),
    )}`;
}

export function evaluationSection(report: ModelReport, charts: ReportCharts): Html {
  const evaluation = report.evaluation;
  if (evaluation === null) return section('evaluation', 'Evaluation', notAvailable('the model has not been evaluated on a test split.'));
  const body =
    evaluation.task === 'binary' ? binaryEvaluation(evaluation, report.model.classes, charts) : multiclassEvaluation(evaluation, report.model.classes);
  return section('evaluation', 'Evaluation', body);
}
