/**
 * Fonts of the PDF. DejaVu Sans (regular and bold) is embedded when installed, so the text keeps
 * its characters; without it the built-in Helvetica is used, which can only show WinAnsi
 * (Windows-1252), and any other character becomes '?' (after spelling out the few symbols this
 * document itself writes, such as ≥ and σ). With an embedded font, a character it has no glyph
 * for also becomes '?', so nothing silently disappears from the page.
 */
import { existsSync } from 'node:fs';
import type PDFDocument from 'pdfkit';

/** A pdfkit document (the module's export is typed as the document itself). */
export type PdfDoc = typeof PDFDocument;

export const DEJAVU_SANS = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
export const DEJAVU_SANS_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

/** Font files to embed; `null` forces the built-in Helvetica (as on a machine without DejaVu). */
export interface PdfFontFiles {
  regular: string;
  bold: string;
}

export const DEFAULT_FONT_FILES: PdfFontFiles = { regular: DEJAVU_SANS, bold: DEJAVU_SANS_BOLD };

export interface PdfFonts {
  regular: string;
  bold: string;
  embedded: boolean;
  /** The text as this font can show it. */
  clean: (text: string) => string;
}

const WIN_ANSI_EXTRA = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013,
  0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);

const SPELLED: Readonly<Record<string, string>> = { '≥': '>=', '≤': '<=', '→': '->', σ: 'sigma', ε: 'epsilon', δ: 'delta', '∞': 'infinity', '≈': '~' };

function isWinAnsi(codePoint: number): boolean {
  return (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff) || codePoint === 0x0a || WIN_ANSI_EXTRA.has(codePoint);
}

/** Text for the built-in fonts: WinAnsi only, anything else '?'. */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text) {
    const spelled = SPELLED[char];
    if (spelled !== undefined) out += spelled;
    else out += isWinAnsi(char.codePointAt(0) ?? 0) ? char : '?';
  }
  return out;
}

/** pdfkit keeps the fontkit font of an embedded font as `font`; read it defensively (not a public API). */
type GlyphCheck = (codePoint: number) => boolean;

function glyphCheck(doc: PdfDoc): GlyphCheck | null {
  const font = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: unknown } } })._font?.font;
  const has = font?.hasGlyphForCodePoint;
  return typeof has === 'function' ? (codePoint) => (has as (cp: number) => boolean).call(font, codePoint) : null;
}

function withGlyphs(text: string, has: GlyphCheck | null): string {
  if (has === null) return text;
  let out = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    out += codePoint < 0x20 || has(codePoint) ? char : '?';
  }
  return out;
}

/** Registers the fonts on `doc` and returns their names; `files` null or missing on disk → Helvetica. */
export function registerFonts(doc: PdfDoc, files: PdfFontFiles | null = DEFAULT_FONT_FILES): PdfFonts {
  if (files !== null && existsSync(files.regular)) {
    doc.registerFont('AssayRegular', files.regular);
    doc.registerFont('AssayBold', existsSync(files.bold) ? files.bold : files.regular);
    doc.font('AssayRegular');
    const regularHas = glyphCheck(doc);
    doc.font('AssayBold');
    const boldHas = glyphCheck(doc);
    doc.font('AssayRegular');
    const has: GlyphCheck | null = regularHas && boldHas ? (cp) => regularHas(cp) && boldHas(cp) : null;
    return { regular: 'AssayRegular', bold: 'AssayBold', embedded: true, clean: (text) => withGlyphs(text, has) };
  }
  doc.font('Helvetica');
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', embedded: false, clean: toWinAnsi };
}
