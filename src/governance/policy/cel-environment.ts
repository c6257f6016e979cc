/**
 * The CEL environment rules are compiled in. Variables:
 *   evidence  — the assay.evidence/v1 document, typed from its JSON Schema;
 *   params    — the pack's parameters, typed from their declarations in pack.yaml;
 *   stage     — the promotion's target stage (`staging` | `production`);
 *   riskTier  — the model's risk tier as the decision was asked for.
 * One base environment holds the evidence types; each pack gets a clone with its own `Params`.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { EVIDENCE_DOCUMENT_SCHEMA } from '../evidence-document/evidence-document.schema';
import { loadCel, type CelModule } from './cel-module';
import { SchemaShapes, converterFor, registerShapeTypes, type CelShape, type Converter } from './cel-types';
import { PARAMETER_TYPES, type ParameterDeclaration, type ParameterType } from './pack-parameters';

export interface EvidenceCel {
  cel: CelModule;
  /** Frozen by cloning: packs extend clones of it. */
  base: Environment;
  convertEvidence: Converter;
  /** cel-js's `Array` (see converterFor). */
  realmArray: ArrayConstructor;
}

/** Structural limits on rule expressions (cel-js defaults are the CEL spec minimums, far above what a rule needs). */
const LIMITS = { maxAstNodes: 2000, maxDepth: 64, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 16 };

let evidenceCel: Promise<EvidenceCel> | undefined;

export function loadEvidenceCel(): Promise<EvidenceCel> {
  evidenceCel ??= loadCel().then((cel) => {
    const shape = new SchemaShapes(EVIDENCE_DOCUMENT_SCHEMA).rootShape('Evidence');
    const base = new cel.Environment({ limits: LIMITS });
    registerShapeTypes(base, shape);
    base
      .registerVariable('evidence', celTypeOf(shape), { description: 'The assay.evidence/v1 document of the model version.' })
      .registerVariable('stage', 'string', { description: 'The stage the promotion targets: staging or production.' })
      .registerVariable('riskTier', 'string', { description: 'The risk tier the decision applies.' });
    const realmArray = (base.evaluate('[]') as unknown[]).constructor as ArrayConstructor;
    return { cel, base, convertEvidence: converterFor(shape, realmArray), realmArray };
  });
  return evidenceCel;
}

const celTypeOf = (shape: CelShape): string => (shape.kind === 'message' ? shape.name : 'dyn');

const PRIMITIVE: Record<ParameterType, CelShape> = Object.fromEntries(
  PARAMETER_TYPES.map((type) => {
    const list = /^list<(\w+)>$/.exec(type);
    const primitive = (name: string) => ({ kind: 'primitive', type: name }) as CelShape;
    return [type, list ? { kind: 'list', items: primitive(list[1]!) } : primitive(type)];
  }),
) as Record<ParameterType, CelShape>;

export interface PackEnvironment {
  env: Environment;
  convertParams: Converter;
}

/** A clone of the base environment with `params` typed from the pack's declarations. */
export function packEnvironment(evidence: EvidenceCel, declarations: Record<string, ParameterDeclaration>): PackEnvironment {
  const env = evidence.base.clone();
  const shape: CelShape = { kind: 'message', name: 'Params', fields: new Map(), ctor: class Params {} as new () => Record<string, unknown> };
  for (const [name, declaration] of Object.entries(declarations)) shape.fields.set(name, PRIMITIVE[declaration.type]);
  registerShapeTypes(env, shape);
  env.registerVariable('params', 'Params', { description: "The pack's parameters, as set for this organisation." });
  return { env, convertParams: converterFor(shape, evidence.realmArray) };
}
