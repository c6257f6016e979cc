/**
 * A YAML file parsed with its positions kept, so every problem found later — by the JSON Schema
 * (a JSON Pointer) or by the CEL compiler (an offset inside an expression) — can be reported as
 * `file:line:column`. YAML 1.2 core schema, unique keys, no custom tags, one document per file.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type Scalar } from 'yaml';
import type { PolicyProblem } from './policy.error';

export interface Position {
  line: number;
  column: number;
}

export class YamlSource {
  readonly problems: PolicyProblem[] = [];
  /** The parsed value; undefined when the YAML itself is invalid. */
  readonly value: unknown;
  private readonly lineCounter = new LineCounter();
  private readonly document: Document;

  constructor(
    /** As shown in problems (relative to the working directory when inside it). */
    readonly file: string,
    readonly text: string,
  ) {
    this.document = parseDocument(text, {
      lineCounter: this.lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
      schema: 'core',
      merge: false,
    });
    for (const issue of [...this.document.errors, ...this.document.warnings]) {
      this.problems.push({ ...this.positionAt(issue.pos[0]), message: `invalid YAML: ${issue.message}` });
    }
    this.value = this.problems.length ? undefined : this.document.toJS({ maxAliasCount: 100 });
  }

  problem(position: Position, message: string, path?: string): PolicyProblem {
    return { file: this.file, line: position.line, column: position.column, ...(path !== undefined ? { path } : {}), message };
  }

  positionAt(offset: number): { file: string } & Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /**
   * Where the node at a JSON Pointer starts; with `key`, where its key starts (for "unknown
   * field"). Falls back to the deepest existing ancestor, so a missing field points at its object.
   */
  position(pointer: string, options: { key?: boolean } = {}): Position {
    const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: unknown = this.document.contents;
    let pair: Pair | undefined;
    for (const segment of segments) {
      const next = this.child(node, segment);
      if (!next) break;
      ({ node, pair } = next);
    }
    const target = options.key && pair && isScalar(pair.key) ? pair.key : (node as Node | null | undefined);
    const offset = target?.range?.[0] ?? (isScalar(pair?.key) ? pair.key.range?.[0] : undefined) ?? 0;
    const { line, column } = this.positionAt(offset);
    return { line, column };
  }

  /** Position of character `offset` of a scalar's value (e.g. where a CEL error is) when it can be mapped exactly, else of the scalar. */
  positionInScalar(pointer: string, offset: number): Position {
    const scalar = this.node(pointer);
    if (!isScalar(scalar) || !scalar.range || typeof scalar.value !== 'string') return this.position(pointer);
    const start = scalar.range[0];
    const value = scalar.value;
    const raw = this.text.slice(start, scalar.range[1]);
    switch (scalar.type) {
      case 'PLAIN':
        if (raw === value) return this.positionAt(start + offset);
        break;
      case 'QUOTE_SINGLE':
      case 'QUOTE_DOUBLE':
        if (raw.length === value.length + 2 && raw.slice(1, -1) === value) return this.positionAt(start + 1 + offset);
        break;
      case 'BLOCK_LITERAL':
        return this.positionInBlockLiteral(scalar, value, offset) ?? this.position(pointer);
      default:
        break;
    }
    return this.position(pointer);
  }

  /** `|` scalars keep their lines: line i of the value is source line (header + 1 + i), shifted by the indentation. */
  private positionInBlockLiteral(scalar: Scalar, value: string, offset: number): Position | undefined {
    const start = scalar.range![0];
    const header = this.lineCounter.linePos(start).line;
    const before = value.slice(0, offset).split('\n');
    const lineIndex = before.length - 1;
    const column = before[lineIndex]!.length;
    const lines = this.text.split('\n');
    // The block's indentation is that of its first non-empty line; deeper lines keep the rest in the value.
    const firstContent = lines.slice(header).find((line) => line.trim() !== '');
    if (firstContent === undefined || lines[header + lineIndex] === undefined) return undefined;
    const indent = /^ */.exec(firstContent)![0].length;
    return { line: header + 1 + lineIndex, column: indent + column + 1 };
  }

  private node(pointer: string): unknown {
    const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: unknown = this.document.contents;
    for (const segment of segments) {
      const next = this.child(node, segment);
      if (!next) return undefined;
      node = next.node;
    }
    return node;
  }

  private child(node: unknown, segment: string): { node: unknown; pair?: Pair } | undefined {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      return pair ? { node: pair.value ?? pair.key, pair } : undefined;
    }
    if (isSeq(node) && /^\d+$/.test(segment)) {
      const item = node.items[Number(segment)];
      return item === undefined ? undefined : { node: item };
    }
    return undefined;
  }
}
