import { formatCheckpoint, parseCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint';
import { hashLeaf } from './merkle';
import { encodeVerifierKey, generateSigningKey } from './note-key';

const ORIGIN = 'assay.example/ledger';
const key = generateSigningKey(ORIGIN);
const vkey = encodeVerifierKey(key);
const rootHash = hashLeaf('root');
const checkpoint = { origin: ORIGIN, size: 1234, rootHash };

/** Flip one bit of the signature proper (byte `at` after the 4-byte key ID) of the first signature line. */
function flipSignatureBit(note: string, at: number): string {
  const lines = note.split('\n');
  const i = lines.findIndex((l) => l.startsWith('\u2014 '));
  const [dash, name, b64] = lines[i]!.split(' ') as [string, string, string];
  const bytes = Buffer.from(b64, 'base64');
  bytes[at] = bytes[at]! ^ 0x01;
  lines[i] = `${dash} ${name} ${bytes.toString('base64')}`;
  return lines.join('\n');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const setPadBit = (c: string): string => BASE64[BASE64.indexOf(c) | 1]!;

describe(signCheckpoint.name, () => {
  it('writes the C2SP tlog-checkpoint body and one signature line', () => {
    const note = signCheckpoint(checkpoint, key);
    expect(note.startsWith(`${ORIGIN}\n1234\n${rootHash.toString('base64')}\n\n\u2014 ${ORIGIN} `)).toBe(true);
    expect(note.endsWith('\n')).toBe(true);
    const line = note.split('\n')[4]!;
    expect(Buffer.from(line.split(' ')[2]!, 'base64')).toHaveLength(4 + 64);
  });

  it('refuses what it could not write canonically', () => {
    expect(() => formatCheckpoint({ ...checkpoint, origin: '' })).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_MALFORMED' }),
    );
    expect(() => formatCheckpoint({ ...checkpoint, origin: 'a\nb' })).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_MALFORMED' }),
    );
    expect(() => formatCheckpoint({ ...checkpoint, size: -1 })).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_MALFORMED' }),
    );
    expect(() => formatCheckpoint({ ...checkpoint, rootHash: Buffer.alloc(31) })).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_MALFORMED' }),
    );
    expect(() => formatCheckpoint({ ...checkpoint, extensions: [''] })).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_MALFORMED' }),
    );
  });
});

