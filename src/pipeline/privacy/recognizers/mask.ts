import { type EntityType } from './entity-types';
import { parseIpv4, parseIpv6 } from './ip-address.recognizer';

/**
 * Masks for evidence and for the regulator's view (DESIGN.md: PII values are always masked for
 * them). What each mask keeps, and why that much:
 * - EMAIL_ADDRESS `j***@e*****.org`: first character of the local part and of the domain, and the
 *   top-level domain; the star runs have a fixed length so they do not reveal lengths.
 * - PHONE_NUMBER `(***) ***-**32`: the layout and the last two digits.
 * - CREDIT_CARD `**** **** **** 1111`: the last four digits only (PCI DSS 4.0 req. 3.4.1 permits
 *   at most the first six and last four; the IIN is not needed here).
 * - IBAN_CODE `DE** **** **** **** **30 00`: the country and the last four characters, in print
 *   format, like bank statements.
 * - IP_ADDRESS `192.168.*.*`, `2001:db8:*:*:*:*:*:*`: the network part an ISP or organisation
 *   is known by (first two octets / first two hextets), plus any prefix length.
 * - US_SSN `***-**-6789`: the serial, as the SSA itself prints it.
 * - CN_RESIDENT_ID `110105********123X`: division code and the last four; the birth date goes.
 * - MAC_ADDRESS `00:1a:2b:**:**:**`: the OUI (the manufacturer), not the device.
 * - DATE_OF_BIRTH `1985-**-**`: the year only (HIPAA Safe Harbor keeps the year).
 * - PERSON `A*** L***`: the initials.
 * Every mask is checked not to contain the raw value; if it would (a one-letter name, a value that
 * does not parse as its type), the value is replaced entirely.
 */
export function maskValue(entityType: EntityType, value: string): string {
  const raw = value.trim();
  if (raw.length === 0) return '';
  let masked: string | undefined;
  switch (entityType) {
    case 'EMAIL_ADDRESS':
      masked = maskEmail(raw);
      break;
    case 'PHONE_NUMBER':
      masked = maskDigitsKeepingLast(raw, 2, 7);
      break;
    case 'CREDIT_CARD':
      masked = maskCard(raw);
      break;
    case 'IBAN_CODE':
      masked = maskIban(raw);
      break;
    case 'IP_ADDRESS':
      masked = maskIp(raw);
      break;
    case 'US_SSN':
      masked = maskSsn(raw);
      break;
    case 'CN_RESIDENT_ID':
      masked = maskCnId(raw);
      break;
    case 'MAC_ADDRESS':
      masked = maskMac(raw);
      break;
    case 'DATE_OF_BIRTH':
      masked = maskDate(raw);
      break;
    case 'PERSON':
      masked = maskName(raw);
      break;
  }
  return masked !== undefined && !masked.includes(raw) && (raw === value || !masked.includes(value))
    ? masked
    : fullMask(value);
}

/**
 * True only when `maskValue('EMAIL_ADDRESS', span) === masked`, decided without building the mask
 * (false also means "not sure"): a column of addresses from one domain masks them all alike, so
 * this spares building one mask per cell only to find it among the examples. For a span with
 * printable ends, an '@', a later '.' and no '*', the mask is maskEmail's — it cannot contain the
 * span, which would need the stars between its '@' and its last '.'.
 */
export function isEmailMaskOf(masked: string, span: string): boolean {
  const n = span.length;
  if (n === 0 || span.includes('*')) return false;
  const first = span.charCodeAt(0);
  const last = span.charCodeAt(n - 1);
  if (first <= 32 || first >= 127 || last <= 32 || last >= 127) return false;
  const at = span.lastIndexOf('@');
  const dot = span.lastIndexOf('.');
  if (at < 1 || at === n - 1 || dot < at + 2 || dot === n - 1) return false;
  const tld = n - dot - 1;
  if (masked.length !== 12 + tld || masked.charCodeAt(0) !== first || masked.charCodeAt(5) !== span.charCodeAt(at + 1)) {
    return false;
  }
  if (!masked.startsWith('***@', 1) || !masked.startsWith('*****.', 6)) return false;
  for (let k = 0; k < tld; k++) if (masked.charCodeAt(12 + k) !== span.charCodeAt(dot + 1 + k)) return false;
  return true;
}

