import { validateWebhookSecret, validateWebhookUrl } from './webhook-url';

describe('validateWebhookUrl', () => {
  it('accepts absolute http and https URLs, private and loopback ones included, in normalised form', () => {
    expect(validateWebhookUrl('https://hooks.example.org/assay/alerts?team=risk')).toEqual({
      ok: true,
      url: 'https://hooks.example.org/assay/alerts?team=risk',
    });
    expect(validateWebhookUrl('HTTP://Alerts.Internal:8080')).toEqual({ ok: true, url: 'http://alerts.internal:8080/' });
    expect(validateWebhookUrl('http://127.0.0.1:9000/hook')).toEqual({ ok: true, url: 'http://127.0.0.1:9000/hook' });
    expect(validateWebhookUrl('http://10.1.2.3/hook')).toEqual({ ok: true, url: 'http://10.1.2.3/hook' });
    expect(validateWebhookUrl('http://[::1]:8080/x')).toEqual({ ok: true, url: 'http://[::1]:8080/x' });
    expect(validateWebhookUrl('https://bücher.example/ä')).toEqual({ ok: true, url: 'https://xn--bcher-kva.example/%C3%A4' });
  });

  it('rejects what is not an absolute http(s) URL', () => {
    for (const text of [
      undefined,
      42,
      '',
      '/relative/path',
      'hooks.example.org/x',
      '//hooks.example.org/x',
      'ftp://hooks.example.org/x',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http:hooks.example.org',
      'http:\\\\hooks.example.org',
      'https://',
      'http://exa mple.org/',
      ' https://hooks.example.org/',
      'https://hooks.example.org/\n',
      'https://hooks.exa\tmple.org/',
      'https://hooks.example.org/\u0000',
      'http://[::1/x',
    ]) {
      const result = validateWebhookUrl(text);
      expect({ text, ok: result.ok }).toEqual({ text, ok: false });
    }
  });

  it('rejects credentials and fragments', () => {
    expect(validateWebhookUrl('https://user:pass@hooks.example.org/x')).toEqual({
      ok: false,
      reason: 'the webhook URL must not contain a user name or password',
    });
    expect(validateWebhookUrl('https://user@hooks.example.org/x').ok).toBe(false);
    expect(validateWebhookUrl('https://:pass@hooks.example.org/x').ok).toBe(false);
    expect(validateWebhookUrl('https://hooks.example.org/x#alerts')).toEqual({ ok: false, reason: 'the webhook URL must not contain a fragment (#…)' });
    expect(validateWebhookUrl('https://hooks.example.org/x#').ok).toBe(false);
  });

  it('limits the length to 2,000 characters, before and after normalisation', () => {
    const base = 'https://hooks.example.org/';
    expect(validateWebhookUrl(base + 'a'.repeat(2_000 - base.length)).ok).toBe(true);
    expect(validateWebhookUrl(base + 'a'.repeat(2_001 - base.length)).ok).toBe(false);
    // 'ä' is one character typed and six once percent-encoded.
    expect(validateWebhookUrl(base + 'ä'.repeat(400)).ok).toBe(false);
  });
});

describe('validateWebhookSecret', () => {
  it('accepts 32 to 256 printable ASCII characters', () => {
    expect(validateWebhookSecret('a'.repeat(32))).toEqual({ ok: true, secret: 'a'.repeat(32) });
    expect(validateWebhookSecret('~'.repeat(256)).ok).toBe(true);
    expect(validateWebhookSecret('whsec_ !"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`{|}~').ok).toBe(true);
  });

  it('rejects short, long, non-ASCII and control characters', () => {
    expect(validateWebhookSecret('a'.repeat(31)).ok).toBe(false);
    expect(validateWebhookSecret('a'.repeat(257)).ok).toBe(false);
    expect(validateWebhookSecret(`${'a'.repeat(31)}é`)).toEqual({ ok: false, reason: 'the webhook secret must consist of printable ASCII characters' });
    expect(validateWebhookSecret(`${'a'.repeat(31)}\n`).ok).toBe(false);
    expect(validateWebhookSecret(`${'a'.repeat(31)}\u007f`).ok).toBe(false);
    expect(validateWebhookSecret(undefined).ok).toBe(false);
    expect(validateWebhookSecret(['a'.repeat(32)]).ok).toBe(false);
  });
});
