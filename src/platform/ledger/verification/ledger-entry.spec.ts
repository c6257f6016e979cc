import { createHash } from 'node:crypto';
import { canonicalEntry, canonicalJson, entryLeafHash, sha256Digest, type LedgerEntry } from './ledger-entry';

const entry: LedgerEntry = {
  index: 7,
  time: '2025-01-31T12:00:00.000Z',
  actor: { type: 'user', id: 'u-1' },
  action: 'dataset.registered',
  subject: { type: 'dataset', id: 'ds-9' },
  evidenceDigest: `sha256:${'ab'.repeat(32)}`,
  data: { z: 1, a: [true, null, 'é'] },
};

describe(canonicalEntry.name, () => {
  it('writes RFC 8785 JCS: sorted keys, no whitespace', () => {
    expect(canonicalEntry(entry).toString('utf8')).toBe(
      '{"action":"dataset.registered","actor":{"id":"u-1","type":"user"},"data":{"a":[true,null,"é"],"z":1},' +
        `"evidenceDigest":"sha256:${'ab'.repeat(32)}","index":7,"subject":{"id":"ds-9","type":"dataset"},"time":"2025-01-31T12:00:00.000Z"}`,
    );
  });

  it('is independent of key order', () => {
    const shuffled: LedgerEntry = {
      data: { a: [true, null, 'é'], z: 1 },
      subject: { id: 'ds-9', type: 'dataset' },
      evidenceDigest: entry.evidenceDigest,
      time: entry.time,
      actor: { id: 'u-1', type: 'user' },
      index: 7,
      action: 'dataset.registered',
    };
    expect(Object.keys(shuffled)).not.toEqual(Object.keys(entry));
    expect(canonicalEntry(shuffled)).toEqual(canonicalEntry(entry));
  });

  it.each<[string, unknown]>([
    ['an unknown field', { ...entry, leafHash: 'x' }],
    ['an unknown actor field', { ...entry, actor: { type: 'user', id: 'u', role: 'admin' } }],
    ['a negative index', { ...entry, index: -1 }],
    ['a fractional index', { ...entry, index: 1.5 }],
    ['a time without milliseconds', { ...entry, time: '2025-01-31T12:00:00Z' }],
    ['a time with an offset', { ...entry, time: '2025-01-31T13:00:00.000+01:00' }],
    ['an impossible date', { ...entry, time: '2025-02-30T12:00:00.000Z' }],
    ['an unknown actor type', { ...entry, actor: { type: 'robot', id: 'r' } }],
    ['an empty action', { ...entry, action: '' }],
    ['an uppercase digest', { ...entry, evidenceDigest: `sha256:${'AB'.repeat(32)}` }],
    ['a digest of another algorithm', { ...entry, evidenceDigest: `md5:${'ab'.repeat(16)}` }],
    ['a Date in data', { ...entry, data: { at: new Date() } }],
    ['NaN in data', { ...entry, data: { x: Number.NaN } }],
    ['a bigint in data', { ...entry, data: { x: 1n } }],
    ['a function in data', { ...entry, data: { f: () => 1 } }],
    ['a lone surrogate in data', { ...entry, data: { s: '\ud800' } }],
    ['undefined in an array', { ...entry, data: { a: [undefined] } }],
    ['data that is an array', { ...entry, data: [] }],
    [
      'a cycle in data',
      (() => {
        const data: Record<string, unknown> = {};
        data.self = data;
        return { ...entry, data };
      })(),
    ],
  ])('rejects %s with ENTRY_MALFORMED', (_name, bad) => {
    expect(() => canonicalEntry(bad as LedgerEntry)).toThrow(expect.objectContaining({ code: 'ENTRY_MALFORMED' }));
  });

  it('accepts exactly what Date#toISOString writes, leap days included', () => {
    const times = [
      '2024-02-29T23:59:59.999Z',
      '2000-02-29T00:00:00.000Z',
      '0000-02-29T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
    ];
    for (const time of times) {
      expect(new Date(time).toISOString()).toBe(time);
      expect(() => canonicalEntry({ ...entry, time })).not.toThrow();
    }
    for (const time of [
      '2023-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2024-04-31T00:00:00.000Z',
      '2024-13-01T00:00:00.000Z',
      '2024-01-01T24:00:00.000Z',
      '2024-01-01T00:60:00.000Z',
      '2024-01-01T00:00:60.000Z',
      '2024-00-10T00:00:00.000Z',
    ]) {
      expect(() => canonicalEntry({ ...entry, time })).toThrow(expect.objectContaining({ code: 'ENTRY_MALFORMED' }));
    }
  });

  it('names the offending path in the error', () => {
    expect(() => canonicalEntry({ ...entry, data: { a: [1, { b: Number.NaN }] } })).toThrow(
      'data.a[1].b is not a finite number',
    );
  });

  it('drops object members whose value is undefined, as JSON does', () => {
    expect(canonicalEntry({ ...entry, data: { z: 1, a: [true, null, 'é'], gone: undefined } })).toEqual(
      canonicalEntry(entry),
    );
  });
});

describe(entryLeafHash.name, () => {
  it('is SHA-256(0x00 || JCS(entry))', () => {
    const expected = createHash('sha256')
      .update(Buffer.from([0]))
      .update(canonicalEntry(entry))
      .digest();
    expect(entryLeafHash(entry)).toEqual(expected);
    expect(entryLeafHash({ ...entry, index: 8 })).not.toEqual(expected);
  });
});

describe(sha256Digest.name, () => {
  it('hashes the JCS text: key order does not matter', () => {
    expect(sha256Digest({ b: 1, a: 2 })).toBe(`sha256:${createHash('sha256').update('{"a":2,"b":1}').digest('hex')}`);
    expect(sha256Digest({ a: 2, b: 1 })).toBe(sha256Digest({ b: 1, a: 2 }));
  });

  it('serialises numbers and strings as RFC 8785 §3.2.2 does (the RFC sample object)', () => {
    const sample = {
      numbers: [Number('333333333.33333329'), 1e30, 4.5, 2e-3, 0.000000000000000000000000001], // as the RFC spells them
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(sample)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });
});
