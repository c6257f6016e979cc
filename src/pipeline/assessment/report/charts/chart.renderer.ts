/**
 * Renders a chart definition on the server with no browser and no canvas binary: vega-lite
 * compiles the spec to Vega, a headless Vega view (`renderer: 'none'`) writes SVG, and resvg
 * rasterises that SVG to PNG. Text is laid out by Vega's width estimate (there is no canvas to
 * measure it) and drawn by resvg with the chart font, so the output depends only on the input:
 * the same definition gives byte-identical SVG.
 */
import { Resvg } from '@resvg/resvg-js';
import { ReportError } from '../report.error';
import { loadVega } from '../vega-modules';
import type { ChartDefinition } from './chart-definition';
import { CHART_FONT } from './chart-theme';
import { finishSvg } from './svg-finish';

export const DEFAULT_PNG_WIDTH = 960;
export const MAX_PNG_WIDTH = 8192;

export interface ChartRenderOptions {
  /** PNG width in pixels; the height follows the SVG's aspect ratio. Default 960. */
  pngWidth?: number;
}

export interface RenderedChart extends ChartDefinition {
  /** A standalone SVG document (`<svg …>…</svg>`, no XML prolog), ready to inline in HTML. */
  svg: string;
  png: Buffer;
  /** Size of the SVG in CSS pixels. */
  width: number;
  height: number;
  pngWidth: number;
  pngHeight: number;
  /** What vega-lite and Vega warned about while compiling and running the spec; empty for the built-in charts. */
  warnings: string[];
}

/** Collects log output instead of printing it (vega-util's LoggerInterface). */
function collectingLogger(warnings: string[], errors: string[]) {
  let level = 2; // vega.Warn
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: unknown[]) {
      errors.push(args.map(String).join(' '));
      return logger;
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/**
 * A loader that loads nothing: chart data is inline, and a spec must not reach the network or the
 * disk. Vega only warns when a load fails, so the refusal is also recorded as an error.
 */
function refusingLoader(errors: string[]) {
  const refuse = (uri: string) => {
    const message = `chart specs may not load external resources (${String(uri).slice(0, 80)})`;
    errors.push(message);
    return Promise.reject(new Error(message));
  };
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

function checkedPngWidth(value: number | undefined): number {
  const width = value ?? DEFAULT_PNG_WIDTH;
  if (!Number.isInteger(width) || width < 16 || width > MAX_PNG_WIDTH) {
    throw new ReportError('REPORT_OPTION_INVALID', `pngWidth must be an integer in [16, ${MAX_PNG_WIDTH}]`, { option: 'pngWidth' });
  }
  return width;
}

async function vegaSvg(chart: ChartDefinition, warnings: string[]): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const errors: string[] = [];
  const logger = collectingLogger(warnings, errors);
  const compiled = vegaLite.compile(chart.vegaLite, { logger });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger, loader: refusingLoader(errors) });
  try {
    const svg = await view.toSVG();
    if (errors.length > 0) throw new Error(errors.join('; '));
    return svg;
  } finally {
    view.finalize();
  }
}

export async function renderChart(chart: ChartDefinition, options: ChartRenderOptions = {}): Promise<RenderedChart> {
  const pngWidth = checkedPngWidth(options.pngWidth);
  const warnings: string[] = [];
  let raw: string;
  try {
    raw = await vegaSvg(chart, warnings);
  } catch (error) {
    throw new ReportError('REPORT_CHART_RENDER_FAILED', `chart ${chart.name} could not be rendered`, { chart: chart.name, cause: String(error) });
  }
  const svg = finishSvg(raw, chart.name, chart.title, chart.description);
  const width = Number(/\swidth="([\d.]+)"/.exec(svg)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(svg)?.[1]);
  try {
    const image = new Resvg(svg, {
      fitTo: { mode: 'width', value: pngWidth },
      background: 'white',
      font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
    }).render();
    return { ...chart, svg, png: image.asPng(), width, height, pngWidth: image.width, pngHeight: image.height, warnings };
  } catch (error) {
    throw new ReportError('REPORT_CHART_RENDER_FAILED', `chart ${chart.name} could not be rasterised`, { chart: chart.name, cause: String(error) });
  }
}
