const ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * RFC 4648 §4 standard base64, canonical only: padded, no whitespace, zero pad bits. Node's decoder
 * is lenient (it skips junk), so two spellings of one value would otherwise both parse.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !ALPHABET.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}
