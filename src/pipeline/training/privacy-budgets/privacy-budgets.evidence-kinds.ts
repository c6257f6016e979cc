import { schemaParts, type EvidenceKind } from '../../../platform/evidence/evidence-kind';

const { uuid } = schemaParts;
const budget = {
  type: 'object',
  additionalProperties: false,
  required: ['epsilon', 'delta', 'conversion'],
  properties: { epsilon: { type: 'number', exclusiveMinimum: 0 }, delta: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, conversion: { enum: ['classic', 'balle2020'] } },
};

/** Evidence of privacy budgets: set on a dataset version, and charged by DP-SGD runs. */
export const PRIVACY_BUDGET_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'privacy.budget-set',
    version: 1,
    description: 'A privacy budget (ε, δ) was set on a dataset version; every DP-SGD run training on it, or on data derived from it, is charged against it.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['datasetId', 'versionId', 'budget', 'previous', 'spentEpsilon'],
      properties: { datasetId: uuid, versionId: uuid, budget, previous: { oneOf: [{ type: 'null' }, budget] }, spentEpsilon: { type: 'number', minimum: 0 } },
    },
  },
  {
    kind: 'privacy.budget-charged',
    version: 1,
    description: 'A DP-SGD run was admitted against a dataset version’s privacy budget: its planned steps, sampling rate and noise, the ε spent in all after it and what remains.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['runId', 'datasetVersionId', 'budget', 'steps', 'sampleRate', 'noiseMultiplier', 'runEpsilon', 'spentEpsilon', 'remainingEpsilon'],
      properties: {
        runId: uuid,
        datasetVersionId: uuid,
        budget,
        steps: { type: 'integer', minimum: 0 },
        sampleRate: { type: 'number', minimum: 0, maximum: 1 },
        noiseMultiplier: { type: 'number', minimum: 0 },
        runEpsilon: { type: 'number', minimum: 0 },
        spentEpsilon: { type: 'number', minimum: 0 },
        remainingEpsilon: { type: 'number', minimum: 0 },
      },
    },
  },
];
