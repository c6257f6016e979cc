/**
 * The model report as one self-contained HTML page: inline CSS, charts as inline SVG, no script,
 * no external reference (every link is an in-page `#anchor`), so it can be archived in an
 * evidence bundle and opened offline years later. Every string from the report is escaped
 * (html-markup.ts). Sections without data say "Not available" instead of disappearing.
 */
import type { ModelReport } from '../model-report';
import type { ReportCharts } from '../report-charts';
import { html, Html } from './html-markup';
import { REPORT_STYLE } from './report.style';

import { datasetsSection, headerSection } from './sections/header.section';
import { energySection } from './sections/energy.section';
import { evaluationSection } from './sections/evaluation.section';
import { evidenceSection } from './sections/evidence.section';
import { explanationsSection } from './sections/explanations.section';
import { fairnessSection } from './sections/fairness.section';
import { importanceSection } from './sections/importance.section';
import { labelBalanceSection } from './sections/label-balance.section';
import { robustnessSection } from './sections/robustness.section';
import { trainingSection } from './sections/training.section';

/** The stylesheet is a constant of this library, not data: escaping it would turn its quoted font names into `&quot;`. */
const STYLE = new Html(REPORT_STYLE);

/** Section anchors and headings, in page order. */
export const REPORT_SECTIONS = [
  ['datasets', 'Datasets'],
  ['training', 'Training'],
  ['evaluation', 'Evaluation'],
  ['fairness', 'Fairness'],
  ['label-balance', 'Label balance before and after'],
  ['robustness', 'Robustness'],
  ['importance', 'Global feature importance'],
  ['explanations', 'Example explanations'],
  ['energy', 'Energy and emissions'],
  ['evidence', 'Evidence records'],
] as const;

/**
 * The page for `report`. Charts come from renderReportCharts (rendering is asynchronous, this
 * function is not); a chart missing from `charts` leaves a "chart not rendered" note beside its
 * table, which always carries the same numbers.
 */
export function renderModelReportHtml(report: ModelReport, charts: Readonly<ReportCharts> = {}): string {
  const { model } = report;
  const page = html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="Assay model report (format ${report.format} v${report.version})" />
        <title>Model report: ${model.name}${model.version === null ? '' : ` v${model.version}`}</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        ${headerSection(report)}
        <nav aria-label="Sections">
          <ol>
            ${REPORT_SECTIONS.map(([id, heading]) => html`<li><a href="#${id}">${heading}</a></li>`)}
          </ol>
        </nav>
        <main>
          ${datasetsSection(report)} ${trainingSection(report, charts)} ${evaluationSection(report, charts)} ${fairnessSection(report, charts)}
          ${labelBalanceSection(report)} ${robustnessSection(report)} ${importanceSection(report, charts)} ${explanationsSection(report)}
          ${energySection(report)} ${evidenceSection(report)}
        </main>
        <footer>
          <p>
            Run ${model.runId}${model.modelDigest === null ? '' : `, model digest ${model.modelDigest}`}. Every figure on this page is taken from the evidence
            records listed above.
          </p>
        </footer>
      </body>
    </html> `;
  return page.markup;
}
