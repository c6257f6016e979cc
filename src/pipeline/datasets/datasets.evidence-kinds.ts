import { schemaParts, type EvidenceKind } from '../../platform/evidence/evidence-kind';

const { uuid, digest } = schemaParts;

export const DATASET_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'dataset.registered',
    version: 1,
    description: 'A dataset was registered (its versions follow).',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['datasetId', 'name', 'ownerId'],
      properties: { datasetId: uuid, name: { type: 'string', maxLength: 200 }, ownerId: uuid },
    },
  },
  {
    kind: 'dataset_version.registered',
    version: 1,
    description: 'A dataset version was ingested (upload) or derived (transformation): its digests and profile.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['datasetId', 'versionId', 'version', 'origin', 'rawDigest', 'tableDigest', 'rows', 'columns', 'ingest', 'profile'],
      properties: {
        datasetId: uuid,
        versionId: uuid,
        version: { type: 'integer', minimum: 1 },
        origin: { enum: ['upload', 'transformation'] },
        rawDigest: { oneOf: [digest, { type: 'null' }] },
        tableDigest: digest,
        byteCount: { type: 'integer', minimum: 0 },
        rows: { type: 'integer', minimum: 0 },
        columns: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'type'],
            additionalProperties: false,
            properties: { name: { type: 'string' }, type: { enum: ['numeric', 'categorical', 'boolean', 'date'] } },
          },
        },
        ingest: { type: 'object' },
        profile: { type: 'object' },
        derivedFrom: { type: 'object' },
      },
    },
  },
  {
    kind: 'dataset.transformed',
    version: 1,
    description: 'A transformation derived new dataset versions: its spec, fitted parameters, inputs and outputs.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['transformationId', 'datasetId', 'inputVersionId', 'inputTableDigest', 'spec', 'summary', 'outputs', 'startedAt', 'endedAt'],
      properties: {
        transformationId: uuid,
        datasetId: uuid,
        inputVersionId: uuid,
        inputTableDigest: digest,
        spec: { type: 'object' },
        summary: { type: 'object' },
        outputs: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['role', 'versionId', 'tableDigest'],
            properties: { role: { type: 'string' }, versionId: uuid, tableDigest: digest },
          },
        },
        startedAt: { type: 'string', format: 'date-time' },
        endedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
  {
    kind: 'dataset.previewed',
    version: 1,
    description: "Raw rows of a dataset version were shown to its owner (access to personal data is recorded).",
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['datasetId', 'versionId', 'rows', 'masked'],
      properties: { datasetId: uuid, versionId: uuid, rows: { type: 'integer', minimum: 0 }, masked: { type: 'boolean' } },
    },
  },
];
