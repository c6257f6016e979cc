/**
 * ISO 13616-1 IBAN structures per country, from the SWIFT IBAN Registry (release 99, 2024):
 * total length and BBAN format in the registry's notation — `n` digits, `a` upper-case letters,
 * `c` upper-case alphanumerics, each preceded by its fixed length.
 */
const REGISTRY: Record<string, readonly [length: number, bban: string]> = {
  AD: [24, '4n4n12c'],
  AE: [23, '3n16n'],
  AL: [28, '8n16c'],
  AT: [20, '5n11n'],
  AZ: [28, '4a20c'],
  BA: [20, '3n3n8n2n'],
  BE: [16, '3n7n2n'],
  BG: [22, '4a4n2n8c'],
  BH: [22, '4a14c'],
  BI: [27, '5n5n11n2n'],
  BR: [29, '8n5n10n1a1c'],
  BY: [28, '4c4n16c'],
  CH: [21, '5n12c'],
  CR: [22, '4n14n'],
  CY: [28, '3n5n16c'],
  CZ: [24, '4n6n10n'],
  DE: [22, '8n10n'],
  DJ: [27, '5n5n11n2n'],
  DK: [18, '4n9n1n'],
  DO: [28, '4c20n'],
  EE: [20, '2n2n11n1n'],
  EG: [29, '4n4n17n'],
  ES: [24, '4n4n1n1n10n'],
  FI: [18, '3n11n'],
  FK: [18, '2a12n'],
  FO: [18, '4n9n1n'],
  FR: [27, '5n5n11c2n'],
  GB: [22, '4a6n8n'],
  GE: [22, '2a16n'],
  GI: [23, '4a15c'],
  GL: [18, '4n9n1n'],
  GR: [27, '3n4n16c'],
  GT: [28, '4c20c'],
  HR: [21, '7n10n'],
  HU: [28, '3n4n1n15n1n'],
  IE: [22, '4a6n8n'],
  IL: [23, '3n3n13n'],
  IQ: [23, '4a3n12n'],
  IS: [26, '4n2n6n10n'],
  IT: [27, '1a5n5n12c'],
  JO: [30, '4a4n18c'],
  KW: [30, '4a22c'],
  KZ: [20, '3n13c'],
  LB: [28, '4n20c'],
  LC: [32, '4a24c'],
  LI: [21, '5n12c'],
  LT: [20, '5n11n'],
  LU: [20, '3n13c'],
  LV: [21, '4a13c'],
  LY: [25, '3n3n15n'],
  MC: [27, '5n5n11c2n'],
  MD: [24, '2c18c'],
  ME: [22, '3n13n2n'],
  MK: [19, '3n10c2n'],
  MN: [20, '4n12n'],
  MR: [27, '5n5n11n2n'],
  MT: [31, '4a5n18c'],
  MU: [30, '4a2n2n12n3n3a'],
  NI: [28, '4a20n'],
  NL: [18, '4a10n'],
  NO: [15, '4n6n1n'],
  OM: [23, '3n16c'],
  PK: [24, '4a16c'],
  PL: [28, '8n16n'],
  PS: [29, '4a21c'],
  PT: [25, '4n4n11n2n'],
  QA: [29, '4a21c'],
  RO: [24, '4a16c'],
  RS: [22, '3n13n2n'],
  RU: [33, '9n5n15c'],
  SA: [24, '2n18c'],
  SC: [31, '4a2n2n16n3a'],
  SD: [18, '2n12n'],
  SE: [24, '3n16n1n'],
  SI: [19, '5n8n2n'],
  SK: [24, '4n6n10n'],
  SM: [27, '1a5n5n12c'],
  SO: [23, '4n3n12n'],
  ST: [25, '4n4n11n2n'],
  SV: [28, '4a20n'],
  TL: [23, '3n14n2n'],
  TN: [24, '2n3n13n2n'],
  TR: [26, '5n1n16c'],
  UA: [29, '6n19c'],
  VA: [22, '3n15n'],
  VG: [24, '4a16n'],
  XK: [20, '4n10n2n'],
  YE: [30, '4a4n18c'],
};

export interface IbanCountry {
  length: number;
  bban: RegExp;
  /** The same format per BBAN position: BBAN_DIGIT, BBAN_LETTER or BBAN_ALPHANUMERIC. */
  bbanClasses: Uint8Array;
}

export const BBAN_DIGIT = 1;
export const BBAN_LETTER = 2;
export const BBAN_ALPHANUMERIC = 3;

const CLASS: Record<string, string> = { n: '[0-9]', a: '[A-Z]', c: '[A-Z0-9]' };
const CLASS_CODE: Record<string, number> = { n: BBAN_DIGIT, a: BBAN_LETTER, c: BBAN_ALPHANUMERIC };

function compileBban(spec: string): RegExp {
  let source = '^';
  for (const [, count, kind] of spec.matchAll(/(\d+)([nac])/g)) source += `${CLASS[kind ?? 'c']}{${count}}`;
  return new RegExp(`${source}$`);
}

function bbanClasses(spec: string): Uint8Array {
  const classes: number[] = [];
  for (const [, count, kind] of spec.matchAll(/(\d+)([nac])/g)) {
    for (let i = 0; i < Number(count); i++) classes.push(CLASS_CODE[kind ?? 'c'] ?? BBAN_ALPHANUMERIC);
  }
  return Uint8Array.from(classes);
}

const COUNTRIES = new Map<string, IbanCountry>(
  Object.entries(REGISTRY).map(([code, [length, bban]]) => [
    code,
    { length, bban: compileBban(bban), bbanClasses: bbanClasses(bban) },
  ]),
);

export function ibanCountry(code: string): IbanCountry | undefined {
  return COUNTRIES.get(code);
}

/** ibanCountry by the character codes of an upper-case country code, without building a string. */
const BY_LETTERS: Array<IbanCountry | undefined> = new Array<IbanCountry | undefined>(26 * 26);
for (const [code, country] of COUNTRIES) BY_LETTERS[(code.charCodeAt(0) - 65) * 26 + code.charCodeAt(1) - 65] = country;

export function ibanCountryByCodes(first: number, second: number): IbanCountry | undefined {
  const a = first - 65;
  const b = second - 65;
  return a >= 0 && a < 26 && b >= 0 && b < 26 ? BY_LETTERS[a * 26 + b] : undefined;
}

export const IBAN_COUNTRY_CODES: readonly string[] = [...COUNTRIES.keys()];
