import { schemaParts, type EvidenceKind } from '../../platform/evidence/evidence-kind';

const { uuid, digest } = schemaParts;
const stage = { enum: ['staging', 'production'] };

/** Evidence of the promotion gate: decisions, requests, approvals, alias moves and waivers. */
export const PROMOTION_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'policy.evaluated',
    version: 1,
    description: 'The policy decision for a promotion: pack ids and digests, the evidence document digest, each rule with the values it read, waivers applied.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['promotionId', 'modelVersionId', 'targetStage', 'evidenceDocumentDigest', 'decisionDigest', 'decision'],
      properties: {
        promotionId: uuid,
        modelVersionId: uuid,
        targetStage: stage,
        evidenceDocumentDigest: digest,
        decisionDigest: digest,
        decision: { type: 'object' },
      },
    },
  },
  {
    kind: 'promotion.requested',
    version: 1,
    description: 'A promotion of a model version to a stage was requested; blocked at once by policy, or waiting for a compliance officer.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['promotionId', 'modelId', 'modelVersionId', 'version', 'targetStage', 'state', 'decisionDigest'],
      properties: {
        promotionId: uuid,
        modelId: uuid,
        modelVersionId: uuid,
        version: { type: 'integer', minimum: 1 },
        targetStage: stage,
        state: { enum: ['blocked', 'pending_approval'] },
        decisionDigest: digest,
        blockedBy: { type: 'array', items: { type: 'object' } },
      },
    },
  },
  {
    kind: 'promotion.decided',
    version: 1,
    description: 'A compliance officer approved or rejected a promotion request, with a rationale.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['promotionId', 'decision', 'rationale', 'requestedBy', 'decidedBy'],
      properties: {
        promotionId: uuid,
        decision: { enum: ['approved', 'rejected'] },
        rationale: { type: 'string', minLength: 1 },
        requestedBy: uuid,
        decidedBy: uuid,
        /** The approval's re-evaluation with the waivers in force then: the decision that let the version through (replayable offline). */
        reevaluation: {
          type: 'object',
          additionalProperties: false,
          required: ['decisionDigest', 'outcome', 'evaluatedAt', 'decision'],
          properties: { decisionDigest: digest, outcome: { enum: ['pending_approval'] }, evaluatedAt: { type: 'string' }, decision: { type: 'object' } },
        },
      },
    },
  },
  {
    kind: 'alias.moved',
    version: 1,
    description: 'An alias (staging, production) moved: by an approved promotion, a demotion or a rollback (EU AI Act Art. 14 stop), with who and why.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['modelId', 'alias', 'fromVersionId', 'toVersionId', 'kind'],
      properties: {
        modelId: uuid,
        alias: stage,
        fromVersionId: { oneOf: [uuid, { type: 'null' }] },
        toVersionId: { oneOf: [uuid, { type: 'null' }] },
        kind: { enum: ['promotion', 'demotion', 'rollback'] },
        promotionId: uuid,
        reason: { type: 'string' },
      },
    },
  },
  {
    kind: 'waiver.granted',
    version: 1,
    description: 'A compliance officer waived a waivable rule for one model version, with a justification and an expiry.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['waiverId', 'modelVersionId', 'packId', 'ruleId', 'justification', 'expiresAt'],
      properties: {
        waiverId: uuid,
        modelVersionId: uuid,
        packId: { type: 'string' },
        ruleId: { type: 'string' },
        justification: { type: 'string', minLength: 10 },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    },
  },
  {
    kind: 'waiver.revoked',
    version: 1,
    description: 'A waiver was revoked before its expiry.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['waiverId', 'reason'],
      properties: { waiverId: uuid, reason: { type: 'string' } },
    },
  },
];
