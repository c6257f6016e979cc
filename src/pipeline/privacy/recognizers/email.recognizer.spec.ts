import fc from 'fast-check';
import { recognizeValue } from './recognize-value';

const emails = (text: string) =>
  recognizeValue(text)
    .filter((f) => f.entity === 'EMAIL_ADDRESS')
    .map((f) => text.slice(f.start, f.end));

describe('e-mail addresses', () => {
  it('finds addresses in prose, with IDNA A-label domains and dot-atom local parts', () => {
    expect(emails('contact me at a@b.com.')).toEqual(['a@b.com']);
    expect(emails("first.last+tag@sub.example.co.uk, o'brien@xn--80ak6aa92e.com;")).toEqual([
      'first.last+tag@sub.example.co.uk',
      "o'brien@xn--80ak6aa92e.com",
    ]);
    expect(emails('<user@xn--d1acufc.xn--p1ai>')).toEqual(['user@xn--d1acufc.xn--p1ai']);
  });

  it('rejects addresses without a proper top-level domain or with broken labels', () => {
    for (const text of [
      'info@presidio.',
      'a@b',
      'a@b.c',
      'a@-b.com',
      'a@b-.com',
      'a@b..com',
      '.a@b.com@',
      'a@b.c0m',
      '@b.com',
    ]) {
      expect(emails(text)).toEqual([]);
    }
    expect(emails(`${'a'.repeat(65)}@example.com`)).toEqual([]);
  });

  it('finds every address fast-check generates with an alphabetic TLD', () => {
    fc.assert(
      fc.property(
        fc.emailAddress().filter((e) => /\.[A-Za-z]{2,63}$/.test(e) && !e.split('@')[0]!.startsWith('.')),
        (e) => expect(emails(`mail ${e} now`)).toEqual([e]),
      ),
    );
  });
});
