import { sniffDelimiter } from './delimiter-sniffer';
import type { IngestError } from './ingest.error';

describe(sniffDelimiter.name, () => {
  it.each([
    ['a,b,c\n1,2,3\n4,5,6\n', ','],
    ['a;b;c\n1,5;2,5;3\n4;5;6\n', ';'],
    ['a\tb\n1\t2\n', '\t'],
    ['a|b|c\n1|2|3\n', '|'],
    ['25, Private, 226802, >50K.\n38, Private, 89814, <=50K.\n', ','],
    ['A11 6 A34 A43 1169\nA12 48 A32 A43 5951\n', 'whitespace'],
    ['value\n1\n2\n', ','],
  ])('sniffs %j as %j', (sample, delimiter) => {
    expect(sniffDelimiter(sample, true, '\n')).toBe(delimiter);
  });

  it('ignores delimiters inside quotes', () => {
    expect(sniffDelimiter('name;note\n"Smith, J";"a, b, c"\n"Doe, K";"x"\n', true, '\n')).toBe(';');
  });

  it('reads a quote inside a value literally, as the reader does', () => {
    expect(sniffDelimiter('height;name\n5\'10";bob\n6\'1";al\n', true, '\n')).toBe(';');
  });

  it('drops a record cut off at the end of a partial sample', () => {
    expect(sniffDelimiter('a,b\n1,2\n3,4\n5', false, '\n')).toBe(',');
  });

  it('asks for more text until a record is complete', () => {
    expect(sniffDelimiter('a,b,c,d', false, '\n')).toBeUndefined();
  });

  it('gives up on prose', () => {
    expect(() => sniffDelimiter('This is not a table.\nIt is two sentences of prose text\n', true, '\n')).toThrow(
      expect.objectContaining({ code: 'DATASET_DELIMITER_UNDETECTED' }) as IngestError,
    );
  });
});
