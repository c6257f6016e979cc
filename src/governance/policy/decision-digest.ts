/** The digest of a decision as stored evidence: SHA-256 over its RFC 8785 (JCS) canonical JSON. */
import { jcsDigest } from '../evidence-document/evidence-document.digest';
import type { PolicyDecision } from './policy-decision';

export const decisionDigest = (decision: PolicyDecision): string => jcsDigest(decision);
