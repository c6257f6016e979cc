import { type Finding } from './entity-types';
import { type TextProfile } from './text-profile';

/**
 * IEEE 802 MAC-48 / EUI-48 addresses in the three common notations: IEEE 802 canonical
 * hyphenated (`00-1A-2B-3C-4D-5E`), colon-separated (`00:1a:2b:3c:4d:5e`, IETF usage) and Cisco's
 * dotted triplets (`001a.2b3c.4d5e`). One separator throughout.
 * A MAC address identifies a device and therefore, usually, its owner (it is personal data under
 * the GDPR as a device identifier); the all-zero and broadcast addresses identify nobody and get a
 * token score.
 */

const SEPARATED =
  /(?<![0-9A-Za-z:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Za-z]|[:-][0-9A-Fa-f])/g;
const CISCO = /(?<![0-9A-Za-z.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z]|\.[0-9A-Za-z])/g;

export const MAC_SCORE = 0.8;
/** Twelve decimal digits in dotted triplets could as well be a number with odd grouping. */
export const MAC_DIGITS_ONLY_CISCO_SCORE = 0.4;
export const MAC_NON_PERSONAL_SCORE = 0.1;

export function macAddressApplies(p: TextProfile): boolean {
  return p.length >= 14 && (p.colons >= 5 || p.dashes >= 5 || p.dots >= 2);
}

function hexDigits(value: string): string {
  return value.replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
}

export function findMacAddresses(text: string, out: Finding[]): void {
  for (const re of [SEPARATED, CISCO]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const hex = hexDigits(m[0]);
      let score = MAC_SCORE;
      if (hex === '000000000000' || hex === 'ffffffffffff') score = MAC_NON_PERSONAL_SCORE;
      else if (re === CISCO && /^\d+$/.test(hex)) score = MAC_DIGITS_ONLY_CISCO_SCORE;
      out.push({ entity: 'MAC_ADDRESS', start: m.index, end: m.index + m[0].length, score });
    }
  }
}
