import fc from 'fast-check';
import spdxLicenseIds from 'spdx-license-ids/index.json';
import deprecatedSpdxLicenseIds from 'spdx-license-ids/deprecated.json';
import { MAX_SPDX_NESTING, SPDX_EXPRESSION_PATTERNS, checkSpdxExpression } from './spdx-license-expression';

const structure = new RegExp(SPDX_EXPRESSION_PATTERNS.structure, 'u');
const knownIds = new RegExp(SPDX_EXPRESSION_PATTERNS.knownIds, 'u');
const schemaAccepts = (text: string) => structure.test(text) && knownIds.test(text);
const reasonFor = (text: string) => {
  const check = checkSpdxExpression(text);
  return check.valid ? null : check.reason;
};

describe(checkSpdxExpression.name, () => {
  it.each(['MIT', 'Apache-2.0', 'GPL-2.0-or-later', 'MIT OR Apache-2.0', 'MIT-0', '(MIT OR Apache-2.0) AND CC-BY-4.0', 'LicenseRef-ExampleBank-Internal'])(
    'accepts %s',
    (text) => {
      expect(checkSpdxExpression(text)).toMatchObject({ valid: true });
      expect(schemaAccepts(text)).toBe(true);
    },
  );

  it('lists the licence ids an expression uses', () => {
    expect(checkSpdxExpression('(MIT OR Apache-2.0) AND MIT')).toEqual({ valid: true, licenceIds: ['MIT', 'Apache-2.0'] });
  });

  it.each([
    ['GPL-2.0', /deprecated SPDX licence id: use "GPL-2.0-only" or "GPL-2.0-or-later"/],
    ['MIT OR LGPL-2.1', /"LGPL-2.1" is a deprecated SPDX licence id: use "LGPL-2.1-only" or "LGPL-2.1-or-later"/],
    ['StandardML-NJ', /deprecated SPDX licence id: use "SMLNJ"/],
    ['wxWindows', /deprecated SPDX licence id: see https:\/\/spdx.org\/licenses\//],
    ['nonsense', /"nonsense" is not an SPDX licence id/],
    ['mit', /did you mean "MIT"\?/],
    ['MIT or Apache-2.0', /operators are upper case: write "OR"/],
    ['GPL-2.0-only WITH Classpath-exception-2.0', /exceptions \("WITH"\) are not supported/],
    ['GPL-2.0+', /"\+" suffix is deprecated/],
    ['MIT  OR Apache-2.0', /must be written canonically: "MIT OR Apache-2.0"/],
    ['( MIT OR Apache-2.0 )', /must be written canonically: "\(MIT OR Apache-2.0\)"/],
    ['MIT Apache-2.0', /needs AND or OR/],
    ['MIT AND', /ends where a licence id is expected/],
    ['(MIT', /unclosed "\("/],
    ['MIT)', /unmatched "\)"/],
    ['()', /has "\)" where a licence id is expected/],
    ['', /is empty/],
    ['((((MIT))))', /nested more than 3 deep/],
  ])('refuses %j, saying why', (text, reason) => {
    expect(reasonFor(text)).toMatch(reason);
    expect(schemaAccepts(text)).toBe(false);
  });

  it('accepts every current SPDX id and refuses every deprecated one, as do the schema patterns', () => {
    const currentRefused = spdxLicenseIds.filter((id) => reasonFor(id) !== null || !schemaAccepts(id));
    const deprecatedAccepted = deprecatedSpdxLicenseIds.filter((id) => reasonFor(id) === null || schemaAccepts(id));
    expect(currentRefused).toEqual([]);
    expect(deprecatedAccepted).toEqual([]);
  });

  it(`allows nesting ${MAX_SPDX_NESTING} deep`, () => {
    expect(reasonFor('(((MIT OR ISC) AND BSD-3-Clause) OR Apache-2.0) AND CC0-1.0')).toBeNull();
    expect(schemaAccepts('(((MIT OR ISC) AND BSD-3-Clause) OR Apache-2.0) AND CC0-1.0')).toBe(true);
  });

  it('agrees with the JSON Schema patterns on random token sequences', () => {
    const word = fc.constantFrom('MIT', 'MIT-0', 'MITX', 'Apache-2.0', 'GPL-2.0', 'GPL-2.0+', 'mit', 'LicenseRef-x.1', 'AND', 'OR', 'and', 'ANDROID', 'WITH', '(', ')', 'É');
    const separator = fc.constantFrom(' ', '', '  ', '\t');
    const arbExpression = fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 12 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    fc.assert(
      fc.property(fc.oneof(arbExpression, arbExpression.map((text) => text.trim())), (text) => {
        expect(schemaAccepts(text)).toBe(checkSpdxExpression(text).valid);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the JSON Schema patterns on grammatical expressions, nested and mutated', () => {
    const leaf = fc.constantFrom('MIT', 'MIT-0', 'Apache-2.0', 'CC-BY-4.0', 'LicenseRef-x.1', 'GPL-2.0', 'ANDROID', 'mit');
    const { expression } = fc.letrec<{ expression: string; term: string }>((tie) => ({
      expression: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        tie('term'),
        fc.tuple(tie('term'), fc.constantFrom(' AND ', ' OR '), tie('expression')).map(([a, op, b]) => a + op + b),
      ),
      term: fc.oneof({ depthSize: 'small' }, leaf, tie('expression').map((inner) => `(${inner})`)),
    }));
    const mutated = fc
      .tuple(expression, fc.nat(), fc.constantFrom('', '(', ')', ' ', 'AND ', 'X'))
      .map(([text, at, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + 1));
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof(expression, mutated), (text) => {
        const verdict = checkSpdxExpression(text).valid;
        if (verdict) valid++;
        expect(schemaAccepts(text)).toBe(verdict);
      }),
      { numRuns: 5000 },
    );
    expect(valid).toBeGreaterThan(500); // the property must see plenty of accepted expressions, deep ones included
  });
});
