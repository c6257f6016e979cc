import { schemaParts, type EvidenceKind } from '../platform/evidence/evidence-kind';

const { uuid, digest } = schemaParts;
const time = { type: 'string', format: 'date-time' };
const count = { type: 'integer', minimum: 0 };

/** Evidence of serving and post-market monitoring. */
export const SERVING_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'decisions.committed',
    version: 1,
    description:
      'One batch of the decision log (EU AI Act Art. 12): the RFC 9162 root over its prediction and outcome leaves; each decision proves its inclusion through it.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['batchId', 'root', 'size', 'predictions', 'outcomes', 'from', 'to'],
      properties: { batchId: uuid, root: digest, size: { type: 'integer', minimum: 1 }, predictions: count, outcomes: count, from: time, to: time },
    },
  },
  {
    kind: 'monitoring.configured',
    version: 1,
    description: 'The post-market monitoring plan of a registered model (Art. 72(3)): decision logging, window, features, thresholds, group drift, webhooks.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['modelId', 'plan', 'settings'],
      properties: {
        modelId: uuid,
        plan: {
          type: 'object',
          additionalProperties: false,
          required: ['decisionLogging', 'features', 'window', 'thresholds', 'groupDrift', 'webhooks'],
          properties: {
            decisionLogging: { type: 'boolean' },
            features: { type: 'array', items: { type: 'string' } },
            window: { type: 'string' },
            thresholds: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['metric', 'value'],
                properties: { metric: { type: 'string' }, value: { type: 'number' } },
              },
            },
            groupDrift: { type: 'boolean' },
            webhooks: count,
          },
        },
        settings: { type: 'object' },
      },
    },
  },
  {
    kind: 'monitoring.alerted',
    version: 1,
    description: 'A monitoring check of a served version crossed a threshold of its plan (drift, prediction rate, group rate or quality).',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['alertId', 'modelId', 'modelVersionId', 'version', 'metric', 'target', 'value', 'threshold', 'samples', 'window'],
      properties: {
        alertId: uuid,
        modelId: uuid,
        modelVersionId: uuid,
        version: { type: 'integer', minimum: 1 },
        metric: { enum: ['psi', 'ks', 'prediction_rate_delta', 'group_prediction_rate_delta', 'accuracy_drop'] },
        target: { type: 'string' },
        value: { type: 'number' },
        threshold: { type: 'number' },
        samples: count,
        window: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: time, to: time } },
        detail: { type: 'object' },
      },
    },
  },
  {
    kind: 'monitoring.alert-resolved',
    version: 1,
    description: 'A compliance officer resolved a monitoring alert, with the reason.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['alertId', 'modelVersionId', 'reason'],
      properties: { alertId: uuid, modelVersionId: uuid, reason: { type: 'string', minLength: 10 } },
    },
  },
];
