import { schemaParts, type EvidenceKind } from '../../platform/evidence/evidence-kind';

const { uuid, digest } = schemaParts;
const model = {
  name: { type: 'string' },
  description: { type: 'string' },
  intendedUse: { type: 'string' },
  prohibitedUses: { type: 'array', items: { type: 'string' } },
  riskTier: { type: 'string' },
  jurisdictions: { type: 'array', items: { type: 'string' } },
  declarations: { type: 'object' },
};

/** Evidence of the registry: what a model is for (and is not), and which run each version is. */
export const REGISTRY_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'model.registered',
    version: 1,
    description: 'A model was registered with its intended use, prohibited uses, risk tier and jurisdictions.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['modelId', 'ownerId', ...Object.keys(model)],
      properties: { modelId: uuid, ownerId: uuid, ...model },
    },
  },
  {
    kind: 'model.updated',
    version: 1,
    description: "A registered model's declared use, risk tier or jurisdictions changed: the values before and after.",
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['modelId', 'before', 'after'],
      properties: {
        modelId: uuid,
        before: { type: 'object', additionalProperties: false, properties: model },
        after: { type: 'object', additionalProperties: false, properties: model },
      },
    },
  },
  {
    kind: 'model_version.registered',
    version: 1,
    description: 'A succeeded training run became a model version: its model digest, artifacts, signature and training evidence.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['modelId', 'modelVersionId', 'version', 'runId', 'modelDigest', 'artifacts', 'signatureDigest', 'trainingEvidence'],
      properties: {
        modelId: uuid,
        modelVersionId: uuid,
        version: { type: 'integer', minimum: 1 },
        runId: uuid,
        modelDigest: digest,
        artifacts: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path', 'digest', 'size'],
            properties: { path: { type: 'string' }, digest, size: { type: 'integer', minimum: 0 } },
          },
        },
        signatureDigest: digest,
        trainingEvidence: digest,
      },
    },
  },
];
