/**
 * Records in ledger order, looked up by kind and subject. "Latest" is the last in ledger order: a
 * datasheet recorded again, or a version scanned again with its datasheet, replaces the earlier one.
 */
import type { EvidenceRecordInput } from './assembly-input';

/** A record whose body has the shape its kind's producer writes. */
export type Evidence<B> = Omit<EvidenceRecordInput, 'body'> & { body: B };

/** Ledger index ascending; records without one last, by time (then digest, so the order is total). */
export function ledgerOrder(a: EvidenceRecordInput, b: EvidenceRecordInput): number {
  if (a.ledgerIndex !== null && b.ledgerIndex !== null && a.ledgerIndex !== b.ledgerIndex) return a.ledgerIndex - b.ledgerIndex;
  if (a.ledgerIndex === null && b.ledgerIndex !== null) return 1;
  if (a.ledgerIndex !== null && b.ledgerIndex === null) return -1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}

export class RecordSet {
  private readonly records: readonly EvidenceRecordInput[];

  constructor(records: readonly EvidenceRecordInput[]) {
    this.records = [...records].sort(ledgerOrder);
  }

  /** Every record of `kind` (about `subjectId`, when given), in ledger order. */
  all<B>(kind: string, subjectId?: string): Evidence<B>[] {
    return this.records.filter((r) => r.kind === kind && (subjectId === undefined || r.subject.id === subjectId)) as unknown as Evidence<B>[];
  }

  latest<B>(kind: string, subjectId?: string): Evidence<B> | null {
    return this.all<B>(kind, subjectId).at(-1) ?? null;
  }
}
