import { ISO_3166_ALPHA2_CODES, countryCodeProblem, isIso3166Alpha2 } from './iso-3166-country';

describe(countryCodeProblem.name, () => {
  it.each(['DE', 'CN', 'US', 'GB', 'FR'])('accepts %s', (code) => {
    expect(isIso3166Alpha2(code)).toBe(true);
    expect(countryCodeProblem(code)).toBeNull();
  });

  it.each([
    ['XX', /"XX" is not an ISO 3166-1 alpha-2 country code/],
    ['UK', /the United Kingdom is "GB"/],
    ['EU', /not a country/],
    ['de', /upper case: "DE"/],
    ['DEU', /alpha-3; use the alpha-2 code "DE"/],
    ['276', /not an ISO 3166-1 alpha-2/],
    ['', /not an ISO 3166-1 alpha-2/],
  ])('refuses %j, saying why', (code, reason) => {
    expect(isIso3166Alpha2(code)).toBe(false);
    expect(countryCodeProblem(code)).toMatch(reason);
  });

  it('lists the assigned codes and XK (Kosovo), sorted', () => {
    expect(ISO_3166_ALPHA2_CODES.length).toBe(250);
    expect(ISO_3166_ALPHA2_CODES).toContain('XK');
    expect([...ISO_3166_ALPHA2_CODES].sort()).toEqual(ISO_3166_ALPHA2_CODES);
    expect(ISO_3166_ALPHA2_CODES.every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
  });
});
