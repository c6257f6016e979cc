/**
 * Layout primitives for the Annex IV PDF on top of pdfkit: headings, paragraphs, gap boxes and
 * tables that break across pages (the header row is repeated on every page; a row is never
 * split, and a row taller than a page is written as labelled paragraphs instead). Every string
 * passes through the font's `clean` (pdf-fonts.ts) before it is measured or written.
 */
import type { PdfDoc, PdfFonts } from './pdf-fonts';

export const SIZES = { title: 18, h1: 14, h2: 11, body: 9, table: 7.5, small: 7 } as const;

const PAD = 3;
const WORD_KEEP = 130;
const WORD_BROKEN = 60;
const GAP_TEXT = '#7a2e00';
const GAP_FILL = '#fff4e5';
const RULE = '#8c8c8c';
const HEADER_FILL = '#eeeeee';

export interface TableOptions {
  caption?: string;
  /** Header cells; omitted for a two-column facts table. */
  columns?: string[];
  /** Relative widths; computed from the content when omitted. */
  widths?: number[];
  /** Whether the first column is a label column (bold). */
  labelColumn?: boolean;
}

export class PdfWriter {
  constructor(
    readonly doc: PdfDoc,
    readonly fonts: PdfFonts,
  ) {}

  get left(): number {
    return this.doc.page.margins.left;
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  get top(): number {
    return this.doc.page.margins.top;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  space(points: number): void {
    this.doc.y = Math.min(this.doc.y + points, this.bottom);
  }

  private measure(text: string, font: string, size: number, width: number): number {
    this.doc.font(font).fontSize(size);
    return this.doc.heightOfString(text, { width });
  }

  /**
   * A heading kept with at least `keep` points of what follows; `destination` names it for links.
   * Returns the (1-based) page it is on: pages are written in order, so that is the last page.
   */
  heading(text: string, size: number, options: { destination?: string; keep?: number; outline?: boolean } = {}): number {
    const clean = this.fonts.clean(text);
    const height = this.measure(clean, this.fonts.bold, size, this.width);
    this.ensure(height + (options.keep ?? 40));
    this.space(size * 0.6);
    if (options.destination !== undefined) this.doc.addNamedDestination(options.destination, 'XYZ', null, this.doc.y, null);
    if (options.outline) this.doc.outline.addItem(clean);
    const page = this.doc.bufferedPageRange().count;
    this.doc.fillColor('#1a1a1a').font(this.fonts.bold).fontSize(size).text(clean, this.left, this.doc.y, { width: this.width });
    this.space(size * 0.3);
    return page;
  }

  paragraph(text: string, options: { size?: number; bold?: boolean; color?: string } = {}): void {
    const clean = this.fonts.clean(text);
    const size = options.size ?? SIZES.body;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    this.ensure(Math.min(this.measure(clean, font, size, this.width), size * 3));
    this.doc
      .fillColor(options.color ?? '#1a1a1a')
      .font(font)
      .fontSize(size)
      .text(clean, this.left, this.doc.y, { width: this.width });
    this.space(size * 0.4);
  }

  bullets(items: readonly string[]): void {
    for (const item of items) this.paragraph(`•  ${item}`);
  }

  /** A boxed, labelled gap: the word "Gap:" in bold, then the missing part and the reason. */
  gap(part: string | null, reason: string): void {
    const label = this.fonts.clean('Gap: ');
    const body = this.fonts.clean(part === null ? reason : `${part} — ${reason}`);
    const inner = this.width - 2 * PAD - 6;
    const height = this.measure(label + body, this.fonts.bold, SIZES.body, inner) + 2 * PAD;
    this.ensure(Math.min(height, this.bottom - this.top));
    const y = this.doc.y;
    this.doc.save().rect(this.left, y, this.width, height).fill(GAP_FILL).restore();
    this.doc.save().rect(this.left, y, 3, height).fill(GAP_TEXT).restore();
    this.doc.save().lineWidth(0.75).dash(3, { space: 2 }).rect(this.left, y, this.width, height).stroke(GAP_TEXT).undash().restore();
    this.doc
      .fillColor(GAP_TEXT)
      .font(this.fonts.bold)
      .fontSize(SIZES.body)
      .text(label, this.left + 6 + PAD, y + PAD, { width: inner, continued: true })
      .font(this.fonts.regular)
      .text(body);
    this.doc.y = Math.max(this.doc.y, y + height);
    this.doc.fillColor('#1a1a1a');
    this.space(4);
  }

  /**
   * Column widths: every column at least as wide as its longest word (unless that word must break anyway), the rest of
   * the line shared in proportion to how much text each column holds, and no column wider than
   * its longest line. Proportional to the text, so rows come out about evenly tall.
   */
  private columnWidths(rows: readonly string[][], columns: number, fixed?: number[]): number[] {
    const total = this.width;
    if (fixed !== undefined) {
      const sum = fixed.reduce((a, b) => a + b, 0);
      return fixed.map((w) => (w / sum) * total);
    }
    this.doc.font(this.fonts.bold).fontSize(SIZES.table);
    const indexes = Array.from({ length: columns }, (_, index) => index);
    const cells = indexes.map((index) => rows.map((row) => row[index] ?? ''));
    const longest = cells.map((texts) => Math.max(0, ...texts.map((text) => this.doc.widthOfString(text))) + 2 * PAD + 1);
    // A word up to WORD_KEEP wide is kept whole; a longer one (a digest, an id) is broken anyway, so its column may be narrow.
    const word = cells.map((texts) => {
      const widest = Math.max(0, ...texts.flatMap((text) => text.split(/\s+/).map((w) => this.doc.widthOfString(w))));
      return (widest <= WORD_KEEP ? widest : WORD_BROKEN) + 2 * PAD + 1;
    });
    const volume = cells.map((texts) => texts.reduce((sum, text) => sum + this.doc.widthOfString(text), 0) + 1);
    const natural = longest.reduce((a, b) => a + b, 0);
    if (natural <= total) return longest.map((w) => (w / natural) * total);
    const words = word.reduce((a, b) => a + b, 0);
    const widths = word.map((w) => (words <= total ? w : (w / words) * total));
    let open = indexes.filter((index) => (widths[index] ?? 0) < (longest[index] ?? 0));
    let spare = total - widths.reduce((a, b) => a + b, 0);
    while (spare > 0.5 && open.length > 0) {
      const weight = open.reduce((sum, index) => sum + (volume[index] ?? 0), 0);
      let used = 0;
      for (const index of open) {
        const share = (spare * (volume[index] ?? 0)) / weight;
        const room = (longest[index] ?? 0) - (widths[index] ?? 0);
        const add = Math.min(share, room);
        widths[index] = (widths[index] ?? 0) + add;
        used += add;
      }
      spare -= used;
      open = open.filter((index) => (widths[index] ?? 0) < (longest[index] ?? 0) - 0.01);
    }
    return widths;
  }

  private rowHeight(cells: readonly string[], widths: readonly number[], bold: (index: number) => boolean): number {
    const heights = cells.map((text, index) =>
      this.measure(text, bold(index) ? this.fonts.bold : this.fonts.regular, SIZES.table, (widths[index] ?? 0) - 2 * PAD),
    );
    return Math.max(...heights, SIZES.table) + 2 * PAD;
  }

  private drawRow(cells: readonly string[], widths: readonly number[], height: number, options: { header: boolean; bold: (index: number) => boolean }): void {
    const y = this.doc.y;
    let x = this.left;
    cells.forEach((text, index) => {
      const width = widths[index] ?? 0;
      if (options.header) this.doc.save().rect(x, y, width, height).fill(HEADER_FILL).restore();
      this.doc.save().lineWidth(0.5).rect(x, y, width, height).stroke(RULE).restore();
      this.doc
        .fillColor('#1a1a1a')
        .font(options.bold(index) ? this.fonts.bold : this.fonts.regular)
        .fontSize(SIZES.table)
        .text(text, x + PAD, y + PAD, { width: width - 2 * PAD });
      x += width;
    });
    this.doc.x = this.left;
    this.doc.y = y + height;
  }

  /** A table that continues on the next page with its header repeated. */
  table(rows: readonly string[][], options: TableOptions = {}): void {
    const header = options.columns?.map((column) => this.fonts.clean(column));
    const body = rows.map((row) => row.map((cell) => this.fonts.clean(cell)));
    const count = header?.length ?? Math.max(...body.map((row) => row.length));
    const widths = this.columnWidths(header ? [header, ...body] : body, count, options.widths);
    const boldHeader = () => true;
    const boldBody = (index: number) => options.labelColumn === true && index === 0;
    const headerHeight = header ? this.rowHeight(header, widths, boldHeader) : 0;
    const caption = options.caption === undefined ? null : this.fonts.clean(options.caption);
    const captionHeight = caption === null ? 0 : this.measure(caption, this.fonts.bold, SIZES.body, this.width) + 2;
    const firstHeight = body[0] ? this.rowHeight(body[0], widths, boldBody) : 0;
    this.ensure(captionHeight + headerHeight + Math.min(firstHeight, 60));
    if (caption !== null) {
      this.doc.fillColor('#1a1a1a').font(this.fonts.bold).fontSize(SIZES.body).text(caption, this.left, this.doc.y, { width: this.width });
      this.space(2);
    }
    if (header) this.drawRow(header, widths, headerHeight, { header: true, bold: boldHeader });
    const room = this.bottom - this.top - headerHeight;
    for (const row of body) {
      const height = this.rowHeight(row, widths, boldBody);
      if (height > room) {
        this.tallRow(row, header);
        continue;
      }
      if (this.doc.y + height > this.bottom) {
        this.doc.addPage();
        if (header) this.drawRow(header, widths, headerHeight, { header: true, bold: boldHeader });
      }
      this.drawRow(row, widths, height, { header: false, bold: boldBody });
    }
    this.space(6);
  }

  /** A row too tall for any page: each cell as a labelled paragraph that flows across pages. */
  private tallRow(row: readonly string[], header: readonly string[] | undefined): void {
    row.forEach((text, index) => {
      const label = header?.[index];
      this.doc
        .fillColor('#1a1a1a')
        .font(this.fonts.bold)
        .fontSize(SIZES.table)
        .text(label === undefined ? '' : `${label}: `, this.left, this.doc.y, { width: this.width, continued: true })
        .font(this.fonts.regular)
        .text(text);
    });
    this.space(4);
  }
}
