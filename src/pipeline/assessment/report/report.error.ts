/** Every way building or rendering a model report can fail. The codes are stable API. */
export const REPORT_ERROR_CODES = [
  /** The data a chart needs is absent or undefined (an ROC curve of a single-class test set, no epochs, …). */
  'REPORT_CHART_DATA_MISSING',
  /** vega-lite or vega rejected a chart spec, or the SVG could not be rasterised. */
  'REPORT_CHART_RENDER_FAILED',
  /** A rendering option out of range (PNG width, …). */
  'REPORT_OPTION_INVALID',
] as const;

export type ReportErrorCode = (typeof REPORT_ERROR_CODES)[number];

/** JSON-safe context. Data values are never cited: a column name or group value may be personal data. */
export interface ReportErrorDetails {
  /** The chart concerned. */
  chart?: string;
  /** The option or argument at fault. */
  option?: string;
  /** The underlying library's message (vega, vega-lite, resvg). */
  cause?: string;
}

export class ReportError extends Error {
  override readonly name = 'ReportError';

  constructor(
    readonly code: ReportErrorCode,
    message: string,
    readonly details: ReportErrorDetails = {},
  ) {
    super(message);
  }
}
