import fc from 'fast-check';
import { activityRunId, nameBasedUuidV8 } from './run-id';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('run ids', () => {
  it('matches RFC 9562 Appendix B.2 (UUIDv8, name-based, SHA-256)', () => {
    expect(nameBasedUuidV8('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('5c146b14-3c52-8afd-938a-375d0df1fbf6');
  });

  it('keeps an activity id that is a UUID (lower-cased)', () => {
    expect(activityRunId('0B6F3C1E-8E8D-4C2A-9A39-6F1E0E3D2C11', 'https://assay.example/ns#')).toBe('0b6f3c1e-8e8d-4c2a-9a39-6f1e0e3d2c11');
  });

  it('derives a stable UUIDv8 from any other id, distinct per id and per namespace', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a.toLowerCase() !== b.toLowerCase()); // a UUID id is kept lower-cased, so case alone may not tell ids apart
        const ns = 'https://assay.example/ns#';
        const runA = activityRunId(a, ns);
        expect(runA).toBe(activityRunId(a, ns));
        if (!/^[0-9a-f-]{36}$/i.test(a)) expect(runA).toMatch(UUID_V8);
        expect(runA).not.toBe(activityRunId(b, ns));
        if (!/^[0-9a-f-]{36}$/i.test(a)) expect(runA).not.toBe(activityRunId(a, 'https://other.example/ns#'));
      }),
    );
  });
});
