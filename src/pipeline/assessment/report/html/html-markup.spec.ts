import { Html, html, trustedMarkup } from './html-markup';

describe('html', () => {
  it('escapes interpolated strings and numbers, passes Html through and joins arrays of Html', () => {
    const name = '<b>bold</b> & "quoted"';
    const items = ['<i>', 'b'].map((item) => html`<li>${item}</li>`);
    const result = html`<p title="${name}">${name} ${3}</p>
      ${html`<ul>
        ${items}
      </ul>`}${null}`;
    expect(result).toBeInstanceOf(Html);
    expect(result.markup.replace(/>\s+</g, '><')).toBe(
      '<p title="&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;">&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; 3</p><ul><li>&lt;i&gt;</li><li>b</li></ul>',
    );
  });

  it('does not treat a string that looks like markup as markup', () => {
    const lookalike = { markup: '<script>alert(1)</script>' } as unknown as string;
    expect(html`${String(lookalike)}`.markup).toBe('[object Object]');
    expect(html`${'<svg/>'}`.markup).toBe('&lt;svg/&gt;');
    expect(html`${trustedMarkup('<svg/>')}`.markup).toBe('<svg/>');
  });
});
