import { escapeHtml } from './escape-markup';
import { parseMarkup, textOf } from './markup.fixture';

describe(escapeHtml.name, () => {
  it('escapes the five characters that open markup or end an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(escapeHtml(`Tom & Jerry's`)).toBe('Tom &amp; Jerry&#39;s');
  });

  it('escapes an ampersand that already looks like an entity, so the text survives unchanged', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
    const parsed = parseMarkup(`<p title="${escapeHtml('&lt;"')}">${escapeHtml('&amp; <b>')}</p>`, 'xml');
    expect(parsed.attributes.title).toBe('&lt;"');
    expect(textOf(parsed)).toBe('&amp; <b>');
  });

  it('keeps hostile text inert in element content and in quoted attributes', () => {
    const hostile = `"'><img src=x onerror=alert(1)><script>alert(1)</script>&`;
    const element = parseMarkup(`<div data-a="${escapeHtml(hostile)}">${escapeHtml(hostile)}</div>`, 'xml');
    expect(element.children).toEqual([hostile]);
    expect(element.attributes).toEqual({ 'data-a': hostile });
    // Neither quote survives, so a single-quoted attribute cannot be closed early either.
    expect(escapeHtml(hostile)).not.toMatch(/['"<>]/);
  });

  it('drops control characters XML does not allow and keeps tab, newline and non-ASCII text', () => {
    expect(escapeHtml('a\u0000b\u0008c\u001fd\u007f')).toBe('abcd');
    expect(escapeHtml('x\ty\nz\r — ✓ 65+ ≥ 0.8')).toBe('x\ty\nz\r — ✓ 65+ ≥ 0.8');
  });
});
