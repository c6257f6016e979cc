import { createHash } from 'node:crypto';
import { schemaParts, type EvidenceKind } from '../evidence/evidence-kind';
import { ROLES, USER_STATUSES } from '../access/role';

/**
 * Evidence of who may act in Assay. Bodies hold no raw e-mail addresses: an address appears as
 * its SHA-256 (pseudonymous), so the immutable ledger never has to be edited to erase one.
 */
export const emailDigest = (email: string): string =>
  `sha256:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;

const { uuid, digest } = schemaParts;
const object = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const role = { enum: [...ROLES] };
const status = { enum: [...USER_STATUSES] };

export const IDENTITY_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'user.created',
    version: 1,
    description: 'A user account was created.',
    schema: object({ userId: uuid, emailDigest: digest, role, via: { enum: ['api', 'cli', 'bootstrap'] } }),
  },
  {
    kind: 'user.role_changed',
    version: 1,
    description: "A user's role changed.",
    schema: object({ userId: uuid, from: role, to: role }),
  },
  {
    kind: 'user.status_changed',
    version: 1,
    description: 'A user was disabled or re-enabled.',
    schema: object({ userId: uuid, from: status, to: status }),
  },
  {
    kind: 'user.password_changed',
    version: 1,
    description: "A user's password was set or changed.",
    schema: object({ userId: uuid }),
  },
  {
    kind: 'token.issued',
    version: 1,
    description: 'An API token was issued (its secret is never recorded).',
    schema: object({
      tokenId: uuid,
      userId: uuid,
      name: { type: 'string', maxLength: 200 },
      displayPrefix: { type: 'string', maxLength: 32 },
      expiresAt: { type: 'string', format: 'date-time' },
    }),
  },
  {
    kind: 'token.revoked',
    version: 1,
    description: 'An API token was revoked.',
    schema: object({ tokenId: uuid, userId: uuid }),
  },
  {
    kind: 'signin.failed',
    version: 1,
    description: 'A sign-in failed.',
    schema: object({
      emailDigest: digest,
      clientAddress: { type: 'string', maxLength: 100 },
      reason: { enum: ['unknown_account', 'wrong_password', 'account_disabled'] },
    }),
  },
];
