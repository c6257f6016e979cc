import { createHash } from 'node:crypto';
import { hashLeaf } from '../../platform/ledger/verification';

/**
 * The leaves of the decision log (EU AI Act Art. 12: automatic recording of events over the
 * system's lifetime). A prediction leaf says which model version decided what, for whom (the
 * caller) and when; the input appears only as a digest. An outcome leaf (the ground truth, known
 * later) names the prediction it completes. A leaf's bytes are its RFC 8785 canonical JSON and
 * its hash is RFC 9162's leaf hash of those bytes, so anyone holding the leaf can recompute it.
 */
export const PREDICTION_LEAF = 'assay.decision.prediction/v1';
export const OUTCOME_LEAF = 'assay.decision.outcome/v1';

export interface PredictionLeaf {
  type: typeof PREDICTION_LEAF;
  id: string;
  /** ISO 8601 UTC with milliseconds. */
  time: string;
  model: { id: string; versionId: string; version: number; digest: string; alias: string | null };
  inputDigest: string;
  output: { label: string; score: number };
  caller: { type: 'user'; id: string };
  /** Digest of the explanation returned with the prediction, when one was asked for. */
  explanationDigest?: string;
}

export interface OutcomeLeaf {
  type: typeof OUTCOME_LEAF;
  predictionId: string;
  time: string;
  label: string;
  recordedBy: { type: 'user'; id: string };
}

export type DecisionLeaf = PredictionLeaf | OutcomeLeaf;

/**
 * RFC 8785 canonical JSON of a leaf. Leaves are flat records of strings, finite numbers, booleans
 * and null (checked on the way in), and for such values JCS is ECMAScript's JSON.stringify with
 * the keys of every object in code-unit order — so the keys are sorted here and the native
 * serialiser does the rest, several times faster than a general canonicaliser on the serving
 * path. The spec holds it to the general one.
 */
export function leafText(leaf: DecisionLeaf): string {
  return JSON.stringify(sortedKeys(leaf));
}

function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedKeys);
  const sorted = Object.create(null) as Record<string, unknown>; // a field named __proto__ stays a field
  for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

export function decisionLeafHash(text: string): Buffer {
  return hashLeaf(text);
}

/**
 * The input's digest, salted with the prediction id: the same applicant's record gives a
 * different digest in every prediction, so the log cannot be joined on it or matched against a
 * table of likely inputs computed once; whoever holds the input and the prediction id (the data
 * subject, an auditor given both) can recompute it.
 */
export function inputDigest(predictionId: string, input: Readonly<Record<string, string | number | boolean | null>>): string {
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(sortedKeys({ predictionId, input })), 'utf8')
    .digest('hex')}`;
}
