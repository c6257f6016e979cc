import type { Encoding } from './ingest-options';
import { IngestError } from './ingest.error';

export interface DecodeStats {
  /** The content began with a UTF-8 byte order mark (dropped from the text). */
  bom: boolean;
}

const SNIFF_BYTES = 1024;
// Decode in slices so one huge chunk cannot become one huge string before the record limit bites.
const SLICE_BYTES = 1024 * 1024;

/**
 * Turns content bytes into text: refuses binary content early (NUL bytes, or a control-character
 * soup in the first KiB), then decodes strictly in the declared encoding.
 */
export async function* decodeText(content: AsyncIterable<Buffer>, encoding: Encoding, stats: DecodeStats): AsyncGenerator<string> {
  const decoder = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: true }) : undefined;
  let offset = 0;
  let newlines = 0;
  let previous: Buffer | undefined;
  let head: Buffer[] | undefined = [];
  let headLength = 0;

  const decode = (chunk: Buffer): string[] => {
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      throw new IngestError('DATASET_BINARY', 'The upload contains NUL bytes: it is not delimited text.', { byteOffset: offset + nul });
    }
    const texts: string[] = [];
    for (let start = 0; start < chunk.length; start += SLICE_BYTES) {
      const slice = chunk.subarray(start, start + SLICE_BYTES);
      if (decoder === undefined) {
        texts.push(slice.toString('latin1'));
      } else {
        try {
          texts.push(decoder.decode(slice, { stream: true }));
        } catch (error) {
          const bad = firstInvalidUtf8(previous, slice);
          throw invalidUtf8(offset + start + bad, newlines + countNewlines(slice, bad) + 1, error);
        }
      }
      newlines += countNewlines(slice, slice.length);
      previous = slice;
    }
    offset += chunk.length;
    return texts;
  };

  for await (const chunk of content) {
    if (head === undefined) {
      yield* decode(chunk);
      continue;
    }
    head.push(chunk);
    headLength += chunk.length;
    if (headLength < SNIFF_BYTES) continue;
    const first = Buffer.concat(head);
    head = undefined;
    checkStart(first, encoding, stats);
    yield* decode(first);
  }
  if (head !== undefined && headLength > 0) {
    const first = Buffer.concat(head);
    checkStart(first, encoding, stats);
    yield* decode(first);
  }
  if (decoder !== undefined) {
    try {
      const rest = decoder.decode();
      if (rest.length > 0) yield rest;
    } catch (error) {
      throw invalidUtf8(offset, newlines + 1, error, 'truncated');
    }
  }
}

function checkStart(first: Buffer, encoding: Encoding, stats: DecodeStats): void {
  if ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff)) {
    throw new IngestError('DATASET_ENCODING_INVALID', 'The upload is UTF-16 (byte order mark); re-save it as UTF-8.', { byteOffset: 0, reason: 'utf-16' });
  }
  const sample = first.subarray(0, SNIFF_BYTES);
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) throw new IngestError('DATASET_BINARY', 'The upload contains NUL bytes: it is not delimited text.', { byteOffset: sample.indexOf(0) });
    // Tab, LF, VT, FF and CR are text; the other C0 controls and DEL are not.
    if ((byte < 0x20 && (byte < 0x09 || byte > 0x0d)) || byte === 0x7f) controls++;
  }
  if (controls > sample.length / 10) {
    throw new IngestError('DATASET_BINARY', 'The upload does not look like text (control characters in its first KiB).', { reason: 'control-characters' });
  }
  stats.bom = encoding === 'utf-8' && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
}

function invalidUtf8(byteOffset: number, line: number, cause: unknown, reason = 'invalid-utf-8'): IngestError {
  return new IngestError(
    'DATASET_ENCODING_INVALID',
    `The upload is not valid UTF-8 (line ${line}); re-save it as UTF-8 or declare encoding latin1.`,
    { byteOffset, line, reason },
    { cause },
  );
}

function countNewlines(bytes: Buffer, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < end; i = bytes.indexOf(10, i + 1)) count++;
  return count;
}

/**
 * Offset in `chunk` of the first byte that breaks UTF-8 (RFC 3629 §4), allowing for a sequence
 * that began in the previous chunk. Only runs on the error path.
 */
export function firstInvalidUtf8(previous: Buffer | undefined, chunk: Buffer): number {
  const carried = previous === undefined ? 0 : Math.min(3, previous.length);
  const bytes = carried === 0 ? chunk : Buffer.concat([previous!.subarray(previous!.length - carried), chunk]);
  let i = 0;
  // Skip continuation bytes that finish a sequence begun before the carried bytes.
  while (i < carried && (bytes[i]! & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return Math.max(0, i - carried);
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return Math.max(0, i - carried);
      if ((c & 0xc0) !== 0x80) return Math.max(0, i - carried);
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return Math.max(0, i - carried);
    i += need + 1;
  }
  return chunk.length;
}
