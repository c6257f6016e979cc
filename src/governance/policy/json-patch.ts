/**
 * RFC 6902 JSON Patch, the operations pack tests need: add, remove, replace, test. Applied to a
 * copy; a path that does not exist (where the RFC requires it) is an error, not a silent no-op,
 * so a fixture cannot quietly stop testing anything.
 */

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string };

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON Pointer must start with "/": ${pointer}`);
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function arrayIndex(array: unknown[], segment: string, forAdd: boolean, pointer: string): number {
  if (forAdd && segment === '-') return array.length;
  if (!/^(0|[1-9]\d*)$/.test(segment)) throw new Error(`${pointer}: "${segment}" is not an array index`);
  const index = Number(segment);
  if (index > array.length || (!forAdd && index === array.length)) throw new Error(`${pointer}: index ${index} is out of range`);
  return index;
}

export function applyJsonPatch<T>(document: T, operations: readonly JsonPatchOperation[]): T {
  let root: unknown = structuredClone(document);
  for (const operation of operations) {
    const segments = parsePointer(operation.path);
    if (segments.length === 0) {
      if (operation.op === 'remove') throw new Error('cannot remove the whole document');
      if (operation.op === 'test') {
        if (JSON.stringify(root) !== JSON.stringify(operation.value)) throw new Error('test failed at ""');
      } else root = structuredClone(operation.value);
      continue;
    }
    let parent: unknown = root;
    for (const segment of segments.slice(0, -1)) {
      const next: unknown = Array.isArray(parent) ? parent[arrayIndex(parent, segment, false, operation.path)] : isContainer(parent) ? (parent as Record<string, unknown>)[segment] : undefined;
      if (!isContainer(next)) throw new Error(`${operation.path}: no such location`);
      parent = next;
    }
    const last = segments[segments.length - 1]!;
    if (!isContainer(parent)) throw new Error(`${operation.path}: no such location`);
    if (Array.isArray(parent)) {
      const index = arrayIndex(parent, last, operation.op === 'add', operation.path);
      if (operation.op === 'add') parent.splice(index, 0, structuredClone(operation.value));
      else if (operation.op === 'remove') parent.splice(index, 1);
      else if (operation.op === 'replace') parent[index] = structuredClone(operation.value);
      else if (JSON.stringify(parent[index]) !== JSON.stringify(operation.value)) throw new Error(`test failed at ${operation.path}`);
      continue;
    }
    const exists = Object.hasOwn(parent, last);
    if (operation.op !== 'add' && !exists) throw new Error(`${operation.path}: no such member`);
    if (operation.op === 'remove') delete parent[last];
    else if (operation.op === 'test') {
      if (JSON.stringify(parent[last]) !== JSON.stringify(operation.value)) throw new Error(`test failed at ${operation.path}`);
    } else parent[last] = structuredClone(operation.value);
  }
  return root as T;
}
