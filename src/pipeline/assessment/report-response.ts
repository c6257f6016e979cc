import type { Response } from 'express';
import type { ModelReport } from './report';
import type { ReportPagesService } from './report-pages.service';

/** `format=html`, or a browser asking for HTML first, gets the page; everyone else the JSON. */
export function wantsHtml(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'html';
  const first = (accept ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('text/html');
}

/** Sends a report as JSON or as its HTML page (same content, self-contained). */
export async function sendReport(pages: ReportPagesService, report: ModelReport, html: boolean, response: Response): Promise<ModelReport | undefined> {
  if (!html) return report;
  response.type('text/html; charset=utf-8').send(await pages.html(report));
  return undefined;
}

export async function sendChart(pages: ReportPagesService, report: ModelReport, file: string, response: Response): Promise<void> {
  const chart = await pages.chart(report, file);
  response.type(chart.contentType).send(chart.body);
}