describe(verifyCheckpoint.name, () => {
  it('round-trips sign → parse → verify, extension lines included', () => {
    const note = signCheckpoint({ ...checkpoint, extensions: ['ext one', 'ext two'] }, key);
    const parsed = parseCheckpoint(note);
    expect(parsed).toMatchObject({ origin: ORIGIN, size: 1234, extensions: ['ext one', 'ext two'] });
    expect(parsed.rootHash.equals(rootHash)).toBe(true);
    const result = verifyCheckpoint(note, vkey, { origin: ORIGIN });
    expect(result.ok && result.checkpoint.size).toBe(1234);
    expect(verifyCheckpoint(signCheckpoint({ ...checkpoint, size: 0 }, key), vkey).ok).toBe(true);
  });

  it('rejects a one-bit change anywhere in the signature, and in the key ID', () => {
    const note = signCheckpoint(checkpoint, key);
    for (const at of [4, 20, 40, 67]) {
      expect(verifyCheckpoint(flipSignatureBit(note, at), vkey)).toMatchObject({
        ok: false,
        code: 'CHECKPOINT_SIGNATURE_INVALID',
      });
    }
    expect(verifyCheckpoint(flipSignatureBit(note, 0), vkey)).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_SIGNATURE_INVALID',
    });
  });

  it('rejects a changed size, root or origin under the old signature', () => {
    const note = signCheckpoint(checkpoint, key);
    const b64 = rootHash.toString('base64');
    const otherRoot = hashLeaf('other').toString('base64');
    expect(verifyCheckpoint(note.replace('\n1234\n', '\n1235\n'), vkey)).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_SIGNATURE_INVALID',
    });
    expect(verifyCheckpoint(note.replace(b64, otherRoot), vkey)).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_SIGNATURE_INVALID',
    });
    expect(verifyCheckpoint(note.replace(`${ORIGIN}\n`, 'evil.example/ledger\n'), vkey)).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_SIGNATURE_INVALID',
    });
    expect(verifyCheckpoint(note, vkey, { origin: 'other.example/log' })).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_ORIGIN_MISMATCH',
    });
  });

  it("ignores another key's signature line, but needs one from the trusted key", () => {
    const witness = generateSigningKey('witness.example');
    const both = signCheckpoint(checkpoint, [witness, key]);
    expect(verifyCheckpoint(both, vkey).ok).toBe(true);
    expect(verifyCheckpoint(both, encodeVerifierKey(witness)).ok).toBe(true);
    // A corrupted signature from an unknown key does not matter.
    expect(verifyCheckpoint(flipSignatureBit(both, 30), vkey).ok).toBe(true);
    expect(verifyCheckpoint(signCheckpoint(checkpoint, witness), vkey)).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_SIGNATURE_INVALID',
    });
    // Same name, other key (so other key ID): an unknown key, ignored; the note then lacks a trusted signature.
    const impostor = generateSigningKey(ORIGIN);
    expect(verifyCheckpoint(signCheckpoint(checkpoint, impostor), vkey)).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_SIGNATURE_INVALID',
    });
    expect(verifyCheckpoint(signCheckpoint(checkpoint, [impostor, key]), vkey).ok).toBe(true);
  });

  it('rejects malformed checkpoints', () => {
    const good = signCheckpoint(checkpoint, key);
    const sig = good.slice(good.indexOf('\n\n') + 2);
    const b64 = rootHash.toString('base64');
    const body = (lines: string[]) => `${lines.join('\n')}\n\n${sig}`;
    const malformed = [
      body([ORIGIN, '01234', b64]), // leading zero
      body([ORIGIN, '+1234', b64]),
      body([ORIGIN, '1234 ', b64]),
      body([ORIGIN, '1e3', b64]),
      body([ORIGIN, '', b64]),
      body([ORIGIN, '18446744073709551616', b64]), // 2^64
      body([ORIGIN, '9007199254740992', b64]), // 2^53: beyond this ledger
      body([ORIGIN, '1234', b64.slice(0, -1)]), // unpadded
      body([ORIGIN, '1234', `${b64.slice(0, -2)}${setPadBit(b64.at(-2)!)}=`]), // non-zero pad bits: same bytes, other spelling
      body([ORIGIN, '1234', Buffer.alloc(31).toString('base64')]), // 31 bytes
      body([ORIGIN, '1234', Buffer.alloc(33).toString('base64')]),
      body([ORIGIN, '1234', rootHash.toString('hex')]),
      body([ORIGIN, '1234']), // no root
      body(['', '1234', b64]), // empty origin
      body([ORIGIN, '1234', b64, '']), // empty extension line
      `${ORIGIN}\n1234\n${b64}\n`, // no signatures
      `${ORIGIN}\n1234\n${b64}\n\n`,
      good.slice(0, -1), // missing final newline
      good.replace('\u2014 ', '-- '),
      good.replace('\n1234\n', '\n12\t34\n'),
      `${ORIGIN}\r\n1234\n${b64}\n\n${sig}`,
    ];
    expect(malformed).not.toContain(good);
    for (const note of malformed) {
      expect(() => parseCheckpoint(note)).toThrow(expect.objectContaining({ code: 'CHECKPOINT_MALFORMED' }));
      expect(verifyCheckpoint(note, vkey)).toMatchObject({ ok: false, code: 'CHECKPOINT_MALFORMED' });
    }
    // An empty line inside the body moves the note split: the text becomes the part after it.
    expect(() => parseCheckpoint(`${ORIGIN}\n\n1234\n${b64}\n\n${sig}`)).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_MALFORMED' }),
    );
  });

  it('throws KEY_MALFORMED for a malformed verifier key (configuration, not data)', () => {
    expect(() => verifyCheckpoint(signCheckpoint(checkpoint, key), 'nonsense')).toThrow(
      expect.objectContaining({ code: 'KEY_MALFORMED' }),
    );
  });

  it('parses the C2SP tlog-checkpoint example', () => {
    const example =
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
      '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
    const parsed = parseCheckpoint(example);
    expect(parsed).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] });
    expect(parsed.rootHash.toString('base64')).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(parsed.signatures[0]!.keyName).toBe('example.com/behind-the-sofa');
  });
});
