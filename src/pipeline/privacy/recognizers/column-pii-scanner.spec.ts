import { ColumnPiiScanner, type ColumnPiiFinding } from './column-pii-scanner';
import { type EntityType } from './entity-types';
import { luhnValid } from './payment-card.recognizer';

/** mulberry32: a small seeded generator, so the synthetic columns are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = new Date('2024-06-15T00:00:00Z');

function scan(
  column: string,
  values: Array<string | null>,
  options: ConstructorParameters<typeof ColumnPiiScanner>[1] = {},
): ColumnPiiFinding[] {
  const scanner = new ColumnPiiScanner(column, { now: NOW, ...options });
  for (const v of values) scanner.add(v);
  return scanner.result();
}

const of = (results: ColumnPiiFinding[], entity: EntityType) => results.find((r) => r.entityType === entity);

describe('ColumnPiiScanner', () => {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const firstNames = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'José', 'Zoë', 'Wei', 'Fatima', "D'Arcy"];
  const lastNames = [
    'Lovelace',
    'Hopper',
    'Turing',
    'Torvalds',
    'Hamilton',
    'García',
    'Nguyen',
    'Zhang',
    'Al-Sayed',
    'Smith-Jones',
  ];

  it('reports an e-mail column with share 1 and high confidence, with masked examples only', () => {
    const values = Array.from(
      { length: 500 },
      (_, i) => `${pick(firstNames).toLowerCase().replace(/\W/g, '')}.${i}@example${i % 7}.org`,
    );
    const results = scan('contact', values, { maxExamples: 4 });
    const email = of(results, 'EMAIL_ADDRESS');
    expect(email).toMatchObject({ matchingValues: 500, nonMissingValues: 500, share: 1, nameContext: false });
    expect(email!.confidence).toBeGreaterThan(0.85);
    expect(email!.maskedExamples.length).toBeGreaterThan(0);
    expect(email!.maskedExamples.length).toBeLessThanOrEqual(4);
    for (const example of email!.maskedExamples) {
      expect(example).toMatch(/^.\*\*\*@e\*\*\*\*\*\.org$/);
      expect(values).not.toContain(example);
    }
    expect(results).toHaveLength(1);
  });

  it('does not take a column of random 16-digit ids for card numbers', () => {
    // ~27% of random 16-digit numbers start with a card IIN and ~10% of those pass Luhn: ~2.7%
    // of the column, below the 5% reporting share; and a Luhn pass rate at chance level (10%)
    // zeroes the confidence even where the share would be reported.
    const ids = Array.from({ length: 5000 }, () => String(1 + Math.floor(r() * 9)) + digits(15));
    expect(of(scan('transaction_id', ids), 'CREDIT_CARD')).toBeUndefined();
    const all = of(scan('transaction_id', ids, { minShare: 0 }), 'CREDIT_CARD');
    expect(all!.share).toBeLessThan(0.05);
    expect(all!.confidence).toBeLessThan(0.1);
    // Even a column *named* for cards holding random numbers gets low confidence.
    const named = of(scan('card_number', ids), 'CREDIT_CARD');
    expect(named!.nameContext).toBe(true);
    expect(named!.confidence).toBeLessThan(0.2);
  });

  it('reports a column of real card numbers with high confidence', () => {
    const prefixes = ['4', '51', '55', '2221', '34', '37', '6011', '3528', '62'];
    const cards = Array.from({ length: 1000 }, () => {
      const prefix = pick(prefixes);
      const length = prefix === '34' || prefix === '37' ? 15 : 16;
      const body = prefix + digits(length - 1 - prefix.length);
      for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
      throw new Error('unreachable');
    });
    const card = of(scan('payment', cards), 'CREDIT_CARD');
    expect(card).toMatchObject({ matchingValues: 1000, share: 1 });
    expect(card!.confidence).toBeGreaterThan(0.8);
    for (const example of card!.maskedExamples) expect(example).toMatch(/^\*{4} \*{4} \*{4} \d{4}$/);
  });

  it('reports DATE_OF_BIRTH for a dob column of dates, and not for a created_at column of the same dates', () => {
    const dates = Array.from({ length: 300 }, () => {
      const y = 1940 + Math.floor(r() * 65);
      const m = 1 + Math.floor(r() * 12);
      const d = 1 + Math.floor(r() * 28);
      return pick([
        `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        `${d}.${m}.${y}`,
        `${m}/${d}/${y}`,
      ]);
    });
    const dob = of(scan('dob', dates), 'DATE_OF_BIRTH');
    expect(dob).toMatchObject({ matchingValues: 300, share: 1, nameContext: true });
    expect(dob!.confidence).toBeGreaterThan(0.8);
    for (const example of dob!.maskedExamples) expect(example).toMatch(/^[*./-]*(19|20)\d\d[*./-]*$/);
    expect(of(scan('geburtsdatum', dates), 'DATE_OF_BIRTH')).toBeDefined();
    expect(of(scan('出生日期', ['1990年3月7日', '1985-12-01']), 'DATE_OF_BIRTH')?.share).toBe(1);
    expect(scan('created_at', dates)).toEqual([]);
    // Named for birth dates but holding something else: reported, with the low share it has.
    const junk = of(scan('birth_date', ['unknown', 'n/a', '1985-03-12', 'soon']), 'DATE_OF_BIRTH');
    expect(junk).toMatchObject({ matchingValues: 1, share: 0.25 });
  });

  it('reports PERSON for a name column, and not for product_name', () => {
    const names = Array.from({ length: 300 }, () => `${pick(firstNames)} ${pick(lastNames)}`);
    const person = of(scan('name', names), 'PERSON');
    expect(person).toMatchObject({ matchingValues: 300, share: 1, nameContext: true });
    expect(person!.confidence).toBeGreaterThan(0.75);
    for (const example of person!.maskedExamples) expect(example).toMatch(/^\S\*\*\* \S\*\*\*$/u);
    for (const column of ['full_name', 'firstName', 'surname', 'customer_name', '姓名', 'Nachname']) {
      expect(of(scan(column, names), 'PERSON')).toBeDefined();
    }
    expect(scan('product_name', names)).toEqual([]);
    expect(scan('file_name', names)).toEqual([]);
  });

  it('gives a free-text column with occasional e-mail addresses a low share', () => {
    const words = ['the', 'order', 'arrived', 'late', 'please', 'refund', 'thanks', 'box', 'was', 'damaged'];
    const texts = Array.from({ length: 1000 }, (_, i) => {
      const sentence = Array.from({ length: 8 }, () => pick(words)).join(' ');
      return i % 50 === 0 ? `${sentence}, contact me at user${i}@mail.example.com` : sentence;
    });
    expect(scan('comment', texts)).toEqual([]); // 2% < the 5% reporting share
    const email = of(scan('comment', texts, { minShare: 0 }), 'EMAIL_ADDRESS');
    expect(email).toMatchObject({ matchingValues: 20, nonMissingValues: 1000, share: 0.02 });
    expect(email!.confidence).toBeLessThan(0.25);
    expect(email!.maskedExamples[0]).toBe('u***@m*****.com');
  });

  it('ignores missing and blank cells', () => {
    const results = scan('email', [null, '', '   ', 'a@example.com', null, 'b@example.com']);
    expect(of(results, 'EMAIL_ADDRESS')).toMatchObject({
      matchingValues: 2,
      nonMissingValues: 2,
      share: 1,
      nameContext: true,
    });
  });

  it('keeps at most maxExamples distinct masks', () => {
    const values = Array.from({ length: 100 }, (_, i) => `${String.fromCharCode(97 + (i % 26))}x@example.com`);
    expect(of(scan('e', values, { maxExamples: 2 }), 'EMAIL_ADDRESS')!.maskedExamples).toEqual([
      'a***@e*****.com',
      'b***@e*****.com',
    ]);
    expect(of(scan('e', values, { maxExamples: 0 }), 'EMAIL_ADDRESS')!.maskedExamples).toEqual([]);
  });

  it('weighs weak evidence by column name: ten-digit ids versus a phone column', () => {
    const tenDigits = Array.from({ length: 2000 }, () => String(2 + Math.floor(r() * 8)) + digits(9));
    const ids = of(scan('account_id', tenDigits), 'PHONE_NUMBER');
    const phones = of(scan('phone', tenDigits), 'PHONE_NUMBER');
    expect(ids!.confidence).toBeLessThan(0.35);
    expect(phones!.confidence).toBeGreaterThan(ids!.confidence + 0.25);
    const formatted = of(
      scan(
        'contact',
        tenDigits.map((d) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`),
      ),
      'PHONE_NUMBER',
    );
    expect(formatted!.confidence).toBeGreaterThan(ids!.confidence);
  });

  it('recognises IBAN, IP, MAC and SSN columns', () => {
    const iban = of(
      scan('iban', ['DE89370400440532013000', 'GB82 WEST 1234 5698 7654 32', 'FR1420041010050500013M02606']),
      'IBAN_CODE',
    );
    expect(iban).toMatchObject({
      share: 1,
      maskedExamples: [
        'DE** **** **** **** **30 00',
        'GB** **** **** **** **54 32',
        'FR** **** **** **** **** ***2 606',
      ],
    });
    const ip = of(scan('client_ip', ['192.168.1.10', '10.0.0.7', '2001:db8::1', '::']), 'IP_ADDRESS');
    expect(ip).toMatchObject({ matchingValues: 4, share: 1 }); // "::" counts here only because the name says IP
    expect(of(scan('note', ['192.168.1.10', '10.0.0.7', '2001:db8::1', '::']), 'IP_ADDRESS')).toMatchObject({
      matchingValues: 3,
    });
    const mac = of(scan('device', ['00:1a:2b:3c:4d:5e', '00-1A-2B-3C-4D-5F']), 'MAC_ADDRESS');
    expect(mac).toMatchObject({ share: 1, maskedExamples: ['00:1a:2b:**:**:**', '00-1A-2B-**-**-**'] });
    const ssn = of(scan('applicant', ['536-22-8726', '412-34-5678']), 'US_SSN');
    expect(ssn).toMatchObject({ share: 1, maskedExamples: ['***-**-8726', '***-**-5678'] });
  });
});
