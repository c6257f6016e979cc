/**
 * JSON Schema → CEL types, so rules are type-checked against the evidence document at load
 * (`evidence.fairnes.minRatio` or `"high" > 1` are refused before any decision is made).
 *
 * Each schema object becomes a CEL message type backed by a generated class; `integer` becomes
 * `int`, `number` `double`, enums and strings `string`, arrays `list<T>`. The same shapes convert a
 * JSON value into what the compiled expressions expect, once per decision: integers to BigInt
 * (CEL ints are BigInt in cel-js), objects to their class, and null dropped — in CEL a null or
 * absent field is simply absent, and rules test it with `has()`.
 */
import type { Environment } from '@marcbachmann/cel-js';

type JsonSchema = Record<string, unknown>;

export type CelShape =
  | { kind: 'primitive'; type: 'string' | 'int' | 'double' | 'bool' }
  | { kind: 'list'; items: CelShape }
  | { kind: 'message'; name: string; fields: Map<string, CelShape>; ctor: new () => Record<string, unknown> };

/** Type expression as cel-js writes it: `int`, `list<Evidence.datasets>`, … */
export function celTypeName(shape: CelShape): string {
  switch (shape.kind) {
    case 'primitive':
      return shape.type;
    case 'list':
      return `list<${celTypeName(shape.items)}>`;
    case 'message':
      return shape.name;
  }
}

function messageShape(name: string): Extract<CelShape, { kind: 'message' }> {
  // A named class per type: cel-js tells message types apart by constructor.
  const ctor = { [name]: class {} }[name] as new () => Record<string, unknown>;
  return { kind: 'message', name, fields: new Map(), ctor };
}

const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Reads the schema subset documented in evidence-document.schema.ts; anything else is a programming error. */
export class SchemaShapes {
  private readonly defs: Record<string, JsonSchema>;
  private readonly named = new Map<string, CelShape>();

  constructor(private readonly root: JsonSchema) {
    this.defs = (root.$defs as Record<string, JsonSchema> | undefined) ?? {};
  }

  rootShape(name: string): CelShape {
    return this.shape(this.root, name, '#');
  }

  private shape(schema: JsonSchema, name: string, at: string): CelShape {
    const unsupported = (): never => {
      throw new Error(`${at}: schema construct not expressible in CEL: ${JSON.stringify(schema).slice(0, 120)}`);
    };
    if (typeof schema.$ref === 'string') {
      const match = /^#\/\$defs\/([A-Za-z0-9_]+)$/.exec(schema.$ref);
      const def = match ? this.defs[match[1]!] : undefined;
      if (!match || !def) return unsupported();
      const key = match[1]!;
      const cached = this.named.get(key);
      if (cached) return cached;
      const resolved = this.shape(def, pascal(key), `#/$defs/${key}`);
      this.named.set(key, resolved);
      return resolved;
    }
    if (this.nonNullBranch(schema)) return unsupported(); // "X or null" is only meaningful for a field
    if (typeof schema.const === 'string') return { kind: 'primitive', type: 'string' };
    switch (schema.type) {
      case 'string':
        return { kind: 'primitive', type: 'string' };
      case 'integer':
        return { kind: 'primitive', type: 'int' };
      case 'number':
        return { kind: 'primitive', type: 'double' };
      case 'boolean':
        return { kind: 'primitive', type: 'bool' };
      case 'array':
        if (typeof schema.items !== 'object' || schema.items === null) return unsupported();
        return { kind: 'list', items: this.shape(schema.items as JsonSchema, name, `${at}/items`) };
      case 'object': {
        const properties = schema.properties as Record<string, JsonSchema> | undefined;
        if (!properties || schema.additionalProperties !== false) return unsupported();
        const shape = messageShape(name);
        for (const [key, property] of Object.entries(properties)) {
          shape.fields.set(key, this.fieldShape(property, `${name}.${key}`, `${at}/properties/${key}`));
        }
        return shape;
      }
      default:
        return unsupported();
    }
  }

  /** A property may also be "X or null"; null is dropped on conversion, so the field type is X's. */
  private fieldShape(schema: JsonSchema, name: string, at: string): CelShape {
    const branch = this.nonNullBranch(schema);
    return branch ? this.shape(branch, name, `${at}/anyOf/0`) : this.shape(schema, name, at);
  }

  private nonNullBranch(schema: JsonSchema): JsonSchema | undefined {
    const anyOf = schema.anyOf as JsonSchema[] | undefined;
    if (!Array.isArray(anyOf)) return undefined;
    const rest = anyOf.filter((branch) => branch.type !== 'null');
    if (anyOf.length !== 2 || rest.length !== 1) throw new Error(`anyOf is only supported as [X, {type: 'null'}]`);
    return rest[0];
  }
}

/** Registers every message type reachable from `shape` (each once). */
export function registerShapeTypes(env: Environment, shape: CelShape, done = new Set<string>()): void {
  if (shape.kind === 'list') return registerShapeTypes(env, shape.items, done);
  if (shape.kind !== 'message' || done.has(shape.name)) return;
  done.add(shape.name);
  const fields: Record<string, string> = {};
  for (const [key, field] of shape.fields) fields[key] = celTypeName(field);
  env.registerType(shape.name, { ctor: shape.ctor, fields });
  for (const field of shape.fields.values()) registerShapeTypes(env, field, done);
}

export type Converter = (value: unknown) => unknown;

/**
 * A converter from JSON (already validated against the schema) to CEL values. Non-finite numbers
 * cannot come from validated JSON; an integer beyond 2^53 would already have lost precision in JSON.
 * Lists are built with cel-js's own `Array` (`realmArray`): it recognises lists by constructor, and
 * under a VM context (Jest) the caller's arrays come from another realm.
 */
export function converterFor(shape: CelShape, realmArray: ArrayConstructor): Converter {
  switch (shape.kind) {
    case 'primitive':
      return shape.type === 'int' ? (value) => BigInt(value as number) : (value) => value;
    case 'list': {
      const item = converterFor(shape.items, realmArray);
      if (shape.items.kind === 'primitive' && shape.items.type !== 'int') return (value) => realmArray.from(value as unknown[]);
      return (value) => realmArray.from(value as unknown[], item);
    }
    case 'message': {
      // Lazily built, so recursive shapes terminate.
      let fields: Array<[string, Converter]> | undefined;
      const Ctor = shape.ctor;
      return (value) => {
        fields ??= [...shape.fields].map(([key, field]) => [key, converterFor(field, realmArray)]);
        const source = value as Record<string, unknown>;
        const target = new Ctor();
        for (const [key, convert] of fields) {
          const field = source[key];
          if (field !== null && field !== undefined) target[key] = convert(field);
        }
        return target;
      };
    }
  }
}
