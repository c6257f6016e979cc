/** A chart before rendering: its file-safe name, its accessible text and its Vega-Lite spec. */
// Type-only, by path: vega-lite declares its types under package exports, which moduleResolution node cannot see.
import type { PositionDef as VlPositionDef } from 'vega-lite/build/channeldef';
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { LayerSpec as VlLayerSpec, UnitSpec as VlUnitSpec } from 'vega-lite/build/spec/index';

export type ChartSpec = TopLevelSpec;
export type LayerSpec = VlLayerSpec<string>;
export type UnitSpec = VlUnitSpec<string>;
export type PositionDef = VlPositionDef<string>;

/** A quantitative position on [0, 1] (rates, probabilities). */
export function unitInterval(field: string, title?: string): PositionDef {
  return { field, type: 'quantitative', scale: { domain: [0, 1] }, ...(title === undefined ? {} : { title }) };
}

export interface ChartDefinition {
  /** File-safe and unique within a report (`roc`, `fairness-1-sex`): the lead serves `…/report/charts/<name>.svg`. */
  name: string;
  /** Also the SVG's `<title>` and the spec's title. */
  title: string;
  /** A text alternative stating what the chart shows and its key numbers; the SVG's `<desc>` and the spec's `description`. */
  description: string;
  vegaLite: ChartSpec;
}

/**
 * `prefix-<slug>`: lower-case ASCII letters, digits and dashes only, at most 60 characters, so a
 * hostile column name cannot escape a URL path segment or a file name.
 */
export function chartName(prefix: string, text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? prefix : `${prefix}-${slug}`;
}