/** A mask that keeps nothing: stars, or (for a value made of stars) a placeholder without any. */
function fullMask(value: string): string {
  return /^\**$/.test(value.trim()) ? '[masked]' : '***';
}

function maskEmail(raw: string): string | undefined {
  const at = raw.lastIndexOf('@');
  if (at < 1 || at === raw.length - 1) return undefined;
  // The domain's last dot, neither its first nor its last character.
  const dot = raw.lastIndexOf('.');
  if (dot < at + 2 || dot === raw.length - 1) return undefined;
  return `${raw.charAt(0)}***@${raw.charAt(at + 1)}*****.${raw.slice(dot + 1)}`;
}

/** Replaces every digit but the last `keep` with "*", keeping the layout. */
function maskDigitsKeepingLast(raw: string, keep: number, minDigits: number): string | undefined {
  let total = 0;
  for (const ch of raw) if (ch >= '0' && ch <= '9') total++;
  if (total < minDigits) return undefined;
  let seen = 0;
  let out = '';
  for (const ch of raw) {
    if (ch >= '0' && ch <= '9') {
      seen++;
      out += seen > total - keep ? ch : '*';
    } else {
      out += ch;
    }
  }
  return out;
}

function maskCard(raw: string): string | undefined {
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 12 || digits.length > 19) return undefined;
  return `**** **** **** ${digits.slice(-4)}`;
}

function maskIban(raw: string): string | undefined {
  const iban = raw.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}$/.test(iban)) return undefined;
  const kept = iban.slice(0, 2) + '*'.repeat(iban.length - 6) + iban.slice(-4);
  return kept.replace(/(.{4})(?=.)/g, '$1 ');
}

function maskIp(raw: string): string | undefined {
  const slash = raw.indexOf('/');
  const prefix = slash === -1 ? '' : raw.slice(slash);
  const address = (slash === -1 ? raw : raw.slice(0, slash)).replace(/%.*$/, '');
  if (prefix !== '' && !/^\/\d{1,3}$/.test(prefix)) return undefined;
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return `${v4[0]}.${v4[1]}.*.*${prefix}`;
  const v6 = parseIpv6(address);
  if (v6 === undefined) return undefined;
  const mapped = v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff;
  if (mapped) return `::ffff:${(v6[6] ?? 0) >> 8}.${(v6[6] ?? 0) & 0xff}.*.*${prefix}`;
  return `${(v6[0] ?? 0).toString(16)}:${(v6[1] ?? 0).toString(16)}:*:*:*:*:*:*${prefix}`;
}

function maskSsn(raw: string): string | undefined {
  const digits = raw.replace(/\D/g, '');
  return digits.length === 9 ? `***-**-${digits.slice(5)}` : undefined;
}

function maskCnId(raw: string): string | undefined {
  const id = raw.replace(/\s/g, '');
  if (/^\d{17}[\dXx]$/.test(id)) return `${id.slice(0, 6)}********${id.slice(14)}`;
  if (/^\d{15}$/.test(id)) return `${id.slice(0, 6)}*****${id.slice(11)}`;
  return undefined;
}

function maskMac(raw: string): string | undefined {
  const hex = raw.replace(/[^0-9A-Fa-f]/g, '');
  if (hex.length !== 12) return undefined;
  if (/^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(raw))
    return `${raw.slice(0, 4)}.${raw.slice(5, 7)}**.****`;
  const sep = /[:-]/.exec(raw)?.[0] ?? ':';
  const pairs = hex.match(/../g) ?? [];
  return [...pairs.slice(0, 3), '**', '**', '**'].join(sep);
}

function maskDate(raw: string): string | undefined {
  if (/^(?:18|19|20)\d{6}$/.test(raw)) return `${raw.slice(0, 4)}****`;
  const year = /(?:^|\D)((?:18|19|20)\d{2})(?:\D|$)/.exec(raw)?.[1];
  const starred = raw.replace(/\d/g, '*');
  if (year === undefined) return starred;
  const at = raw.indexOf(year);
  return starred.slice(0, at) + year + starred.slice(at + 4);
}

function maskName(raw: string): string | undefined {
  const words = raw.split(/[\s,]+/u).filter((w) => w.length > 0);
  if (words.length === 0) return undefined;
  return words.map((w) => `${String.fromCodePoint(w.codePointAt(0) ?? 42)}***`).join(' ');
}
