/**
 * Which values of the evidence document (and pack parameters) an expression reads, found from its
 * syntax tree at load, so a decision can record what each rule looked at:
 *   `evidence.fairness.minDemographicParityRatio`        a value,
 *   `has(evidence.monitoring.plan)`                      a presence test,
 *   `evidence.fairness.attributeSets[*].demographicParityRatio`
 *                                                        a value read through a macro's variable
 *                                                        (`attributeSets.all(a, a.demographicParityRatio …)`),
 *                                                        recorded as the list of it for every element,
 *   `size(evidence.datasets)`                            a size (rather than the whole list).
 * A path indexed by a computed key stops at the collection, which is then recorded whole.
 */
import type { ASTNode } from '@marcbachmann/cel-js';

/** A field name, `*` (every element of a list) or a literal list index. */
export type PathSegment = string | { index: number };

export interface ReadPath {
  /** `value`: the expression reads the value at the path; `presence`: it asks has(path); `size`: size(path). */
  kind: 'value' | 'presence' | 'size';
  segments: PathSegment[];
  /** How the decision shows it: `evidence.a.b`, `has(evidence.a)`, `params.x`. */
  label: string;
}

const ROOTS = new Set(['evidence', 'params']);
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

type Scope = ReadonlyMap<string, PathSegment[] | null>;

export function pathLabel(segments: readonly PathSegment[]): string {
  let label = '';
  for (const segment of segments) {
    if (typeof segment !== 'string') label += `[${segment.index}]`;
    else if (segment === '*') label += '[*]';
    else label += label ? `.${segment}` : segment;
  }
  return label;
}

/** The path a node denotes, when it is a chain of selections from `evidence`, `params` or a macro variable bound to one. */
function pathOf(node: ASTNode, scope: Scope): PathSegment[] | null {
  switch (node.op) {
    case 'id':
      if (scope.has(node.args)) return scope.get(node.args) ?? null;
      return ROOTS.has(node.args) ? [node.args] : null;
    case '.': {
      const base = pathOf(node.args[0], scope);
      return base ? [...base, node.args[1]] : null;
    }
    case '[]': {
      const base = pathOf(node.args[0], scope);
      const index = node.args[1];
      if (!base || index.op !== 'value') return null;
      if (typeof index.args === 'string') return [...base, index.args];
      if (typeof index.args === 'bigint') return [...base, { index: Number(index.args) }];
      return null;
    }
    default:
      return null;
  }
}

function children(node: ASTNode): ASTNode[] {
  switch (node.op) {
    case 'value':
    case 'id':
      return [];
    case '.':
    case '.?':
      return [node.args[0]];
    case 'call':
      return node.args[1];
    case 'rcall':
      return [node.args[1], ...node.args[2]];
    case 'list':
      return node.args;
    case 'map':
      return node.args.flat();
    case '!_':
    case '-_':
      return [node.args];
    default:
      return node.args;
  }
}

export function collectReads(ast: ASTNode): ReadPath[] {
  const reads = new Map<string, ReadPath>();
  const add = (kind: ReadPath['kind'], segments: PathSegment[]) => {
    const path = pathLabel(segments);
    const label = kind === 'value' ? path : `${kind === 'presence' ? 'has' : 'size'}(${path})`;
    reads.set(label, { kind, segments, label });
  };

  /**
   * The path whose elements a macro iterates: the receiver's path, also through `filter` (its
   * elements are some of the receiver's; recording all of them over-approximates what was read).
   * Anything else is visited for its own reads and gives null.
   */
  const elementsOf = (receiver: ASTNode, scope: Scope): PathSegment[] | null => {
    const path = pathOf(receiver, scope);
    if (path) return path;
    if (receiver.op === 'rcall' && receiver.args[0] === 'filter' && receiver.args[2][0]?.op === 'id' && receiver.args[2].length === 2) {
      const [, source, [variable, predicate]] = receiver.args;
      const base = elementsOf(source, scope);
      visit(predicate!, new Map(scope).set((variable as { args: string }).args, base ? [...base, '*'] : null));
      return base;
    }
    visit(receiver, scope);
    return null;
  };

  const visit = (node: ASTNode, scope: Scope): void => {
    const path = pathOf(node, scope);
    if (path) return add('value', path);
    if (node.op === 'call' && node.args[0] === 'has' && node.args[1].length === 1) {
      const operand = pathOf(node.args[1][0]!, scope);
      if (operand) return add('presence', operand);
    }
    if (node.op === 'call' && node.args[0] === 'size' && node.args[1].length === 1) {
      const operand = pathOf(node.args[1][0]!, scope);
      if (operand) return add('size', operand);
    }
    if (node.op === 'rcall') {
      const [name, receiver, args] = node.args;
      const sized = name === 'size' && args.length === 0 ? pathOf(receiver, scope) : null;
      if (sized) return add('size', sized);
      const variable = args[0];
      if (COMPREHENSIONS.has(name) && variable?.op === 'id') {
        const base = elementsOf(receiver, scope);
        const inner = new Map(scope).set(variable.args, base ? [...base, '*'] : null);
        for (const arg of args.slice(1)) visit(arg, inner);
        return;
      }
      if (name === 'bind' && receiver.op === 'id' && receiver.args === 'cel' && variable?.op === 'id' && args.length === 3) {
        const bound = pathOf(args[1]!, scope);
        if (!bound) visit(args[1]!, scope);
        visit(args[2]!, new Map(scope).set(variable.args, bound));
        return;
      }
    }
    if (node.op === '[]') {
      // A computed index: the collection is read whole, and the index expression may read too.
      const base = pathOf(node.args[0], scope);
      if (base) add('value', base);
      else visit(node.args[0], scope);
      return visit(node.args[1], scope);
    }
    for (const child of children(node)) visit(child, scope);
  };

  visit(ast, new Map());
  return [...reads.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
