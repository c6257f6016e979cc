/**
 * The documents of a bundle's `documents/` folder, each in its public format, generated from the
 * dossier: model card (Model Card Toolkit v0.0.2 JSON + HTML), CycloneDX 1.6 ML-BOM, lineage as
 * W3C PROV-JSON and OpenLineage run events, EU AI Act Annex IV technical documentation (HTML +
 * PDF), and each dataset version's datasheet.
 */
import { annexIvDocument, renderAnnexIvHtml, renderAnnexIvPdf } from './annex-iv';
import { toCycloneDxBom } from './cyclonedx';
import type { ModelDossier } from './dossier/model-dossier';
import { toModelOpenLineageEvents, toModelProvJson } from './lineage';
import { renderModelCard } from './model-card';

export const DOCUMENT_FILES = {
  modelCard: 'documents/model-card.json',
  modelCardHtml: 'documents/model-card.html',
  cycloneDx: 'documents/ml-bom.cdx.json',
  prov: 'documents/lineage.prov.json',
  openLineage: 'documents/lineage.openlineage.json',
  annexIvHtml: 'documents/annex-iv.html',
  annexIvPdf: 'documents/annex-iv.pdf',
} as const;

export const datasheetFile = (datasetVersionId: string): string => `documents/datasheets/${datasetVersionId}.json`;

const json = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

export async function renderDossierDocuments(dossier: ModelDossier): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const card = await renderModelCard(dossier);
  files.set(DOCUMENT_FILES.modelCard, json(card.json));
  files.set(DOCUMENT_FILES.modelCardHtml, Buffer.from(card.html, 'utf8'));
  files.set(DOCUMENT_FILES.cycloneDx, json(toCycloneDxBom(dossier)));
  files.set(DOCUMENT_FILES.prov, json(toModelProvJson(dossier)));
  files.set(DOCUMENT_FILES.openLineage, json(toModelOpenLineageEvents(dossier)));
  const annex = annexIvDocument(dossier);
  files.set(DOCUMENT_FILES.annexIvHtml, Buffer.from(renderAnnexIvHtml(annex), 'utf8'));
  files.set(DOCUMENT_FILES.annexIvPdf, await renderAnnexIvPdf(annex));
  for (const sheet of dossier.datasheets) files.set(datasheetFile(sheet.datasetVersionId), json(sheet));
  return files;
}
