/**
 * The Annex IV document as a PDF (pdfkit): a title page with the document's identity, notice and
 * contents (with page numbers and links), the gap summary, then the nine points with the same
 * items, tables and gaps as the HTML page; page numbers in every footer; bookmarks per point.
 * Deterministic: CreationDate and ModDate are the dossier's `generatedAt`, and pdfkit derives the
 * file ID from the metadata, so the same document and the same fonts give the same bytes.
 */
import PDFDocument from 'pdfkit';
import type { AnnexIvBlock, AnnexIvCell, AnnexIvDocument, AnnexIvItem, AnnexIvPoint } from '../annex-iv-document';
import { DEFAULT_FONT_FILES, registerFonts, type PdfDoc, type PdfFontFiles } from './pdf-fonts';
import { PdfWriter, SIZES } from './pdf-writer';

export interface AnnexIvPdfOptions {
  /** Font files to embed; null forces the built-in Helvetica. Defaults to DejaVu Sans. */
  fonts?: PdfFontFiles | null;
}

const MARGINS = { top: 56, bottom: 56, left: 50, right: 50 };
const CONTENTS_GAP = 4;

const cellText = (cell: AnnexIvCell): string => (typeof cell === 'string' ? cell : cell.text);

function writeBlock(writer: PdfWriter, block: AnnexIvBlock): void {
  switch (block.type) {
    case 'paragraph':
      writer.paragraph(block.text);
      return;
    case 'facts':
      writer.table(
        block.rows.map((row) => [row.label, cellText(row.value)]),
        { widths: [32, 68], labelColumn: true },
      );
      return;
    case 'table':
      writer.table(
        block.rows.map((row) => row.map(cellText)),
        { caption: block.caption, columns: block.columns },
      );
      return;
    case 'list':
      writer.paragraph(block.caption, { bold: true });
      writer.bullets(block.items);
      return;
    case 'gap':
      writer.gap(block.part, block.reason);
      return;
  }
}

function writeItem(writer: PdfWriter, item: AnnexIvItem): void {
  writer.heading(`${item.reference} — ${item.title}`, SIZES.h2, { destination: item.id, keep: 50 });
  if (item.content.status === 'gap') writer.gap(null, item.content.reason);
  else for (const block of item.content.blocks) writeBlock(writer, block);
  if (item.sources.length > 0) {
    writer.paragraph(`Evidence: ${item.sources.map((source) => `${source.kind} ${source.digest}`).join('; ')}`, { size: SIZES.small, color: '#404040' });
  }
}

/** Writes the point; returns the page its heading is on. */
function writePoint(writer: PdfWriter, point: AnnexIvPoint): number {
  const page = writer.heading(`${point.number}. ${point.title} (${point.reference})`, SIZES.h1, {
    destination: `point-${point.number}`,
    keep: 90,
    outline: true,
  });
  for (const item of point.items) writeItem(writer, item);
  return page;
}

function writeTitlePage(writer: PdfWriter, document: AnnexIvDocument): void {
  const { model } = document;
  writer.paragraph(document.regulation, { size: SIZES.small, color: '#404040' });
  writer.heading(document.title, SIZES.title, { keep: 0 });
  writer.table(
    [
      ['AI system (model)', model.name],
      ['Version', `${model.version} (model version id ${model.versionId})`],
      ['Risk tier', model.riskTier],
      ['Generated', `${document.generatedAt} by ${document.generator.name} ${document.generator.version}`],
      ['Evidence document', `${document.evidenceDocumentDigest} (assembled ${document.evidenceAssembledAt})`],
      ...(document.checkpoint === null
        ? []
        : [['Ledger checkpoint', `${document.checkpoint.origin}, tree size ${document.checkpoint.treeSize}, root hash ${document.checkpoint.rootHash}`]]),
      ['Gaps', `${document.gaps.length} (listed on the next page)`],
    ],
    { widths: [28, 72], labelColumn: true },
  );
  for (const text of document.notice) writer.paragraph(text);
  writer.heading('Contents', SIZES.h1, { keep: 0 });
}

interface ContentsEntry {
  title: string;
  destination: string;
  page: number;
}

/** Contents lines on the title page, written once the page of every point is known. */
function writeContents(writer: PdfWriter, y: number, entries: readonly ContentsEntry[]): void {
  const { doc } = writer;
  doc.switchToPage(0);
  let top = y;
  for (const entry of entries) {
    const title = writer.fonts.clean(entry.title);
    doc.fillColor('#0b4f8a').font(writer.fonts.regular).fontSize(SIZES.body);
    const height = doc.heightOfString(title, { width: writer.width - 40 });
    doc.text(title, writer.left, top, { width: writer.width - 40, goTo: entry.destination });
    doc.text(String(entry.page), writer.left + writer.width - 40, top, { width: 40, align: 'right', lineBreak: false });
    top += height + CONTENTS_GAP;
  }
  doc.fillColor('#1a1a1a');
}

function writeFooters(writer: PdfWriter, document: AnnexIvDocument): void {
  const { doc } = writer;
  const range = doc.bufferedPageRange();
  const label = writer.fonts.clean(`Annex IV technical documentation — ${document.model.name} v${document.model.version}`);
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const { margins } = doc.page;
    const saved = margins.bottom;
    margins.bottom = 0;
    const y = doc.page.height - saved + 18;
    doc.fillColor('#404040').font(writer.fonts.regular).fontSize(SIZES.small);
    doc.text(label, margins.left, y, { width: writer.width - 90, lineBreak: false, ellipsis: true });
    doc.text(`Page ${index + 1} of ${range.count}`, margins.left + writer.width - 90, y, { width: 90, align: 'right', lineBreak: false });
    margins.bottom = saved;
  }
}

function collect(doc: PdfDoc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

export async function renderAnnexIvPdf(document: AnnexIvDocument, options: AnnexIvPdfOptions = {}): Promise<Buffer> {
  const date = new Date(document.generatedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: `${document.title}: ${document.model.name} v${document.model.version}`,
      Author: 'Assay',
      Subject: `${document.regulation}; evidence document ${document.evidenceDocumentDigest}`,
      Keywords: 'EU AI Act, Annex IV, technical documentation',
      Creator: `Assay ${document.generator.version}`,
      CreationDate: date,
      ModDate: date,
    },
  });
  const done = collect(doc);
  const writer = new PdfWriter(doc, registerFonts(doc, options.fonts === undefined ? DEFAULT_FONT_FILES : options.fonts));

  writeTitlePage(writer, document);
  const contentsY = doc.y;
  const entries: ContentsEntry[] = [];

  doc.addPage();
  entries.push({ title: 'Summary of gaps', destination: 'gaps', page: writer.heading('Summary of gaps', SIZES.h1, { destination: 'gaps', outline: true }) });
  if (document.gaps.length === 0) writer.paragraph('No gaps: every item is filled from the evidence.');
  else {
    writer.table(
      document.gaps.map((gap) => [gap.reference, gap.itemTitle, `Gap: ${gap.part ?? 'the whole item'}`, gap.reason]),
      {
        caption: `${document.gaps.length} gaps: what the evidence does not show`,
        columns: ['Reference', 'Item', 'Missing', 'Reason'],
        widths: [14, 24, 24, 38],
      },
    );
  }

  for (const point of document.points) {
    if (point.number === 1) doc.addPage();
    const page = writePoint(writer, point);
    entries.push({ title: `${point.reference}: ${point.title}`, destination: `point-${point.number}`, page });
  }

  writeContents(writer, contentsY, entries);
  writeFooters(writer, document);
  doc.end();
  return done;
}
