/**
 * The look shared by every chart: one font for Vega's layout and resvg's rasteriser (so text is
 * measured and drawn with the same face), a white background, and colours with at least 3:1
 * contrast against white (WCAG 2.2 SC 1.4.11, non-text contrast). Marks never differ by colour
 * alone: a second channel (dash, shape, text) carries the same distinction.
 */
import type { Config } from 'vega-lite/build/index';

/** DejaVu ships with most Linux distributions (Debian's fonts-dejavu-core, under /usr/share/fonts/truetype/dejavu). */
export const CHART_FONT = 'DejaVu Sans';

/** Text and reference lines: #1a1a1a is 17:1 on white, #595959 is 7:1. */
export const COLOURS = {
  text: '#1a1a1a',
  reference: '#595959',
  /** Okabe–Ito blue (5.1:1) and vermillion (3.8:1): distinguishable with the common colour-vision deficiencies. */
  primary: '#0072B2',
  secondary: '#D55E00',
  grid: '#d9d9d9',
} as const;

export const CHART_CONFIG: Config = {
  background: 'white',
  font: CHART_FONT,
  padding: 8,
  title: { color: COLOURS.text, fontSize: 15, subtitleColor: COLOURS.text, subtitleFontSize: 12, anchor: 'start', offset: 10 },
  axis: {
    labelColor: COLOURS.text,
    titleColor: COLOURS.text,
    labelFontSize: 11,
    titleFontSize: 12,
    domainColor: COLOURS.reference,
    tickColor: COLOURS.reference,
    gridColor: COLOURS.grid,
  },
  legend: {
    labelColor: COLOURS.text,
    titleColor: COLOURS.text,
    labelFontSize: 11,
    titleFontSize: 12,
    orient: 'bottom',
    direction: 'vertical',
    labelLimit: 400,
  },
  header: { labelColor: COLOURS.text, titleColor: COLOURS.text },
  view: { stroke: COLOURS.grid },
  range: { category: [COLOURS.primary, COLOURS.secondary, COLOURS.reference] },
};

/** Recorded in every spec so a reader can validate it; never fetched. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
