import { modelDossierFixture } from '../../dossier/dossier.fixture';
import type { ModelDossier } from '../../dossier/model-dossier';
import { annexIvDocument, renderAnnexIvHtml } from '..';
import { withoutEvidence } from '../annex-iv.fixture';

const HOSTILE = '<script>alert(1)</script>';

describe('renderAnnexIvHtml', () => {
  let dossier: ModelDossier;
  let page: string;

  beforeAll(async () => {
    dossier = await modelDossierFixture();
    page = renderAnnexIvHtml(annexIvDocument(dossier));
  });

  it('is one self-contained page: no external URL, script, stylesheet or font', () => {
    expect(page).not.toMatch(/(?:src|href)\s*=\s*["']?[^"'>\s]*(?:https?:)?\/\//i);
    expect(page).not.toMatch(/url\(/i);
    expect(page).not.toMatch(/https?:\/\//i);
    expect(page).not.toMatch(/<script|<link|<iframe|<img|@import|@font-face/i);
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);
    expect(hrefs.length).toBeGreaterThan(10);
    for (const href of hrefs) {
      expect(href.startsWith('#')).toBe(true);
      expect(page).toContain(`id="${href.slice(1)}"`);
    }
  });

  it('escapes every string from the evidence', () => {
    const hostile = structuredClone(dossier);
    hostile.document.model.name = HOSTILE;
    hostile.document.model.intendedUse = `"quoted" & ${HOSTILE}`;
    hostile.registration.oversightMeasures = [`<img src=x onerror=alert(1)>`];
    const html = renderAnnexIvHtml(annexIvDocument(hostile));
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;script&gt;');
  });

  it('is accessible: language, one heading per point, scoped header cells', () => {
    expect(page).toMatch(/^<!DOCTYPE html>\s*<html lang="en">/);
    expect(page.match(/<h2 id="point-\d+-h">/g)).toHaveLength(9);
    expect(page).toContain('<h2 id="point-2-h">2. Detailed description of the elements of the AI system');
    expect(page).toMatch(/<th scope="col">/);
    expect(page).toMatch(/<th scope="row">/);
    expect(page).not.toMatch(/<th(?=[\s>])(?![^>]*\bscope=)[^>]*>/);
    expect(page).toMatch(/<caption>/);
  });

  it('puts the gap summary first and marks every gap with the word "Gap:"', () => {
    const document = annexIvDocument(withoutEvidence(dossier));
    const html = renderAnnexIvHtml(document);
    expect(html.indexOf('Summary of gaps')).toBeLessThan(html.indexOf('id="point-1"'));
    const main = html.slice(html.indexOf('<main>'));
    expect(main.match(/<strong>Gap:<\/strong>/g)).toHaveLength(document.gaps.length);
    const metrics = main.slice(main.indexOf('id="iv-2-g-metrics"'), main.indexOf('id="iv-2-g-groups"'));
    expect(metrics).toContain('<strong>Gap:</strong> No evaluation on held-out test data is recorded: there are no test metrics.');
    const monitoring = main.slice(main.indexOf('id="iv-9-monitoring"'));
    expect(monitoring).toContain('<strong>Gap:</strong> The evidence document has no monitoring section');
  });

  it('shows the values of the evidence', () => {
    expect(page).toContain('<td class="number">0.933</td><td class="number">0.883</td><td class="number">0.975</td>');
    expect(page).toContain('credit-scoring');
  });

  it('gives the same page for the same dossier', () => {
    expect(renderAnnexIvHtml(annexIvDocument(structuredClone(dossier)))).toBe(page);
  });
});
