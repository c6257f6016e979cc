import { alpha3ToAlpha2, getAlpha2Codes } from 'i18n-iso-countries';

/**
 * ISO 3166-1 alpha-2 codes as i18n-iso-countries lists them: the 249 officially assigned codes
 * plus XK, the user-assigned code the EU and others use for Kosovo. Sorted; the JSON Schema enum
 * is this same list.
 */
export const ISO_3166_ALPHA2_CODES: readonly string[] = Object.keys(getAlpha2Codes()).sort();
const ASSIGNED = new Set(ISO_3166_ALPHA2_CODES);

/** Codes people write that ISO 3166-1 reserves but does not assign to a country. */
const RESERVED_HINTS: Record<string, string> = {
  UK: '"UK" is reserved, not assigned: the United Kingdom is "GB"',
  EU: '"EU" is reserved for the European Union, which is not a country: list the member states concerned',
  EL: '"EL" is the EU\'s code for Greece; ISO 3166-1 uses "GR"',
};

export const isIso3166Alpha2 = (code: string): boolean => /^[A-Z]{2}$/.test(code) && ASSIGNED.has(code);

/** Why a jurisdiction code is refused, or null when it is an assigned ISO 3166-1 alpha-2 code. */
export function countryCodeProblem(code: string): string | null {
  if (isIso3166Alpha2(code)) return null;
  const hint = RESERVED_HINTS[code.toUpperCase()];
  if (hint) return hint;
  if (/^[a-z]{2}$/i.test(code) && ASSIGNED.has(code.toUpperCase())) return `write ISO 3166-1 codes in upper case: "${code.toUpperCase()}"`;
  const alpha2 = /^[a-z]{3}$/i.test(code) ? alpha3ToAlpha2(code.toUpperCase()) : undefined;
  if (alpha2) return `"${code}" is alpha-3; use the alpha-2 code "${alpha2}"`;
  return `"${code}" is not an ISO 3166-1 alpha-2 country code`;
}
