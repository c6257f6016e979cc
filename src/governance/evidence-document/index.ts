/**
 * The `assay.evidence/v1` evidence document: its TypeScript type, its published JSON Schema, a
 * validator and its digest (SHA-256 over RFC 8785 JCS). Pure library: no NestJS, no database.
 */
export * from './evidence-document';
export { EVIDENCE_DOCUMENT_SCHEMA, EVIDENCE_DOCUMENT_SCHEMA_ID, type JsonSchema } from './evidence-document.schema';
export { validateEvidenceDocument, type EvidenceDocumentProblem, type EvidenceDocumentValidation } from './evidence-document.validator';
export { canonicalJson, evidenceDocumentDigest, jcsDigest } from './evidence-document.digest';
export * from './assembler';
