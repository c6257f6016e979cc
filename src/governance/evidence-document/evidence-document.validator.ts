/**
 * Checks a value against the `assay.evidence/v1` schema. Pure (ajv only): the promotion service,
 * the policy engine and the offline verifier all validate with this one compiled schema.
 */
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { EvidenceDocument } from './evidence-document';
import { EVIDENCE_DOCUMENT_SCHEMA } from './evidence-document.schema';

/** One thing wrong with a document: where (RFC 6901 JSON Pointer) and what. */
export interface EvidenceDocumentProblem {
  path: string;
  message: string;
}

export type EvidenceDocumentValidation = { ok: true; document: EvidenceDocument } | { ok: false; problems: EvidenceDocumentProblem[] };

// Two compilations of one schema: the first stops at the first error (the fast path every
// decision takes), the second, run only when the first refuses, collects every problem to report.
const check = addFormats(new Ajv2020({ allErrors: false, strict: true })).compile<EvidenceDocument>(EVIDENCE_DOCUMENT_SCHEMA);
const validate = addFormats(new Ajv2020({ allErrors: true, strict: true })).compile<EvidenceDocument>(EVIDENCE_DOCUMENT_SCHEMA);

/** At most this many problems are reported; a wholly wrong document would otherwise list thousands. */
const MAX_PROBLEMS = 50;

function describe(error: ErrorObject): EvidenceDocumentProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: `${error.instancePath}/${String(params.additionalProperty)}`, message: 'unknown field' };
    case 'required':
      return { path: `${error.instancePath}/${String(params.missingProperty)}`, message: error.instancePath ? 'missing' : 'missing (use null for absent evidence)' };
    case 'enum':
      return { path: error.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).slice(0, 12).join(', ')}${(params.allowedValues as unknown[]).length > 12 ? ', …' : ''}` };
    default:
      return { path: error.instancePath, message: error.message ?? error.keyword };
  }
}

export function validateEvidenceDocument(value: unknown): EvidenceDocumentValidation {
  if (check(value)) return { ok: true, document: value };
  validate(value);
  const seen = new Set<string>();
  const problems: EvidenceDocumentProblem[] = [];
  for (const error of validate.errors ?? []) {
    // "X or null" branches report both alternatives; the anyOf summary adds nothing.
    if (error.keyword === 'anyOf') continue;
    if (error.keyword === 'type' && (error.params as { type?: unknown }).type === 'null') continue;
    const problem = describe(error);
    const key = `${problem.path} ${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
    if (problems.length === MAX_PROBLEMS) break;
  }
  return { ok: false, problems };
}
