/**
 * The evidence-document assembler: the evidence records that reach one model version, the
 * registry's facts and the promotion request in, an `assay.evidence/v1` document out. Pure library:
 * no NestJS, no database; the caller gathers the records and verifies the signature bundle.
 */
export { assembleEvidenceDocument } from './evidence-document.assembler';
export type { EvidenceDocumentAssemblyInput, EvidenceRecordInput, ModelFacts, ModelVersionFacts, SignatureVerification } from './assembly-input';
export { EvidenceAssemblyError, EVIDENCE_ASSEMBLY_ERROR_CODES, type EvidenceAssemblyErrorCode, type EvidenceAssemblyErrorDetails } from './assembly.error';
