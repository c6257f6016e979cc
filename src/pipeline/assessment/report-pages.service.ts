import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AssayException } from '../../platform/errors/assay.exception';
import { renderModelReport, type ModelReport, type RenderedModelReport } from './report';

const CAPACITY = 16;
const CHART_FILE = /^([a-z0-9-]{1,120})\.(svg|png)$/;

/**
 * The HTML page and chart files of a model report. Rendering costs a few tenths of a second per
 * chart and blocks while rasterising, so a rendering is kept (few, least recently used out) and
 * reused until the report's evidence changes.
 */
@Injectable()
export class ReportPagesService {
  private readonly rendered = new Map<string, Promise<RenderedModelReport>>();

  html(report: ModelReport): Promise<string> {
    return this.render(report).then((page) => page.html);
  }

  async chart(report: ModelReport, file: string): Promise<{ contentType: string; body: string | Buffer }> {
    const match = CHART_FILE.exec(file);
    if (!match) throw new AssayException('REPORT_CHART_NOT_FOUND', `No chart ${file}: ask for <name>.svg or <name>.png`);
    const chart = (await this.render(report)).charts[match[1]!];
    if (!chart) throw new AssayException('REPORT_CHART_NOT_FOUND', `This report has no chart ${match[1]!}`);
    return match[2] === 'svg' ? { contentType: 'image/svg+xml; charset=utf-8', body: chart.svg } : { contentType: 'image/png', body: chart.png };
  }

  private render(report: ModelReport): Promise<RenderedModelReport> {
    const key = createHash('sha256')
      .update(JSON.stringify([report.model, report.evidence.map((e) => e.digest)]))
      .digest('hex');
    let page = this.rendered.get(key);
    if (page) this.rendered.delete(key);
    else {
      page = renderModelReport(report);
      page.catch(() => this.rendered.delete(key));
    }
    this.rendered.set(key, page);
    while (this.rendered.size > CAPACITY) this.rendered.delete(this.rendered.keys().next().value as string);
    return page;
  }
}
