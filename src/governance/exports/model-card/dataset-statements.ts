/**
 * What the exports say about each dataset version the model saw: a description with its shape and
 * digests and its datasheet's summary, the sensitive data it holds (declared in the datasheet or
 * found by the privacy scan), and the datasheet body the evidence document summarised.
 */
import type { DatasetEvidence } from '../../evidence-document';
import type { ModelDossier } from '../dossier/model-dossier';
import { NOT_RECORDED, datasetLabel } from './risk-statements';

/** The datasheet body (`datasheet.recorded`) the document summarised for `dataset`; null when there is none. */
export function datasheetOf(dossier: ModelDossier, dataset: DatasetEvidence): Record<string, unknown> | null {
  const digest = dataset.datasheet?.digest;
  return digest === undefined ? null : (dossier.datasheets.find((entry) => entry.recordDigest === digest)?.datasheet ?? null);
}

export function datasetDescription(dataset: DatasetEvidence): string {
  const sheet = dataset.datasheet;
  const shape =
    `${datasetLabel(dataset)}: dataset ${dataset.datasetId}, version id ${dataset.versionId}, ${dataset.rows} rows × ${dataset.columns} columns, ` +
    `from ${dataset.origin === 'upload' ? 'an upload' : 'a transformation'}; table digest ${dataset.tableDigest}` +
    `${dataset.rawDigest === null ? '' : `; raw digest ${dataset.rawDigest}`}.`;
  if (sheet === null) return `${shape} Datasheet: ${NOT_RECORDED}.`;
  const completeness = sheet.complete ? 'complete' : `incomplete, missing ${sheet.missing.join(', ')}`;
  const sources = sheet.sources.map((source) => `${source.name} (${source.kind})`).join(', ');
  return (
    `${shape} Datasheet ${sheet.digest} (${completeness}): purpose: ${sheet.purpose}; sources: ${sources || NOT_RECORDED}; ` +
    `licence: ${sheet.licence ?? NOT_RECORDED}; label column: ${sheet.labelColumn ?? NOT_RECORDED}.`
  );
}

/** Columns and categories of sensitive data, each with why it is listed; [] when none is declared or found. */
export function sensitiveData(dossier: ModelDossier, dataset: DatasetEvidence): string[] {
  const sheet = dataset.datasheet;
  const scans = dossier.document.privacy?.scans.filter((scan) => scan.datasetVersionId === dataset.versionId) ?? [];
  return [
    ...(sheet?.sensitiveAttributes ?? []).map((column) => `${column} (sensitive attribute)`),
    ...(sheet?.quasiIdentifiers ?? []).map((column) => `${column} (quasi-identifier)`),
    ...(sheet?.specialCategories ?? []).map((category) => `${category} (special-category personal data)`),
    ...[...new Set(scans.flatMap((scan) => scan.piiColumns))].map((column) => `${column} (personal data found by the privacy scan)`),
  ];
}

/** How the datasheet classifies the data: personal or not, how identifiable, special categories; null without a datasheet. */
export function dataClassification(dataset: DatasetEvidence): string | null {
  const sheet = dataset.datasheet;
  if (sheet === null) return null;
  if (!sheet.personalData) return 'no personal data (declared in the datasheet)';
  const kind = sheet.specialCategoryData ? 'special-category personal data' : 'personal data';
  return `${kind} (${sheet.identifiability ?? `identifiability ${NOT_RECORDED}`})`;
}
