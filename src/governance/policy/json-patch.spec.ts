import { applyJsonPatch } from './json-patch';

describe(applyJsonPatch.name, () => {
  const document = { a: { b: [1, 2, 3] }, c: null as unknown };

  it('adds, removes, replaces and tests on a copy', () => {
    const patched = applyJsonPatch(document, [
      { op: 'test', path: '/a/b/1', value: 2 },
      { op: 'replace', path: '/a/b/1', value: 20 },
      { op: 'add', path: '/a/b/-', value: 4 },
      { op: 'remove', path: '/a/b/0' },
      { op: 'add', path: '/d~1e', value: { f: true } },
      { op: 'replace', path: '/c', value: 'x' },
    ]);
    expect(patched).toEqual({ a: { b: [20, 3, 4] }, c: 'x', 'd/e': { f: true } });
    expect(document).toEqual({ a: { b: [1, 2, 3] }, c: null });
  });

  it('refuses paths that do not exist and failed tests, so a fixture cannot silently test nothing', () => {
    expect(() => applyJsonPatch(document, [{ op: 'replace', path: '/a/x', value: 1 }])).toThrow('/a/x: no such member');
    expect(() => applyJsonPatch(document, [{ op: 'remove', path: '/a/b/3' }])).toThrow('index 3 is out of range');
    expect(() => applyJsonPatch(document, [{ op: 'replace', path: '/z/y', value: 1 }])).toThrow('/z/y: no such location');
    expect(() => applyJsonPatch(document, [{ op: 'test', path: '/a/b/0', value: 9 }])).toThrow('test failed at /a/b/0');
  });
});
