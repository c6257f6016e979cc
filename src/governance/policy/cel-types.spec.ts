import { EVIDENCE_DOCUMENT_SCHEMA } from '../evidence-document/evidence-document.schema';
import { SchemaShapes, celTypeName, converterFor, type CelShape } from './cel-types';

const fieldsOf = (shape: CelShape) => (shape.kind === 'message' ? Object.fromEntries([...shape.fields].map(([k, v]) => [k, celTypeName(v)])) : {});

describe(SchemaShapes.name, () => {
  it('maps the evidence schema to CEL types: integer → int, number → double, nullable → its type, lists and messages', () => {
    const root = new SchemaShapes(EVIDENCE_DOCUMENT_SCHEMA).rootShape('Evidence');
    expect(fieldsOf(root)).toMatchObject({ format: 'string', model: 'Evidence.model', datasets: 'list<Evidence.datasets>', fairness: 'Evidence.fairness' });
    const model = root.kind === 'message' ? root.fields.get('model')! : root;
    expect(fieldsOf(model)).toMatchObject({ version: 'int', riskTier: 'string', intendedUse: 'string', knownLimitations: 'list<string>' });
    const evaluation = root.kind === 'message' ? root.fields.get('evaluation')! : root;
    expect(fieldsOf(evaluation)).toMatchObject({ rows: 'int', metrics: 'list<MetricValue>' });
  });

  it('refuses schema constructs CEL cannot type', () => {
    const shapes = (schema: Record<string, unknown>) => () => new SchemaShapes({ type: 'object', additionalProperties: false, properties: { x: schema } }).rootShape('T');
    expect(shapes({ type: 'object' })).toThrow('not expressible in CEL');
    expect(shapes({ oneOf: [{ type: 'string' }, { type: 'integer' }] })).toThrow('not expressible in CEL');
    expect(shapes({ anyOf: [{ type: 'string' }, { type: 'integer' }] })).toThrow("anyOf is only supported as [X, {type: 'null'}]");
  });
});

describe(converterFor.name, () => {
  it('turns integers into BigInt, drops nulls and builds the message classes', () => {
    const shape = new SchemaShapes({
      type: 'object',
      additionalProperties: false,
      properties: { n: { type: 'integer' }, x: { type: 'number' }, s: { anyOf: [{ type: 'string' }, { type: 'null' }] }, ns: { type: 'array', items: { type: 'integer' } } },
    }).rootShape('T');
    const value = converterFor(shape, Array)({ n: 3, x: 0.5, s: null, ns: [1, 2] }) as Record<string, unknown>;
    expect(value.constructor.name).toBe('T');
    expect({ ...value }).toEqual({ n: 3n, x: 0.5, ns: [1n, 2n] });
    expect('s' in value).toBe(false);
  });
});
