import { schemaParts, type EvidenceKind } from '../../platform/evidence/evidence-kind';

const { uuid, digest } = schemaParts;

/** Evidence of regulator exports. */
export const EXPORTS_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'bundle.exported',
    version: 1,
    description: 'An evidence bundle of a model version was exported: the digest of its signed manifest and the checkpoint its proofs are against.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['modelId', 'modelVersionId', 'version', 'manifestDigest', 'files', 'checkpointSize', 'checkpointRoot', 'consistencyFrom'],
      properties: {
        modelId: uuid,
        modelVersionId: uuid,
        version: { type: 'integer', minimum: 1 },
        manifestDigest: digest,
        files: { type: 'integer', minimum: 1 },
        checkpointSize: { type: 'integer', minimum: 1 },
        checkpointRoot: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        consistencyFrom: { type: 'array', items: { type: 'integer', minimum: 1 } },
      },
    },
  },
];
