import { schemaParts, type EvidenceKind } from '../../platform/evidence/evidence-kind';

const { uuid, digest } = schemaParts;
const subject = {
  runId: uuid,
  modelDigest: digest,
  trainingEvidence: digest,
  split: {
    type: 'object',
    additionalProperties: false,
    required: ['role', 'versionId', 'tableDigest', 'rows'],
    properties: { role: { const: 'test' }, versionId: uuid, tableDigest: digest, rows: { type: 'integer', minimum: 0 } },
  },
};
const common = ['runId', 'modelDigest', 'trainingEvidence'];

/** Evidence of measuring a trained model (DESIGN.md "Measuring the model"). */
export const ASSESSMENT_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'evaluation.completed',
    version: 1,
    description: 'Metrics on the held-out test split, overall and per slice, each with a seeded bootstrap confidence interval.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: [...common, 'split', 'classes', 'evaluation', 'settings'],
      properties: { ...subject, classes: { type: 'array', items: { type: 'string' } }, evaluation: { type: 'object' }, settings: { type: 'object' } },
    },
  },
  {
    kind: 'fairness.assessed',
    version: 1,
    description:
      "Group fairness over the datasheet's sensitive attributes and their intersections, with intervals; label balance before training beside outcomes after.",
    schema: {
      type: 'object',
      additionalProperties: false,
      required: [...common, 'split', 'attributes', 'missingAttributes', 'assessment', 'labelBalance'],
      properties: {
        ...subject,
        attributes: { type: 'array', items: { type: 'string' } },
        missingAttributes: { type: 'array', items: { type: 'string' } },
        assessment: { type: ['object', 'null'] },
        labelBalance: { type: ['object', 'null'] },
        reason: { type: 'string' },
      },
    },
  },
  {
    kind: 'robustness.assessed',
    version: 1,
    description: 'Metric change under Gaussian input noise at several levels and with each column masked to its training mean.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: [...common, 'split', 'report'],
      properties: { ...subject, report: { type: 'object' } },
    },
  },
  {
    kind: 'privacy.attack-assessed',
    version: 1,
    description:
      'Membership-inference audit (loss-threshold attack): how well an attacker tells training rows (members) from held-out test rows by the model’s loss — AUC and advantage with bootstrap intervals, TPR at low FPR.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: [...common, 'split', 'membersSplit', 'attack', 'members', 'nonMembers', 'auc', 'aucCi', 'advantage', 'advantageCi', 'ciReason', 'threshold', 'tprAtLowFpr'],
      properties: {
        ...subject,
        membersSplit: {
          type: 'object',
          additionalProperties: false,
          required: ['role', 'versionId', 'tableDigest', 'rows'],
          properties: { role: { const: 'train' }, versionId: uuid, tableDigest: digest, rows: { type: 'integer', minimum: 0 } },
        },
        attack: { const: 'loss_threshold' },
        members: { type: 'integer', minimum: 0 },
        nonMembers: { type: 'integer', minimum: 0 },
        auc: { type: 'number', minimum: 0, maximum: 1 },
        aucCi: { type: ['object', 'null'] },
        advantage: { type: 'number', minimum: 0, maximum: 1 },
        advantageCi: { type: ['object', 'null'] },
        ciReason: { type: ['string', 'null'] },
        threshold: { type: ['number', 'null'] },
        thresholdTpr: { type: 'number' },
        thresholdFpr: { type: 'number' },
        tprAtLowFpr: { type: 'array', items: { type: 'object' } },
        meanMemberLoss: { type: 'number' },
        meanNonMemberLoss: { type: 'number' },
        bootstrap: { type: 'object' },
      },
    },
  },
  {
    kind: 'explanation.generated',
    version: 1,
    description: 'Explanations of a model: global permutation importance, or one prediction explained (integrated gradients, KernelSHAP) with its checks.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: [...common, 'scope', 'explanation'],
      properties: {
        ...subject,
        scope: { enum: ['global', 'example', 'request'] },
        /** `request`: SHA-256 of the canonical input, never the input itself. */
        inputDigest: digest,
        explanation: { type: 'object' },
      },
    },
  },
];
