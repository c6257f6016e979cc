/**
 * The model card of a model version in both forms: the Model Card Toolkit document (plain JSON
 * object) and the HTML page, with the model report's charts rendered once and used by both (PNG
 * in the JSON, SVG in the page). Charts are CPU-bound (a fraction of a second each): render once
 * per export, not per request.
 */
import { renderReportCharts } from '../../../pipeline/assessment/report';
import type { ModelDossier } from '../dossier/model-dossier';
import type { ModelCard } from './model-card';
import { toModelCard } from './model-card.builder';
import { renderModelCardHtml } from './model-card.html';

export interface RenderedModelCard {
  /** The Model Card Toolkit v0.0.2 document, ready for `JSON.stringify`. */
  json: ModelCard;
  html: string;
}

export async function renderModelCard(dossier: ModelDossier): Promise<RenderedModelCard> {
  const charts = dossier.report === null ? {} : await renderReportCharts(dossier.report);
  const json = toModelCard(dossier, charts);
  return { json, html: renderModelCardHtml(json, charts) };
}
