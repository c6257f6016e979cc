import { existsSync } from 'node:fs';
import { modelDossierFixture } from '../../dossier/dossier.fixture';
import type { ModelDossier } from '../../dossier/model-dossier';
import { annexIvDocument, DEJAVU_SANS, renderAnnexIvPdf } from '..';
import { withoutEvidence } from '../annex-iv.fixture';
import { toWinAnsi } from './pdf-fonts';

interface PdfJs {
  getDocument(options: Record<string, unknown>): { promise: Promise<PdfProxy> };
}
interface PdfProxy {
  numPages: number;
  getPage(n: number): Promise<{ getTextContent(): Promise<{ items: Array<{ str?: string }> }> }>;
  getMetadata(): Promise<{ info: Record<string, unknown> }>;
  destroy(): Promise<void>;
}

/**
 * pdfjs-dist is ESM only: a native import() that tsc and swc do not rewrite to require(). The
 * source differs per call so V8 does not reuse a body compiled in an earlier (torn-down) Jest
 * context (see src/pipeline/assessment/report/vega-modules.ts).
 */
function nativeImport(specifier: string): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- fixed code, no input: a native import() tsc must not rewrite.
  const load = new Function('specifier', `return import(specifier); // ${Date.now()}-${Math.random()}`) as (s: string) => Promise<unknown>;
  return load(specifier);
}

interface ParsedPdf {
  numPages: number;
  pages: string[];
  text: string;
  info: Record<string, unknown>;
}

async function parse(pdf: Buffer): Promise<ParsedPdf> {
  const pdfjs = (await nativeImport('pdfjs-dist/legacy/build/pdf.mjs')) as PdfJs;
  const proxy = await pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 })
    .promise;
  const pages: string[] = [];
  for (let n = 1; n <= proxy.numPages; n += 1) {
    const content = await (await proxy.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((item) => item.str ?? '')
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  const { info } = await proxy.getMetadata();
  const numPages = proxy.numPages;
  await proxy.destroy();
  return { numPages, pages, text: pages.join(' '), info };
}

describe('renderAnnexIvPdf', () => {
  let dossier: ModelDossier;
  let pdf: Buffer;
  let parsed: ParsedPdf;

  beforeAll(async () => {
    dossier = await modelDossierFixture();
    pdf = await renderAnnexIvPdf(annexIvDocument(dossier));
    parsed = await parse(pdf);
  });

  it('opens, with the model, the Annex IV headings and the measured values as text', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(parsed.numPages).toBeGreaterThan(3);
    expect(parsed.text).toContain('credit-scoring');
    expect(parsed.text).toContain('Annex IV(2)(d)');
    expect(parsed.text).toContain('2. Detailed description of the elements of the AI system');
    expect(parsed.text).toMatch(/Accuracy \(accuracy\) 0\.933 0\.883 0\.975/);
  });

  it('carries the document metadata, dated by the dossier', () => {
    expect(parsed.info.Title).toContain('credit-scoring v1');
    expect(parsed.info.Author).toBe('Assay');
    expect(parsed.info.CreationDate).toBe('D:20261129100000Z');
  });

  it('numbers every page in the footer and lists the points with their pages', () => {
    parsed.pages.forEach((text, index) => expect(text).toContain(`Page ${index + 1} of ${parsed.numPages}`));
    expect(parsed.pages[0]).toContain('Contents');
    expect(parsed.pages[0]).toContain('Annex IV(9): Post-market monitoring system');
  });

  it('continues long tables on the next pages with their header', () => {
    const withRuleHeader = parsed.pages.filter((text) => text.includes('Observed values'));
    expect(withRuleHeader.length).toBeGreaterThan(1);
  });

  it('shows the gaps of a dossier with missing sections', async () => {
    const gapped = await parse(await renderAnnexIvPdf(annexIvDocument(withoutEvidence(dossier))));
    expect(gapped.text).toContain('Gap:');
    expect(gapped.text).toContain('Summary of gaps');
    expect(gapped.text).toContain('No evaluation on held-out test data is recorded');
    expect(gapped.text).toContain('The evidence document has no monitoring section');
    expect(gapped.text).toContain('No datasheet is recorded for this dataset version');
    expect(gapped.text).toContain('The evidence document has no energy measurement');
  });

  it('gives the same bytes for the same document', async () => {
    const again = await renderAnnexIvPdf(annexIvDocument(structuredClone(dossier)));
    expect(again.equals(pdf)).toBe(true);
  });

  it('falls back to Helvetica without DejaVu, replacing what WinAnsi cannot show', async () => {
    const odd = structuredClone(dossier);
    odd.document.model.name = 'credit-scoring 信用 ≥ café';
    const fallback = await renderAnnexIvPdf(annexIvDocument(odd), { fonts: null });
    const text = (await parse(fallback)).text;
    expect(text).toContain('credit-scoring ?? >= café');
    expect(text).toContain('Gap:');
    expect(fallback.equals(await renderAnnexIvPdf(annexIvDocument(odd), { fonts: null }))).toBe(true);
  });

  (existsSync(DEJAVU_SANS) ? it : it.skip)('embeds DejaVu Sans when installed, keeping its characters', async () => {
    const odd = structuredClone(dossier);
    odd.document.model.name = 'credit-scoring ≥ café σ';
    const text = (await parse(await renderAnnexIvPdf(annexIvDocument(odd)))).text;
    expect(text).toContain('credit-scoring ≥ café σ');
  });
});

describe('toWinAnsi', () => {
  it('keeps Windows-1252 text, spells out a few symbols and replaces the rest with ?', () => {
    expect(toWinAnsi('Gap: café – “ok” € ×')).toBe('Gap: café – “ok” € ×');
    expect(toWinAnsi('σ ≥ 0.5 → 中')).toBe('sigma >= 0.5 -> ?');
  });
});
