import { schemaParts, type EvidenceKind } from '../../platform/evidence/evidence-kind';

const { uuid } = schemaParts;

export const PRIVACY_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'privacy.scanned',
    version: 1,
    description:
      'Privacy scan of a dataset version: PII findings per column (masked examples only), re-identification risk over the ' +
      'declared quasi-identifiers, and label balance by sensitive attribute.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['datasetId', 'versionId', 'rows', 'withDatasheet', 'pii', 'piiColumns', 'reidentification', 'labelBalance'],
      properties: {
        datasetId: uuid,
        versionId: uuid,
        rows: { type: 'integer', minimum: 0 },
        withDatasheet: { type: 'boolean' },
        pii: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['column', 'findings'],
            properties: {
              column: { type: 'string' },
              findings: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['entityType', 'share', 'confidence', 'maskedExamples'],
                  properties: {
                    entityType: { type: 'string' },
                    share: { type: 'number', minimum: 0, maximum: 1 },
                    confidence: { type: 'number', minimum: 0, maximum: 1 },
                    maskedExamples: { type: 'array', items: { type: 'string' }, maxItems: 10 },
                  },
                },
              },
            },
          },
        },
        piiColumns: { type: 'array', items: { type: 'string' } },
        reidentification: {
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              required: ['k', 'records', 'classes'],
              properties: { k: { type: 'integer' }, records: { type: 'integer' }, classes: { type: 'integer' } },
            },
          ],
        },
        labelBalance: {
          oneOf: [
            { type: 'null' },
            { type: 'object', required: ['records', 'attributes'], properties: { records: { type: 'integer' }, attributes: { type: 'array' } } },
          ],
        },
      },
    },
  },
];
