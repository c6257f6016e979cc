/**
 * Every way assembling an evidence document can fail. The codes are stable API; absent evidence is
 * not one of them (it becomes a null section), but missing or contradictory inputs are.
 */
import type { EvidenceDocumentProblem } from '../evidence-document.validator';

export const EVIDENCE_ASSEMBLY_ERROR_CODES = [
  /** A required input (model facts, stage, requester, assembly time, records) is missing or malformed. */
  'EVIDENCE_ASSEMBLY_INPUT_INVALID',
  /** A dataset version the model was trained or tested on has no registration record among the inputs. */
  'EVIDENCE_ASSEMBLY_RECORD_MISSING',
  /** The records contradict the model facts or each other (another model digest, table digest, bundle). */
  'EVIDENCE_ASSEMBLY_INCONSISTENT',
  /** A record's body lacks a field its kind always carries. */
  'EVIDENCE_ASSEMBLY_RECORD_MALFORMED',
  /** The assembled document does not satisfy the assay.evidence/v1 schema (a value outside its vocabulary). */
  'EVIDENCE_ASSEMBLY_DOCUMENT_INVALID',
] as const;

export type EvidenceAssemblyErrorCode = (typeof EVIDENCE_ASSEMBLY_ERROR_CODES)[number];

/** JSON-safe context: the input field, or the record (kind and digest), at fault. */
export interface EvidenceAssemblyErrorDetails {
  field?: string;
  kind?: string;
  digest?: string;
  subject?: { type: string; id: string };
  problems?: EvidenceDocumentProblem[];
}

export class EvidenceAssemblyError extends Error {
  override readonly name = 'EvidenceAssemblyError';

  constructor(
    readonly code: EvidenceAssemblyErrorCode,
    message: string,
    readonly details: EvidenceAssemblyErrorDetails = {},
  ) {
    super(message);
  }
}

/**
 * Runs `read` over one record's body; a TypeError there means the body lacks something its kind
 * always carries, reported with the record rather than as a crash.
 */
export function readRecord<T>(record: { kind: string; digest: string }, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new EvidenceAssemblyError('EVIDENCE_ASSEMBLY_RECORD_MALFORMED', `The ${record.kind} record ${record.digest} is malformed: ${error.message}`, {
      kind: record.kind,
      digest: record.digest,
    });
  }
}
