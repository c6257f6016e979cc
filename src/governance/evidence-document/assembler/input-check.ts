/**
 * The inputs without which there is no document to assemble: the model and version facts that
 * identify what the evidence must reach, the request (stage, requester, time) and the records.
 * Everything else may be absent and becomes null in the document.
 */
import { PROMOTION_STAGES } from '../evidence-document';
import type { EvidenceDocumentAssemblyInput, EvidenceRecordInput } from './assembly-input';
import { EvidenceAssemblyError } from './assembly.error';

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isTime = (value: unknown): value is string => isText(value) && !Number.isNaN(Date.parse(value));

function invalid(field: string, expected: string): EvidenceAssemblyError {
  return new EvidenceAssemblyError('EVIDENCE_ASSEMBLY_INPUT_INVALID', `${field} is missing or malformed: ${expected}`, { field });
}

export function checkAssemblyInput(input: EvidenceDocumentAssemblyInput | undefined): asserts input is EvidenceDocumentAssemblyInput {
  if (typeof input !== 'object' || input === null) throw invalid('input', 'an object');
  const model = input.model as Partial<EvidenceDocumentAssemblyInput['model']> | undefined;
  if (typeof model !== 'object' || model === null) throw invalid('model', 'the registered model and its version');
  for (const field of ['id', 'name', 'riskTier'] as const) if (!isText(model[field])) throw invalid(`model.${field}`, 'a non-empty string');
  if (!Array.isArray(model.prohibitedUses)) throw invalid('model.prohibitedUses', 'a list');
  if (!Array.isArray(model.jurisdictions)) throw invalid('model.jurisdictions', 'a list');
  const version = model.version as Partial<EvidenceDocumentAssemblyInput['model']['version']> | undefined;
  if (typeof version !== 'object' || version === null) throw invalid('model.version', 'the model version');
  for (const field of ['id', 'runId', 'modelDigest', 'trainingEvidence'] as const)
    if (!isText(version[field])) throw invalid(`model.version.${field}`, 'a non-empty string');
  if (!Number.isSafeInteger(version.version) || version.version! < 1) throw invalid('model.version.version', 'a positive integer');
  if (!(PROMOTION_STAGES as readonly unknown[]).includes(input.stage)) throw invalid('stage', PROMOTION_STAGES.join(' or '));
  if (!isText(input.requestedBy?.id) || !isText(input.requestedBy?.role)) throw invalid('requestedBy', 'the requester id and role');
  if (!isTime(input.assembledAt)) throw invalid('assembledAt', 'an ISO 8601 time');
  if (input.requestedAt !== undefined && !isTime(input.requestedAt)) throw invalid('requestedAt', 'an ISO 8601 time');
  const verification = input.signatureVerification;
  if (verification !== undefined && verification !== null && typeof verification.verified !== 'boolean') {
    throw invalid('signatureVerification.verified', 'whether the signature verified');
  }
  if (!Array.isArray(input.records)) throw invalid('records', 'a list of evidence records');
  (input.records as readonly unknown[]).forEach((value, i) => {
    const record = value as Partial<EvidenceRecordInput> | null;
    if (
      typeof record !== 'object' ||
      record === null ||
      !isText(record.kind) ||
      !isText(record.digest) ||
      typeof record.body !== 'object' ||
      record.body === null
    ) {
      throw invalid(`records[${i}]`, 'an evidence record with kind, digest and body');
    }
    if (typeof record.subject !== 'object' || record.subject === null || !isText(record.subject.type) || !isText(record.subject.id)) {
      throw invalid(`records[${i}].subject`, 'a subject with type and id');
    }
  });
}
