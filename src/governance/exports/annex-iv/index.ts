/**
 * EU AI Act Annex IV technical documentation (Regulation (EU) 2024/1689) of a model version:
 * `annexIvDocument` builds the nine points from a model dossier, with explicit gaps where the
 * evidence is silent; `renderAnnexIvHtml` and `renderAnnexIvPdf` render it as one self-contained
 * HTML page and as a PDF. Pure library: no NestJS, no database, no clock. See README.md.
 */
export * from './annex-iv-document';
export { annexIvDocument, collectGaps, ANNEX_IV_TITLE } from './annex-iv.builder';
export { renderAnnexIvHtml } from './html/annex-iv.html';
export { renderAnnexIvPdf, type AnnexIvPdfOptions } from './pdf/annex-iv.pdf';
export { DEJAVU_SANS, DEJAVU_SANS_BOLD, type PdfFontFiles } from './pdf/pdf-fonts';
